"""OpenAPI 3.1 document generated from the named-query headers, plus every other route.

Each `.rq` file becomes one GET operation at /queries/<name> whose parameters carry the
header's type, default, allowed values and example, so the document, the checks in
`queries.Parameter.term` and the query pages all follow the same header. The server's own
routes (linked data, downloads, the stelselplaat, the stelsel API, health, metrics) are
described here by hand; a route the app has that is described nowhere still gets an entry
from its URL rule and docstring, so the document covers every route (a test holds it to that).
"""

from __future__ import annotations

import re

from flask import current_app, has_app_context

from gdi_graph import __version__
from gdi_graph.query.named import NamedQuery, Parameter
from gdi_graph.rdf.formats import GRAPHS, HTML, RESULTS
from gdi_graph.rdf.iri import PATTERN

RESERVED = ("format",)
_TEXT = {"type": "string"}


def _schema(p: Parameter) -> dict:
    if p.type == "integer":
        s: dict = {"type": "integer"}
    elif p.type == "decimal":
        s = {"type": "number"}
    elif p.type == "year":
        s = {"type": "string", "pattern": r"^\d{4}$"}
    elif p.type == "date":
        s = {"type": "string", "format": "date"}
    elif p.type == "boolean":
        s = {"type": "boolean"}
    elif p.type == "iri":
        s = {"type": "string", "format": "iri", "pattern": PATTERN}
    else:
        s = {"type": "string", "minLength": 1, "pattern": r"\S"}
    if p.enum:
        s = {"type": "string", "enum": list(p.enum)}
    if p.default is not None:
        s["default"] = _typed(p, p.default)
    return s


def _typed(p: Parameter, value: str):
    if p.enum:
        return value
    if p.type == "integer":
        try:
            return int(value)
        except ValueError:
            return value
    if p.type == "decimal":
        try:
            return float(value)
        except ValueError:
            return value
    if p.type == "boolean":
        return value == "true"
    return value


def _content(form: str) -> dict:
    offers = (RESULTS if form in ("SELECT", "ASK") else GRAPHS) + (HTML,)
    out = {}
    for f in offers:
        if f.key == "json":
            out[f.mime] = {"schema": {"$ref": "#/components/schemas/SparqlResults"}}
        elif f.key == "jsonld":
            out[f.mime] = {"schema": {"type": ["object", "array"]}}
        else:
            out[f.mime] = {"schema": _TEXT}
    return out


def _errors() -> dict:
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}},
               "text/plain": {"schema": _TEXT}}
    return {
        "304": {"description": "Not modified: the ETag still matches this build."},
        "400": {"description": "A parameter is wrong; the body names it and says how to fix it.", "content": problem},
        "406": {"description": "None of the accepted media types is offered.", "content": problem},
        "422": {"description": "The result is larger than the server's limit.", "content": problem},
        "503": {"description": "The query ran over the time limit, or all workers are busy.", "content": problem},
    }


def _operation_id(name: str) -> str:
    return "query_" + re.sub(r"[^A-Za-z0-9_]", "_", name)


