"""Where everything on the stelselplaat goes: a deterministic layout in points on A4 landscape.

Basisregistraties are boxes around the page edge (a fixed slot per registratie, so the
same data always gives the same picture), their registratieobjecten inside, lined up on the
side that faces the middle of the page, where the verbindingen run. Sizes come from
measuring the text with matplotlib itself, so labels fit their boxes at the chosen font size.
"""

from __future__ import annotations

import itertools
import textwrap
import threading
from dataclasses import dataclass, field
from functools import lru_cache

import networkx as nx
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.transforms import Bbox

PAGE = (11.69, 8.27)  # A4 landscape, inches
W, H = PAGE[0] * 72, PAGE[1] * 72  # the drawing is laid out in points
MARGIN = 18.0
FONT = "DejaVu Sans"  # ships with matplotlib: the same glyphs everywhere
# Where each basisregistratie sits: the side of the page and its order along that side.
# The hubs (BAG, BRP, HR) stand in the side columns, the others in a row above and below.
# Chosen by measuring the 2016 and 2017 stelsels: of the arrangements that fit, taken in
# order of the crossings they force (ring_crossings), the one with the fewest drawn crossings
# whose arrows all stay off the boxes. A fixed table, so plates of different peildata look alike.
SLOTS = {
    "top": ["BRT", "WOZ", "BRV", "BRO"],
    "left": ["BAG"],
    "right": ["HR", "BRP"],
    "bottom": ["BGT", "BRK", "BLAU", "BRI"],
}
# The arrangement before the crossings were counted: the baseline they are measured against.
BASELINE_SLOTS = {
    "top": ["BRT", "BRV", "WOZ", "BRO"],
    "left": ["BAG"],
    "right": ["BRP", "HR"],
    "bottom": ["BRK", "BRI", "BLAU", "BGT"],
}

# Words stay text in the SVG ("none"): searchable, selectable, read aloud (draw.for_people).
RC = {"svg.hashsalt": "gdi-graph", "svg.fonttype": "none", "font.family": FONT, "path.simplify": False}

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


def _slots(g: nx.DiGraph, table: dict[str, list[str]]) -> dict[str, tuple[str, int]]:
    known = {afk: (side, i) for side, afks in table.items() for i, afk in enumerate(afks)}
    present = sorted({r["afkorting"] for r in g.graph["registraties"].values()})
    count = {side: sum(1 for a in present if a in afks) for side, afks in table.items()}
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
    # where each verbinding meets each of its objects, keyed by (van, naar, object)
    ports: dict[tuple[str, str, str], tuple[float, float]] = field(default_factory=dict)
    routes: dict[tuple[str, str], Path] = field(default_factory=dict)  # the line of each verbinding


STRATEGIES = ("ring", "baseline")


