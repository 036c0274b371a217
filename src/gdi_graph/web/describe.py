"""What the linked-data pages say about a resource: its statements (with source graph),
labels of what it links to, incoming links and the observations that refer to it.

These are the server's own bounded lookups (each query has a LIMIT), run through the
backend's `select`, so they work on the embedded store and on a remote endpoint alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode, Quad

from gdi_graph.web import urls
from gdi_graph.web.rendering import Cell, cell, curie
from gdi_graph.web.state import state

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
DCT_TITLE = "http://purl.org/dc/terms/title"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABELS = (SKOS_PREF, RDFS_LABEL, DCT_TITLE)
QB = "http://purl.org/linked-data/cube#"

MAX_STATEMENTS = 5000
MAX_INCOMING = 500
MAX_OBSERVATIONS = 2000

Q_OUT = "SELECT ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT %d" % MAX_STATEMENTS
Q_BNODES = ("SELECT ?b ?p ?o ?g WHERE { ?s ?x ?b . FILTER(isBlank(?b)) GRAPH ?g { ?b ?p ?o } } LIMIT %d"
            % MAX_STATEMENTS)
Q_IN = "SELECT DISTINCT ?x ?p WHERE { ?x ?p ?s } ORDER BY ?p ?x LIMIT %d" % (MAX_INCOMING + 1)
Q_LINKED_LABELS = """SELECT DISTINCT ?o ?lp ?l ?g WHERE {
  ?s ?x ?o . FILTER(isIRI(?o))
  GRAPH ?g { ?o ?lp ?l } VALUES ?lp { <%s> <%s> <%s> }
} LIMIT %d""" % (*LABELS, MAX_STATEMENTS)
Q_OBS = """SELECT DISTINCT ?obs ?p ?o ?kind WHERE {
  ?obs ?link ?s . ?obs a <%sObservation> .
  ?obs ?p ?o . ?p a ?kind . VALUES ?kind { <%sDimensionProperty> <%sMeasureProperty> <%sAttributeProperty> }
} LIMIT %d""" % (QB, QB, QB, QB, MAX_OBSERVATIONS * 12)
Q_DEF = """SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?prefix)) }
ORDER BY ?s LIMIT 20000"""


def labels_for(iris: set[str]) -> dict[str, str]:
    """The best label (Dutch first) of each IRI that has one."""
    iris = {i for i in iris if i}
    if not iris:
        return {}
    found: dict[str, tuple[int, str]] = {}
    chunk = sorted(iris)
    for start in range(0, min(len(chunk), 4000), 400):
        values = " ".join(str(NamedNode(i)) for i in chunk[start:start + 400])
        rows = state().select("SELECT ?x ?lp ?l WHERE { VALUES ?x { %s } ?x ?lp ?l . VALUES ?lp { <%s> <%s> <%s> } }"
                              % (values, *LABELS))
        for r in rows:
            lit = r["l"]
            rank = LABELS.index(r["lp"].value) * 3 + (0 if getattr(lit, "language", None) == "nl"
                                                        else 1 if not getattr(lit, "language", None) else 2)
            x = r["x"].value
            if x not in found or rank < found[x][0]:
                found[x] = (rank, lit.value)
    return {k: v for k, (_, v) in found.items()}


def graph_note(g) -> str:
    base = state().settings.base
    value = getattr(g, "value", "")
    prefix = f"{base}/graph/"
    return value[len(prefix):] if value.startswith(prefix) else value


@dataclass
class Section:
    anchor: str
    title: str
    iri: str | None
    types: list[Cell] = field(default_factory=list)
    rows: list[tuple[Cell, list[tuple[Cell, str]]]] = field(default_factory=list)  # predicate, [(value, source)]


def sections(statements: list, labels: dict[str, str], order: list[str] | None = None) -> list[Section]:
    """Statements (triples or quads) grouped by subject, for the HTML templates."""
    by_subject: dict[str, dict[str, list]] = {}
    subject_terms = {}
    for st in statements:
        key = _key(st.subject)
        subject_terms[key] = st.subject
        by_subject.setdefault(key, {}).setdefault(st.predicate.value, []).append(st)
    keys = list(by_subject)
    if order:
        keys.sort(key=lambda k: (order.index(k) if k in order else len(order), k))
    out = []
    for key in keys:
        term = subject_terms[key]
        preds = by_subject[key]
        iri = term.value if isinstance(term, NamedNode) else None
        title = labels.get(iri, "") if iri else ""
        sec = Section(anchor=_anchor(term), title=title or (curie(iri) if iri else f"_:{term.value}"), iri=iri)
        for pred in sorted(preds, key=lambda p: (p != RDF_TYPE, p not in LABELS, labels.get(p, curie(p)).lower())):
            values = []
            seen = set()
            for st in preds[pred]:
                marker = (str(st.object), graph_note(getattr(st, "graph_name", None)))
                if marker in seen:
                    continue
                seen.add(marker)
                values.append((_object_cell(st.object, labels), marker[1]))
            values.sort(key=lambda v: v[0].text.lower())
            pcell = Cell(labels.get(pred) or curie(pred), urls.for_iri(pred), title=pred)
            if pred == RDF_TYPE:
                sec.types = [v for v, _ in values]
            sec.rows.append((pcell, values))
        out.append(sec)
    return out


def _key(term) -> str:
    return ("b:" + term.value) if isinstance(term, BlankNode) else term.value


def _anchor(term) -> str:
    if isinstance(term, BlankNode):
        return "b-" + term.value
    v = term.value
    return v.rsplit("#", 1)[-1] if "#" in v else "r-" + v.rstrip("/").rsplit("/", 1)[-1]


def _object_cell(term, labels) -> Cell:
    if isinstance(term, BlankNode):
        return Cell(f"_:{term.value}", f"#b-{term.value}")
    return cell(term, labels)


@dataclass
class Description:
    iri: str
    statements: list  # quads: the resource, its blank nodes, labels of what it links to
    own: list  # quads about the resource itself and its blank nodes
    incoming: list[tuple[str, str]]  # (subject IRI, predicate IRI)
    incoming_more: bool
    observations: list[dict]  # obs IRI -> {predicate: term}
    components: list[tuple[str, str]]  # (predicate, kind) in column order


def describe(iri: str, with_context: bool = True) -> Description | None:
    st = state()
    s = NamedNode(iri)
    own = [Quad(s, r["p"], r["o"], r["g"]) for r in st.select(Q_OUT, {"s": s})]
    own += [Quad(r["b"], r["p"], r["o"], r["g"]) for r in st.select(Q_BNODES, {"s": s})]
    incoming_rows = st.select(Q_IN, {"s": s})
    if not own and not incoming_rows:
        return None
    linked = [Quad(r["o"], r["lp"], r["l"], r["g"]) for r in st.select(Q_LINKED_LABELS, {"s": s})]
    incoming = [(r["x"].value, r["p"].value) for r in incoming_rows if isinstance(r["x"], NamedNode)]
    observations: dict[str, dict] = {}
    kinds: dict[str, str] = {}
    if with_context:
        for r in st.select(Q_OBS, {"s": s}):
            observations.setdefault(r["obs"].value, {})[r["p"].value] = r["o"]
            kinds[r["p"].value] = r["kind"].value.rsplit("#", 1)[-1]
    order = {"DimensionProperty": 0, "MeasureProperty": 1, "AttributeProperty": 2}
    components = sorted(kinds.items(), key=lambda kv: (order.get(kv[1], 3), kv[0]))
    obs_rows = [{"iri": k, **v} for k, v in observations.items()]
    dims = [p for p, kind in components if kind == "DimensionProperty"]
    obs_rows.sort(key=lambda row: tuple(str(getattr(row.get(d), "value", "")) for d in dims))
    return Description(iri, own + linked, own, incoming[:MAX_INCOMING], len(incoming_rows) > MAX_INCOMING,
                       obs_rows, components)


def vocabulary(prefix: str) -> list:
    """Quads of every IRI subject starting with `prefix` (the ontology under {base}/def)."""
    rows = state().select(Q_DEF, {"prefix": Literal(prefix)})
    return [Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]
