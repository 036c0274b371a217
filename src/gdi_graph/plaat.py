"""The stelselplaat drawn with matplotlib: deterministic, A4 landscape, SVG with links.

Basisregistraties are boxes around the page edge (a fixed slot per registratie, so the
same data always gives the same picture), their registratieobjecten inside, lined up on the
side that faces the middle of the page; verbindingen run as arrows through that open
middle and are drawn above every box. A generalisation (skos:broader) is drawn as an object
nested in its broader object, as in the report. Sizes come from measuring the text with
matplotlib itself, so labels fit their boxes at the chosen font size.
"""

from __future__ import annotations

import io
import textwrap
import threading
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Patch
from matplotlib.text import Text

import networkx as nx

from .stelsel import BESCHIKBAAR, GEDEELTELIJK, NIET, ONGEWIJZIGD, VERDWENEN, VERSCHENEN

PAGE = (11.69, 8.27)  # A4 landscape, inches
W, H = PAGE[0] * 72, PAGE[1] * 72  # the drawing is laid out in points
MARGIN = 18.0
FONT = "DejaVu Sans"  # ships with matplotlib: the same glyphs everywhere
RC = {"svg.hashsalt": "gdi-graph", "svg.fonttype": "path", "font.family": FONT, "path.simplify": False}

# Where each basisregistratie sits: the side of the page and its order along that side.
# The hubs (BAG, BRP, HR) stand in the side columns; the corners above and below them hold
# registraties with no verbinding into that column, so no arrow has to pass through a box.
SLOTS = {
    "top": ["BRT", "BRV", "WOZ", "BRO"],
    "left": ["BAG"],
    "right": ["BRP", "HR"],
    "bottom": ["BRK", "BRI", "BLAU", "BGT"],
}

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

_lock = threading.RLock()  # rcParams and the measuring figure are shared: one plate at a time


# ---------------------------------------------------------------- measuring

@lru_cache(maxsize=1)
def _scratch():
    fig = Figure(figsize=PAGE, dpi=72)
    return fig, FigureCanvasAgg(fig).get_renderer()


@lru_cache(maxsize=4096)
def measure(text: str, size: float, bold: bool = False) -> tuple[float, float]:
    """Width and height in points of a (multi-line) text as matplotlib draws it."""
    fig, renderer = _scratch()
    t = Text(0, 0, text, fontsize=size, fontweight="bold" if bold else "normal", family=FONT,
             multialignment="center", figure=fig)
    box = t.get_window_extent(renderer)
    return box.width, box.height


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width, break_long_words=False)) or text


# ---------------------------------------------------------------- layout

@dataclass
class Item:
    """An object on the plate, or an object with its narrower objects nested inside."""
    iri: str
    text: str
    w: float
    h: float
    children: list["Item"] = field(default_factory=list)
    x: float = 0.0
    y: float = 0.0


@dataclass
class Box:
    afk: str
    reg: dict
    side: str
    title: str
    items: list[Item]
    title_h: float = 0.0
    w: float = 0.0
    h: float = 0.0
    x: float = 0.0
    y: float = 0.0

    @property
    def center(self) -> tuple[float, float]:
        return self.x + self.w / 2, self.y + self.h / 2


@dataclass(frozen=True)
class Sizes:
    scale: float

    @property
    def obj(self): return 8.0 * self.scale
    @property
    def title(self): return 8.0 * self.scale
    @property
    def pad(self): return 5.0 * self.scale
    @property
    def gap(self): return 4.0 * self.scale
    @property
    def marker(self): return 3.4 * self.scale


def _slots(g: nx.DiGraph) -> dict[str, tuple[str, int]]:
    known = {afk: (side, i) for side, afks in SLOTS.items() for i, afk in enumerate(afks)}
    present = sorted({r["afkorting"] for r in g.graph["registraties"].values()})
    count = {side: sum(1 for a in present if a in afks) for side, afks in SLOTS.items()}
    slots = {}
    for afk in present:
        if afk in known:
            slots[afk] = known[afk]
        else:  # a registratie this layout does not know yet: the emptiest row, after the others
            side = min(("top", "bottom"), key=lambda s: (count[s], s))
            slots[afk] = (side, 100 + count[side])
            count[side] += 1
    return slots