def document(queries: dict[str, NamedQuery], server_url: str) -> dict:
    paths: dict = {}
    for q in queries.values():
        params = []
        for p in q.parameters:
            if p.name in RESERVED:
                continue
            entry = {"name": p.name, "in": "query", "required": p.required, "schema": _schema(p)}
            if p.description:
                entry["description"] = p.description
            if p.name in q.example:
                entry["example"] = _typed(p, q.example[p.name])
            params.append(entry)
        formats = [f.key for f in (RESULTS if q.form in ("SELECT", "ASK") else GRAPHS)] + ["html"]
        params.append({"name": "format", "in": "query", "required": False,
                       "description": "Result format, for clients that cannot set an Accept header.",
                       "schema": {"type": "string", "enum": formats}})
        op = {
            "operationId": _operation_id(q.name),
            "summary": q.title,
            "description": (q.description + "\n\n" if q.description else "") + f"SPARQL {q.form} query `{q.name}`.",
            "tags": list(q.tags) or ["queries"],
            "parameters": params,
            "responses": {"200": {"description": f"The {q.form} result.", "content": _content(q.form)}, **_errors()},
        }
        paths[f"/queries/{q.name}"] = {"get": op}

    sparql_params = [
        {"name": "query", "in": "query", "required": False, "schema": {"type": "string"},
         "description": "SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE). Without it: the service description."},
        {"name": "default-graph-uri", "in": "query", "required": False,
         "schema": {"type": "array", "items": {"type": "string", "format": "iri"}}, "style": "form", "explode": True},
        {"name": "named-graph-uri", "in": "query", "required": False,
         "schema": {"type": "array", "items": {"type": "string", "format": "iri"}}, "style": "form", "explode": True},
        {"name": "format", "in": "query", "required": False,
         "schema": {"type": "string", "enum": [f.key for f in RESULTS + GRAPHS] + ["html"]}},
    ]
    any_result = {**_content("SELECT"), **_content("CONSTRUCT")}
    paths["/sparql"] = {
        "get": {"operationId": "sparql_get", "summary": "SPARQL 1.1 Protocol query via GET",
                "tags": ["sparql"], "parameters": sparql_params,
                "responses": {"200": {"description": "Query result, or the service description.",
                                      "content": any_result}, **_errors()}},
        "post": {"operationId": "sparql_post", "summary": "SPARQL 1.1 Protocol query via POST", "tags": ["sparql"],
                 "requestBody": {"required": True, "content": {
                     "application/x-www-form-urlencoded": {"schema": {
                         "type": "object", "required": ["query"],
                         "properties": {"query": {"type": "string"}}}},
                     "application/sparql-query": {"schema": {"type": "string"}}}},
                 "responses": {"200": {"description": "Query result.", "content": any_result}, **_errors()}},
    }
    paths["/queries"] = {"get": {"operationId": "list_queries", "summary": "The named queries", "tags": ["queries"],
                                 "responses": {"200": {"description": "The list.", "content": {
                                     "application/json": {"schema": {"type": "object"}},
                                     "text/html": {"schema": _TEXT}}}}}}
    paths["/health"] = {"get": {"operationId": "health", "summary": "Build digest, counts and server state",
                                "tags": ["service"], "responses": {"200": {"description": "Healthy.", "content": {
                                    "application/json": {"schema": {"type": "object"}}}}}}}
    paths.update(_server_routes())
    if has_app_context():
        for path, item in _undescribed_routes(paths).items():
            paths.setdefault(path, item)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "GDI-graph API",
            "version": __version__,
            "summary": "Named queries, SPARQL endpoint and linked data for the GDI knowledge graph.",
            "description": "Every named query in the repository's queries/ folder is an operation here. Parameters are "
                           "bound as typed RDF terms, never pasted into the query text.",
            "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
        },
        "servers": [{"url": server_url}],
        "tags": [{"name": "queries"}, {"name": "sparql"}, {"name": "linked data"}, {"name": "stelsel"},
                 {"name": "pages"}, {"name": "service"}],
        "paths": paths,
        "components": {"schemas": {
            "Problem": {"type": "object", "properties": {
                "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                "detail": {"type": "string"}, "hint": {"type": "string"}}},
            "SparqlResults": {"type": "object", "required": ["head"], "properties": {
                "head": {"type": "object"}, "results": {"type": "object"}, "boolean": {"type": "boolean"}}},
        }},
    }


RDF_DOCUMENT = ("text/html", "text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples",
                "application/trig", "application/n-quads")
DOCUMENT_FORMATS = ["html", "ttl", "jsonld", "rdf", "nt", "trig", "nq"]
DOWNLOADS = ["gdi.nq", "gdi.ttl", "gdi.jsonld", "report.ttl", "report.txt", "manifest.json"]


def _problem_responses(*codes: str) -> dict:
    text = {"304": "Not modified: the ETag still matches this build.",
            "400": "A parameter is wrong; the body names it and says how to fix it.",
            "404": "Nothing here: an unknown resource, or a path that cannot be an IRI (the body says which).",
            "406": "None of the accepted media types is offered.",
            "503": "The server cannot answer now (e.g. the stelselplaat in remote mode, or no build); see Retry-After."}
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}},
               "text/plain": {"schema": _TEXT}}
    return {c: ({"description": text[c]} if c == "304" else {"description": text[c], "content": problem})
            for c in codes}


