"""HTTP for the stelselplaat: the drawing as SVG/PNG and the architect's questions as JSON.

Contract with the app: `current_app.extensions["gdi_graph"]` has `.store` (a pyoxigraph
Store with the build loaded; None for a remote backend) and `.digest` (the build's content
hash). A build is immutable, so every answer is keyed and cached by digest and parameters,
and revalidated with a (weak) ETag: If-None-Match is answered with 304 before any work.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, request

from . import plaat, stelsel

bp = Blueprint("stelsel", __name__)
MAX_AGE = 300


class _Build:
    """A store identified by its build digest, so it can be a cache key."""

    def __init__(self, store, digest: str, queries: Path | None):
        self.store, self.digest, self.queries = store, digest, queries

    def __hash__(self) -> int:
        return hash((self.digest, self.queries))

    def __eq__(self, other) -> bool:
        return isinstance(other, _Build) and (self.digest, self.queries) == (other.digest, other.queries)


@lru_cache(maxsize=16)
def _graph(build: _Build, day):
    return stelsel.load(build.store, day, build.queries)


@lru_cache(maxsize=32)
def _image(build: _Build, fmt: str, day, van, tot) -> bytes:
    g = stelsel.verschil(_graph(build, van), _graph(build, tot)) if van else _graph(build, day)
    return plaat.image(g, fmt)


class _BadRequest(Exception):
    def __init__(self, parameter: str, message: str, status: int = 400):
        super().__init__(message)
        self.parameter, self.message, self.status = parameter, message, status


@bp.errorhandler(_BadRequest)
def _bad_request(exc: _BadRequest):
    response = jsonify({"error": exc.message, "parameter": exc.parameter})
    response.status_code = exc.status
    return response


def _build() -> _Build:
    state = current_app.extensions["gdi_graph"]
    if getattr(state, "store", None) is None:
        raise _BadRequest("", "the stelselplaat needs the embedded store; this server queries a remote endpoint", 503)
    settings = getattr(state, "settings", None)
    return _Build(state.store, state.digest, getattr(settings, "queries", None))


def _date(name: str, default=None):
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        return stelsel.parse_peildatum(raw)
    except stelsel.StelselError as exc:
        raise _BadRequest(name, f"parameter {name!r}: {exc}") from None


def _etag(build: _Build, *key) -> str:
    return hashlib.sha256(repr((build.digest,) + key).encode()).hexdigest()[:32]


def _conditional(etag: str) -> Response | None:
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
        _cache_headers(response, etag)
        return response
    return None


def _cache_headers(response: Response, etag: str) -> Response:
    response.set_etag(etag, weak=True)  # weak: a compressing layer may re-encode the body
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


def _picture(fmt: str) -> Response:
    build = _build()
    day = _date("peildatum", stelsel.DEFAULT_PEILDATUM)
    van, tot = _date("van"), _date("tot")
    if (van is None) != (tot is None):
        missing = "tot" if van else "van"
        raise _BadRequest(missing, "parameters 'van' and 'tot' go together (the difference view)")
    key = (fmt, None if van else day, van, tot)
    etag = _etag(build, "plaat", request.url_root, *key)
    hit = _conditional(etag)
    if hit is not None:
        return hit
    body = _image(build, *key)
    if fmt == "svg":
        # Links lead to this server's resource pages, whatever host it runs on.
        base = current_app.extensions["gdi_graph"].settings.base
        body = body.replace(f'"{base}/'.encode(), f'"{request.url_root}'.encode())
    mimetype = "image/svg+xml" if fmt == "svg" else "image/png"
    return _cache_headers(Response(body, mimetype=mimetype), etag)


@bp.get("/stelselplaat.svg")
def stelselplaat_svg():
    return _picture("svg")


@bp.get("/stelselplaat.png")
def stelselplaat_png():
    return _picture("png")


def _answer(vraag: str, names: tuple[str, ...]) -> Response:
    build = _build()
    day = _date("peildatum", stelsel.DEFAULT_PEILDATUM)
    params = {}
    for name in names:
        value = request.args.get(name, "").strip()
        if not value:
            raise _BadRequest(name, f"parameter {name!r} is required")
        params[name] = value
    etag = _etag(build, vraag, day, tuple(sorted(params.items())))
    hit = _conditional(etag)
    if hit is not None:
        return hit
    g = _graph(build, day)
    try:
        answer = stelsel.antwoord(g, vraag, **params)
    except stelsel.Onbekend as exc:
        parameter = next((n for n, v in params.items() if v == exc.name), names[0])
        raise _BadRequest(parameter, str(exc)) from None
    return _cache_headers(jsonify(answer), etag)


@bp.get("/api/stelsel/pad")
def pad():
    return _answer("pad", ("van", "naar"))


@bp.get("/api/stelsel/afhankelijk")
def afhankelijk():
    return _answer("afhankelijk", ("registratie",))


@bp.get("/api/stelsel/centraal")
def centraal():
    return _answer("centraal", ())


@bp.get("/api/stelsel/niet-beschikbaar")
def niet_beschikbaar():
    return _answer("niet-beschikbaar", ())
