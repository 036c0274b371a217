"""Turning RDF terms and results into what the HTML templates show.

Links to IRIs under the configured base point back into this server (whatever host it
runs on), so a reader can browse the graph; other IRIs link out as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryResultsFormat,
    RdfFormat,
    parse,
    parse_query_results,
)

from gdi_graph.query.executor import KIND_BOOLEAN, KIND_GRAPH, Result
from gdi_graph.rdf.namespaces import PREFIXES
from gdi_graph.web import urls
from gdi_graph.web.state import state

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_EXTRA_PREFIXES = {
    "foaf": "http://xmlns.com/foaf/0.1/",
    "mim": "http://modellen.mim-standaard.nl/def/mim#",
    "void": "http://rdfs.org/ns/void#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
}


@dataclass(frozen=True)
class Cell:
    text: str
    href: str | None = None
    note: str = ""  # language tag or datatype
    title: str = ""  # the full IRI or value


def prefixes() -> dict[str, str]:
    base = state().settings.base
    return {**PREFIXES, **_EXTRA_PREFIXES, "gdi": f"{base}/def#", "id": f"{base}/id/"}


def rdf_prefixes() -> dict[str, str]:
    """Prefixes for Turtle / TriG / RDF-XML output: no `id:`, whose local names would need escaped slashes."""
    return {k: v for k, v in prefixes().items() if k != "id"}


def curie(iri: str) -> str:
    best = ""
    name = ""
    for prefix, ns in prefixes().items():
        if iri.startswith(ns) and len(ns) > len(best):
            best, name = ns, prefix
    if best and iri[len(best):] and all(c not in iri[len(best):] for c in " #?<>"):
        return f"{name}:{iri[len(best):]}"
    return iri


def cell(term, labels: dict[str, str] | None = None) -> Cell:
    if term is None:
        return Cell("")
    if isinstance(term, NamedNode):
        iri = term.value
        label = (labels or {}).get(iri)
        return Cell(label or curie(iri), urls.for_iri(iri), title=iri)
    if isinstance(term, Literal):
        dt = term.datatype.value if term.datatype else ""
        if term.language:
            note = f"@{term.language}"
        elif dt and dt != XSD + "string" and dt != RDF_LANG_STRING:
            note = curie(dt)
        else:
            note = ""
        return Cell(term.value, note=note)
    if isinstance(term, BlankNode):
        return Cell(f"_:{term.value}")
    return Cell(str(term))


@dataclass
class Table:
    columns: list[str]
    rows: list[list[Cell]]
    boolean: bool | None = None
    truncated: int = 0  # rows left out of the page


def table(result: Result, max_rows: int = 1000) -> Table:
    """A result (JSON results or N-Triples, as the executor sends for HTML) as a table."""
    if result.kind == KIND_GRAPH:
        triples = list(parse(result.body, format=RdfFormat.N_TRIPLES))
        rows = [[cell(t.subject), cell(t.predicate), cell(t.object)] for t in triples[:max_rows]]
        return Table(["subject", "predicate", "object"], rows, truncated=max(0, len(triples) - max_rows))
    parsed = parse_query_results(result.body, format=QueryResultsFormat.JSON)
    if result.kind == KIND_BOOLEAN:
        return Table([], [], boolean=bool(parsed))
    columns = [v.value for v in parsed.variables]
    rows, extra = [], 0
    for solution in parsed:
        if len(rows) >= max_rows:
            extra += 1
            continue
        rows.append([cell(solution[c]) for c in columns])
    return Table(columns, rows, truncated=extra)