def _get(op_id: str, summary: str, tag: str, content: dict, params: list | None = None, errors=("304", "404", "406"),
         description: str = "") -> dict:
    op = {"operationId": op_id, "summary": summary, "tags": [tag], "parameters": params or [],
          "responses": {"200": {"description": summary, "content": content}, **_problem_responses(*errors)}}
    if description:
        op["description"] = description
    return {"get": op}


def _document_content() -> dict:
    return {m: {"schema": {"type": ["object", "array"]} if m == "application/ld+json" else _TEXT} for m in RDF_DOCUMENT}


def _path_param(name: str, description: str, schema: dict | None = None) -> dict:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": schema or {"type": "string", "minLength": 1}}


def _query_param(name: str, description: str, schema: dict | None = None, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "description": description,
            "schema": schema or {"type": "string"}}


def _server_routes() -> dict:
    """The routes that are not named queries or /sparql."""
    fmt = _query_param("format", "Format, for clients that cannot set an Accept header.",
                       {"type": "string", "enum": DOCUMENT_FORMATS})
    day = {"type": "string", "format": "date"}
    peildatum = _query_param("peildatum", "The day the stelsel is shown for (default 2017-12-31).", day)
    json_body = {"application/json": {"schema": {"type": "object"}}}
    ld = "linked data"
    # Which printings of the monitor's figures a page shows (web/editions.py), as for monitor-observations.
    editions = [_query_param("editie", "Only the figures as this edition prints them, e.g. monitor-gdi-2018 (the "
                                       "query edities lists them); an unknown one is a 400 naming the known ones."),
                _query_param("alle_edities", "true: every printing of each figure, per edition; by default the "
                                             "newest printing of each indicator and year.",
                             {"type": "string", "enum": ["true", "false"]})]
    paths = {
        "/": _get("home", "The landing page", "pages", {"text/html": {"schema": _TEXT}}, editions,
                  errors=("304", "400")),
        "/id/{ref}": _get(
            "entity", "An entity: its statements, the links to it, its observations and the labels of all it names",
            ld, _document_content(), [_path_param("ref", "The rest of the IRI after {base}/id/, e.g. "
                                                         "voorziening/digid"), fmt, *editions],
            errors=("304", "400", "404", "406"),
            description="A path that cannot be part of an IRI (e.g. a trailing space) is a 404 that says so. The "
                        "monitor's figures that refer to the entity are, by default, the newest printing of each "
                        "indicator and year; those of a table, row, observation or report are its own edition's."),
        "/grafiek/{indicator}.{fmt}": _get(
            "indicator_chart", "An indicator's figures as a bar chart (embeddable)", "pages",
            {"image/svg+xml": {"schema": _TEXT}, "image/png": {"schema": {"type": "string", "format": "binary"}}},
            [_path_param("indicator", "The rest of the indicator's IRI after {base}/id/indicator/, e.g. "
                                      "digid/aangesloten-organisaties"),
             _path_param("fmt", "The image format", {"type": "string", "enum": ["svg", "png"]}), *editions],
            errors=("304", "400", "404"),
            description="By default the newest printing of each year, with its source; editie= one edition's "
                        "figures, alle_edities=true a bar per edition that prints the year."),
        "/def": _get("ontology", "The ontology (every {base}/def# term)", ld, _document_content(), [fmt]),
        "/def/{ref}": _get("definition", "A document under {base}/def/, e.g. the shapes at /def/shapes", ld,
                           _document_content(), [_path_param("ref", "e.g. shapes"), fmt]),
        "/graph/{ref}": _get("named_graph", "A named graph: its triples and provenance (source file, build)", ld,
                             _document_content(), [_path_param("ref", "e.g. data/voorzieningen.ttl"), fmt]),
        "/context.jsonld": _get("jsonld_context", "The JSON-LD context of every linked-data document", ld,
                                {"application/ld+json": {"schema": {"type": "object"}}}, errors=("304",)),
        "/.well-known/void": _get("void", "VoID, DCAT-AP-NL and SPARQL service description of the dataset", ld,
                                  _document_content(), [fmt], errors=("304", "406")),
        "/download": _get("downloads", "The build's dumps", ld, {"text/html": {"schema": _TEXT}}, errors=("304",)),
        "/download/{name}": _get("download", "One dump of the build", ld,
                                 {m: {"schema": _TEXT} for m in ("application/n-quads", "text/turtle",
                                                                 "application/ld+json", "text/plain",
                                                                 "application/json")},
                                 [_path_param("name", "The file", {"type": "string", "enum": DOWNLOADS})],
                                 errors=("304", "404")),
        "/stelselplaat.svg": _get("stelselplaat_svg", "The stelselplaat as SVG (embeddable)", "stelsel",
                                  {"image/svg+xml": {"schema": _TEXT}}, [
                                      peildatum,
                                      _query_param("van", "Difference view: from this day (with tot).", day),
                                      _query_param("tot", "Difference view: to this day (with van).", day)],
                                  errors=("304", "400", "503")),
        "/api/stelsel/pad": _get("stelsel_pad", "Shortest paths between two registraties or objects", "stelsel",
                                 json_body, [_query_param("van", "e.g. BRV", {"type": "string", "minLength": 1}, True),
                                             _query_param("naar", "e.g. BAG", {"type": "string", "minLength": 1}, True),
                                             peildatum], errors=("304", "400", "503")),
        "/api/stelsel/afhankelijk": _get("stelsel_afhankelijk", "What refers to a basisregistratie", "stelsel",
                                         json_body, [_query_param("registratie", "e.g. BAG",
                                                                  {"type": "string", "minLength": 1}, True),
                                                     peildatum], errors=("304", "400", "503")),
        "/api/stelsel/centraal": _get("stelsel_centraal", "Registraties and objects by centrality", "stelsel",
                                      json_body, [peildatum], errors=("304", "400", "503")),
        "/api/stelsel/niet-beschikbaar": _get("stelsel_niet_beschikbaar", "Verbindingen not available",
                                              "stelsel", json_body, [peildatum], errors=("304", "400", "503")),
        "/openapi.json": _get("openapi", "This document", "service", json_body, errors=("304",)),
        "/health": _get("health", "Build digest, counts and server state", "service", json_body, errors=("503",)),
        "/metrics": _get("metrics", "Counters in the Prometheus text format", "service",
                         {"text/plain": {"schema": _TEXT}}, errors=()),
    }
    png = dict(paths["/stelselplaat.svg"]["get"], operationId="stelselplaat_png",
               summary="The stelselplaat as PNG (embeddable)",
               responses={**paths["/stelselplaat.svg"]["get"]["responses"],
                          "200": {"description": "The stelselplaat as PNG",
                                  "content": {"image/png": {"schema": {"type": "string", "format": "binary"}}}}})
    paths["/stelselplaat.png"] = {"get": png}
    return paths


