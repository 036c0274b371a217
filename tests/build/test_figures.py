"""Figures spot-checked against the report, at least one per voorziening.

The expected cells were read from the report by hand, independently of the CSV files.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from query_support import rows

# (table title as printed, start of the row label, year, cell as printed, value)
SPOT_CHECKS = [
    ("DigiD", "Totaal aantal authenticaties", "2017", "280.199.084", "280199084"),
    ("DigiD", "Aantal actieve DigiD", "2014", "11.800.000", "11800000"),
    ("DigiD", "Aantal accounts met een versterkt", "2016", "--", None),
    ("DigiD Machtigen", "Aantal actieve machtigingen", "2016", "2.345.039", "2345039"),
    ("eHerkenning", "Aantal authenticaties eHerkenning", "2015", "5.073.085", "5073085"),
    ("eHerkenning", "Totaal aantal aangesloten overheidsorganisaties", "2016", "257", "257"),
    ("PKIOverheid", "Aantal uitstaande PKIoverheidscertificaten", "2017", "657.847", "657847"),
    ("Beheervoorziening BSN", "Totaal aantal bevragingen", "2016", "104.000.000", "104000000"),
    ("MijnOverheid Algemeen", "Aantal keren ingelogd MijnOverheid", "2016", "38.389.767", "38389767"),
    ("MijnOverheid Berichtenbox", "Aantal verstuurde berichten", "2014", "27.259.984", "27259984"),
    ("MijnOverheid Lopende Zaken", "Totaal aantal Lopende Zaken", "2017", "364.709", "364709"),
    ("MijnOverheid Inzage Persoonlijke Gegevens", "Aantal raadplegingen Inzage", "2015", "4.455.602", "4455602"),
    ("Ondernemingsdossier", "Aantal ondernemingen", "2016", "9.168", "9168"),
    ("Berichtenbox voor bedrijven", "Aantal ondernemers met een Berichtenbox", "2017", "19.385", "19385"),
    ("Overheid.nl", "Totaal aantal bezoeken", "2015", "20.465.195", "20465195"),
    ("Overheid.nl", "Aantal aangesloten", "2017", "772", "772"),
    ("Ondernemersplein", "Aantal unieke bezoekers", "2016", "3.966.156", "3966156"),
    ("Samenwerkende catalogi", "Aantal productbeschrijvingen burgers", "2017", "49.228", "49228"),
    ("Samenwerkende catalogi", "Aantal raadplegingen producten", "2016", "117.730", "117730"),
    ("Opvragingen", "BRT", "2016", "2,1 miljard", "2100000000"),
    ("Terugmeldingen naar basisregistratie", "WOZ", "2017", "> 5.000", "5000"),
    ("Terugmeldingen naar basisregistratie", "Totaal", "2017", "98.380", "98380"),
    ("BRP", "Totaal aantal berichten", "2015", "321.688.673", "321688673"),
    ("BRP", "Totaal aantal aangesloten", "2017", "100%", "100"),
    ("HR", "Aantal berichten naar Digilevering", "2014", "3.519.122", "3519122"),
    ("BAG", "Aantal bevragingen van BAG", "2017", "1.570.000.000", "1570000000"),
    ("BRT", "Aantal opvragingen per product", "2014", "693.911.792", "693911792"),
    ("BGT", "Aantal aangesloten overheidsorganisaties", "2016", "319", "319"),
    ("BRK", "Aantal geleverde objecten van de Massale Output", "2017", "116.600.000", "116600000"),
    ("BRV", "Totaal aantal raadplegingen", "2015", "3.771.800.000", "3771800000"),
    ("WOZ", "Het aantal WOZ beschikkingen", "2016", "8.700.000", "8700000"),
    ("BRI", "Aantal unieke BSN", "2017", "35.735.087", "35735087"),
    ("Digilevering", "Totaal aantal berichten", "2017", "25.298.848", "25298848"),
    ("Digimelding", "Totaal aantal terugmeldingen", "2015", "2.164", "2164"),
    ("Stelselcatalogus", "Aantal unieke bezoekers", "2017", "10.972", "10972"),
    ("eFactureren", "Totaal aantal ontvangen eFacturen", "2014", "344.709", "344709"),
    ("SBR", "Totaal aantal SBR berichten", "2016", "29.840.000", "29840000"),
    ("Digipoort", "Aantal door gebruikers ingestuurde berichten", "2016", "112.265.000", "112265000"),
    ("Digikoppeling", "Aantal organisaties dat Digikoppeling", "2015", "346", "346"),
    ("Diginetwerk", "Totaal aantal aangesloten koppelnetwerken", "2017", "8", "8"),
    ("NORA", "Aantal raadplegingen NORAonline", "2014", "111.968", "111968"),
]


@pytest.fixture(scope="module")
def observations(real_store):
    return rows(real_store, "monitor-observations")


@pytest.mark.parametrize("titel, label, jaar, ruw, waarde", SPOT_CHECKS, ids=[f"{c[0]}-{c[2]}" for c in SPOT_CHECKS])
def test_figure_equals_the_report(observations, titel, label, jaar, ruw, waarde):
    found = [r for r in observations if r["tabel"] == titel and r["indicator"].startswith(label) and r["jaar"] == jaar]
    assert len(found) == 1, found
    assert (found[0]["ruw"], found[0]["waarde"]) == (ruw, waarde)


def test_every_voorziening_with_figures_is_spot_checked(observations):
    titles = {r["tabel"] for r in observations if r["bron"].split(", ")[-1].startswith("cijfers")}
    assert titles <= {c[0] for c in SPOT_CHECKS}, titles - {c[0] for c in SPOT_CHECKS}


REPORT = Path(__file__).resolve().parents[2] / "data" / "monitor-gdi-2018" / "bron" / "rapport.txt"


def test_every_printed_cell_occurs_in_the_report_text(observations):
    """A second, mechanical check: every cell as printed appears in the report's text."""
    text = " ".join(REPORT.read_text(encoding="utf-8").split())
    numbers = {r["ruw"] for r in observations if re.search(r"\d", r["ruw"])}
    missing = sorted(n for n in numbers if " ".join(n.split()) not in text)
    assert not missing, missing
