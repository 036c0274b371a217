"""The stelselplaat drawn with matplotlib: deterministic, A4 landscape, SVG with links.

Verbindingen run as arrows through the open middle of the layout (see layout.py) and are
drawn above every box. A generalisation (skos:broader) is drawn as an object nested in its
broader object, as in the report.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import matplotlib
import networkx as nx
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Patch

from gdi_graph.stelsel.graph import (
    BESCHIKBAAR,
    GEDEELTELIJK,
    NIET,
    ONGEWIJZIGD,
    VERDWENEN,
    VERSCHENEN,
)
from gdi_graph.stelsel.layout import (
    FONT,
    MARGIN,
    PAGE,
    RC,
    H,
    Layout,
    W,
    layout,
    lock,
    ports,
)

INK = "#1f2d3d"
STAND = {  # registratie box: (fill, edge)
    True: ("#dbe8f5", "#1f4e79"),
    False: ("#eeeeee", "#808080"),
}
VERBINDING_COLOR = {BESCHIKBAAR: "#1f4e79", GEDEELTELIJK: "#c77c02", NIET: "#c0392b"}
VERBINDING_STYLE = {BESCHIKBAAR: "-", GEDEELTELIJK: (0, (6, 2, 1.5, 2)), NIET: (0, (3.5, 2.5))}
VERSCHIL = {  # kind: (fill, edge/arrow colour, legend text)
    VERSCHENEN: ("#d9f0d3", "#1b7837", "verschenen of beschikbaar geworden"),
    VERDWENEN: ("#fddbc7", "#b2182b", "verdwenen of niet meer beschikbaar"),
    ONGEWIJZIGD: ("#f2f2f2", "#8c8c8c", "ongewijzigd"),
}
GEOMETRY_COLOR = "#2e6b30"

# ---------------------------------------------------------------- drawing

@dataclass
class Part:
    """A drawn element: what it is, its key, the artist, and the keys of the parts it lies in."""
    kind: str  # box, group, object, label, marker, title, legend, arrow
    key: str
    artist: object
    inside: tuple[str, ...] = ()
    ends: tuple[str, ...] = ()  # an arrow's two objects (van, naar)


@dataclass
class Plaat:
    figure: Figure
    parts: list[Part]
    title: str


def _gid(iri: str) -> str:
    """The part of the IRI after /id/{type}/, as an XML id: BAG, BAG-pand, BRV-…--BRP-…."""
    return iri.rstrip("/").split("/id/", 1)[-1].split("/", 1)[-1].replace("/", "-")


def _fmt(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def plaat(g: nx.DiGraph) -> Plaat:
    """The stelselplaat of one peildatum (a graph from stelsel.load)."""
    return _draw(g, f"Stelselplaat, stand {_fmt(g.graph['peildatum'])}", diff=False)


def verschilplaat(u: nx.DiGraph) -> Plaat:
    """The difference view (a graph from stelsel.verschil)."""
    return _draw(u, f"Stelselplaat, verschil {_fmt(u.graph['van'])} → {_fmt(u.graph['peildatum'])}", diff=True)


def _draw(g: nx.DiGraph, title: str, diff: bool) -> Plaat:
    fig = Figure(figsize=PAGE, dpi=72)
    canvas = FigureCanvasAgg(fig)
    legend = fig.legend(handles=_legend(diff), loc="lower center", bbox_to_anchor=(0.5, MARGIN / H / 2), ncol=4,
                        frameon=True, edgecolor="#bbbbbb", handlelength=3.2, columnspacing=1.6,
                        prop={"family": FONT, "size": 7.5})
    legend.set_zorder(6)
    lay = layout(g, bottom=legend.get_window_extent(canvas.get_renderer()).y1 + 10)
    s = lay.sizes
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, W)
    ax.set_ylim(0, H)
    ax.set_axis_off()
    parts: list[Part] = []

    def colours(kind_or_available, *, box: bool):
        if diff:
            fill, edge, _ = VERSCHIL[kind_or_available]
            return (fill if box else "white"), edge
        fill, edge = STAND[kind_or_available]
        return (fill if box else "white"), edge

    for b in lay.boxes:
        key = b.reg["iri"]
        fill, edge = colours(b.reg.get("verschil") if diff else b.reg["beschikbaar"], box=True)
        rect = FancyBboxPatch((b.x, b.y), b.w, b.h, boxstyle=f"round,pad=0,rounding_size={4 * s.scale}",
                              facecolor=fill, edgecolor=edge, linewidth=1.3,
                              linestyle="-" if b.reg["beschikbaar"] else (0, (4, 2)), zorder=1)
        rect.set_url(key)
        rect.set_gid(f"registratie-{_gid(key)}")
        ax.add_patch(rect)
        parts.append(Part("box", key, rect))
        ty = b.y + b.h - s.pad - b.title_h / 2 if b.side != "bottom" else b.y + s.pad + b.title_h / 2
        marker = Circle((b.x + s.pad + s.marker, ty), s.marker, zorder=4, linewidth=1.0,
                        edgecolor=GEOMETRY_COLOR, facecolor=GEOMETRY_COLOR if b.reg["geometrie"] else "white")
        marker.set_gid(f"geometrie-{_gid(key)}")
        ax.add_patch(marker)
        parts.append(Part("marker", f"{key}#geometrie", marker, (key,)))
        text = ax.text(b.x + s.pad + 2 * s.marker + s.gap, ty, b.title, fontsize=s.title, fontweight="bold",
                       family=FONT, ha="left", va="center", color=INK, zorder=4)
        text.set_url(key)
        text.set_gid(f"titel-{_gid(key)}")
        parts.append(Part("label", f"{key}#titel", text, (key,)))
        for item in b.items:
            for obj, container in [(item, ())] + [(k, (item.iri,)) for k in item.children]:
                fill, edge = colours(g.nodes[obj.iri].get("verschil") if diff else b.reg["beschikbaar"], box=False)
                r = FancyBboxPatch((obj.x, obj.y), obj.w, obj.h, boxstyle=f"round,pad=0,rounding_size={3 * s.scale}",
                                   facecolor=fill, edgecolor=edge, linewidth=0.9, zorder=2 + len(container))
                r.set_url(obj.iri)
                r.set_gid(f"object-{_gid(obj.iri)}")
                ax.add_patch(r)
                inside = (key,) + container
                parts.append(Part("group" if obj.children else "object", obj.iri, r, inside))
                label = ax.text(*lay.labels[obj.iri], obj.text, fontsize=s.obj, family=FONT, ha="center",
                                va="center", multialignment="center", color=INK, zorder=5)
                label.set_url(obj.iri)
                label.set_gid(f"label-{_gid(obj.iri)}")
                parts.append(Part("label", f"{obj.iri}#label", label, inside + (obj.iri,)))

    centre = (W / 2, (lay.top + lay.bottom) / 2)
    at = ports(g, lay)
    for van, naar in sorted(g.edges):
        d = g.edges[van, naar]
        pa, pb = at[(van, naar, van)], at[(van, naar, naar)]
        same_side = _side(g, lay, van) == _side(g, lay, naar)
        colour = VERSCHIL[d["verschil"]][1] if diff else VERBINDING_COLOR[d["status"]]
        arrow = FancyArrowPatch(pa, pb, arrowstyle="-|>", mutation_scale=9 * s.scale,
                                connectionstyle=f"arc3,rad={_bend(pa, pb, centre, 0.35 if same_side else 0.08)}",
                                linewidth=1.2, linestyle=VERBINDING_STYLE[d["status"]], color=colour,
                                shrinkA=0.5, shrinkB=0.5, zorder=10)
        arrow.set_url(d["iri"])
        arrow.set_gid(f"verbinding-{_gid(d['iri'])}")
        ax.add_patch(arrow)
        parts.append(Part("arrow", d["iri"], arrow, (g.nodes[van]["registratie"], g.nodes[naar]["registratie"]),
                          (van, naar)))

    t = ax.text(W / 2, H - MARGIN - 8, title, fontsize=15, fontweight="bold", family=FONT, ha="center",
                va="center", color=INK, zorder=6)
    parts.append(Part("title", "titel", t))
    sub = ("Stelsel van Basisregistraties: registratieobjecten per basisregistratie en de verbindingen ertussen "
           "(pijl van verwijzend naar verwezen object)")
    st = ax.text(W / 2, H - MARGIN - 27, sub, fontsize=8, family=FONT, ha="center", va="center", color="#555555",
                 zorder=6)
    parts.append(Part("title", "ondertitel", st))
    parts.append(Part("legend", "legenda", legend))
    return Plaat(fig, parts, title)


def _side(g, lay: Layout, node: str) -> str:
    afk = g.nodes[node]["afkorting"]
    return next(b.side for b in lay.boxes if b.afk == afk)


def _bend(pa, pb, centre, amount: float) -> float:
    """arc3 radius whose bulge points to the middle of the page (where there is room)."""
    dx, dy = pb[0] - pa[0], pb[1] - pa[1]
    mx, my = (pa[0] + pb[0]) / 2, (pa[1] + pb[1]) / 2
    towards = dy * (centre[0] - mx) - dx * (centre[1] - my)
    return round(amount if towards >= 0 else -amount, 3)


def _legend(diff: bool) -> list:
    arrow = lambda status, colour, text: Line2D([], [], color=colour, linewidth=1.4,
                                               linestyle=VERBINDING_STYLE[status], label=text)
    geo = lambda filled, text: Line2D([], [], linestyle="none", marker="o", markersize=6.5,
                                      markeredgecolor=GEOMETRY_COLOR,
                                      markerfacecolor=GEOMETRY_COLOR if filled else "white", label=text)
    if diff:
        grey = VERSCHIL[ONGEWIJZIGD][1]
        return [Patch(facecolor=f, edgecolor=e, linewidth=1.2, label=t.capitalize()) for f, e, t in VERSCHIL.values()] + [
            arrow(BESCHIKBAAR, grey, "Verbinding beschikbaar"),
            arrow(GEDEELTELIJK, grey, "Verbinding gedeeltelijk beschikbaar"),
            arrow(NIET, grey, "Verbinding niet beschikbaar"),
            Patch(facecolor="white", edgecolor=grey, linewidth=1.2, linestyle=(0, (4, 2)),
                  label="Basisregistratie niet beschikbaar"),
            geo(True, "BR bevat geometrie"),
            geo(False, "BR bevat nog geen geometrie"),
        ]
    return [
        arrow(BESCHIKBAAR, VERBINDING_COLOR[BESCHIKBAAR], "Verbinding beschikbaar"),
        arrow(GEDEELTELIJK, VERBINDING_COLOR[GEDEELTELIJK], "Verbinding gedeeltelijk beschikbaar"),
        arrow(NIET, VERBINDING_COLOR[NIET], "Verbinding niet beschikbaar"),
        Patch(facecolor=STAND[True][0], edgecolor=STAND[True][1], linewidth=1.2, label="Basisregistratie beschikbaar"),
        Patch(facecolor=STAND[False][0], edgecolor=STAND[False][1], linewidth=1.2, linestyle=(0, (4, 2)),
              label="Basisregistratie niet beschikbaar"),
        geo(True, "BR bevat geometrie"),
        geo(False, "BR bevat nog geen geometrie"),
    ]


# ---------------------------------------------------------------- output and checks

def render(p: Plaat, fmt: str, dpi: int = 150) -> bytes:
    """SVG or PNG bytes; the SVG is byte-stable for the same data (fixed salt, no date)."""
    buf = io.BytesIO()
    with lock, matplotlib.rc_context(RC):
        if fmt == "svg":
            p.figure.savefig(buf, format="svg", metadata={"Date": None, "Title": p.title})
        elif fmt == "png":
            p.figure.savefig(buf, format="png", dpi=dpi, metadata={"Title": p.title})
        else:
            raise ValueError(f"unknown image format {fmt!r}; use svg or png")
    return buf.getvalue()


def image(g: nx.DiGraph, fmt: str, dpi: int = 150) -> bytes:
    """Draw and render in one go (thread-safe): a stelsel from stelsel.load or stelsel.verschil."""
    with lock:
        p = verschilplaat(g) if "van" in g.graph else plaat(g)
        try:
            return render(p, fmt, dpi)
        finally:
            p.figure.clear()