def layout(g: nx.DiGraph, bottom: float = MARGIN + 46, strategy: str = "ring") -> Layout:
    """Place boxes and objects above `bottom`, shrinking the type until everything fits the
    page, then route the verbindingen.

    `strategy="ring"` orders objects and ports to keep arrows from crossing (_order_on_ring,
    _ring_ports, _choose_routes); `"baseline"` is the earlier arrangement and routing, kept as
    the baseline the crossing counts are measured against (README, tests).
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}; use one of {', '.join(STRATEGIES)}")
    table = SLOTS if strategy == "ring" else BASELINE_SLOTS
    for scale in (1.0, 0.94, 0.88, 0.82, 0.76, 0.7):
        result = _layout(g, Sizes(scale), bottom, table)
        if result.fits:
            break
    if strategy == "ring":
        _order_on_ring(g, result)
        _place_items(result)
        result.ports = _ring_ports(g, result)
        result.routes = _choose_routes(g, result)
    else:
        _order_by_registratie(g, result)
        _place_items(result)
        result.ports = _ports_along(g, result)
        result.routes = {(u, v): _baseline_route(g, result, u, v) for u, v in g.edges}
    return result


def _layout(g: nx.DiGraph, s: Sizes, bottom: float, table: dict[str, list[str]]) -> Layout:
    slots = _slots(g, table)
    regs = {r["afkorting"]: r for r in g.graph["registraties"].values()}
    boxes = [_box(g, afk, regs[afk], side, s) for afk, (side, _) in sorted(slots.items(), key=lambda kv: kv[1])]
    by_side = {side: [b for b in boxes if b.side == side] for side in table}
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
    return Layout(boxes, s, top, bottom, fits)


# ---------------------------------------------------------------- routing: the ring

# Every object's inner side faces the open middle, so the objects lie on a ring around it.
# Two straight verbindingen inside the ring cross exactly when their ends alternate along
# the ring; ordering objects (and the ports on each object) along the ring decides how many
# arrows must cross, before any line is drawn.
_CLOCKWISE = {"top": 0, "right": 1, "bottom": 2, "left": 3}


def _ring_boxes(lay: Layout) -> list[Box]:
    """The boxes clockwise from the top left."""
    along = {"top": lambda b: b.x, "right": lambda b: -b.y, "bottom": lambda b: -b.x, "left": lambda b: b.y}
    return sorted(lay.boxes, key=lambda b: (_CLOCKWISE[b.side], along[b.side](b)))


def _clockwise(b: Box) -> list[str]:
    """A box's objects in clockwise order: items left to right or top to bottom as placed,
    each followed by its nested objects; reversed on the bottom row and the left column."""
    placed = [n for item in b.items for n in [item.iri] + [k.iri for k in item.children]]
    return placed if b.side in ("top", "right") else placed[::-1]


def ring(lay: Layout) -> dict[str, int]:
    """The position of every object on the ring, clockwise from the top left."""
    return {n: i for i, n in enumerate(n for b in _ring_boxes(lay) for n in _clockwise(b))}


def ring_crossings(edges, pos: dict[str, int]) -> int:
    """Pairs of verbindingen between four different objects whose ends alternate along the
    ring: these cross however the lines are drawn inside it. (Two verbindingen sharing an
    object need not cross: the ports on that object are ordered to keep them apart.)"""
    chords = [(min(pos[u], pos[v]), max(pos[u], pos[v])) for u, v in edges]
    count = 0
    for i, (a, b) in enumerate(chords):
        for c, d in chords[i + 1:]:
            if len({a, b, c, d}) == 4 and (a < c < b) != (a < d < b):
                count += 1
    return count


def _ring_cost(edges, lay: Layout) -> tuple[int, int]:
    """Crossings first, then the total length of the verbindingen along the ring (objects
    that sit towards what they refer to)."""
    pos = ring(lay)
    n = len(pos)
    length = sum(min(abs(pos[u] - pos[v]), n - abs(pos[u] - pos[v])) for u, v in edges)
    return ring_crossings(edges, pos), length


def _orders(seq: list) -> list[list]:
    """Every order of a short list; for a long one, the list with each pair of neighbours swapped."""
    if len(seq) <= 6:
        return [list(p) for p in itertools.permutations(seq)]
    return [seq] + [seq[:i] + [seq[i + 1], seq[i]] + seq[i + 2:] for i in range(len(seq) - 1)]


def _order_on_ring(g: nx.DiGraph, lay: Layout) -> None:
    """Order the objects of each box, and the nested objects of each group, for the fewest
    crossings on the ring, then the shortest verbindingen, then by label: a descent over one
    list at a time, repeated until nothing improves (at most a few rounds; deterministic)."""
    edges = sorted(g.edges)
    lists = [(b.items, None) for b in _ring_boxes(lay)]
    lists += [(item.children, item) for items, _ in list(lists) for item in items if len(item.children) > 1]
    for _ in range(6):
        changed = False
        for seq, _ in lists:
            if len(seq) < 2:
                continue
            current = list(seq)
            scored = []
            for order in _orders(current):
                seq[:] = order
                scored.append((_ring_cost(edges, lay), [i.text for i in order], order))
            best = min(scored, key=lambda s: (s[0], s[1]))[2]
            seq[:] = best
            changed |= best != current
        if not changed:
            break


def _ring_ports(g: nx.DiGraph, lay: Layout) -> dict[tuple[str, str, str], tuple[float, float]]:
    """Ports spread along each object's inner side. Clockwise, the verbinding whose other end
    lies furthest on comes first: then verbindingen that share this object nest instead of
    crossing. Two verbindingen between the same two objects nest by their order."""
    pos = ring(lay)
    n = len(pos)
    rank = {e: i for i, e in enumerate(sorted(g.edges))}
    side_of = {obj: b.side for b in lay.boxes for obj in _clockwise(b)}
    out = {}
    for obj, (start, end) in lay.sides.items():
        here = pos[obj]
        ends = sorted(((u, v, v if u == obj else u) for u, v in list(g.out_edges(obj)) + list(g.in_edges(obj))),
                      key=lambda e, here=here: (-((pos[e[2]] - here) % n),
                                                rank[e[:2]] if here < pos[e[2]] else -rank[e[:2]]))
        if side_of[obj] in ("bottom", "left"):  # the side runs against the clock
            ends.reverse()
        out.update(_spread(obj, start, end, ends))
    return out


def _spread(obj, start, end, ends) -> dict:
    inset = 0.15 if len(ends) > 1 else 0.5
    out = {}
    for i, (u, v, _) in enumerate(ends):
        t = 0.5 if len(ends) == 1 else inset + (1 - 2 * inset) * i / (len(ends) - 1)
        out[(u, v, obj)] = (start[0] + (end[0] - start[0]) * t, start[1] + (end[1] - start[1]) * t)
    return out


# An arrow leaves its object and arrives at the other square to the side they face (so its
# head says clearly which object it points at), as a cubic Bézier curve whose control points
# lie that far out: a fraction of the distance between the two ends. The usual reach, and the
# others tried where it would run over a box or cross more arrows.
_REACH = 0.3
_REACHES = (0.3, 0.15, 0.45, 0.65, 0.9)
_MIN_REACH = 8.0
_INSET, _CLEARANCE = 2.0, 4.0  # an arrow may touch a box's edge, but had better keep this far away
_OUTWARD = {"left": (1.0, 0.0), "right": (-1.0, 0.0), "top": (0.0, -1.0), "bottom": (0.0, 1.0)}


def curve(pa, na, pb, nb, reach_a: float, reach_b: float) -> Path:
    """From pa, leaving along na, to pb, arriving against nb; reaches as fractions of the distance."""
    d = ((pb[0] - pa[0]) ** 2 + (pb[1] - pa[1]) ** 2) ** 0.5
    ka, kb = max(reach_a * d, _MIN_REACH), max(reach_b * d, _MIN_REACH)
    ca = (pa[0] + na[0] * ka, pa[1] + na[1] * ka)
    cb = (pb[0] + nb[0] * kb, pb[1] + nb[1] * kb)
    return Path([pa, ca, cb, pb], [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4])


def obstacles(lay: Layout) -> dict[str, tuple[tuple[str, ...], Bbox]]:
    """Every object and box, and the title row of every box, with what it lies in."""
    s = lay.sizes
    out = {}
    for b in lay.boxes:
        key = b.reg["iri"]
        out[key] = ((), Bbox.from_bounds(b.x, b.y, b.w, b.h))
        ty = b.y + b.h - s.pad - b.title_h if b.side != "bottom" else b.y + s.pad
        out[f"{key}#titel"] = ((key,), Bbox.from_bounds(b.x + s.pad, ty, b.w - 2 * s.pad, b.title_h))
        for item in b.items:
            out[item.iri] = ((key,), Bbox.from_bounds(*lay.rects[item.iri]))
            for k in item.children:
                out[k.iri] = ((key, item.iri), Bbox.from_bounds(*lay.rects[k.iri]))
    return out


def _grown(b: Bbox, by: float) -> Bbox:
    return Bbox.from_extents(b.x0 - by, b.y0 - by, b.x1 + by, b.y1 + by)


def _hull(path: Path) -> tuple[float, float, float, float]:
    """Bounds of a Bézier curve's control points, which contain the curve: a cheap first test."""
    (x0, y0), (x1, y1) = path.vertices.min(axis=0), path.vertices.max(axis=0)
    return x0, y0, x1, y1