def _item(g, n, children, s: Sizes) -> Item:
    text = _wrap(g.nodes[n]["label"], 18)
    w, h = measure(text, s.obj)
    w, h = w + 2 * s.pad + 2, h + 1.6 * s.pad
    if not children:
        return Item(n, text, w, h)
    kids = [_item(g, c, [], s) for c in children]
    h = max(h, 6 * s.scale * g.degree(n))  # arrows meet a group beside its label: leave them room
    inner_w = max(k.w for k in kids)
    for k in kids:
        k.w = inner_w
    return Item(n, text, max(w, inner_w + 2 * s.pad), h + sum(k.h + s.gap for k in kids) + s.pad / 2, kids)


def _box(g, afk, reg, side, s: Sizes) -> Box:
    members = [n for n in g.nodes if g.nodes[n]["afkorting"] == afk]
    narrower = {}
    for n in members:
        b = g.nodes[n].get("broader")
        if b in g.nodes and g.nodes[b]["afkorting"] == afk:
            narrower.setdefault(b, []).append(n)
    tops = [n for n in members if g.nodes[n].get("broader") not in narrower]
    items = [_item(g, n, sorted(narrower.get(n, []), key=lambda c: g.nodes[c]["label"]), s)
             for n in sorted(tops, key=lambda n: g.nodes[n]["label"])]
    title = _wrap(f"{reg['label']} ({afk})", 24)
    tw, th = measure(title, s.title, bold=True)
    tw += 2 * s.marker + s.gap
    if side in ("left", "right"):
        iw = max((i.w for i in items), default=0)
        for i in items:
            i.w = iw
        ih = sum(i.h for i in items) + s.gap * max(len(items) - 1, 0)
    else:
        iw = sum(i.w for i in items) + s.gap * max(len(items) - 1, 0)
        ih = max((i.h for i in items), default=0)
    return Box(afk, reg, side, title, items, title_h=th, w=max(tw, iw) + 2 * s.pad,
               h=th + (s.gap + ih if items else 0) + 2 * s.pad)


@dataclass
class Layout:
    boxes: list[Box]
    sizes: Sizes
    top: float  # y of the top of the ring of boxes
    bottom: float
    fits: bool
    rects: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)
    labels: dict[str, tuple[float, float]] = field(default_factory=dict)
    sides: dict[str, tuple[tuple[float, float], tuple[float, float]]] = field(default_factory=dict)


def layout(g: nx.DiGraph, bottom: float = MARGIN + 46) -> Layout:
    """Place boxes and objects above `bottom`; shrink the type until everything fits the page."""
    for scale in (1.0, 0.94, 0.88, 0.82, 0.76, 0.7):
        result = _layout(g, Sizes(scale), bottom)
        if result.fits:
            return result
    return result


def _layout(g: nx.DiGraph, s: Sizes, bottom: float) -> Layout:
    slots = _slots(g)
    regs = {r["afkorting"]: r for r in g.graph["registraties"].values()}
    boxes = [_box(g, afk, regs[afk], side, s) for afk, (side, _) in sorted(slots.items(), key=lambda kv: kv[1])]
    by_side = {side: [b for b in boxes if b.side == side] for side in SLOTS}
    top = H - MARGIN - 44  # room for the title
    fits = True
    span = W - 2 * MARGIN
    for side in ("top", "bottom"):
        row = by_side[side]
        total = sum(b.w for b in row)
        free = span - total
        step = free / (len(row) - 1) if len(row) > 1 else 0
        fits &= free >= 12 * max(len(row) - 1, 0)
        x = MARGIN + (free / 2 if len(row) == 1 else 0)
        for b in row:
            b.x, x = x, x + b.w + step
            b.y = top - b.h if side == "top" else bottom
    top_h = max((b.h for b in by_side["top"]), default=0)
    bottom_h = max((b.h for b in by_side["bottom"]), default=0)
    band_hi, band_lo = top - top_h - 14, bottom + bottom_h + 14
    for side in ("left", "right"):
        col = by_side[side]
        total = sum(b.h for b in col) + 14 * max(len(col) - 1, 0)
        fits &= total <= band_hi - band_lo
        y = (band_hi + band_lo) / 2 + total / 2
        for b in col:
            b.y, y = y - b.h, y - b.h - 14
            b.x = MARGIN if side == "left" else W - MARGIN - b.w
    side_w = max((b.w for b in by_side["left"]), default=0) + max((b.w for b in by_side["right"]), default=0)
    fits &= span - side_w >= 160
    out = Layout(boxes, s, top, bottom, fits)
    _order_items(g, out)
    _place_items(out)
    return out


