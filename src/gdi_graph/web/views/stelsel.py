"""The stelselplaat as SVG/PNG and the architect's questions as JSON.

A build is immutable, so the networkx graph and every drawing are cached per build digest
and parameters, and revalidated with the app's one ETag scheme.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, jsonify, request

from gdi_graph.stelsel import draw, graph
from gdi_graph.web import urls
from gdi_graph.web.conditional import conditional
from gdi_graph.web.errors import Problem
from gdi_graph.web.state import state

bp = Blueprint("stelsel", __name__)


class _Build:
    """A store identified by its build digest, so it can be a cache key."""

    def __init__(self, store, digest: str, queries: Path):
        self.store, self.digest, self.queries = store, digest, queries

    def __hash__(self) -> int:
        return hash((self.digest, self.queries))

    def __eq__(self, other) -> bool:
        return isinstance(other, _Build) and (self.digest, self.queries) == (other.digest, other.queries)


@lru_cache(maxsize=16)
def _graph(build: _Build, day):
    return graph.load(build.store, day, build.queries)


@lru_cache(maxsize=32)
def _image(build: _Build, fmt: str, day, van, tot) -> bytes:
    g = graph.verschil(_graph(build, van), _graph(build, tot)) if van else _graph(build, day)
    return draw.image(g, fmt)


def _build() -> _Build:
    st = state()
    if st.store is None:
        raise Problem(503, "the stelselplaat needs the embedded store; this server queries a remote endpoint",
                      "run the server without --remote for the stelselplaat")
    return _Build(st.store, st.digest, st.settings.queries)


def _date(name: str, default=None):
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        return graph.parse_peildatum(raw)
    except graph.StelselError as exc:
        raise Problem(400, f"parameter {name!r}: {exc}", parameter=name) from None


def _picture(fmt: str) -> Response:
    build = _build()
    day = _date("peildatum", graph.DEFAULT_PEILDATUM)
    van, tot = _date("van"), _date("tot")
    if (van is None) != (tot is None):
        missing = "tot" if van else "van"
        raise Problem(400, "parameters 'van' and 'tot' go together (the difference view)", parameter=missing)
    key = (fmt, None if van else day, van, tot)

    def make() -> Response:
        body = _image(build, *key)
        if fmt == "svg":
            body = urls.rewrite_base_iris(body)
        return Response(body, mimetype="image/svg+xml" if fmt == "svg" else "image/png")

    return conditional(("plaat", urls.root(), *key), make)


@bp.get("/stelselplaat.svg")
def stelselplaat_svg():
    return _picture("svg")


@bp.get("/stelselplaat.png")
def stelselplaat_png():
    return _picture("png")


def _answer(vraag: str, names: tuple[str, ...]) -> Response:
    build = _build()
    day = _date("peildatum", graph.DEFAULT_PEILDATUM)
    params = {}
    for name in names:
        value = request.args.get(name, "").strip()
        if not value:
            raise Problem(400, f"parameter {name!r} is required", parameter=name)
        params[name] = value

    def make() -> Response:
        try:
            answer = graph.antwoord(_graph(build, day), vraag, **params)
        except graph.Onbekend as exc:
            parameter = next((n for n, v in params.items() if v == exc.name), names[0])
            raise Problem(400, str(exc), parameter=parameter) from None
        return jsonify(answer)

    return conditional((vraag, day, tuple(sorted(params.items()))), make)


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
