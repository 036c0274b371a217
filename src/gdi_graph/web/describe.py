"""What a linked-data document says about a resource — the same for its HTML page and its
RDF: its statements (with source graph) and the blank nodes under them, the links that
point to it, the observations that refer to it (each with the components the page's
table shows), and the labels of everything the page names.

These are the server's own bounded lookups (each query has a LIMIT), run through the
backend's `select` / `construct`, so they work on the embedded store and on a remote
endpoint alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode, Quad

from gdi_graph.web import urls
from gdi_graph.web.editions import Selection
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
MAX_LABELLED = 4000
RESERVED_IDS = ("title", "iri", "note", "types", "observations", "incoming", "alternates", "inhoud")  # the pages' own

Q_OUT = "SELECT ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT %d" % MAX_STATEMENTS
# Concise bounded description: the store follows blank nodes to any depth (shapes, lists).
Q_CLOSURE = "DESCRIBE ?s WHERE { }"
Q_IN = "SELECT DISTINCT ?x ?p ?g WHERE { GRAPH ?g { ?x ?p ?s } %%s } ORDER BY ?p ?x ?g LIMIT %d" % (MAX_INCOMING + 1)
Q_OBS = """SELECT DISTINCT ?obs ?p ?o ?kind ?g WHERE {
  ?obs ?link ?s . ?obs a <%sObservation> . %%s
  GRAPH ?g { ?obs ?p ?o } ?p a ?kind . VALUES ?kind { <%sDimensionProperty> <%sMeasureProperty> <%sAttributeProperty> }
} LIMIT %d""" % (QB, QB, QB, QB, MAX_OBSERVATIONS * 12)
# The monitor's printed cells in one selection (web/editions.py): a link from a cell of another
# selection is left out, a link from anything else kept.
IN_SELECTION = "FILTER(NOT EXISTS { ?x <%(weergave)s> ?elke } || EXISTS { ?x <%(weergave)s> ?weergave })"
OBS_IN_SELECTION = "?obs <%(weergave)s> ?weergave ."
# Kinds of things that belong to one edition: their cells are theirs, shown as printed unless asked otherwise.
OF_ONE_EDITION = ("Tabel", "Tabelregel", "Verandering", "Rapport")
# One branch per label predicate: with the predicate in a VALUES block instead, Oxigraph
# scans every statement of the graph (195 ms at ten editions against 3 ms this way).
Q_LABELS = "SELECT ?x ?lp ?l ?g WHERE { VALUES ?x { %s } GRAPH ?g { %s } }"
_IN_DOCUMENT = "isIRI(?s) && (STR(?s) = ?doc || STRSTARTS(STR(?s), ?hash))"
Q_DOC = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(%s) } ORDER BY ?s LIMIT 20000" % _IN_DOCUMENT
Q_DOC_CLOSURE = "DESCRIBE ?s WHERE { ?s ?p ?o FILTER(%s) }" % _IN_DOCUMENT


def label_statements(iris: set[str]) -> list[Quad]:
    """Every label statement (skos:prefLabel, rdfs:label, dct:title) of these IRIs, with its graph."""
    chunk = sorted(i for i in iris if i)[:MAX_LABELLED]
    out = []
    for start in range(0, len(chunk), 400):
        values = " ".join(str(NamedNode(i)) for i in chunk[start:start + 400])
        branches = " UNION ".join(f"{{ ?x <{p}> ?l BIND(<{p}> AS ?lp) }}" for p in LABELS)
        for r in state().select(Q_LABELS % (values, branches)):
            out.append(Quad(r["x"], r["lp"], r["l"], r["g"]))
    return out


def best_labels(statements: list) -> dict[str, str]:
    """The best label (Dutch first) of each subject among these label statements."""
    found: dict[str, tuple[int, str]] = {}
    for st in statements:
        if st.predicate.value not in LABELS or not isinstance(st.object, Literal):
            continue
        lit = st.object
        rank = LABELS.index(st.predicate.value) * 3 + (0 if lit.language == "nl" else 1 if not lit.language else 2)
        x = st.subject.value
        if x not in found or rank < found[x][0]:
            found[x] = (rank, lit.value)
    return {k: v for k, (_, v) in found.items()}


def labels_for(iris: set[str]) -> dict[str, str]:
    """The best label (Dutch first) of each IRI that has one."""
    return best_labels(label_statements(iris))


def graph_note(g) -> str:
    base = state().settings.base
    value = getattr(g, "value", "")
    prefix = f"{base}/graph/"
    return value.removeprefix(prefix)


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
    anchors: set[str] = set(RESERVED_IDS)
    for key in keys:
        term = subject_terms[key]
        preds = by_subject[key]
        iri = term.value if isinstance(term, NamedNode) else None
        title = labels.get(iri, "") if iri else ""
        anchor = _anchor(term)
        if anchor in anchors:  # two subjects with one local name (e.g. …/a#x and …/b#x): keep ids unique
            anchor = next(f"{anchor}-{n}" for n in range(2, len(anchors) + 3) if f"{anchor}-{n}" not in anchors)
        anchors.add(anchor)
        sec = Section(anchor=anchor, title=title or (curie(iri) if iri else f"_:{term.value}"), iri=iri)
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
    statements: list  # quads: everything below, as one RDF document
    own: list  # quads about the resource itself and the blank nodes under it
    incoming: list[tuple[str, str]]  # (subject IRI, predicate IRI)
    incoming_more: bool
    observations: list[dict]  # obs IRI -> {predicate: term}
    components: list[tuple[str, str]]  # (predicate, kind) in column order
    labels: dict[str, str] = field(default_factory=dict)  # best label of every IRI the page names


def describe(iri: str, selection: Selection | None = None) -> Description | None:
    """The resource's document. The monitor's cells that refer to it (and link to it) are those
    of `selection`, by default the newest printing of each figure; a resource of one edition (a
    table, a row, an observation, a report, a data set) keeps its own edition's cells unless a
    selection is asked for. The resource's own statements are always all there."""
    st = state()
    s = NamedNode(iri)
    selection = selection or Selection()
    own = [Quad(s, r["p"], r["o"], r["g"]) for r in st.select(Q_OUT, {"s": s})]
    if any(isinstance(q.object, BlankNode) for q in own):
        own = with_blank_nodes(own, st.construct(Q_CLOSURE, {"s": s}))
    gdi = f"{st.settings.base}/def#"
    types = {q.object.value for q in own if q.predicate.value == RDF_TYPE and isinstance(q.object, NamedNode)}
    of_one_edition = bool(types & ({gdi + k for k in OF_ONE_EDITION} | {QB + "Observation", QB + "DataSet"}))
    filtered = not selection.every and not (selection.newest and of_one_edition)
    cells = {"weergave": gdi + "weergave"}
    bindings = {"s": s, **({"weergave": Literal(selection.weergave)} if filtered else {})}
    incoming_rows = st.select(Q_IN % (IN_SELECTION % cells if filtered else ""), bindings)
    if not own and not incoming_rows:
        return None
    incoming_quads = [Quad(r["x"], r["p"], s, r["g"]) for r in incoming_rows[:MAX_INCOMING]
                      if isinstance(r["x"], NamedNode)]
    incoming = list(dict.fromkeys((q.subject.value, q.predicate.value) for q in incoming_quads))
    observations: dict[str, dict] = {}
    kinds: dict[str, str] = {}
    obs_quads = []
    for r in st.select(Q_OBS % (OBS_IN_SELECTION % cells if filtered else ""), bindings):
        if r["obs"].value not in observations:
            obs_quads.append(Quad(r["obs"], NamedNode(RDF_TYPE), NamedNode(QB + "Observation"), r["g"]))
        observations.setdefault(r["obs"].value, {})[r["p"].value] = r["o"]
        kinds[r["p"].value] = r["kind"].value.rsplit("#", 1)[-1]
        obs_quads.append(Quad(r["obs"], r["p"], r["o"], r["g"]))
    order = {"DimensionProperty": 0, "MeasureProperty": 1, "AttributeProperty": 2}
    components = sorted(kinds.items(), key=lambda kv: (order.get(kv[1], 3), kv[0]))
    obs_rows = [{"iri": k, **v} for k, v in observations.items()]
    dims = [p for p, kind in components if kind == "DimensionProperty"]
    obs_rows.sort(key=lambda row: tuple(str(getattr(row.get(d), "value", "")) for d in dims))
    named = {iri} | {p for p, _ in components}
    for q in own + incoming_quads + obs_quads:
        named |= {t.value for t in (q.subject, q.predicate, q.object) if isinstance(t, NamedNode)}
    labelled = label_statements(named)
    statements = list(dict.fromkeys(own + incoming_quads + obs_quads + labelled))
    return Description(iri, statements, own, incoming, len(incoming_rows) > MAX_INCOMING, obs_rows, components,
                       best_labels(labelled))


