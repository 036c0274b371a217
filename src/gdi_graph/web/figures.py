"""The monitor's figures as the report prints them: tables with indicators down and years across.

A cell shows `gdi:ruw`, the cell as printed ("1.922.747", "2,1 miljard", "--"), never a
number re-formatted; its value (`gdi:waarde`) is only used to draw charts. Each table keeps
its notes and its source (report, section, title). The rows of an indicator and its parts
(`gdi:isDeelVan`) are nested, parts under their whole; the graph does not record the
report's row order, so rows of one level are sorted by label.

Editions overlap (web/editions.py). By default a page shows one value per indicator and
year, the newest edition's: the tables that print the same indicators in several editions
become one table whose cells each come from the newest edition that prints them, and each
cell from an older edition names its source. With one edition asked for, or every printing,
each edition's table is shown as that edition prints it. In every selection a cell that
another edition prints otherwise carries the other printings, and whether one revises the
other (`gdi:herziet`, what the validation reports as gdis:Herziening).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from gdi_graph.web import editions
from gdi_graph.web.editions import Edition, Selection
from gdi_graph.web.facts import DCT, QB, RDFS, SKOS, gdi
from gdi_graph.web.state import state

MAX_CELLS = 6000

# The cells of one selection (`?weergave`, see editions.py) about a subject (`pattern`).
Q_CELLS = """PREFIX gdi: <%(gdi)s> PREFIX qb: <%(qb)s> PREFIX dct: <%(dct)s> PREFIX skos: <%(skos)s> PREFIX rdfs: <%(rdfs)s>
SELECT ?obs ?tabel ?ind ?label ?regelLabel ?deelVan ?jaar ?ruw ?waarde ?eenheid ?kolom ?noot ?status ?rapport WHERE {
  %(pattern)s
  ?obs a qb:Observation ; gdi:weergave ?weergave ; dct:source ?tabel ; gdi:indicator ?ind ; gdi:jaar ?jaar ; gdi:ruw ?ruw .
  ?ind skos:prefLabel ?label . FILTER(LANGMATCHES(LANG(?label), "nl") || LANG(?label) = "")
  OPTIONAL { ?obs gdi:tabelregel/rdfs:label ?regelLabel }
  OPTIONAL { ?ind gdi:isDeelVan ?deelVan }
  OPTIONAL { ?obs gdi:waarde ?waarde }
  OPTIONAL { ?obs gdi:eenheid ?eenheid }
  OPTIONAL { ?obs gdi:kolom ?kolom }
  OPTIONAL { ?obs gdi:noot ?noot }
  OPTIONAL { ?obs gdi:cijferstatus ?status }
  OPTIONAL { ?obs gdi:editie ?rapport }
} LIMIT %(limit)d"""

# For those cells, the printings of the same indicator and year by other editions that print
# it otherwise, and whether either revises the other. A join per cell on (indicator, year):
# it costs what the cells shown cost, however many editions there are.
Q_OTHERS = """PREFIX gdi: <%(gdi)s> PREFIX qb: <%(qb)s> PREFIX dct: <%(dct)s>
SELECT ?obs ?other ?ruw ?rapport ?tabel ?herziet ?herzienDoor WHERE {
  %(pattern)s
  ?obs a qb:Observation ; gdi:weergave ?weergave ; gdi:indicator ?ind ; gdi:jaar ?jaar ; gdi:ruw ?eigen .
  ?other a qb:Observation ; gdi:indicator ?ind ; gdi:jaar ?jaar ; gdi:ruw ?ruw ; gdi:editie ?rapport .
  FILTER(?other != ?obs && STR(?ruw) != STR(?eigen))
  OPTIONAL { ?other dct:source ?tabel }
  BIND(EXISTS { ?obs gdi:herziet ?other } AS ?herziet)
  BIND(EXISTS { ?other gdi:herziet ?obs } AS ?herzienDoor)
} LIMIT %(limit)d"""

Q_TABLES = """PREFIX gdi: <%(gdi)s> PREFIX dct: <%(dct)s>
SELECT ?tabel ?titel ?sectie ?soort ?noot ?voorziening ?rapport ?rapportTitel WHERE {
  VALUES ?tabel { %(tables)s }
  ?tabel dct:title ?titel .
  OPTIONAL { ?tabel gdi:sectie ?sectie } OPTIONAL { ?tabel gdi:soort ?soort } OPTIONAL { ?tabel gdi:noot ?noot }
  OPTIONAL { ?tabel gdi:voorziening ?voorziening }
  OPTIONAL { ?tabel dct:isPartOf ?rapport . ?rapport dct:title ?rapportTitel }
} LIMIT 1000"""

# The printed % changes of these indicators in this selection, with the table that prints each.
Q_CHANGES = """PREFIX gdi: <%(gdi)s> PREFIX dct: <%(dct)s>
SELECT ?ind ?van ?tot ?ruw ?tabel WHERE {
  VALUES ?ind { %(indicators)s }
  ?c a gdi:Verandering ; gdi:weergave ?weergave ; gdi:indicator ?ind ; gdi:vanJaar ?van ; gdi:totJaar ?tot ; gdi:ruw ?ruw .
  OPTIONAL { ?c dct:source ?tabel }
} LIMIT 2000"""


@dataclass(frozen=True)
class Printing:
    """Another edition's printing of a cell's figure."""
    obs: str
    ruw: str
    edition: str  # the report's title
    code: str
    later: bool  # printed by a later edition than the cell shown
    revision: bool  # one of the two revises the other (beyond what rounding allows)


@dataclass
class Cell:
    ruw: str
    waarde: float | None = None
    status: str | None = None  # local name: NietBeschikbaar, Ondergrens, ...
    notes: list[int] = field(default_factory=list)  # numbers of the table's cell notes
    obs: str = ""
    edition: str = ""  # the title of the report that prints it
    source: int = 1  # the number of its source in the table's sources
    others: list[Printing] = field(default_factory=list)  # other editions that print it otherwise

    @property
    def revised(self) -> bool:
        """A later edition revised this figure, or this printing revises an earlier one."""
        return any(o.revision for o in self.others)


@dataclass
class Row:
    indicator: str
    label: str
    depth: int
    unit: str
    cells: dict[str, Cell]
    change: str | None = None  # the printed % change of the table's last two years
    whole: str | None = None  # the indicator this row is a part of

    @property
    def source(self) -> int | None:
        """The number of the one source all its cells come from, or None when they come from several."""
        found = {c.source for c in self.cells.values()}
        return found.pop() if len(found) == 1 else None


@dataclass
class Source:
    """A printed table a shown table takes cells from."""
    iri: str
    text: str  # report, section, kind and title
    years: list[str] = field(default_factory=list)  # the years of the cells taken from it


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
    sources: list[Source] = field(default_factory=list)  # newest first; more than one when editions are merged

    @property
    def source(self) -> str:
        return "; ".join(s.text for s in self.sources)

    @property
    def merged(self) -> bool:
        return len(self.sources) > 1


def _vars() -> dict:
    return {"gdi": gdi(), "qb": QB, "dct": DCT, "skos": SKOS, "rdfs": RDFS, "limit": MAX_CELLS}


def _values(iris) -> str:
    return " ".join(str(NamedNode(i)) for i in sorted(iris))


def _source_text(report: str, section: str, kind: str, title: str) -> str:
    where = f"§{section}" if section else ""
    return ", ".join(x for x in (report, where, f"{kind} {title}".strip()) if x)


SUBJECT = "{ ?obs gdi:voorziening ?v } UNION { ?obs gdi:onderwerp ?v }"


def tables_about(iri: str, selection: Selection | None = None) -> list[Table]:
    """The tables filed under a voorziening, and the rows about it in other tables."""
    return _select(SUBJECT, {"v": NamedNode(iri)}, selection or Selection(), iri)


def tables_of_indicator(iri: str, selection: Selection | None = None) -> list[Table]:
    return _select("", {"ind": NamedNode(iri)}, selection or Selection(), None)


def printed_table(iri: str) -> Table | None:
    """One printed table as its edition prints it (with the other printings of its cells)."""
    found = _select("?obs dct:source ?deze .", {"deze": NamedNode(iri)}, Selection(every=True), None)
    return found[0] if found else None


def _select(pattern: str, bindings: dict, selection: Selection, subject: str | None) -> list[Table]:
    st = state()
    bindings = {**bindings, "weergave": Literal(selection.weergave)}
    rows = st.select(Q_CELLS % {**_vars(), "pattern": pattern}, bindings)
    if not rows:
        return []
    others = st.select(Q_OTHERS % {**_vars(), "pattern": pattern}, bindings)
    return _tables(rows, others, selection, subject)


def _tables(rows: list[dict], other_rows: list[dict], selection: Selection, subject: str | None) -> list[Table]:
    known = editions.by_iri()
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
    changes: dict[tuple[str, str], tuple[str, str, str]] = {}  # (table, indicator) -> (from, to, as printed)
    for c in state().select(Q_CHANGES % {**_vars(), "indicators": _values(indicators)},
                            {"weergave": Literal(selection.weergave)}):
        tabel = c["tabel"].value if c.get("tabel") else ""
        changes[(tabel, c["ind"].value)] = (c["van"].value, c["tot"].value, c["ruw"].value)
    others = _others(other_rows, known)

    def peildatum(tabel: str) -> str:
        m = meta.get(tabel, {})
        edition = known.get(m["rapport"].value) if m.get("rapport") else None
        return edition.peildatum if edition else ""

    # Newest: tables that print the same indicators in several editions become one.
    groups = _merged(by_table) if selection.newest else [[t] for t in by_table]
    tables = []
    for group in groups:
        group.sort(key=lambda t: (peildatum(t), t), reverse=True)  # the newest table first
        tables.append(_table(group, by_table, meta, changes, others, known, selection, subject))
    tables.sort(key=lambda t: (t.only_about, _section_key(t.section), t.title, [-_year(s) for s in t.sources]))
    return tables


def _year(source: Source) -> int:
    return max((int(y) for y in source.years if y.isdigit()), default=0)


def _others(rows: list[dict], known: dict[str, Edition]) -> dict[str, list[Printing]]:
    """obs -> the other printings of its figure, earliest edition first."""
    out: dict[str, dict[str, Printing]] = {}
    own_edition: dict[str, str] = {}
    for r in rows:
        edition = known.get(r["rapport"].value)
        title = edition.title if edition else r["rapport"].value
        code = edition.code if edition else ""
        out.setdefault(r["obs"].value, {})[r["other"].value] = Printing(
            r["other"].value, r["ruw"].value, title, code, False,
            _true(r.get("herziet")) or _true(r.get("herzienDoor")))
        own_edition.setdefault(r["other"].value, edition.peildatum if edition else "")
    result = {}
    for obs, printings in out.items():
        result[obs] = sorted(printings.values(), key=lambda p: (own_edition.get(p.obs, ""), p.code))
    return result


def _true(term) -> bool:
    return term is not None and term.value in ("true", "1")


def _merged(by_table: dict[str, list[dict]]) -> list[list[str]]:
    """Tables joined when they print a common indicator (one table in several editions)."""
    parent = {t: t for t in by_table}

    def root(t: str) -> str:
        while parent[t] != t:
            parent[t] = parent[parent[t]]
            t = parent[t]
        return t

    first_table: dict[str, str] = {}
    for tabel, rs in sorted(by_table.items()):
        for r in rs:
            other = first_table.setdefault(r["ind"].value, tabel)
            parent[root(tabel)] = root(other)
    groups: dict[str, list[str]] = {}
    for t in sorted(by_table):
        groups.setdefault(root(t), []).append(t)
    return list(groups.values())


def _section_key(section: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in section.split("."))


def _table(group: list[str], by_table, meta, changes, others, known, selection: Selection, subject) -> Table:
    """One shown table from the printed tables in `group`, newest first.

    A cell is taken from the first table that prints it; in the newest selection each
    (indicator, year) is printed once in the selection, so there is no choice to make.
    """
    newest = meta.get(group[0], {})
    notes: list[str] = []
    headers: dict[str, str] = {}
    by_ind: dict[str, dict] = {}
    sources = [Source(t, _source_text(m["rapportTitel"].value if m.get("rapportTitel") else "",
                                      m["sectie"].value if m.get("sectie") else "",
                                      m["soort"].value if m.get("soort") else "",
                                      m["titel"].value if m.get("titel") else t.rsplit("/", 1)[-1]))
               for t in group for m in [meta.get(t, {})]]
    for number, tabel in enumerate(group, start=1):
        for r in by_table[tabel]:
            ind = r["ind"].value
            year = r["jaar"].value
            if r.get("kolom"):
                headers.setdefault(year, r["kolom"].value)
            # As printed in its edition when one table is shown as printed; the indicator's
            # name (its newest printing's) when cells of several editions are put together.
            label = r["regelLabel"].value if r.get("regelLabel") and not selection.newest else r["label"].value
            entry = by_ind.setdefault(ind, {"label": label, "whole": None, "unit": "", "cells": {}})
            if r.get("deelVan"):
                entry["whole"] = r["deelVan"].value
            if r.get("eenheid") and not entry["unit"]:
                entry["unit"] = r["eenheid"].value
            cell = entry["cells"].get(year)
            if cell is None:
                waarde = float(r["waarde"].value) if r.get("waarde") else None
                status = r["status"].value.rsplit("#", 1)[-1] if r.get("status") else None
                edition = known.get(r["rapport"].value) if r.get("rapport") else None
                cell = entry["cells"][year] = Cell(r["ruw"].value, waarde, status, [], r["obs"].value,
                                                   edition.title if edition else "", number,
                                                   _relative(others.get(r["obs"].value, []), edition))
                if year not in sources[number - 1].years:
                    sources[number - 1].years.append(year)
            elif cell.source != number:
                continue
            if r.get("noot"):
                text = r["noot"].value
                if text not in notes:
                    notes.append(text)
                number_of_note = notes.index(text) + 1
                if number_of_note not in cell.notes:
                    cell.notes.append(number_of_note)
    used = [n for n, s in enumerate(sources, start=1) if s.years]
    if len(used) < len(sources):  # number the sources cells come from, and only those
        renumber = {old: new for new, old in enumerate(used, start=1)}
        for e in by_ind.values():
            for c in e["cells"].values():
                c.source = renumber[c.source]
        sources = [sources[n - 1] for n in used]
    for s in sources:
        s.years.sort()
    years = sorted({y for e in by_ind.values() for y in e["cells"]})
    row_changes = {ind: changes[(t, ind)] for t in reversed(group) for ind in by_ind if (t, ind) in changes}
    change_header = None
    span = max((c[:2] for c in row_changes.values()), default=None)
    if span:
        change_header = f"% verandering {span[0]}–{span[1]}"
    rows = _nested(by_ind, {ind: c for ind, c in row_changes.items() if c[:2] == span})
    filed = newest["voorziening"].value if newest.get("voorziening") else None
    only_about = subject is not None and filed is not None and filed != subject
    return Table(group[0], newest["titel"].value if newest.get("titel") else group[0].rsplit("/", 1)[-1],
                 newest["sectie"].value if newest.get("sectie") else "", newest["soort"].value if newest.get("soort") else "",
                 newest["noot"].value if newest.get("noot") else None,
                 newest["rapportTitel"].value if newest.get("rapportTitel") else "", filed,
                 [(y, headers.get(y, y)) for y in years], rows, notes, change_header, only_about, sources)


def _relative(printings: list[Printing], edition: Edition | None) -> list[Printing]:
    """The other printings, each marked as earlier or later than the edition of the cell shown."""
    mine = edition.peildatum if edition else ""
    by_code = editions.by_code()
    out = []
    for p in printings:
        theirs = by_code[p.code].peildatum if p.code in by_code else ""
        out.append(Printing(p.obs, p.ruw, p.edition, p.code, theirs > mine, p.revision))
    return out


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