_ARGUMENT = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")


def openapi_path(rule: str) -> tuple[str, list[dict]]:
    """A werkzeug URL rule as an OpenAPI path with its path parameters."""
    params = []

    def swap(m: re.Match) -> str:
        converter, args, name = m.group(1) or "default", m.group(2), m.group(3)
        schema: dict = {"type": "string", "minLength": 1}
        if converter == "any" and args:
            schema = {"type": "string", "enum": [a.strip().strip("'\"") for a in args.split(",")]}
        elif converter == "int":
            schema = {"type": "integer"}
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
        return "{" + name + "}"

    return _ARGUMENT.sub(swap, rule), params


def _undescribed_routes(described: dict) -> dict:
    """An entry for every route of the app that is described nowhere else, from its rule and docstring."""
    out = {}
    for rule in current_app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path, params = openapi_path(rule.rule)
        if path in described or path in out or path == "/queries/{name}":  # each named query is described
            continue
        view = current_app.view_functions.get(rule.endpoint)
        doc = ((view.__doc__ or "").strip().splitlines() or [rule.endpoint])[0]
        item = {}
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            item[method.lower()] = {
                "operationId": re.sub(r"[^A-Za-z0-9_]", "_", rule.endpoint) + ("" if method == "GET" else "_" + method.lower()),
                "summary": doc, "tags": ["pages"], "parameters": params,
                "responses": {"200": {"description": doc}, **_problem_responses("304", "400", "404", "406", "503")}}
        out[path] = item
    return out
