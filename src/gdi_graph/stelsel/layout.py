"""Where everything on the stelselplaat goes: a deterministic layout in points on A4 landscape.

Basisregistraties are boxes around the page edge (a fixed slot per registratie, so the
same data always gives the same picture), their registratieobjecten inside, lined up on the
side that faces the middle of the page, where the verbindingen run. Sizes come from
measuring the text with matplotlib itself, so labels fit their boxes at the chosen font size.
"""

from __future__ import annotations

import textwrap
import threading
from dataclasses import dataclass, field
from functools import lru_cache

import networkx as nx
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

PAGE = (11.69, 8.27)  # A4 landscape, inches
W, H = PAGE[0] * 72, PAGE[1] * 72  # the drawing is laid out in points
MARGIN = 18.0
FONT = "DejaVu Sans"  # ships with matplotlib: the same glyphs everywhere
# Where each basisregistratie sits: the side of the page and its order along that side.
# The hubs (BAG, BRP, HR) stand in the side columns; the corners above and below them hold
# registraties with no verbinding into that column, so no arrow has to pass through a box.
SLOTS = {
    "top": ["BRT", "BRV", "WOZ", "BRO"],
    "left": ["BAG"],
    "right": ["BRP", "HR"],
    "bottom": ["BRK", "BRI", "BLAU", "BGT"],
}

RC = {"svg.hashsalt": "gdi-graph", "svg.fonttype": "path", "font.family": FONT, "path.simplify": False}

lock = threading.RLock()  # rcParams and the measuring figure are shared: one plate at a time

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


