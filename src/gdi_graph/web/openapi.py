"""OpenAPI 3.1 document generated from the named-query headers (plus the fixed routes).

Each `.rq` file becomes one GET operation at /queries/<name> whose parameters carry the
header's type, default, allowed values and example, so the document, the checks in
`queries.Parameter.term` and the query pages all follow the same header.
"""

from __future__ import annotations

import re

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
        "tags": [{"name": "queries"}, {"name": "sparql"}, {"name": "service"}],
        "paths": paths,
        "components": {"schemas": {
            "Problem": {"type": "object", "properties": {
                "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                "detail": {"type": "string"}, "hint": {"type": "string"}}},
            "SparqlResults": {"type": "object", "required": ["head"], "properties": {
                "head": {"type": "object"}, "results": {"type": "object"}, "boolean": {"type": "boolean"}}},
        }},
    }