def _order_items(g: nx.DiGraph, lay: Layout) -> None:
    """Order objects in each box by where their verbindingen go, to keep arrows from crossing."""
    centre = {b.afk: b.center for b in lay.boxes}
    for b in lay.boxes:
        axis = 1 if b.side in ("left", "right") else 0

        def pull(item: Item) -> float:
            nodes = [item.iri] + [c.iri for c in item.children]
            others = [centre[g.nodes[m]["afkorting"]][axis] for n in nodes
                      for m in list(g.successors(n)) + list(g.predecessors(n)) if g.nodes[m]["afkorting"] != b.afk]
            return sum(others) / len(others) if others else b.center[axis]

        key = (lambda i: (-pull(i), i.text)) if axis == 1 else (lambda i: (pull(i), i.text))
        b.items.sort(key=key)


def _place_items(lay: Layout) -> None:
    s = lay.sizes
    for b in lay.boxes:
        if b.side in ("left", "right"):
            y = b.y + b.h - s.pad - b.title_h - s.gap
            for i in b.items:
                i.x = b.x + s.pad if b.side == "right" else b.x + b.w - s.pad - i.w
                i.y, y = y - i.h, y - i.h - s.gap
        else:
            iw = sum(i.w for i in b.items) + s.gap * max(len(b.items) - 1, 0)
            x = b.x + (b.w - iw) / 2
            for i in b.items:
                i.x, x = x, x + i.w + s.gap
                i.y = b.y + s.pad if b.side == "top" else b.y + b.h - s.pad - i.h
        for i in b.items:
            lay.rects[i.iri] = (i.x, i.y, i.w, i.h)
            header = i.h - sum(k.h + s.gap for k in i.children) - s.pad / 2 if i.children else i.h
            label_y = i.y + i.h - header / 2
            lay.labels[i.iri] = (i.x + i.w / 2, label_y)
            # Arrows attach on the side facing the middle; on a nested group only level with its
            # own label, so they do not seem to point at one of the objects nested in it.
            lay.sides[i.iri] = _inner_side(b.side, (i.x, i.y, i.w, i.h), i.y + i.h - header)
            y = i.y + i.h - header
            for k in i.children:
                k.x = i.x + (i.w - k.w) / 2 if b.side in ("top", "bottom") else (
                    i.x + s.pad if b.side == "right" else i.x + i.w - s.pad - k.w)
                k.y, y = y - k.h, y - k.h - s.gap
                lay.rects[k.iri] = (k.x, k.y, k.w, k.h)
                lay.labels[k.iri] = (k.x + k.w / 2, k.y + k.h / 2)
                lay.sides[k.iri] = _inner_side(b.side, (k.x, k.y, k.w, k.h), k.y)


def _inner_side(side: str, rect, low: float):
    """The edge segment of an item that faces the middle of the page, top to bottom or left to
    right; on a vertical edge only the part above `low`."""
    x, y, w, h = rect
    return {"left": ((x + w, y + h), (x + w, low)), "right": ((x, y + h), (x, low)),
            "top": ((x, y), (x + w, y)), "bottom": ((x, y + h), (x + w, y + h))}[side]


def ports(g: nx.DiGraph, lay: Layout) -> dict[tuple[str, str, str], tuple[float, float]]:
    """Where each verbinding meets each of its two objects: spread along the inner side, in the
    order of the objects at the other end, so arrows into one object neither share a point
    nor cross each other there. Keyed by (van, naar, object)."""
    out = {}
    for n, ((ax_, ay), (bx, by)) in lay.sides.items():
        ends = [(u, v, v if u == n else u) for u, v in list(g.out_edges(n)) + list(g.in_edges(n))]
        vertical = ax_ == bx

        def along(end):
            x, y, w, h = lay.rects[end[2]]
            return -(y + h / 2) if vertical else x + w / 2

        ends.sort(key=lambda e: (along(e), e[0], e[1]))
        inset = 0.15 if len(ends) > 1 else 0.5
        for i, (u, v, _) in enumerate(ends):
            t = 0.5 if len(ends) == 1 else inset + (1 - 2 * inset) * i / (len(ends) - 1)
            out[(u, v, n)] = (ax_ + (bx - ax_) * t, ay + (by - ay) * t)
    return out


