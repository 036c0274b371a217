"""Charts at stable URLs: /grafiek/{indicator}.svg|png and /grafiek/stelsel/{AFK}.svg|png.

A wiki page embeds them as images. A build is immutable, so each drawing is made once per
build and revalidated with the app's one ETag scheme. An indicator's chart shows, like its
page, the newest printing of each year; `?editie=` one edition's, `?alle_edities=true` a bar
per edition that prints the year (web/editions.py).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import Blueprint, Response, request
from pyoxigraph import NamedNode

from gdi_graph.messages import Message
from gdi_graph.rdf.iri import iri_problem
from gdi_graph.web import charts, editions, figures, neighbourhood, urls
from gdi_graph.web.conditional import conditional
from gdi_graph.web.editions import Selection
from gdi_graph.web.errors import Problem
from gdi_graph.web.facts import gdi, labels
from gdi_graph.web.state import state

bp = Blueprint("charts", __name__)
MEDIA = {"svg": "image/svg+xml", "png": "image/png"}
_drawn: OrderedDict = OrderedDict()
_lock = threading.Lock()
KEEP = 128


def _memo(key: tuple, make) -> bytes:
    """Drawings of this build, newest kept; a new build's digest makes new keys."""
    with _lock:
        if key in _drawn:
            _drawn.move_to_end(key)
            return _drawn[key]
    body = make()
    with _lock:
        _drawn[key] = body
        while len(_drawn) > KEEP:
            _drawn.popitem(last=False)
    return body


@bp.get("/grafiek/<path:indicator>.<any(svg, png):fmt>")
def indicator_chart(indicator: str, fmt: str):
    st = state()
    iri = f"{st.settings.base}/id/indicator/{indicator}"
    selection = editions.selection()  # the newest printing of each year by default; one edition; every printing

    def make() -> Response:
        body = _memo((st.digest, "indicator", indicator, fmt, selection.key),
                     lambda: _draw_indicator(iri, fmt, selection))
        return Response(body, mimetype=MEDIA[fmt])

    _exists(iri)
    return conditional(("grafiek", indicator, fmt, selection.key), make)


def _exists(iri: str) -> None:
    problem = iri_problem(iri)
    if problem:
        raise Problem(404, f"there is no indicator at {request.path}: <{iri}> cannot be an IRI ({problem})",
                      "take the path from an indicator's page: /grafiek/<indicator>.svg")
    rows = state().select(f"SELECT ?ind WHERE {{ ?ind a <{gdi('Indicator')}> }} LIMIT 1", {"ind": NamedNode(iri)})
    if not rows:
        raise Problem(404, f"there is no indicator <{iri}> in this graph",
                      "take the path from an indicator's page: /grafiek/<indicator>.svg, where /id/indicator/<indicator> is its IRI")


def _draw_indicator(iri: str, fmt: str, selection: Selection) -> bytes:
    tables = figures.tables_of_indicator(iri, selection)
    subject_iri = next((t.filed_under for t in tables if t.filed_under), None)
    subject = labels([subject_iri]).get(subject_iri, "") if subject_iri else ""
    series = charts.series_from(tables, subject)
    if series is None or not any(v is not None for _, cells in series.editions for v, _ in cells.values()):
        if not selection.newest and figures.tables_of_indicator(iri):
            raise Problem(404, Message(f"de indicator <{iri}> heeft geen cijfers om te tekenen in editie {selection.code}",
                                       f"the indicator <{iri}> has no figures to draw in edition {selection.code}"),
                          Message("laat editie weg voor de nieuwste druk van elk jaar",
                                  "leave out editie for the newest printing of each year"))
        raise Problem(404, f"the indicator <{iri}> has no figures to draw", "see its page for the cells as printed")
    return charts.draw(series, fmt)


@bp.get("/grafiek/stelsel/<afkorting>.<any(svg, png):fmt>")
def neighbourhood_plate(afkorting: str, fmt: str):
    st = state()

    def make() -> Response:
        body = _memo((st.digest, "stelsel", afkorting, fmt), lambda: neighbourhood.draw(afkorting, fmt))
        if fmt == "svg":  # its objects link to their pages on this server
            body = urls.rewrite_base_iris(body)
        return Response(body, mimetype=MEDIA[fmt])

    neighbourhood.check(afkorting)
    return conditional(("buurt", afkorting, fmt, urls.root() if fmt == "svg" else ""), make)
