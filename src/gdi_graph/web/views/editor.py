"""What the SPARQL editor on /sparql asks the server for (static/sparql-editor.js).

- /sparql/vocabulary.json: the graph's prefixes, classes and properties (for completion)
  and the named queries as examples; one answer per build.
- /sparql/wikitekst: for a query as written, its download URLs and the NORA wiki text
  (web/wikitext.py) that embeds its result in a wiki page.
- /sparql/labels: the labels of the IRIs in a result, so the result table can show names.
"""

from __future__ import annotations

import re

from flask import Blueprint, current_app, jsonify, request

from gdi_graph.query.sparqltext import analyse
from gdi_graph.rdf.formats import GRAPHS, RESULTS
from gdi_graph.rdf.iri import iri_problem
from gdi_graph.web import describe, rendering, urls, wikitext
from gdi_graph.web.conditional import conditional
from gdi_graph.web.errors import Problem
from gdi_graph.web.state import state

bp = Blueprint("editor", __name__)
MAX_TERMS = 5000
MAX_LABELS = 2000

Q_CLASSES = """SELECT DISTINCT ?c WHERE {
  { ?s a ?c } UNION { ?c a <http://www.w3.org/2002/07/owl#Class> } UNION { ?c a <http://www.w3.org/2000/01/rdf-schema#Class> }
  FILTER(isIRI(?c))
} LIMIT """ + str(MAX_TERMS)
Q_PROPERTIES = """SELECT DISTINCT ?p WHERE {
  { ?s ?p ?o } UNION { ?p a ?kind VALUES ?kind { <http://www.w3.org/2002/07/owl#ObjectProperty>
    <http://www.w3.org/2002/07/owl#DatatypeProperty> <http://www.w3.org/1999/02/22-rdf-syntax-ns#Property> } }
  FILTER(isIRI(?p))
} LIMIT """ + str(MAX_TERMS)
_HEADER = re.compile(r"(?m)^#\+.*\n?")


@bp.get("/sparql/vocabulary.json")
def vocabulary():
    st = state()

    def make():
        classes = sorted({r["c"].value for r in st.select(Q_CLASSES)})
        properties = sorted({r["p"].value for r in st.select(Q_PROPERTIES)})
        examples = [{"name": q.name, "title": q.title, "query": _HEADER.sub("", q.text).lstrip("\n")}
                    for q in st.queries.values()]
        return jsonify({"base": st.settings.base, "prefixes": rendering.prefixes(), "classes": classes,
                        "properties": properties, "examples": examples})

    return conditional(("vocabulary",), make)


@bp.get("/sparql/wikitekst")
def wiki_text():
    """Downloads and wiki text for ?query= (the result's ?columns=, comma-separated)."""
    text = request.args.get("query", "")
    if not text.strip():
        raise Problem(400, "no query given", "send the query as ?query=", parameter="query")
    if len(text.encode("utf-8")) > state().settings.max_query_bytes:
        raise Problem(413, "the query is longer than this server accepts", parameter="query")
    columns = [c for c in request.args.get("columns", "").split(",") if c]
    form = analyse(text).form
    offers = RESULTS if form in ("SELECT", "ASK") else GRAPHS if form in ("CONSTRUCT", "DESCRIBE") else ()
    keep = [(k, v) for k, v in request.args.items(multi=True) if k in ("default-graph-uri", "named-graph-uri")]

    def make():
        body = {"form": form, "downloads": [{"label": f.label, "format": f.key, "href": urls.sparql(text, keep, f.key)}
                                             for f in offers]}
        if form == "SELECT" and wikitext.columns_for_wiki(columns):
            csv = urls.sparql(text, keep, "csv")
            body |= {"csv": csv, "wikitext": wikitext.table(csv, columns, "SPARQL-query"), "needs": wikitext.NEEDS}
        return jsonify(body)

    return conditional(("wikitekst", urls.root(), request.query_string.decode("latin-1")), make)


@bp.post("/sparql/labels")
def labels():
    """{"iris": [...]} -> {iri: label} for the IRIs that have a label (Dutch first)."""
    body = request.get_json(silent=True)
    iris = body.get("iris") if isinstance(body, dict) else None
    if not isinstance(iris, list) or not all(isinstance(i, str) for i in iris):
        raise Problem(400, 'send JSON like {"iris": ["https://…", …]}')
    wanted = {i for i in iris[:MAX_LABELS] if not iri_problem(i)}
    found = describe.labels_for(wanted)
    resp = current_app.response_class(current_app.json.dumps({i: found[i] for i in sorted(found)}),
                                      mimetype="application/json")
    resp.headers["Cache-Control"] = "no-store"
    return resp
