"""/queries — named queries as an API, their pages, and /openapi.json.

Parameters come from the query string, are checked against the `.rq` header and bound as
typed RDF terms (pyoxigraph substitutions; a VALUES block for remote stores) — never
pasted into the query text. A parameter with known values (`values:` in the header) is
matched to what the graph holds regardless of case and accents; an unknown value is a 400
that names the closest known ones, never an empty table. Every result format of /sparql is available by ?format= or
Accept; a browser gets a page with the SPARQL, the parameters, a live result table,
download links and NORA wiki text for exactly this query and these values.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request

from gdi_graph.messages import Message
from gdi_graph.query.executor import Job
from gdi_graph.query.named import KnownValueCache, KnownValues, NamedQuery, ParameterError
from gdi_graph.query.sparqltext import analyse
from gdi_graph.rdf.formats import GRAPHS, HTML, RESULTS, Format
from gdi_graph.web import negotiation, openapi, rendering, responses, urls, wikitext
from gdi_graph.web.conditional import conditional
from gdi_graph.web.errors import Problem, in_language, language
from gdi_graph.web.state import state

bp = Blueprint("named", __name__)

LIST_JSON = Format("json", "list", "application/json")
RESERVED = {"format", "output"}


def _named(name: str) -> NamedQuery:
    q = state().queries.get(name)
    if q is None:
        known = ", ".join(sorted(state().queries)) or "-"
        raise Problem(404, Message(f"er is geen benoemde query {name!r}", f"there is no named query {name!r}"),
                      Message(f"zie /queries; bekend: {known}", f"see /queries; known: {known}"))
    return q


def known_values() -> KnownValueCache:
    """The graph's values for the query parameters, looked up once per build (embedded or remote)."""
    st = state()
    held = current_app.extensions.get("gdi_graph.known_values")
    if held is None or held[0] != st.digest:
        def select(text: str) -> list[dict[str, str]]:
            return [{k: t.value for k, t in row.items()} for row in st.select(text)]
        held = (st.digest, KnownValueCache(select))
        current_app.extensions["gdi_graph.known_values"] = held
    return held[1]


def _choices(q: NamedQuery) -> dict[str, KnownValues]:
    """Per parameter with declared values: what the graph knows, for the page's lists."""
    lookup = known_values()
    return {p.name: lookup(q, p) for p in q.parameters if p.values}


def _values(q: NamedQuery) -> dict[str, str]:
    values = {}
    for key in request.args:
        if key in RESERVED:
            continue
        given = request.args.getlist(key)
        if len(given) > 1:
            raise Problem(400, Message(f"parameter {key!r} is {len(given)} keer gegeven",
                                       f"parameter {key!r} was given {len(given)} times"),
                          Message("geef elke parameter één keer", "give each parameter once"), parameter=key)
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


def _parameter(q: NamedQuery, p) -> dict:
    out = {"name": p.name, "type": p.type, "description": p.description, "default": p.default,
           "enum": list(p.enum) or None, "required": p.required}
    if p.values:
        out["values"] = list(known_values()(q, p).values)
    return out


def _summary(q: NamedQuery) -> dict:
    return {
        "name": q.name,
        "title": q.title,
        "description": q.description,
        "form": q.form,
        "url": urls.named_query(q.name, absolute_url=True),
        "parameters": [_parameter(q, p) for p in q.parameters],
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
        raise Problem(406 if not values else 400,
                      Message("deze lijst is er als JSON of HTML", "this list is offered as JSON or HTML"),
                      Message("gebruik ?format=json of ?format=html", "use ?format=json or ?format=html"))

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
        bindings = q.bind(values, known_values())
    except ParameterError as exc:
        problem = Problem(400, exc.message, _hint(q, exc.name), parameter=exc.name)
        if not choice.html:
            raise problem from None
        lang = language()
        html = render_template("query.html", q=q, values={**_effective(q, {}), **values}, table=None, downloads=[],
                               wiki=None, choices=_choices(q),
                               error={"detail": in_language(problem.detail, lang),
                                      "hint": in_language(problem.hint, lang)})
        resp = current_app.response_class(html, status=400, mimetype="text/html")
        resp.vary.add("Accept-Language")
        return resp
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
                "table": wikitext.table(csv_url, table.columns, q.title),
                "template": wikitext.template_call(csv_url, table.columns, f"GDI-{q.name}-rij", q.title),
                "row": wikitext.row_template(table.columns),
                "template_name": f"GDI-{q.name}-rij",
                "url": csv_url,
                "needs": wikitext.NEEDS,
            }
        return render_template("query.html", q=q, values=effective, table=table, downloads=downloads, wiki=wiki,
                               choices=_choices(q), error=None)

    return responses.respond(job, choice, html=page)


def _hint(q: NamedQuery, name: str) -> Message:
    """How to fix a wrong parameter: where the parameters are, and what this one takes."""
    where = Message(f"zie /queries/{q.name} voor de parameters", f"see /queries/{q.name} for its parameters")
    p = q.parameter(name)
    if p is None:
        return where
    if p.values:
        return where + Message(f"; de bekende waarden van {p.name} staan daar in de lijst",
                               f"; the known values of {p.name} are listed there")
    if p.enum:
        return where + Message(f"; {p.name} is een van {', '.join(p.enum)}", f"; {p.name} is one of {', '.join(p.enum)}")
    return where + Message(f"; {p.name} is van het type {p.type}", f"; {p.name} takes type {p.type}")


@bp.route("/openapi.json")
def openapi_document():
    return conditional(("openapi", urls.root()), lambda: jsonify(openapi.document(state().queries, urls.root())))
