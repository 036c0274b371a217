"""The stelselplaat as SVG/PNG and the architect's questions as JSON.

The networkx graph is read through the backend's `select`, so both work on the embedded
store and on a remote one. A build is immutable, so the graph and every drawing are kept
with the build they came from (`Build.memo`, dropped with it) and revalidated with the
app's one ETag scheme.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from gdi_graph.stelsel import draw, graph
from gdi_graph.web import urls
from gdi_graph.web.conditional import conditional
from gdi_graph.web.errors import Problem
from gdi_graph.web.state import Build, state

bp = Blueprint("stelsel", __name__)


def _graph(build: Build, day):
    return build.memo(("stelsel", day), lambda: graph.load(build.backend.select, day, build.queries))


def _image(build: Build, fmt: str, day, van, tot) -> bytes:
    def make() -> bytes:
        g = graph.verschil(_graph(build, van), _graph(build, tot)) if van else _graph(build, day)
        return draw.image(g, fmt)

    return build.memo(("plaat", fmt, day, van, tot), make)


def _build() -> Build:
    return state().build()


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
