"""Linked data: entity IRIs, the ontology, the dumps and the dataset description.

A request path maps to the IRI under the configured base (`/id/voorziening/digid` ->
`{base}/id/voorziening/digid`), whatever host the server runs on, so the published IRIs
dereference here or behind any proxy or w3id redirect. People get an HTML page; machines
get the description (the resource's statements, its blank nodes and the labels of what it
links to) in Turtle, JSON-LD, RDF/XML, N-Triples, or with source graphs in TriG / N-Quads.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

from flask import Blueprint, current_app, render_template, request, send_file
from pyoxigraph import NamedNode

from gdi_graph.rdf.formats import GRAPHS
from gdi_graph.rdf.iri import iri_problem
from gdi_graph.web import dataset, describe, responses, urls
from gdi_graph.web.conditional import conditional
from gdi_graph.web.errors import Problem
from gdi_graph.web.rendering import Cell, cell, curie, rdf_prefixes
from gdi_graph.web.state import state
from gdi_graph.web.views import things

bp = Blueprint("linked", __name__)
_jsonld_lock = threading.Lock()

DUMP_FILES = {
    "gdi.nq": ("application/n-quads", "N-Quads: alle named graphs, één per bronbestand, plus het validatierapport"),
    "gdi.ttl": ("text/turtle; charset=utf-8", "Turtle: de vereniging van ontologie en data"),
    "gdi.jsonld": ("application/ld+json", "JSON-LD: alle named graphs"),
    "report.ttl": ("text/turtle; charset=utf-8", "SHACL-validatierapport (Turtle)"),
    "report.txt": ("text/plain; charset=utf-8", "Validatierapport (tekst)"),
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
    d = describe.describe(iri)
    if d is None:
        raise Problem(404, f"there is no resource <{iri}> in this graph",
                      "check the IRI; /sparql can search, e.g. SELECT ?s WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?s), \"…\")) }")

    def page() -> str:
        iris = {q.predicate.value for q in d.own} | {q.object.value for q in d.own if isinstance(q.object, NamedNode)}
        iris |= {x for x, _ in d.incoming} | {p for _, p in d.incoming} | {p for p, _ in d.components}
        for row in d.observations[:describe.MAX_OBSERVATIONS]:
            iris |= {v.value for v in row.values() if isinstance(v, NamedNode)}
        iris.add(iri)
        labels = describe.labels_for(iris)
        secs = describe.sections(d.own, labels, order=[iri])
        incoming = [(cell_for(x, labels), cell_for(p, labels)) for x, p in d.incoming]
        columns = [Cell(labels.get(p) or curie(p), urls.for_iri(p), title=p) for p, _ in d.components]
        obs = [(cell_for(row["iri"], labels), [cell(row.get(p), labels) for p, _ in d.components])
               for row in d.observations]
        context = dict(iri=iri, title=labels.get(iri) or curie(iri), sections=secs, incoming=incoming,
                       incoming_more=d.incoming_more, columns=columns, observations=obs, alternates=_alternates())
        # A kind of thing with a page made for reading (views/things.py) gets that page, this table lower on it.
        return things.render(iri, context) or render_template("resource.html", **context)

    return responses.respond_document(d.statements, page, ("resource", iri), prefixes=rdf_prefixes(),
                                   format_values=_formats())


def cell_for(iri: str, labels: dict[str, str]) -> Cell:
    return Cell(labels.get(iri) or curie(iri), urls.for_iri(iri), title=iri)


def _alternates() -> list[tuple[str, str]]:
    return [(f.label, urls.this_page_as(f.key)) for f in GRAPHS]


@bp.route("/def")
def vocabulary():
    base = state().settings.base
    statements = describe.vocabulary(f"{base}/def")
    if not statements:
        raise Problem(404, f"no vocabulary under <{base}/def> in this graph", "check GDI_GRAPH_BASE")

    def page() -> str:
        iris = {q.subject.value for q in statements} | {q.predicate.value for q in statements}
        iris |= {q.object.value for q in statements if isinstance(q.object, NamedNode)}
        labels = describe.labels_for(iris)
        secs = describe.sections(statements, labels, order=[f"{base}/def"])
        return render_template("document.html", title="GDI-ontologie", iri=f"{base}/def", sections=secs,
                               alternates=_alternates())

    return responses.respond_document(statements, page, ("def",), prefixes=rdf_prefixes(), format_values=_formats())


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
        if size is not None or name == "gdi.jsonld":
            files.append({"name": name, "media": media.split(";")[0], "title": title, "size": size})
    return conditional(("download",), lambda: current_app.response_class(
        render_template("download.html", files=files, manifest=st.manifest), mimetype="text/html"))


@bp.route("/download/<name>")
def download(name: str):
    st = state()
    if name not in DUMP_FILES:
        raise Problem(404, f"there is no download {name!r}", f"choose one of {', '.join(DUMP_FILES)}")
    media = DUMP_FILES[name][0]
    path = _jsonld(st) if name == "gdi.jsonld" else st.dist / name
    if not path.exists():
        raise Problem(404, f"{name} is not part of this build", "rebuild with `gdi-graph build`")

    def make():
        resp = send_file(path, mimetype=media, as_attachment=False, download_name=name, conditional=False,
                         etag=False, max_age=st.settings.max_age)
        resp.headers["Content-Disposition"] = f'inline; filename="{name}"'
        return resp

    return conditional(("file", name), make)


def _jsonld(st) -> Path:
    """JSON-LD of the whole dataset, made once per build by streaming gdi.nq through pyoxigraph."""
    from pyoxigraph import RdfFormat, parse, serialize

    target = Path(tempfile.gettempdir()) / f"gdi-graph-{st.digest[:24]}.jsonld"
    with _jsonld_lock:
        if not target.exists():
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".gdi-graph-", suffix=".jsonld")
            os.close(fd)
            try:
                serialize(parse(path=str(st.dist / "gdi.nq"), format=RdfFormat.N_QUADS), output=tmp,
                          format=RdfFormat.JSON_LD)
                os.replace(tmp, target)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
    return target