def _apart(a, b) -> bool:
    return a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1]


def _inside(points, rect: Bbox) -> float:
    """Length of a polyline inside a rectangle (by the midpoints of its segments)."""
    total = 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if rect.x0 < (x0 + x1) / 2 < rect.x1 and rect.y0 < (y0 + y1) / 2 < rect.y1:
            total += ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
    return total


def _choose_routes(g: nx.DiGraph, lay: Layout) -> dict[tuple[str, str], Path]:
    """Per verbinding, the reaches whose curve runs over no box, passes no box closer than the
    clearance nor runs along inside its own boxes, and crosses the fewest other arrows,
    nearest the usual reach: two rounds over the verbindingen in a fixed order."""
    boxes = obstacles(lay)
    edges = sorted(g.edges)
    outward = {n: _OUTWARD[_side(lay, g, n)] for n in g.nodes}
    # Near its own two boxes an arrow only crosses the margin between the box's edge and its
    # object's; running along such a box is as bad as passing close to another.
    allowed = 2 * (lay.sizes.pad + _CLEARANCE)
    others, own_boxes = {}, {}
    for e in edges:
        own = {e[0], e[1], *boxes[e[0]][0], *boxes[e[1]][0]}
        others[e] = [(_grown(b, -_INSET), outer, tuple(outer.extents))
                     for k, (_, b) in boxes.items() if k not in own for outer in [_grown(b, _CLEARANCE)]]
        own_boxes[e] = [_grown(boxes[k][1], _CLEARANCE) for k in sorted(own) if k not in e and not boxes[k][0]]

    def line(e, reach):
        path = curve(lay.ports[(*e, e[0])], outward[e[0]], lay.ports[(*e, e[1])], outward[e[1]], *reach)
        return path, _hull(path)

    def near(e, path, hull) -> tuple[int, int]:
        over = close = 0
        for inner, outer, bounds in others[e]:
            if not _apart(hull, bounds) and path.intersects_bbox(outer, filled=False):
                close += 1
                over += path.intersects_bbox(inner, filled=False)
        points = path.to_polygons(closed_only=False)[0]
        return over, close + sum(1 for b in own_boxes[e] if _inside(points, b) > allowed)

    chosen = {e: (_REACH, _REACH) for e in edges}
    lines = {e: line(e, chosen[e]) for e in edges}
    for _ in range(2):
        for e in edges:
            options = []
            for reach in itertools.product(_REACHES, repeat=2):
                path, hull = line(e, reach)
                crossed = sum(1 for f in edges if f != e and not _apart(hull, lines[f][1])
                              and path.intersects_path(lines[f][0], filled=False))
                options.append((*near(e, path, hull), crossed,
                                round(abs(reach[0] - _REACH) + abs(reach[1] - _REACH), 3), reach))
            chosen[e] = min(options)[4]
            lines[e] = line(e, chosen[e])
    return {e: lines[e][0] for e in edges}