# ---------------------------------------------------------------- drawing

@dataclass
class Part:
    """A drawn element: what it is, its key, the artist, and the keys of the parts it lies in."""
    kind: str  # box, group, object, label, marker, title, legend, arrow
    key: str
    artist: object
    inside: tuple[str, ...] = ()


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
        parts.append(Part("arrow", d["iri"], arrow, (g.nodes[van]["registratie"], g.nodes[naar]["registratie"])))

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
    with _lock, matplotlib.rc_context(RC):
        if fmt == "svg":
            p.figure.savefig(buf, format="svg", metadata={"Date": None, "Title": p.title})
        elif fmt == "png":
            p.figure.savefig(buf, format="png", dpi=dpi, metadata={"Title": p.title})
        else:
            raise ValueError(f"unknown image format {fmt!r}; use svg or png")
    return buf.getvalue()


def image(g: nx.DiGraph, fmt: str, dpi: int = 150) -> bytes:
    """Draw and render in one go (thread-safe): a stelsel from stelsel.load or stelsel.verschil."""
    with _lock:
        p = verschilplaat(g) if "van" in g.graph else plaat(g)
        try:
            return render(p, fmt, dpi)
        finally:
            p.figure.clear()


@dataclass(frozen=True)
class Extent:
    kind: str
    key: str
    bbox: tuple[float, float, float, float]  # x0, y0, x1, y1 in display units
    inside: tuple[str, ...]


def extents(p: Plaat) -> list[Extent]:
    """The drawn extents of every label, marker, box, title and the legend (arrows excluded)."""
    renderer = p.figure.canvas.get_renderer()
    out = []
    for part in p.parts:
        if part.kind == "arrow":
            continue
        b = part.artist.get_window_extent(renderer)
        out.append(Extent(part.kind, part.key, (b.x0, b.y0, b.x1, b.y1), part.inside))
    return out


def overlaps(found: list[Extent], tolerance: float = 0.5) -> list[tuple[Extent, Extent]]:
    """Pairs of extents that overlap although neither lies inside the other by design."""
    bad = []
    for i, a in enumerate(found):
        for b in found[i + 1:]:
            if a.key in b.inside or b.key in a.inside:
                continue
            if (min(a.bbox[2], b.bbox[2]) - max(a.bbox[0], b.bbox[0]) > tolerance
                    and min(a.bbox[3], b.bbox[3]) - max(a.bbox[1], b.bbox[1]) > tolerance):
                bad.append((a, b))
    return bad


def off_page(p: Plaat, found: list[Extent] | None = None) -> list[Extent]:
    """Extents that do not lie wholly on the page."""
    page = p.figure.bbox
    return [e for e in (found or extents(p))
            if e.bbox[0] < page.x0 - 0.5 or e.bbox[1] < page.y0 - 0.5 or e.bbox[2] > page.x1 + 0.5
            or e.bbox[3] > page.y1 + 0.5]


def crossings(p: Plaat, inset: float = 2.0) -> list[tuple[str, str]]:
    """(verbinding, registratie) pairs where an arrow runs through a box that is neither its
    start's nor its end's basisregistratie box."""
    renderer = p.figure.canvas.get_renderer()
    boxes = {part.key: part.artist.get_window_extent(renderer) for part in p.parts if part.kind == "box"}
    found = []
    for part in p.parts:
        if part.kind != "arrow":
            continue
        own = part.inside
        arrow = part.artist
        points = [pt for poly in arrow.get_path().to_polygons(closed_only=False) for pt in poly]
        display = arrow.get_transform().transform(points) if points else []
        for key, b in boxes.items():
            if key in own:
                continue
            if any(b.x0 + inset < x < b.x1 - inset and b.y0 + inset < y < b.y1 - inset for x, y in display):
                found.append((part.key, key))
    return found


def links(p: Plaat) -> dict[str, str]:
    """IRI of every linked part by kind:key, for checks."""
    return {f"{part.kind}:{part.key}": part.artist.get_url() for part in p.parts if part.artist.get_url()}


__all__ = ["plaat", "verschilplaat", "render", "image", "extents", "overlaps", "off_page", "crossings", "layout", "Plaat",
           "Extent"]
