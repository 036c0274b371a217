"""Linked data: entity IRIs, the ontology, the dumps and the dataset description.

A request path maps to the IRI under the configured base (`/id/voorziening/digid` ->
`{base}/id/voorziening/digid`), whatever host the server runs on, so the published IRIs
dereference here or behind any proxy or w3id redirect. People get an HTML page; machines
get the same content (describe.py: the resource's statements and blank nodes, the links to
it, its observations, the labels of all it names) in Turtle, compact JSON-LD, RDF/XML,
N-Triples, or with source graphs in TriG / N-Quads. Hash documents (the ontology at /def,
the shapes at /def/shapes), the named graphs (/graph/…) and the dataset dereference too.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request, send_file
from pyoxigraph import NamedNode, Quad

from gdi_graph.rdf.formats import GRAPHS
from gdi_graph.rdf.iri import iri_problem
from gdi_graph.web import dataset, describe, editions, jsonld, responses, urls
from gdi_graph.web.conditional import conditional
from gdi_graph.web.errors import Problem
from gdi_graph.web.rendering import Cell, cell, curie, rdf_prefixes
from gdi_graph.web.state import state
from gdi_graph.web.views import things

bp = Blueprint("linked", __name__)
MAX_PAGE_STATEMENTS = 3000  # a larger named graph is listed for machines only
Q_GRAPH = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 200000"

DUMP_FILES = {
    "gdi.nq": ("application/n-quads", "N-Quads: alle named graphs, één per bronbestand, plus het validatierapport"),
    "gdi.ttl": ("text/turtle", "Turtle: de vereniging van ontologie en data"),
    "gdi.jsonld": ("application/ld+json", "JSON-LD: alle named graphs"),
    "report.ttl": ("text/turtle", "SHACL-validatierapport (Turtle)"),
    "report.txt": ("text/plain", "Validatierapport (tekst)"),
    "manifest.json": ("application/json", "Manifest: digest, tellingen, graphs"),
}


def _formats() -> list[str]:
    return request.args.getlist("format")


@bp.route("/id/<path:ref>")
def entity(ref: str):
    return _resource(state().settings.base + request.path)


@bp.route("/def/<path:ref>")
def term(ref: str):
    return _resource(state().settings.base + request.path)


def _resource(iri: str):
    problem = iri_problem(iri)
    if problem:
        raise Problem(404, f"there is no resource at {request.path}: <{iri}> cannot be an IRI ({problem})",
                      "check the address for stray characters, e.g. a trailing space from a copy-paste")
    selection = editions.selection()  # which printings of the monitor's figures; a 400 for a wrong one
    d = describe.describe(iri, selection)
    if d is None or not d.own:
        statements = describe.document(iri)  # a hash namespace, e.g. the shapes at {base}/def/shapes
        if statements:
            return _document(iri, statements, iri.rsplit("/", 1)[-1])
    if d is None:
        raise Problem(404, f"there is no resource <{iri}> in this graph",
                      "check the IRI; /sparql can search, e.g. SELECT ?s WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?s), \"…\")) }")

    def page() -> str:
        labels = d.labels
        secs = describe.sections(d.own, labels, order=[iri])
        incoming = [(cell_for(x, labels), cell_for(p, labels)) for x, p in d.incoming]
        columns = [Cell(labels.get(p) or curie(p), urls.for_iri(p), title=p) for p, _ in d.components]
        obs = [(cell_for(row["iri"], labels), [cell(row.get(p), labels) for p, _ in d.components])
               for row in d.observations]
        context = dict(iri=iri, title=labels.get(iri) or curie(iri), sections=secs, incoming=incoming,
                       incoming_more=d.incoming_more, columns=columns, observations=obs, alternates=_alternates())
        # A kind of thing with a page made for reading (views/things.py) gets that page, this table lower on it.
        return things.render(iri, context, selection) or render_template("resource.html", **context)

    return responses.respond_document(d.statements, page, ("resource", iri), prefixes=rdf_prefixes(),
                                   format_values=_formats())


def cell_for(iri: str, labels: dict[str, str]) -> Cell:
    return Cell(labels.get(iri) or curie(iri), urls.for_iri(iri), title=iri)


def _alternates() -> list[tuple[str, str]]:
    return [(f.label, urls.this_page_as(f.key)) for f in GRAPHS]


@bp.route("/def")
def vocabulary():
    base = state().settings.base
    statements = describe.document(f"{base}/def")
    if not statements:
        raise Problem(404, f"no vocabulary under <{base}/def> in this graph", "check GDI_GRAPH_BASE")
    return _document(f"{base}/def", statements, "GDI-ontologie")


def _document(iri: str, statements: list, title: str, extra: list | None = None, note: str = ""):
    """A hash document (or a named graph): its statements, and `extra` ones about it, as a page or RDF."""
    everything = list(extra or []) + statements

    def page() -> str:
        shown = everything if len(everything) <= MAX_PAGE_STATEMENTS else list(extra or [])
        iris = set()
        for q in shown:
            iris |= {t.value for t in (q.subject, q.predicate, q.object) if isinstance(t, NamedNode)}
        labels = describe.labels_for(iris)
        secs = describe.sections(shown, labels, order=[iri])
        more = "" if shown is everything else \
            f"Deze graaf heeft {len(statements)} statements; die staan in de formaten hieronder, niet op deze pagina."
        return render_template("document.html", title=labels.get(iri) or title, iri=iri, sections=secs,
                               alternates=_alternates(), note=note or more)

    return responses.respond_document(everything, page, ("document", iri), prefixes=rdf_prefixes(),
                                      format_values=_formats())


@bp.route("/graph/<path:ref>")
def named_graph(ref: str):
    """A named graph (one per source file, the validation report, what the build derives):
    its triples, and where they come from."""
    st = state()
    iri = st.settings.base + request.path
    if iri not in st.manifest.get("graphs", {}):
        raise Problem(404, f"there is no named graph <{iri}> in this build",
                      "the named graphs are listed in /.well-known/void (sd:namedGraph)")
    statements = [Quad(r["s"], r["p"], r["o"], NamedNode(iri)) for r in st.select(Q_GRAPH, {"g": NamedNode(iri)})]
    extra = dataset.graph_provenance(st.settings.base, iri, st.manifest)
    return _document(iri, statements, ref, extra=extra)


@bp.route("/context.jsonld")
def jsonld_context():
    """The JSON-LD context every linked-data document of this server is compacted with."""
    def make():
        resp = jsonify({"@context": jsonld.context()})
        resp.mimetype = "application/ld+json"
        return resp

    return conditional(("context",), make)


@bp.route("/.well-known/void")
def void():
    st = state()
    triples = dataset.describe(st.settings.base, urls.root() + "/", st.manifest, len(st.queries))

    def page() -> str:
        secs = describe.sections(triples, {}, order=[dataset.dataset_iri(st.settings.base)])
        return render_template("document.html", title="Dataset en endpoint (VoID, DCAT-AP-NL)",
                               iri=dataset.dataset_iri(st.settings.base), sections=secs, alternates=_alternates())

    return responses.respond_document(triples, page, ("void", urls.root()),
                                   prefixes={**dataset.PREFIXES, **rdf_prefixes()}, format_values=_formats())


@bp.route("/download")
def downloads():
    st = state()
    files = []
    for name, (media, title) in DUMP_FILES.items():
        path = st.dist / name
        size = path.stat().st_size if path.exists() else None
        if size is not None:
            files.append({"name": name, "media": media.split(";")[0], "title": title, "size": size})
    return conditional(("download",), lambda: current_app.response_class(
        render_template("download.html", files=files, manifest=st.manifest), mimetype="text/html"))


@bp.route("/download/<name>")
def download(name: str):
    st = state()
    if name not in DUMP_FILES:
        raise Problem(404, f"there is no download {name!r}", f"choose one of {', '.join(DUMP_FILES)}")
    media = DUMP_FILES[name][0]  # werkzeug adds "; charset=utf-8" to text types itself
    path = st.dist / name
    if not path.exists():
        raise Problem(404, f"{name} is not part of this build", "rebuild with `gdi-graph build`")

    def make():
        resp = send_file(path, mimetype=media, as_attachment=False, download_name=name, conditional=False,
                         etag=False, max_age=st.settings.max_age)
        resp.headers["Content-Disposition"] = f'inline; filename="{name}"'
        return resp

    return conditional(("file", name), make)

