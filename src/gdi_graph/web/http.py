"""HTTP behaviour shared by every route: errors that say how to fix them, validators, CORS.

- Errors: a `Problem` carries status, what was wrong and how to fix it. It is rendered as
  plain text by default (SPARQL clients show the body as is), as RFC 9457 problem JSON
  when the client prefers JSON, and as a page for browsers.
- Caching: the served graph is immutable per build, so the ETag is derived from the
  build's content hash (plus the representation), `If-None-Match` is answered with 304
  before any query runs, and every GET carries Cache-Control. ETags are weak because
  flask-compress may re-encode the body.
- CORS: a fixed policy for a public read-only service — any origin, GET/POST/HEAD, no
  credentials. A dozen lines; a library would add configuration we must then audit.
"""

from __future__ import annotations

import hashlib

from flask import Flask, Response, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from .. import __version__
from ..executor import ExecutorBusy, QueryFailed
from ..formats import Format
from . import negotiation

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
    def __init__(self, status: int, detail: str, hint: str = "", title: str | None = None,
                 headers: dict | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.hint = hint or _HINTS.get(status, "")
        self.title = title
        self.headers = headers or {}


def state():
    return current_app.extensions["gdi_graph"]


def problem_from_query_failure(exc: QueryFailed) -> Problem:
    headers = {"Retry-After": "5"} if isinstance(exc, ExecutorBusy) else {}
    return Problem(exc.status, exc.message, exc.hint, headers=headers)


def render_problem(p: Problem) -> Response:
    from werkzeug.http import HTTP_STATUS_CODES

    title = p.title or HTTP_STATUS_CODES.get(p.status, "Error")
    fmt = negotiation.best(request.accept_mimetypes, (PLAIN, PROBLEM_JSON, HTML_ERROR)) or PLAIN
    if fmt is PROBLEM_JSON:
        resp = jsonify({"type": "about:blank", "title": title, "status": p.status, "detail": p.detail,
                        "hint": p.hint})
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


def etag(*parts: object) -> str:
    """A validator for one representation of one build: changes with the data, the code and the parts."""
    h = hashlib.sha256("\0".join([state().digest, __version__, *map(str, parts)]).encode()).hexdigest()
    return f"{state().digest[:16]}-{h[:12]}"


def fresh(tag: str) -> bool:
    """The client already has this representation (If-None-Match, weak comparison)."""
    return request.method in ("GET", "HEAD") and request.if_none_match.contains_weak(tag)


def not_modified(tag: str, vary: str | None = None) -> Response:
    resp = Response(status=304)
    resp.set_etag(tag, weak=True)
    if vary:
        resp.headers["Vary"] = vary
    return resp


def install(app: Flask) -> None:
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

    @app.after_request
    def _headers(resp: Response) -> Response:
        h = resp.headers
        h["Access-Control-Allow-Origin"] = "*"
        h["Access-Control-Expose-Headers"] = "ETag, Content-Type, Content-Location, Link, Retry-After"
        if request.method == "OPTIONS":
            h["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
            h["Access-Control-Allow-Headers"] = "Accept, Content-Type, If-None-Match, Cache-Control"
            h["Access-Control-Max-Age"] = "86400"
        if request.method in ("GET", "HEAD") and "Cache-Control" not in h:
            if resp.status_code < 400:
                h["Cache-Control"] = f"public, max-age={state().settings.max_age}"
            else:
                h["Cache-Control"] = "no-store"
        return resp