def with_blank_nodes(quads: list, described: list) -> list[Quad]:
    """`quads` with their blank nodes followed to any depth, from the store's DESCRIBE of the
    same subjects. Links to blank nodes are taken from that one answer, so blank node labels
    agree even where a remote store labels them per answer; every statement under a blank
    node goes to the graph of the link that leads to it (a blank node lives in one file)."""
    graph_of_link = {}
    for q in quads:
        if isinstance(q.object, BlankNode):
            graph_of_link.setdefault((q.subject, q.predicate), q.graph_name)
    out = [q for q in quads if not isinstance(q.object, BlankNode)]
    graph_of = {}
    for t in described:
        if not isinstance(t.subject, BlankNode) and isinstance(t.object, BlankNode) \
                and (t.subject, t.predicate) in graph_of_link:
            g = graph_of_link[(t.subject, t.predicate)]
            out.append(Quad(t.subject, t.predicate, t.object, g))
            graph_of.setdefault(t.object, g)
    pending = [t for t in described if isinstance(t.subject, BlankNode)]
    while pending:
        placed = [t for t in pending if t.subject in graph_of]
        if not placed:
            break  # blank nodes nothing here leads to
        pending = [t for t in pending if t.subject not in graph_of]
        for t in placed:
            g = graph_of[t.subject]
            out.append(Quad(t.subject, t.predicate, t.object, g))
            if isinstance(t.object, BlankNode):
                graph_of.setdefault(t.object, g)
    return out


def document(doc: str) -> list:
    """Quads of a hash-namespace document: `doc` itself, every `doc#…` IRI and the blank nodes under them
    (the ontology at {base}/def, the shapes at {base}/def/shapes)."""
    st = state()
    bindings = {"doc": Literal(doc), "hash": Literal(doc + "#")}
    quads = [Quad(r["s"], r["p"], r["o"], r["g"]) for r in st.select(Q_DOC, bindings)]
    if any(isinstance(q.object, BlankNode) for q in quads):
        quads = with_blank_nodes(quads, st.construct(Q_DOC_CLOSURE, bindings))
    return list(dict.fromkeys(quads))


def vocabulary(prefix: str) -> list:
    """The ontology document (kept for callers that name it so)."""
    return document(prefix)
