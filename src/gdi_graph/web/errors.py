"""One error format for every route: a `Problem` says what was wrong and how to fix it.

It is rendered as plain text by default (SPARQL clients show the body as is), as RFC 9457
problem JSON when the client prefers JSON, and as a page for browsers. Its texts are Dutch,
or English when the client's Accept-Language prefers English: a `Message` carries both,
a plain string is English and translated by the catalogue in `translations`.
"""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from gdi_graph.messages import DEFAULT, LANGUAGES, Message, text
from gdi_graph.query.executor import ExecutorBusy, QueryFailed
from gdi_graph.rdf.formats import Format
from gdi_graph.web import negotiation
from gdi_graph.web.translations import to_dutch

PROBLEM_JSON = Format("problem", "error", "application/problem+json", ("application/json",))
PLAIN = Format("text", "error", "text/plain; charset=utf-8")
HTML_ERROR = Format("html", "error", "text/html; charset=utf-8", ("application/xhtml+xml",))

_HINTS = {
    400: Message("controleer de parameters van het verzoek", "check the request parameters"),
    404: Message("zie / voor de pagina's, /queries voor de benoemde queries en /sparql voor het endpoint",
                 "see / for the pages, /queries for the named queries and /sparql for the endpoint"),
    405: Message("deze URL beantwoordt GET (en POST waar een query gestuurd wordt); zie /openapi.json",
                 "this URL answers GET (and POST where a query is sent); see /openapi.json"),
    406: Message("vraag een van de formaten die deze URL aanbiedt (zie de Link-header of /openapi.json), "
                 "of voeg ?format= toe",
                 "ask for one of the formats this URL offers (see the Link header or /openapi.json), or add ?format="),
    413: Message("stuur een kleiner verzoek", "send a smaller request"),
    415: Message("stuur de query formulier-gecodeerd (application/x-www-form-urlencoded) of als "
                 "application/sparql-query",
                 "send the query form-encoded (application/x-www-form-urlencoded) or as application/sparql-query"),
}
_TITLES_NL = {
    400: "Ongeldig verzoek", 403: "Niet toegestaan", 404: "Niet gevonden", 405: "Methode niet toegestaan",
    406: "Niet aanvaardbaar", 409: "Conflict", 413: "Verzoek te groot", 414: "URI te lang",
    415: "Mediatype niet ondersteund", 429: "Te veel verzoeken", 500: "Interne serverfout",
    502: "Ongeldig antwoord van de bron", 503: "Dienst niet beschikbaar", 504: "Bron antwoordt niet op tijd",
}
_FIX = {"nl": "Oplossing", "en": "How to fix"}


def language() -> str:
    """nl or en, by the request's Accept-Language; Dutch unless English is preferred.

    Matching is by primary subtag in the client's order of preference: werkzeug's own
    best_match would pick an exact "en" over a preferred "nl-NL".
    """
    for tag, quality in request.accept_languages:
        if quality <= 0:
            continue
        primary = tag.replace("_", "-").split("-", 1)[0].lower()
        if primary in LANGUAGES:
            return primary
        if primary == "*":
            return DEFAULT
    return DEFAULT


def in_language(value: "Message | str | None", lang: str) -> str:
    """A problem text in `lang`: a Message picks its own; a plain string is English, translated for Dutch."""
    if isinstance(value, Message) or value is None:
        return text(value, lang)
    return to_dutch(value) if lang == "nl" else value


class Problem(Exception):
    """An answer other than success; `parameter` names the request parameter at fault, if one is."""

    def __init__(self, status: int, detail: Message | str, hint: Message | str = "", title: str | None = None,
                 headers: dict | None = None, parameter: str | None = None):
        super().__init__(str(detail))
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
    lang = language()
    if p.title:
        title = p.title
    else:
        english = HTTP_STATUS_CODES.get(p.status, "Error")
        title = _TITLES_NL.get(p.status, english) if lang == "nl" else english
    detail, hint = in_language(p.detail, lang), in_language(p.hint, lang)
    # An API answers errors in JSON unless asked otherwise; elsewhere plain text is the default.
    offers = (PROBLEM_JSON, PLAIN, HTML_ERROR) if request.path.startswith("/api/") else (PLAIN, PROBLEM_JSON, HTML_ERROR)
    fmt = negotiation.best(request.accept_mimetypes, offers) or offers[0]
    if fmt is PROBLEM_JSON:
        body = {"type": "about:blank", "title": title, "status": p.status, "detail": detail, "hint": hint}
        if p.parameter:
            body["parameter"] = p.parameter
        resp = jsonify(body)
        resp.mimetype = "application/problem+json"
    elif fmt is HTML_ERROR:
        resp = Response(render_template("error.html", status=p.status, title=title, detail=detail, hint=hint,
                                        hint_label=_FIX[lang]), mimetype="text/html")
    else:
        body = f"{p.status} {title}: {detail}\n"
        if hint:
            body += f"{_FIX[lang]}: {hint}\n"
        resp = Response(body, mimetype="text/plain")
    resp.status_code = p.status
    for k, v in p.headers.items():
        resp.headers[k] = v
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["Content-Language"] = lang
    resp.vary.add("Accept-Language")
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
            limit = app.config.get("MAX_CONTENT_LENGTH")
            detail = Message(f"de body van het verzoek is groter dan deze server aanneemt ({limit} bytes)",
                             f"the request body is larger than this server accepts ({limit} bytes)")
            return render_problem(Problem(413, detail, Message("stuur een kortere query", "send a shorter query")))
        detail = exc.description or exc.name
        if exc.code == 404:
            detail = Message(f"niets op {request.path}", f"nothing at {request.path}")
        elif exc.code == 405:
            detail = Message(f"{request.method} wordt op {request.path} niet ondersteund",
                             f"{request.method} is not supported on {request.path}")
        allow = {k: v for k, v in exc.get_headers() if k == "Allow"}
        return render_problem(Problem(exc.code or 500, detail, headers=allow))

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        name = type(exc).__name__
        return render_problem(Problem(500, Message(f"interne fout ({name})", f"internal error ({name})"),
                                      Message("dit is een fout in de server; meld haar met de URL",
                                              "this is a bug in the server; please report it with the URL")))
