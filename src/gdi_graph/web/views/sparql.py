"""/sparql — the SPARQL 1.1 Protocol (query operation), read-only.

GET ?query=, POST form-encoded and POST application/sparql-query; default-graph-uri and
named-graph-uri; all result formats by Accept or ?format=. Without a query, GET returns
the service description (or the query page for a browser). Updates are refused before
they reach a store; SERVICE is refused unless its target is on the allow-list.

Default graph: without default-graph-uri / named-graph-uri and without FROM in the query,
the default graph is the union of all named graphs (one per source file plus the
validation report). With those parameters the protocol's dataset is used exactly; with
FROM / FROM NAMED the query's own dataset is.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request
from werkzeug.datastructures import CombinedMultiDict, MultiDict

from gdi_graph.query.executor import Job
from gdi_graph.query.sparqltext import analyse, service_refusal
from gdi_graph.rdf.formats import GRAPHS, RESULTS
from gdi_graph.rdf.iri import iri_problem
from gdi_graph.web import dataset, rendering, responses, urls
from gdi_graph.web.errors import Problem
from gdi_graph.web.state import state

bp = Blueprint("sparql", __name__)

READ_ONLY = ("this endpoint is read-only: SPARQL Update is not accepted",
             "the graph is built from the source files in git; change them there and rebuild. "
             "To query, send a SELECT, ASK, CONSTRUCT or DESCRIBE as ?query=")

EXAMPLE = """PREFIX gdi: <{base}/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

SELECT ?voorziening ?naam WHERE {{
  ?voorziening a gdi:Voorziening ; rdfs:label ?naam .
}}
ORDER BY ?naam
LIMIT 50
"""


def _parameters() -> tuple[MultiDict, str | None]:
    """The protocol parameters and the query text, from whichever request form was used."""
    if request.method == "GET":
        args = request.args
        return args, _single(args, "query")
    ctype = request.mimetype
    if ctype == "application/sparql-update":
        raise Problem(403, *READ_ONLY)
    if ctype == "application/x-www-form-urlencoded":
        args = CombinedMultiDict([request.form, request.args])
        return args, _single(args, "query")
    if ctype == "application/sparql-query":
        try:
            text = request.get_data(cache=True).decode("utf-8")
        except UnicodeDecodeError:
            raise Problem(400, "the query body is not valid UTF-8", "send the query text encoded as UTF-8") from None
        if "query" in request.args:
            raise Problem(400, "the query was sent both in the body and as ?query=",
                          "send it once: in the body (application/sparql-query) or as ?query=")
        return request.args, text
    raise Problem(415, f"a POST to /sparql must be application/x-www-form-urlencoded or application/sparql-query, "
                       f"not {ctype or 'without a Content-Type'}")


def _single(args: MultiDict, name: str) -> str | None:
    values = args.getlist(name)
    if len(values) > 1:
        raise Problem(400, f"the {name!r} parameter was given {len(values)} times", f"send exactly one {name}")
    return values[0] if values else None


def _graphs(args: MultiDict, name: str) -> tuple[str, ...] | None:
    values = args.getlist(name)
    for v in values:
        problem = iri_problem(v)
        if problem:
            raise Problem(400, f"{name} {v!r} is not an absolute IRI ({problem})", f"give {name} as a full IRI, e.g. "
                          f"{state().settings.base}/graph/data/voorzieningen.ttl", parameter=name)
    return tuple(values) if values else None


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    args, text = _parameters()
    if "update" in args:
        raise Problem(403, *READ_ONLY)
    formats = args.getlist("format") + args.getlist("output")
    if text is None:
        if request.method == "POST":
            raise Problem(400, "no query given", "send the query as the 'query' form field or as the body "
                          "with Content-Type application/sparql-query")
        return service_description(formats)
    settings = state().settings
    size = len(text.encode("utf-8"))
    if size > settings.max_query_bytes:
        raise Problem(413, f"the query is {size} bytes; this server accepts at most {settings.max_query_bytes}",
                      "shorten the query (e.g. move long VALUES lists into a named query), or ask the operator "
                      "to raise GDI_GRAPH_MAX_QUERY_BYTES")
    if not text.strip():
        raise Problem(400, "the query is empty", "send a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    facts = analyse(text)
    if facts.is_update:
        raise Problem(403, *READ_ONLY)
    refusal = service_refusal(facts, settings.service_allowlist)
    if refusal:
        raise Problem(403, refusal, "remove the SERVICE clause or query the other endpoint yourself")
    defaults, named = _graphs(args, "default-graph-uri"), _graphs(args, "named-graph-uri")
    choice = responses.choose(facts.form, formats)
    job = Job(text, default_graphs=defaults, named_graphs=named, union_default=not facts.has_dataset)

    def page(result) -> str:
        return render_template("sparql.html", query=text, table=rendering.table(result), result=result,
                               formats=_download_links(facts.form, text), example=None)

    return responses.respond(job, choice, html=page)


def _download_links(form: str | None, text: str) -> list[tuple[str, str]]:
    """GET URLs for the same query in each format of its form (also after a POST)."""
    offers = RESULTS if form in ("SELECT", "ASK") else GRAPHS if form in ("CONSTRUCT", "DESCRIBE") else ()
    keep = [(k, v) for k, v in request.args.items(multi=True) if k not in ("query", "format", "output")]
    return [(f.label, urls.sparql(text, keep, f.key)) for f in offers]


def service_description(formats: list[str]):
    st = state()
    root = urls.root() + "/"
    triples = dataset.describe(st.settings.base, root, st.manifest, len(st.queries))

    def page() -> str:
        example = EXAMPLE.format(base=st.settings.base)
        return render_template("sparql.html", query=request.args.get("q", example), table=None, result=None,
                               formats=[], example=example, queries=st.queries)

    return responses.respond_document(triples, page, ("sd", root), prefixes=dataset.PREFIXES, format_values=formats)

