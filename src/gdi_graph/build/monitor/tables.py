"""Convert one monitor edition's long-format CSV tables into RDF Data Cube graphs.

An edition folder holds `tabellen.csv`, `indicatoren.csv`, `cijfers/<tabel>.csv` and
optionally `releases.csv` (the format is documented in `data/README.md`). Every
reference is checked: a row naming an unknown table, indicator or voorziening is an
error that names file, line and column, never a silently created entity.

Tables, rows and cells belong to their edition; the indicator a row prints does not
(`editions.Identities` decides which it is), so one quantity printed by several editions
is one gdi:Indicator with one observation per edition and year.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from gdi_graph.build.monitor.cells import CellError, parse_cell, parse_change
from gdi_graph.build.monitor.editions import Identities, rapport_iri
from gdi_graph.build.errors import SourceError
from gdi_graph.rdf.namespaces import DCTERMS, GDI, ID, QB, RDF, RDFS, SKOS, XSD

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
STATUSES = {"gerealiseerd": GDI.Gerealiseerd, "gepland": GDI.Gepland, "vervallen": GDI.Vervallen}
SOORTEN = {"cijfers", "tabel", "toelichting", "grafiek"}
# What a row may be about besides a voorziening: `organisatie/<slug>` or `organisatietype/<slug>`.
ONDERWERP_PAD = re.compile(r"^(organisatie|organisatietype)/[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass
class Tabel:
    slug: str
    iri: URIRef
    voorziening: URIRef
    titel: str
    kolommen: dict[str, str | None]  # year -> printed header when not a plain year
    verandering: bool
    indicators: dict[str, URIRef] = field(default_factory=dict)  # indicator slug -> gdi:Indicator (across editions)
    regels: dict[str, URIRef] = field(default_factory=dict)  # indicator slug -> gdi:Tabelregel (this printing)
    onderwerpen: dict[str, URIRef] = field(default_factory=dict)  # indicator slug -> what its figures are about


def _rows(path: Path, required: list[str]):
    """Yield (line number, row) and check the header names the required columns."""
    try:
        handle = path.open(newline="", encoding="utf-8")
    except OSError as exc:
        raise SourceError(path, f"cannot read: {exc.strerror}") from exc
    with handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c for c in required if c not in header]
        if missing:
            raise SourceError(path, f"header lacks column(s) {', '.join(missing)}; it has {', '.join(header)}", line=1)
        for row in reader:
            if None in row:
                raise SourceError(path, f"row has {len(header) + len(row[None])} fields, the header {len(header)}",
                                  line=reader.line_num)
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items()}


def _slug(path: Path, line: int, column: str, value: str) -> str:
    if not SLUG.match(value):
        raise SourceError(path, f"{value!r} is not an identifier (lower-case letters, digits and single hyphens)",
                          line=line, column=column)
    return value


def _year(path: Path, line: int, column: str, value: str) -> str:
    if not re.fullmatch(r"(19|20)\d\d", value):
        raise SourceError(path, f"{value!r} is not a year", line=line, column=column)
    return value


class EditionReader:
    """Reads one edition folder; `known_voorzieningen` maps a last IRI segment to the IRI.

    `identities` carries the indicators of the editions read before this one (oldest
    first); without it the edition is read as if it were the only one.
    """

    def __init__(self, folder: Path, known_voorzieningen: dict[str, URIRef], identities: Identities | None = None):
        self.folder = folder
        self.edition = folder.name
        self.rapport = rapport_iri(folder)
        self.dataset = ID[f"dataset/{self.edition}"]
        self.known = known_voorzieningen
        self.identities = identities if identities is not None else Identities()
        self.tabellen: dict[str, Tabel] = {}

    # ------------------------------------------------------------------ tables
    def read_tabellen(self) -> Graph:
        path = self.folder / "tabellen.csv"
        g = Graph()
        for line, row in _rows(path, ["tabel", "voorziening", "titel", "sectie", "soort", "kolommen", "verandering"]):
            slug = _slug(path, line, "tabel", row["tabel"])
            if slug in self.tabellen:
                raise SourceError(path, f"table {slug!r} is declared twice", line=line, column="tabel")
            vz = self.known.get(row["voorziening"])
            if vz is None:
                raise SourceError(path, f"unknown voorziening {row['voorziening']!r}; declare it in data/voorzieningen.ttl",
                                  line=line, column="voorziening")
            if row["soort"] not in SOORTEN:
                raise SourceError(path, f"soort {row['soort']!r} is not one of {', '.join(sorted(SOORTEN))}",
                                  line=line, column="soort")
            if not row["titel"] or not row["sectie"]:
                raise SourceError(path, "titel and sectie are required", line=line, column="titel")
            kolommen: dict[str, str | None] = {}
            for part in row["kolommen"].split(";"):
                year, _, printed = part.partition("=")
                year = _year(path, line, "kolommen", year.strip())
                if year in kolommen:
                    raise SourceError(path, f"year {year} appears twice in kolommen", line=line, column="kolommen")
                kolommen[year] = printed.strip() or None
            if row["verandering"] not in ("ja", ""):
                raise SourceError(path, "verandering must be 'ja' or empty", line=line, column="verandering")
            iri = ID[f"tabel/{self.edition}/{slug}"]
            self.tabellen[slug] = Tabel(slug, iri, vz, row["titel"], kolommen, row["verandering"] == "ja")
            g.add((iri, RDF.type, GDI.Tabel))
            g.add((iri, DCTERMS.title, Literal(row["titel"], lang="nl")))
            g.add((iri, RDFS.label, Literal(f"{row['titel']} (§{row['sectie']}, {row['soort']})", lang="nl")))
            g.add((iri, GDI.sectie, Literal(row["sectie"])))
            g.add((iri, GDI.soort, Literal(row["soort"])))
            g.add((iri, GDI.voorziening, vz))
            g.add((iri, DCTERMS.isPartOf, self.rapport))
            if row.get("noot"):
                g.add((iri, GDI.noot, Literal(row["noot"], lang="nl")))
        return g

    # ------------------------------------------------------------------ indicators
    def read_indicatoren(self) -> Graph:
        path = self.folder / "indicatoren.csv"
        g = Graph()
        links: list[tuple[int, str, URIRef, str, str]] = []
        for line, row in _rows(path, ["tabel", "indicator", "label", "eenheid"]):
            tabel = self._tabel(path, line, row["tabel"])
            slug = _slug(path, line, "indicator", row["indicator"])
            if slug in tabel.indicators:
                raise SourceError(path, f"indicator {slug!r} is declared twice in table {tabel.slug!r}",
                                  line=line, column="indicator")
            if not row["label"]:
                raise SourceError(path, "label is required", line=line, column="label")
            if not row["eenheid"]:
                raise SourceError(path, "eenheid is required", line=line, column="eenheid")
            tabel.onderwerpen[slug] = self._onderwerp(path, line, row.get("onderwerp", ""), tabel.voorziening)
            iri, regel, eerder = self.identities.resolve(
                path, line, f"{tabel.slug}/{slug}", row.get("vervolg_van", ""),
                {"eenheid": row["eenheid"], "voorziening": tabel.voorziening, "onderwerp": tabel.onderwerpen[slug]})
            tabel.indicators[slug] = iri
            tabel.regels[slug] = regel
            # The row as printed in this edition; the indicator's own labels are those of its
            # newest printing (build.monitor.materialise), so a renamed row renames it once.
            g.add((regel, RDF.type, GDI.Tabelregel))
            g.add((regel, GDI.indicator, iri))
            g.add((regel, RDFS.label, Literal(row["label"], lang="nl")))
            g.add((regel, SKOS.notation, Literal(f"{tabel.slug}/{slug}")))
            g.add((regel, DCTERMS.source, tabel.iri))
            g.add((regel, GDI.editie, self.rapport))
            if eerder is not None:
                g.add((regel, GDI.vervolgVan, eerder))
            g.add((iri, RDF.type, GDI.Indicator))
            g.add((iri, RDF.type, SKOS.Concept))
            g.add((iri, SKOS.notation, Literal(str(iri)[len(str(ID["indicator/"])):])))
            g.add((iri, SKOS.inScheme, GDI.indicatoren))
            g.add((iri, GDI.eenheid, Literal(row["eenheid"])))
            g.add((iri, GDI.voorziening, tabel.voorziening))
            g.add((iri, DCTERMS.source, tabel.iri))
            g.add((iri, GDI.onderwerp, tabel.onderwerpen[slug]))
            if row.get("noot"):
                g.add((iri, GDI.noot, Literal(row["noot"], lang="nl")))
            for column in ("deel_van", "zelfde_als"):
                for ref in filter(None, (r.strip() for r in row.get(column, "").split(";"))):
                    links.append((line, column, iri, tabel.slug, ref))
        for line, column, iri, tabel_slug, ref in links:
            target = self._indicator_ref(path, line, column, tabel_slug, ref)
            g.add((iri, GDI.isDeelVan if column == "deel_van" else GDI.zelfdeGrootheidAls, target))
        return g

    def _onderwerp(self, path: Path, line: int, value: str, default: URIRef) -> URIRef:
        """What a row is about: a voorziening like the table's, an organisation or a kind of organisation.

        A table that cuts across voorzieningen (opvragingen per basisregistratie, senders of
        the Berichtenbox) is titled after one voorziening, but each row is about another;
        without this a question about the BRP misses the BRP's row in such a table.
        Organisations are checked by SHACL (gdis:Observatie-onderwerp), the rest here.
        """
        if not value:
            return default
        if value in self.known:
            return self.known[value]
        if ONDERWERP_PAD.match(value):
            return ID[value]
        raise SourceError(path, f"unknown onderwerp {value!r}; give a voorziening as in tabellen.csv, "
                          "organisatie/<slug> or organisatietype/<slug>", line=line, column="onderwerp")

    def _tabel(self, path: Path, line: int, slug: str, column: str = "tabel") -> Tabel:
        try:
            return self.tabellen[slug]
        except KeyError:
            raise SourceError(path, f"unknown table {slug!r}; declare it in tabellen.csv", line=line, column=column) from None

    def _indicator_ref(self, path: Path, line: int, column: str, tabel_slug: str, ref: str) -> URIRef:
        tabel_part, _, ind = ref.rpartition("/")
        tabel = self._tabel(path, line, tabel_part or tabel_slug, column)
        if ind not in tabel.indicators:
            raise SourceError(path, f"unknown indicator {ind!r} in table {tabel.slug!r}", line=line, column=column)
        return tabel.indicators[ind]

    # ------------------------------------------------------------------ cells
    def read_cijfers(self, path: Path) -> Graph:
        tabel = self.tabellen.get(path.stem)
        if tabel is None:
            raise SourceError(path, f"no table {path.stem!r} in tabellen.csv for this file")
        g = Graph()
        seen: dict[tuple[str, str], int] = {}
        for line, row in _rows(path, ["indicator", "jaar", "ruw"]):
            ind_slug = row["indicator"]
            if ind_slug not in tabel.indicators:
                raise SourceError(path, f"unknown indicator {ind_slug!r}; declare it in indicatoren.csv for table {tabel.slug!r}",
                                  line=line, column="indicator")
            jaar = row["jaar"]
            if (ind_slug, jaar) in seen:
                raise SourceError(path, f"cell {ind_slug} / {jaar} already given on line {seen[ind_slug, jaar]}",
                                  line=line, column="jaar")
            seen[ind_slug, jaar] = line
            indicator = tabel.indicators[ind_slug]
            if jaar == "%":
                if not tabel.verandering:
                    raise SourceError(path, f"table {tabel.slug!r} has no % column (verandering is not 'ja')",
                                      line=line, column="jaar")
                self._add_change(g, path, line, tabel, ind_slug, indicator, row)
                continue
            if jaar not in tabel.kolommen:
                raise SourceError(path, f"year {jaar!r} is not a column of table {tabel.slug!r} ({';'.join(tabel.kolommen)})",
                                  line=line, column="jaar")
            self._add_observation(g, path, line, tabel, ind_slug, indicator, jaar, row)
        expected = {(i, y) for i in tabel.indicators for y in [*tabel.kolommen, *(["%"] if tabel.verandering else [])]}
        missing = sorted(expected - set(seen))
        if missing:
            listed = ", ".join(f"{i} / {y}" for i, y in missing[:5])
            raise SourceError(path, f"{len(missing)} cell(s) missing, e.g. {listed}; give '--' for an empty cell")
        return g

    def _cell(self, path: Path, line: int, row: dict, parse):
        try:
            cell = parse(row["ruw"])
        except CellError as exc:
            if row.get("noot", "").startswith("onleesbaar") and not row.get("waarde"):
                return None, Decimal(0), None, "Onleesbaar", None
            if not row.get("waarde"):
                raise SourceError(path, f"{exc} (or explain an illegible cell with a noot starting 'onleesbaar:')",
                                  line=line, column="ruw") from None
            cell = None
        if row.get("waarde"):
            try:
                value = Decimal(row["waarde"])
            except ArithmeticError:
                raise SourceError(path, f"waarde {row['waarde']!r} is not a number like 438 or 0.5",
                                  line=line, column="waarde") from None
            unit = cell.unit if cell else None
            status = cell.status if cell and cell.status != "NietBeschikbaar" else None
            return value, value, value, status, unit
        return cell.value, cell.lower, cell.upper, cell.status, cell.unit

    def _add_observation(self, g, path, line, tabel, ind_slug, indicator, jaar, row):
        value, lower, upper, status, unit = self._cell(path, line, row, parse_cell)
        obs = ID[f"observatie/{self.edition}/{tabel.slug}/{ind_slug}/{jaar}"]
        g.add((obs, RDF.type, QB.Observation))
        g.add((obs, QB.dataSet, self.dataset))
        g.add((obs, GDI.voorziening, tabel.voorziening))
        g.add((obs, GDI.onderwerp, tabel.onderwerpen[ind_slug]))
        g.add((obs, GDI.indicator, indicator))
        g.add((obs, GDI.editie, self.rapport))
        g.add((obs, GDI.tabelregel, tabel.regels[ind_slug]))
        g.add((obs, GDI.jaar, Literal(jaar, datatype=XSD.gYear)))
        g.add((obs, GDI.ruw, Literal(row["ruw"])))
        g.add((obs, RDFS.label, Literal(f"{tabel.titel}: {ind_slug} {jaar}", lang="nl")))
        g.add((obs, DCTERMS.source, tabel.iri))
        if value is not None:
            g.add((obs, GDI.waarde, Literal(value, datatype=XSD.decimal)))
        if lower is not None:
            g.add((obs, GDI.ondergrens, Literal(lower, datatype=XSD.decimal)))
        if upper is not None:
            g.add((obs, GDI.bovengrens, Literal(upper, datatype=XSD.decimal)))
        if status:
            g.add((obs, GDI.cijferstatus, GDI[status]))
        if unit:
            g.add((obs, GDI.eenheid, Literal(unit)))
        else:
            self._pending_units.append((obs, indicator))
        if tabel.kolommen[jaar]:
            g.add((obs, GDI.kolom, Literal(tabel.kolommen[jaar])))
        if row.get("noot"):
            g.add((obs, GDI.noot, Literal(row["noot"], lang="nl")))

    def _add_change(self, g, path, line, tabel, ind_slug, indicator, row):
        value, lower, upper, status, _ = self._cell(path, line, row, parse_change)
        years = list(tabel.kolommen)
        iri = ID[f"verandering/{self.edition}/{tabel.slug}/{ind_slug}"]
        g.add((iri, RDF.type, GDI.Verandering))
        g.add((iri, GDI.indicator, indicator))
        g.add((iri, GDI.editie, self.rapport))
        g.add((iri, GDI.tabelregel, tabel.regels[ind_slug]))
        g.add((iri, GDI.vanJaar, Literal(years[-2], datatype=XSD.gYear)))
        g.add((iri, GDI.totJaar, Literal(years[-1], datatype=XSD.gYear)))
        g.add((iri, GDI.ruw, Literal(row["ruw"])))
        g.add((iri, GDI.eenheid, Literal("procent")))
        g.add((iri, DCTERMS.source, tabel.iri))
        g.add((iri, RDFS.label, Literal(f"{tabel.titel}: {ind_slug} {years[-2]}–{years[-1]} (%)", lang="nl")))
        if value is not None:
            g.add((iri, GDI.waarde, Literal(value, datatype=XSD.decimal)))
            g.add((iri, GDI.ondergrens, Literal(lower, datatype=XSD.decimal)))
            g.add((iri, GDI.bovengrens, Literal(upper, datatype=XSD.decimal)))
        if status:
            g.add((iri, GDI.cijferstatus, GDI[status]))
        if row.get("noot"):
            g.add((iri, GDI.noot, Literal(row["noot"], lang="nl")))

    # ------------------------------------------------------------------ releases
    def read_releases(self, path: Path) -> Graph:
        g = Graph()
        counters: dict[str, int] = {}
        for line, row in _rows(path, ["voorziening", "sectie", "product", "naam", "beschrijving", "status"]):
            vz = self.known.get(row["voorziening"])
            if vz is None:
                raise SourceError(path, f"unknown voorziening {row['voorziening']!r}", line=line, column="voorziening")
            if not row["naam"]:
                raise SourceError(path, "naam is required", line=line, column="naam")
            status = row["status"]
            if status and status not in STATUSES:
                raise SourceError(path, f"status {status!r} is not one of {', '.join(STATUSES)}", line=line, column="status")
            if not status and not row.get("noot"):
                raise SourceError(path, "a release without status needs a noot saying why", line=line, column="status")
            key = row["voorziening"].lower()
            counters[key] = counters.get(key, 0) + 1
            iri = ID[f"release/{self.edition}/{key}/{counters[key]}"]
            g.add((iri, RDF.type, GDI.Release))
            g.add((iri, GDI.voorziening, vz))
            g.add((iri, GDI.product, Literal(row["product"])))
            g.add((iri, DCTERMS.title, Literal(row["naam"], lang="nl")))
            g.add((iri, RDFS.label, Literal(row["naam"], lang="nl")))
            if row["beschrijving"]:
                g.add((iri, DCTERMS.description, Literal(row["beschrijving"], lang="nl")))
            if status:
                g.add((iri, GDI.releasestatus, STATUSES[status]))
            g.add((iri, GDI.sectie, Literal(row["sectie"])))
            g.add((iri, DCTERMS.source, self.rapport))
            if row.get("noot"):
                g.add((iri, GDI.noot, Literal(row["noot"], lang="nl")))
        return g

    # ------------------------------------------------------------------ all
    def read(self) -> list[tuple[Path, Graph]]:
        """All graphs of the edition, each with the file it came from."""
        self._pending_units: list[tuple[URIRef, URIRef]] = []
        tabellen = self.read_tabellen()
        self.identities.begin(self.edition)
        indicatoren = self.read_indicatoren()
        self.identities.end()
        graphs = [(self.folder / "tabellen.csv", tabellen), (self.folder / "indicatoren.csv", indicatoren)]
        files = sorted((self.folder / "cijfers").glob("*.csv"))
        covered = {p.stem for p in files}
        for slug in self.tabellen:
            if slug not in covered:
                raise SourceError(self.folder / "tabellen.csv", f"table {slug!r} has no file cijfers/{slug}.csv")
        units = {}
        for _, g in graphs[1:]:
            for s, o in g.subject_objects(GDI.eenheid):
                units[s] = o
        for path in files:
            g = self.read_cijfers(path)
            for obs, indicator in self._pending_units:
                g.add((obs, GDI.eenheid, units[indicator]))
            self._pending_units.clear()
            graphs.append((path, g))
        releases = self.folder / "releases.csv"
        if releases.exists():
            graphs.append((releases, self.read_releases(releases)))
        return graphs
