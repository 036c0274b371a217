"""The geometry of a drawn plate: extents, overlaps, arrows through boxes, links.

The drawing's own quality checks (used by the tests and by the README's figures): what a
reader would notice — a label over another, an arrow through a box it does not belong to.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def links(p: Plaat) -> dict[str, str]:
    """IRI of every linked part by kind:key, for checks."""
    return {f"{part.kind}:{part.key}": part.artist.get_url() for part in p.parts if part.artist.get_url()}

