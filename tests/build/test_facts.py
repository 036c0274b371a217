"""The graph's facts against the report: figures in its text, what a figure is about, dates,
the person registry before 2014, statuses at the peildatum and things that ended.

Expectations are read from the report's text (data/monitor-gdi-2018/bron/rapport.txt)
wherever it states them, so a test fails when the graph and the report part ways.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from query_support import rows
from rdflib import Literal, URIRef

from gdi_graph.rdf.namespaces import DCTERMS, GDI, QB, RDF, RDFS, SKOS

REPO = Path(__file__).resolve().parents[2]
REPORT = REPO / "data" / "monitor-gdi-2018" / "bron" / "rapport.txt"
PEILDATUM = date(2017, 12, 31)
ID = "https://w3id.org/gdi-graph/id/"
DATES = (GDI.inStelselVanaf, GDI.inStelselTot, GDI.beschikbaarVanaf, GDI.beschikbaarTot, GDI.geometrieVanaf)


def report_text() -> str:
    """The report on one line: whitespace collapsed, hyphenation at line ends undone."""
    text = REPORT.read_text(encoding="utf-8")
    text = re.sub(r"-\s*\n\s*", "", text)
    return " ".join(text.split())


@pytest.fixture(scope="module")
def data(built):
    return built[0].data


def names(g, node) -> set[str]:
    found = set()
    for p in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, RDFS.label, GDI.afkorting):
        found |= {str(o) for o in g.objects(node, p)}
    return found


def observations_with(g, ruw: str) -> list[URIRef]:
    return [o for o in g.subjects(GDI.ruw, Literal(ruw)) if (o, RDF.type, QB.Observation) in g]


# ---------------------------------------------------------------- 1. figures in the text


def test_digipoorts_total_in_the_text_is_an_observation(data):
    m = re.search(r"Digipoort is met \d+% gestegen ten opzichte van 2016 naar (bijna [\d,]+ miljoen) berichten", report_text())
    assert m, "the report's sentence on Digipoort's messages was not found"
    (obs,) = observations_with(data, m[1])
    assert data.value(obs, GDI.onderwerp) == URIRef(ID + "voorziening/digipoort")
    assert data.value(obs, GDI.cijferstatus) == GDI.Bovengrens  # "bijna": at most
    tabel = data.value(obs, DCTERMS.source)
    assert (str(data.value(tabel, GDI.sectie)), str(data.value(tabel, GDI.soort))) == ("7.1.3", "toelichting")


def test_sbr_shares_are_observations_that_agree_with_the_counts(data):
    text = report_text()
    shares = re.findall(r"- ([A-Z][\w ]+?): ([\d.,]+(?: miljoen)?) SBR[- ]berichten \(= (\d+)% van het totaal", text)
    assert len(shares) == 2, shares
    total = re.search(r"Het totaal aantal SBR-berichten is gestegen met bijna 30% naar ([\d,]+) miljoen", text)
    total_value = Decimal(total[1].replace(",", ".")) * 1_000_000
    for name, count, pct in shares:
        found = [o for o in observations_with(data, f"{pct}%")
                 if any(name.rstrip("s") in n or name in n for n in names(data, data.value(o, GDI.onderwerp)))]
        assert len(found) == 1, (name, pct)
        assert data.value(found[0], GDI.eenheid) == Literal("procent")
        value = Decimal(count.replace(".", "").replace(",", ".").replace(" miljoen", "")) * (
            1_000_000 if "miljoen" in count else 1)
        assert abs(value / total_value * 100 - int(pct)) < 1, (name, value, total_value, pct)


# ---------------------------------------------------------------- 2. what a figure is about


CROSS_CUTTING = ("open-data", "terugmeldingen", "mijnoverheid-inzage-registraties", "mijnoverheid-berichtenbox-verzenders",
                 "stelselcatalogus-volledigheid")


@pytest.mark.parametrize("tabel", CROSS_CUTTING)
def test_each_row_of_a_cross_cutting_table_names_its_subject(data, tabel):
    iri = URIRef(f"{ID}tabel/monitor-gdi-2018/{tabel}")
    filed_under = data.value(iri, GDI.voorziening)
    parts_of = set(data.objects(None, GDI.isDeelVan))
    checked = 0
    for obs in data.subjects(DCTERMS.source, iri):
        if (obs, RDF.type, QB.Observation) not in data:
            continue  # a printed % change: its indicator's observations say what it is about
        indicator = data.value(obs, GDI.indicator)
        label = str(data.value(indicator, SKOS.prefLabel)).casefold()
        subject = data.value(obs, GDI.onderwerp)
        if subject == filed_under:
            assert indicator in parts_of or label.startswith("totaal") or \
                str(data.value(indicator, GDI.noot) or "").startswith("geen onderwerp:"), \
                f"{label}: filed under the table's voorziening without saying why"
            continue
        assert any(n.casefold() in label for n in names(data, subject)), (label, sorted(names(data, subject)))
        checked += 1
    assert checked >= 4


def test_asking_for_the_brp_finds_its_inzagen(real_store):
    m = re.search(r"BRP – Basisregistratie Personen ([\d.]+)", report_text())
    found = rows(real_store, "monitor-observations", voorziening="BRP", jaar="2017")
    assert m[1] in {r["ruw"] for r in found}
    assert {r["tabel"] for r in found} >= {"BRP", "Aangesloten registraties / Aantal inzagen Persoonlijke Gegevens",
                                           "Terugmeldingen naar basisregistratie"}


def test_the_voorziening_filter_finds_subjects_and_table_titles(real_store):
    by_title = rows(real_store, "monitor-observations", voorziening="Opvragingen", jaar="2017")
    assert by_title and {r["tabel"] for r in by_title} == {"Opvragingen"}
    by_subject = rows(real_store, "monitor-observations", voorziening="BRT", jaar="2017")
    assert "Opvragingen" in {r["tabel"] for r in by_subject}
    everything = rows(real_store, "monitor-observations", jaar="2017")
    brt = [r for r in everything if r["tabel"] == "Opvragingen" and r["indicator"].startswith("BRT")]
    assert [r["voorziening"] for r in brt] == ["Basisregistratie Topografie"]


# ---------------------------------------------------------------- 3. dates and their sources


def test_every_quotation_of_a_date_is_in_the_report(data):
    text = report_text()
    quotes = list(data.subject_objects(GDI.datumCitaat))
    assert quotes
    for subject, quote in quotes:
        assert " ".join(str(quote).split()) in text, (subject, str(quote))


def test_every_date_has_a_source_or_says_how_it_was_inferred(data):
    for p in DATES:
        for subject in set(data.subjects(p, None)):
            if data.value(subject, GDI.datumAfgeleid) == Literal(True):
                assert data.value(subject, RDFS.comment) is not None, subject
            else:
                assert data.value(subject, GDI.datumBron) is not None, (subject, p)


def test_no_law_date_is_cited_to_the_report(data):
    rapport = URIRef(ID + "rapport/monitor-gdi-2018")
    for reg in data.subjects(RDF.type, GDI.Basisregistratie):
        if data.value(reg, GDI.datumBron) == rapport:
            continue  # quoted; test_every_quotation_of_a_date_is_in_the_report checks it
        bronnen = set(data.objects(reg, GDI.datumBron))
        assert rapport not in bronnen
        for bron in bronnen:
            ident = data.value(bron, DCTERMS.identifier)
            if ident is not None:
                assert re.fullmatch(r"BWBR\d{7}", str(ident))
                assert (bron, URIRef("http://xmlns.com/foaf/0.1/page"), URIRef(f"https://wetten.overheid.nl/{ident}")) in data


# ---------------------------------------------------------------- 4. the person registry before 2014


def test_brp_is_dated_from_its_predecessor_the_gba(data):
    brp = URIRef(ID + "basisregistratie/BRP")
    (gba,) = data.objects(brp, DCTERMS.replaces)
    assert "GBA" in names(data, gba)
    assert data.value(gba, GDI.beschikbaarTot).toPython() <= date(2014, 1, 6)
    assert data.value(brp, GDI.inStelselVanaf).toPython() <= data.value(gba, GDI.beschikbaarVanaf).toPython()


def test_no_verbinding_is_available_before_a_registratie_it_joins(data):
    for v in data.subjects(RDF.type, GDI.Verbinding):
        vanaf = data.value(v, GDI.beschikbaarVanaf)
        if vanaf is None:
            continue
        for end in (GDI.van, GDI.naar):
            reg = data.value(data.value(v, end), GDI.registratie)
            reg_vanaf = data.value(reg, GDI.beschikbaarVanaf)
            assert reg_vanaf is not None and reg_vanaf.toPython() <= vanaf.toPython(), (v, reg)


def test_the_stelsel_of_2012_has_a_person_registry(real_store):
    # the query the stelselplaat is drawn from
    assert "BRP" in {r["afkorting"] for r in rows(real_store, "stelsel-objecten", peildatum="2012-12-31")}


# ---------------------------------------------------------------- 6. statuses at the peildatum


def test_a_verbinding_has_one_of_the_reports_two_states(data):
    text = report_text()
    legend = text[text.index("Legenda"):][:200]
    printed = set(re.findall(r"Verbinding (?:niet )?beschikbaar", legend))
    assert printed == {"Verbinding beschikbaar", "Verbinding niet beschikbaar"}, legend
    label = {GDI.Beschikbaar: "Verbinding beschikbaar", GDI.NietBeschikbaar: "Verbinding niet beschikbaar"}
    states = {data.value(v, GDI.status) for v in data.subjects(RDF.type, GDI.Verbinding)}
    assert all(s in label for s in states), states


def test_no_status_at_the_peildatum_rests_on_later_evidence(data):
    for v in data.subjects(GDI.status, GDI.Beschikbaar):
        for bron in data.objects(v, GDI.datumBron):
            issued = data.value(bron, DCTERMS.issued)
            assert issued is None or issued.toPython() <= PEILDATUM, (v, bron)
        comment = str(data.value(v, RDFS.comment) or "")
        assert "2024" not in comment, f"{v}: evidence from after the peildatum belongs in a gdi:noot"


# ---------------------------------------------------------------- 8. things that ended


def test_the_ondernemingsdossier_ended_in_2017(data, real_store):
    m = re.search(r"Het Ondernemingsdossier is in (\d{4}) fysiek beëindigd", report_text())
    od = URIRef(ID + "voorziening/ondernemingsdossier")
    tot = data.value(od, GDI.beschikbaarTot).toPython()
    assert tot.year == int(m[1]) and tot <= PEILDATUM
    at_peildatum = {r["voorziening"] for r in rows(real_store, "voorzieningen", peildatum="2017-12-31")}
    assert "Ondernemingsdossier" not in at_peildatum and "DigiD" in at_peildatum
    assert "Ondernemingsdossier" in {r["voorziening"] for r in rows(real_store, "voorzieningen", peildatum="2016-12-31")}


def test_the_report_listing_it_as_connected_is_a_warning(built):
    outcome = built[0].outcome
    messages = [m for m in outcome.text().splitlines() if "Ondernemingsdossier" in m and "no longer available" in m]
    assert messages, "the report's own contradiction (7.3 against 5.2) is not reported"


def test_nothing_is_connected_to_itself(data):
    assert not [s for s, o in data.subject_objects(GDI.aangeslotenOp) if s == o]


# ---------------------------------------------------------------- 9. named in the report, now in the graph


@pytest.mark.parametrize("name, part_of", [
    ("MijnOverheid voor Ondernemers", None), ("Publieke Dienstverlening op de Kaart", None),
    ("Landelijke Voorziening WOZ", "Basisregistratie Waarde Onroerende Zaken"),
    ("Landelijke Voorziening BAG", "Basisregistraties Adressen en Gebouwen"),
    ("Terugmeldvoorziening", "Basisregistratie Personen"), ("Centraal OIN Register", "Digikoppeling"),
    ("Machtigingenregisters van eHerkenning", "eHerkenning"), ("Uniforme Productnamenlijst", "Samenwerkende catalogi"),
    ("Registratie niet-ingezetenen", "Basisregistratie Personen"),
    ("Digipoort Sociaal en Financieel", "Digipoort"), ("Digipoort Handel & Transport", "Digipoort"),
    ("Raad van State", None), ("Overheidsbreed Beleidsoverleg Digitale Overheid", None), ("Programmeringsraad Logius", None),
    ("Nationale ombudsman", None), ("Ministerie van Onderwijs, Cultuur en Wetenschap", None), ("Unie van Waterschappen", None),
])
def test_named_in_the_report_and_in_the_graph(data, name, part_of):
    (entity,) = [e for e in data.subjects(SKOS.prefLabel, Literal(name, lang="nl")) if (e, RDF.type, GDI.Indicator) not in data]
    assert data.value(entity, DCTERMS.source) == URIRef(ID + "rapport/monitor-gdi-2018")
    if part_of:
        assert Literal(part_of, lang="nl") in set(data.objects(data.value(entity, GDI.onderdeelVan), SKOS.prefLabel))
    words = [w for w in re.findall(r"\w+", name) if len(w) >= 3 and w not in ("Landelijke", "Voorziening", "Digipoort")]
    text = report_text().casefold()
    assert any(w.casefold() in text for w in words)
