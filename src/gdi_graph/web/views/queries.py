"""/queries — named queries as an API, their pages, and /openapi.json.

Parameters come from the query string, are checked against the `.rq` header and bound as
typed RDF terms (pyoxigraph substitutions; a VALUES block for remote stores) — never
pasted into the query text. Every result format of /sparql is available by ?format= or
Accept; a browser gets a page with the SPARQL, the parameters, a live result table,
download links and NORA wiki text for exactly this query and these values.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request

from gdi_graph.query.executor import Job
from gdi_graph.query.named import NamedQuery, ParameterError
from gdi_graph.query.sparqltext import analyse
from gdi_graph.rdf.formats import GRAPHS, HTML, RESULTS, Format
from gdi_graph.web import negotiation, openapi, rendering, responses, urls, wikitext
from gdi_graph.web.conditional import conditional
from gdi_graph.web.errors import Problem
from gdi_graph.web.state import state

bp = Blueprint("named", __name__)

LIST_JSON = Format("json", "list", "application/json")
RESERVED = {"format", "output"}


def _named(name: str) -> NamedQuery:
    q = state().queries.get(name)
    if q is None:
        known = ", ".join(sorted(state().queries)) or "none"
        raise Problem(404, f"there is no named query {name!r}", f"see /queries; known: {known}")
    return q


def _values(q: NamedQuery) -> dict[str, str]:
    values = {}
    for key in request.args:
        if key in RESERVED:
            continue
        given = request.args.getlist(key)
        if len(given) > 1:
            raise Problem(400, f"parameter {key!r} was given {len(given)} times", "give each parameter once")
        values[key] = given[0]
    return values


def _effective(q: NamedQuery, values: dict[str, str]) -> dict[str, str]:
    """The values actually used: those given plus defaults, in header order."""
    out = {}
    for p in q.parameters:
        v = values.get(p.name, p.default)
        if v not in (None, ""):
            out[p.name] = str(v)
    return out


def _summary(q: NamedQuery) -> dict:
    return {
        "name": q.name,
        "title": q.title,
        "description": q.description,
        "form": q.form,
        "url": urls.named_query(q.name, absolute_url=True),
        "parameters": [{"name": p.name, "type": p.type, "description": p.description, "default": p.default,
                        "enum": list(p.enum) or None, "required": p.required} for p in q.parameters],
        "example": q.example,
        "tags": list(q.tags),
        "formats": [f.key for f in (RESULTS if q.form in ("SELECT", "ASK") else GRAPHS)] + ["html"],
    }


@bp.route("/queries")
def index():
    st = state()
    values = request.args.getlist("format")
    offers = (LIST_JSON, HTML)
    fmt = negotiation.from_parameter(values, offers) if values else negotiation.best(request.accept_mimetypes, offers)
    if fmt is None:
        raise Problem(406 if not values else 400, "this list is offered as JSON or HTML", "use ?format=json or ?format=html")

    def make():
        if fmt is HTML:
            return current_app.response_class(render_template("queries.html", queries=st.queries,
                                                              errors=st.query_errors), mimetype="text/html")
        return jsonify({"queries": [_summary(q) for q in st.queries.values()],
                        "openapi": urls.absolute("/openapi.json")})

    return conditional(("queries", fmt.key, urls.root()), make, vary="Accept")


@bp.route("/queries/<name>")
def run(name: str):
    q = _named(name)
    values = _values(q)
    choice = responses.choose(q.form, request.args.getlist("format") + request.args.getlist("output"))
    try:
        bindings = q.bind(values)
    except ParameterError as exc:
        p = q.parameter(exc.name)
        allowed = ""
        if p is not None:
            allowed = f"; {p.name} takes type {p.type}" + (f" (one of {', '.join(p.enum)})" if p.enum else "")
        problem = Problem(400, str(exc), f"see /queries/{q.name} for its parameters{allowed}")
        if not choice.html:
            raise problem from None
        html = render_template("query.html", q=q, values={**_effective(q, {}), **values}, table=None, downloads=[],
                               wiki=None, error=problem)
        return current_app.response_class(html, status=400, mimetype="text/html")
    subs = tuple(sorted((var.value, str(term)) for var, term in bindings.items()))
    facts = analyse(q.text)
    job = Job(q.text, subs, union_default=not facts.has_dataset)
    effective = _effective(q, values)

    def page(result) -> str:
        table = rendering.table(result)
        offers = RESULTS if q.form in ("SELECT", "ASK") else GRAPHS
        downloads = [(f.label, f.key, urls.named_query(q.name, effective, f.key)) for f in offers]
        csv_url = urls.named_query(q.name, effective, "csv", absolute_url=True)
        wiki = None
        if q.form == "SELECT":
            wiki = {
                "table": wikitext.table(csv_url, table.columns),
                "template": wikitext.template_call(csv_url, table.columns, f"GDI-{q.name}-rij"),
                "row": wikitext.row_template(table.columns),
                "template_name": f"GDI-{q.name}-rij",
                "url": csv_url,
            }
        return render_template("query.html", q=q, values=effective, table=table, downloads=downloads, wiki=wiki,
                               error=None)

    return responses.respond(job, choice, html=page)


@bp.route("/openapi.json")
def openapi_document():
    return conditional(("openapi", urls.root()), lambda: jsonify(openapi.document(state().queries, urls.root())))
