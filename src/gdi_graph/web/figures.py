"""The monitor's figures as the report prints them: tables with indicators down and years across.

A cell shows `gdi:ruw`, the cell as printed ("1.922.747", "2,1 miljard", "--"), never a
number re-formatted; its value (`gdi:waarde`) is only used to draw charts. Each table keeps
its notes and its source (report, section, title). The rows of an indicator and its parts
(`gdi:isDeelVan`) are nested, parts under their whole; the graph does not record the
report's row order, so rows of one level are sorted by label.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import NamedNode

from gdi_graph.web.facts import DCT, QB, SKOS, gdi
from gdi_graph.web.state import state

MAX_CELLS = 6000

Q_CELLS = """PREFIX gdi: <%(gdi)s> PREFIX qb: <%(qb)s> PREFIX dct: <%(dct)s> PREFIX skos: <%(skos)s>
SELECT ?obs ?tabel ?ind ?label ?deelVan ?jaar ?ruw ?waarde ?eenheid ?kolom ?noot ?status ?dataset WHERE {
  %(pattern)s
  ?obs a qb:Observation ; dct:source ?tabel ; gdi:indicator ?ind ; gdi:jaar ?jaar ; gdi:ruw ?ruw .
  ?ind skos:prefLabel ?label . FILTER(LANGMATCHES(LANG(?label), "nl") || LANG(?label) = "")
  OPTIONAL { ?ind gdi:isDeelVan ?deelVan }
  OPTIONAL { ?obs gdi:waarde ?waarde }
  OPTIONAL { ?obs gdi:eenheid ?eenheid }
  OPTIONAL { ?obs gdi:kolom ?kolom }
  OPTIONAL { ?obs gdi:noot ?noot }
  OPTIONAL { ?obs gdi:cijferstatus ?status }
  OPTIONAL { ?obs qb:dataSet ?dataset }
} LIMIT %(limit)d"""

Q_TABLES = """PREFIX gdi: <%(gdi)s> PREFIX dct: <%(dct)s>
SELECT ?tabel ?titel ?sectie ?soort ?noot ?voorziening ?rapport ?rapportTitel WHERE {
  VALUES ?tabel { %(tables)s }
  ?tabel dct:title ?titel .
  OPTIONAL { ?tabel gdi:sectie ?sectie } OPTIONAL { ?tabel gdi:soort ?soort } OPTIONAL { ?tabel gdi:noot ?noot }
  OPTIONAL { ?tabel gdi:voorziening ?voorziening }
  OPTIONAL { ?tabel dct:isPartOf ?rapport . ?rapport dct:title ?rapportTitel }
} LIMIT 1000"""

Q_CHANGES = """PREFIX gdi: <%(gdi)s>
SELECT ?ind ?van ?tot ?ruw WHERE {
  VALUES ?ind { %(indicators)s }
  ?c a gdi:Verandering ; gdi:indicator ?ind ; gdi:vanJaar ?van ; gdi:totJaar ?tot ; gdi:ruw ?ruw .
} LIMIT 2000"""


@dataclass
class Cell:
    ruw: str
    waarde: float | None = None
    status: str | None = None  # local name: NietBeschikbaar, Ondergrens, ...
    notes: list[int] = field(default_factory=list)  # numbers of the table's cell notes


@dataclass
class Row:
    indicator: str
    label: str
    depth: int
    unit: str
    cells: dict[str, Cell]
    change: str | None = None  # the printed % change of the last two years
    whole: str | None = None  # the indicator this row is a part of


@dataclass
class Table:
    iri: str
    title: str
    section: str
    kind: str
    note: str | None
    report: str
    filed_under: str | None
    columns: list[tuple[str, str]]  # (year, header as printed)
    rows: list[Row]
    notes: list[str]  # cell notes, numbered from 1
    change_header: str | None = None
    only_about: bool = False  # the table is filed elsewhere; only the rows about the subject are here

    @property
    def source(self) -> str:
        where = f"§{self.section}" if self.section else ""
        return ", ".join(x for x in (self.report, where, f"{self.kind} {self.title}".strip()) if x)


def _vars() -> dict:
    return {"gdi": gdi(), "qb": QB, "dct": DCT, "skos": SKOS, "limit": MAX_CELLS}


def _values(iris) -> str:
    return " ".join(str(NamedNode(i)) for i in sorted(iris))


def tables_about(iri: str) -> list[Table]:
    """The tables filed under a voorziening, and the rows about it in other tables."""
    pattern = "{ ?obs gdi:voorziening ?v } UNION { ?obs gdi:onderwerp ?v }"
    rows = state().select(Q_CELLS % {**_vars(), "pattern": pattern}, {"v": NamedNode(iri)})
    return _tables(rows, iri)


def tables_of_indicator(iri: str) -> list[Table]:
    rows = state().select(Q_CELLS % {**_vars(), "pattern": ""}, {"ind": NamedNode(iri)})
    return _tables(rows, None)


def _tables(rows: list[dict], subject: str | None) -> list[Table]:
    if not rows:
        return []
    seen = set()
    by_table: dict[str, list[dict]] = {}
    for r in rows:
        key = (r["obs"].value, r.get("deelVan").value if r.get("deelVan") else "")
        if key in seen:
            continue
        seen.add(key)
        by_table.setdefault(r["tabel"].value, []).append(r)
    meta = {}
    for m in state().select(Q_TABLES % {**_vars(), "tables": _values(by_table)}):
        meta.setdefault(m["tabel"].value, m)
    indicators = {r["ind"].value for rs in by_table.values() for r in rs}
    changes: dict[str, tuple[str, str, str]] = {}
    for c in state().select(Q_CHANGES % {**_vars(), "indicators": _values(indicators)}):
        changes[c["ind"].value] = (c["van"].value, c["tot"].value, c["ruw"].value)
    tables = []
    for tabel, rs in by_table.items():
        m = meta.get(tabel, {})
        filed = m["voorziening"].value if m.get("voorziening") else None
        tables.append(_table(tabel, rs, m, changes, filed, subject))
    tables.sort(key=lambda t: (t.only_about, _section_key(t.section), t.title))
    return tables


def _section_key(section: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in section.split("."))


def _table(tabel, rs, m, changes, filed, subject) -> Table:
    notes: list[str] = []
    headers: dict[str, str] = {}
    by_ind: dict[str, dict] = {}
    for r in rs:
        ind = r["ind"].value
        year = r["jaar"].value
        if r.get("kolom"):
            headers[year] = r["kolom"].value
        entry = by_ind.setdefault(ind, {"label": r["label"].value, "whole": None, "unit": "", "cells": {}})
        if r.get("deelVan"):
            entry["whole"] = r["deelVan"].value
        if r.get("eenheid"):
            entry["unit"] = r["eenheid"].value
        cell = entry["cells"].get(year)
        if cell is None:
            waarde = float(r["waarde"].value) if r.get("waarde") else None
            status = r["status"].value.rsplit("#", 1)[-1] if r.get("status") else None
            cell = entry["cells"][year] = Cell(r["ruw"].value, waarde, status)
        if r.get("noot"):
            text = r["noot"].value
            if text not in notes:
                notes.append(text)
            number = notes.index(text) + 1
            if number not in cell.notes:
                cell.notes.append(number)
    years = sorted({y for e in by_ind.values() for y in e["cells"]})
    change_years = {changes[i][:2] for i in by_ind if i in changes}
    change_header = None
    if change_years:
        van, tot = max(change_years)
        change_header = f"% verandering {van}–{tot}"
    rows = _nested(by_ind, changes)
    only_about = subject is not None and filed is not None and filed != subject
    return Table(tabel, m["titel"].value if m.get("titel") else tabel.rsplit("/", 1)[-1],
                 m["sectie"].value if m.get("sectie") else "", m["soort"].value if m.get("soort") else "",
                 m["noot"].value if m.get("noot") else None, m["rapportTitel"].value if m.get("rapportTitel") else "", filed,
                 [(y, headers.get(y, y)) for y in years], rows, notes, change_header, only_about)


def _nested(by_ind: dict[str, dict], changes: dict) -> list[Row]:
    """Wholes before their parts, depth-first; a part whose whole is not in the table is a top row."""
    children: dict[str | None, list[str]] = {}
    for ind, e in by_ind.items():
        whole = e["whole"] if e["whole"] in by_ind else None
        children.setdefault(whole, []).append(ind)
    out: list[Row] = []

    def walk(parent: str | None, depth: int) -> None:
        for ind in sorted(children.get(parent, []), key=lambda i: by_ind[i]["label"].casefold()):
            e = by_ind[ind]
            change = changes.get(ind)
            out.append(Row(ind, e["label"], depth, e["unit"], e["cells"], change[2] if change else None, e["whole"]))
            if depth < 8:
                walk(ind, depth + 1)

    walk(None, 0)
    return out


def chartable(row: Row) -> bool:
    """A series worth a chart: at least two years with a number."""
    return sum(1 for c in row.cells.values() if c.waarde is not None) >= 2


def indicator_path(iri: str) -> str | None:
    """The part of an indicator IRI after /id/indicator/ (the chart's URL path), if it is one of ours."""
    prefix = f"{state().settings.base}/id/indicator/"
    return iri[len(prefix):] if iri.startswith(prefix) else None
