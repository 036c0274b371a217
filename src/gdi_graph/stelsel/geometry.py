"""The geometry of a drawn plate: extents, overlaps, arrows through boxes, links.

The drawing's own quality checks (used by the tests and by the README's figures): what a
reader would notice — a label over another, an arrow through a box it does not belong to.
"""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.path import Path
from matplotlib.transforms import Bbox

from gdi_graph.stelsel.draw import Plaat


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


def shafts(p: Plaat) -> dict[str, Path]:
    """The drawn line of every arrow (without its head), in display units, by verbinding."""
    out = {}
    for part in p.parts:
        if part.kind == "arrow":
            path = part.artist.get_path()
            ends = [i for i, code in enumerate(path.codes) if code == Path.MOVETO] + [len(path.codes)]
            shaft = Path(path.vertices[:ends[1]], path.codes[:ends[1]])
            out[part.key] = shaft.transformed(part.artist.get_transform())
    return out


def arrow_crossings(p: Plaat) -> list[tuple[str, str]]:
    """Pairs of arrows whose lines cross (or touch) each other: each a place where a reader
    has to work out which line goes where."""
    lines = sorted(shafts(p).items())
    return [(a, b) for i, (a, pa) in enumerate(lines) for b, pb in lines[i + 1:] if pa.intersects_path(pb, filled=False)]


def over_boxes(p: Plaat, inset: float = 2.0) -> list[tuple[str, str]]:
    """(verbinding, key) pairs where an arrow runs over a box, object, label, title or the legend
    that is neither one of its two objects nor something they lie in."""
    renderer = p.figure.canvas.get_renderer()
    lines = shafts(p)
    around = {part.key: part.inside for part in p.parts if part.kind in ("object", "group")}
    obstacles = [(part.key, part.artist.get_window_extent(renderer)) for part in p.parts
                 if part.kind in ("box", "group", "object", "title", "legend")
                 or (part.kind == "label" and part.key.endswith("#titel"))]
    found = []
    for part in p.parts:
        if part.kind != "arrow":
            continue
        own = set(part.ends) | {k for end in part.ends for k in around.get(end, ())}
        for key, b in obstacles:
            if key in own or b.width <= 2 * inset or b.height <= 2 * inset:
                continue
            if lines[part.key].intersects_bbox(Bbox.from_extents(b.x0 + inset, b.y0 + inset, b.x1 - inset,
                                                                 b.y1 - inset), filled=False):
                found.append((part.key, key))
    return found


def links(p: Plaat) -> dict[str, str]:
    """IRI of every linked part by kind:key, for checks."""
    return {f"{part.kind}:{part.key}": part.artist.get_url() for part in p.parts if part.artist.get_url()}