def _side(lay: Layout, g: nx.DiGraph, node: str) -> str:
    afk = g.nodes[node]["afkorting"]
    return next(b.side for b in lay.boxes if b.afk == afk)


# ---------------------------------------------------------------- routing: the baseline

def arc(pa, pb, rad: float) -> Path:
    """The line matplotlib's arc3 connection draws from pa to pb: a quadratic Bézier curve."""
    (x1, y1), (x2, y2) = pa, pb
    dx, dy = x2 - x1, y2 - y1
    control = ((x1 + x2) / 2 + rad * dy, (y1 + y2) / 2 - rad * dx)
    return Path([pa, control, pb], [Path.MOVETO, Path.CURVE3, Path.CURVE3])


def _toward_centre(lay: Layout, pa, pb, amount: float) -> float:
    """The arc3 radius whose bulge (for a positive amount) points to the middle of the page."""
    cx, cy = W / 2, (lay.top + lay.bottom) / 2
    dx, dy = pb[0] - pa[0], pb[1] - pa[1]
    mx, my = (pa[0] + pb[0]) / 2, (pa[1] + pb[1]) / 2
    towards = dy * (cx - mx) - dx * (cy - my)
    return round(amount if towards >= 0 else -amount, 3)


def _baseline_route(g, lay: Layout, u, v) -> Path:
    """A slight arc bulging to the middle, more between two boxes on the same side."""
    pa, pb = lay.ports[(u, v, u)], lay.ports[(u, v, v)]
    return arc(pa, pb, _toward_centre(lay, pa, pb, 0.35 if _side(lay, g, u) == _side(lay, g, v) else 0.08))


def _order_by_registratie(g: nx.DiGraph, lay: Layout) -> None:
    """Order objects in each box by the centres of the registraties their verbindingen go to."""
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


def _ports_along(g: nx.DiGraph, lay: Layout) -> dict[tuple[str, str, str], tuple[float, float]]:
    """Ports spread along the inner side in the order of the objects at the other end."""
    out = {}
    for n, (start, end) in lay.sides.items():
        ends = [(u, v, v if u == n else u) for u, v in list(g.out_edges(n)) + list(g.in_edges(n))]
        vertical = start[0] == end[0]

        def along(e):
            x, y, w, h = lay.rects[e[2]]
            return -(y + h / 2) if vertical else x + w / 2

        ends.sort(key=lambda e: (along(e), e[0], e[1]))
        out.update(_spread(n, start, end, ends))
    return out


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
