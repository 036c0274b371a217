"""One error format for every route: a `Problem` says what was wrong and how to fix it.

It is rendered as plain text by default (SPARQL clients show the body as is), as RFC 9457
problem JSON when the client prefers JSON, and as a page for browsers.
"""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from gdi_graph.query.executor import ExecutorBusy, QueryFailed
from gdi_graph.rdf.formats import Format
from gdi_graph.web import negotiation

PROBLEM_JSON = Format("problem", "error", "application/problem+json", ("application/json",))
PLAIN = Format("text", "error", "text/plain; charset=utf-8")
HTML_ERROR = Format("html", "error", "text/html; charset=utf-8", ("application/xhtml+xml",))

_HINTS = {
    400: "check the request parameters",
    404: "see / for the pages, /queries for the named queries and /sparql for the endpoint",
    405: "this URL answers GET (and POST where a query is sent); see /openapi.json",
    406: "ask for one of the formats this URL offers (see the Link header or /openapi.json), or add ?format=",
    413: "send a smaller request",
    415: "send the query form-encoded (application/x-www-form-urlencoded) or as application/sparql-query",
}


class Problem(Exception):
    """An answer other than success; `parameter` names the request parameter at fault, if one is."""

    def __init__(self, status: int, detail: str, hint: str = "", title: str | None = None,
                 headers: dict | None = None, parameter: str | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.hint = hint or _HINTS.get(status, "")
        self.title = title
        self.headers = headers or {}
        self.parameter = parameter


def problem_from_query_failure(exc: QueryFailed) -> Problem:
    headers = {"Retry-After": "5"} if isinstance(exc, ExecutorBusy) else {}
    return Problem(exc.status, exc.message, exc.hint, headers=headers)


def render_problem(p: Problem) -> Response:
    title = p.title or HTTP_STATUS_CODES.get(p.status, "Error")
    # An API answers errors in JSON unless asked otherwise; elsewhere plain text is the default.
    offers = (PROBLEM_JSON, PLAIN, HTML_ERROR) if request.path.startswith("/api/") else (PLAIN, PROBLEM_JSON, HTML_ERROR)
    fmt = negotiation.best(request.accept_mimetypes, offers) or offers[0]
    if fmt is PROBLEM_JSON:
        body = {"type": "about:blank", "title": title, "status": p.status, "detail": p.detail, "hint": p.hint}
        if p.parameter:
            body["parameter"] = p.parameter
        resp = jsonify(body)
        resp.mimetype = "application/problem+json"
    elif fmt is HTML_ERROR:
        resp = Response(render_template("error.html", status=p.status, title=title, detail=p.detail, hint=p.hint),
                        mimetype="text/html")
    else:
        text = f"{p.status} {title}: {p.detail}\n"
        if p.hint:
            text += f"How to fix: {p.hint}\n"
        resp = Response(text, mimetype="text/plain")
    resp.status_code = p.status
    for k, v in p.headers.items():
        resp.headers[k] = v
    resp.headers["Cache-Control"] = "no-store"
    return resp


def install(app: Flask) -> None:
    """Route every failure, expected or not, through `render_problem`."""

    @app.errorhandler(Problem)
    def _problem(p: Problem):
        return render_problem(p)

    @app.errorhandler(QueryFailed)
    def _query_failed(exc: QueryFailed):
        return render_problem(problem_from_query_failure(exc))

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if exc.code == 413:
            detail = (f"the request body is larger than this server accepts "
                      f"({app.config.get('MAX_CONTENT_LENGTH')} bytes)")
            return render_problem(Problem(413, detail, "send a shorter query"))
        detail = exc.description or exc.name
        if exc.code == 404:
            detail = f"nothing at {request.path}"
        elif exc.code == 405:
            detail = f"{request.method} is not supported on {request.path}"
        allow = {k: v for k, v in exc.get_headers() if k == "Allow"}
        return render_problem(Problem(exc.code or 500, detail, headers=allow))

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return render_problem(Problem(500, f"internal error ({type(exc).__name__})",
                                      "this is a bug in the server; please report it with the URL"))
