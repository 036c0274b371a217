"""The stelselplaat of one basisregistratie's neighbourhood, for its reading page.

The stelsel graph (stelsel.graph.load through the backend, on the default peildatum) cut down
to the registratie's objects and the objects of other registraties joined to them by a
verbinding, drawn by the same code as the whole plate.
"""

from __future__ import annotations

import threading

import networkx as nx

from gdi_graph.stelsel import draw as plate
from gdi_graph.stelsel import graph
from gdi_graph.web.errors import Problem
from gdi_graph.web.state import state

_loaded: dict[tuple, nx.DiGraph] = {}
_lock = threading.Lock()


def stelsel() -> nx.DiGraph:
    """The stelsel on the default peildatum, loaded once per build."""
    st = state()
    key = (st.digest, str(st.settings.queries))
    with _lock:
        if key not in _loaded:
            _loaded.clear()
            _loaded[key] = graph.load(st.select, graph.DEFAULT_PEILDATUM, st.queries)
        return _loaded[key]


def check(afkorting: str) -> None:
    g = stelsel()
    if afkorting not in graph.registraties(g):
        known = ", ".join(graph.registraties(g))
        raise Problem(404, f"{afkorting!r} is not a basisregistratie in the stelsel on "
                           f"{graph.DEFAULT_PEILDATUM:%d-%m-%Y}", f"choose one of {known}")


def subgraph(g: nx.DiGraph, afkorting: str) -> nx.DiGraph:
    own = {n for n, d in g.nodes(data=True) if d["afkorting"] == afkorting}
    near = set(own)
    for van, naar in g.edges:
        if van in own or naar in own:
            near |= {van, naar}
    sub = g.subgraph(near).copy()
    present = {d["registratie"] for _, d in sub.nodes(data=True)}
    sub.graph = dict(g.graph)
    sub.graph["registraties"] = {k: v for k, v in g.graph["registraties"].items() if k in present}
    return sub


def draw(afkorting: str, fmt: str) -> bytes:
    return plate.image(subgraph(stelsel(), afkorting), fmt)


def dependants(afkorting: str) -> list[dict] | None:
    """What depends on the registratie (stelsel.graph.afhankelijk, the architect's question), with
    the registratie of each object as {iri, label}; None when it is not in the stelsel then."""
    g = stelsel()
    try:
        rows = graph.afhankelijk(g, afkorting)
    except graph.Onbekend:
        return None
    regs = {r["afkorting"]: r for r in g.graph["registraties"].values()}
    for row in rows:
        reg = regs.get(row["registratie"])
        row["registratie_iri"] = reg["iri"] if reg else None
        row["registratie_label"] = reg["label"] if reg else row["registratie"]
    return rows
