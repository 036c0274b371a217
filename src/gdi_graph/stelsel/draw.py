"""The stelselplaat drawn with matplotlib: deterministic, A4 landscape, SVG with links.

Verbindingen run as arrows through the open middle of the layout (see layout.py) and are
drawn above every box. A generalisation (skos:broader) is drawn as an object nested in its
broader object, as in the report.

The SVG is made for people as well as for the eye: its words are text (searchable, read
aloud, selectable), and every basisregistratie, object and verbinding carries a title (the
tooltip and the name a screen reader gives its link) and a description.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
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
    NIET,
    ONGEWIJZIGD,
    STATUS_LABEL,
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
)

INK = "#1f2d3d"
STAND = {  # registratie box: (fill, edge)
    True: ("#dbe8f5", "#1f4e79"),
    False: ("#eeeeee", "#808080"),
}
VERBINDING_COLOR = {BESCHIKBAAR: "#1f4e79", NIET: "#c0392b"}
VERBINDING_STYLE = {BESCHIKBAAR: "-", NIET: (0, (3.5, 2.5))}
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
    title: str = ""  # what a reader is told it is (SVG <title>)
    desc: str = ""  # and more about it (SVG <desc>)


@dataclass
class Plaat:
    figure: Figure
    parts: list[Part]
    title: str
    description: str = ""
    layout: Layout | None = None  # where everything went, for the checks


def _gid(iri: str) -> str:
    """The part of the IRI after /id/{type}/, as an XML id: BAG, BAG-pand, BRV-…--BRP-…."""
    return iri.rstrip("/").split("/id/", 1)[-1].split("/", 1)[-1].replace("/", "-")


def _fmt(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def plaat(g: nx.DiGraph, strategy: str = "ring") -> Plaat:
    """The stelselplaat of one peildatum (a graph from stelsel.load)."""
    return _draw(g, f"Stelselplaat, stand {_fmt(g.graph['peildatum'])}", diff=False, strategy=strategy)


def verschilplaat(u: nx.DiGraph, strategy: str = "ring") -> Plaat:
    """The difference view (a graph from stelsel.verschil)."""
    return _draw(u, f"Stelselplaat, verschil {_fmt(u.graph['van'])} → {_fmt(u.graph['peildatum'])}", diff=True,
                 strategy=strategy)


def _draw(g: nx.DiGraph, title: str, diff: bool, strategy: str) -> Plaat:
    fig = Figure(figsize=PAGE, dpi=72)
    canvas = FigureCanvasAgg(fig)
    legend = fig.legend(handles=_legend(diff), loc="lower center", bbox_to_anchor=(0.5, MARGIN / H / 2), ncol=4,
                        frameon=True, edgecolor="#bbbbbb", handlelength=3.2, columnspacing=1.6,
                        prop={"family": FONT, "size": 7.5})
    legend.set_zorder(6)
    lay = layout(g, bottom=legend.get_window_extent(canvas.get_renderer()).y1 + 10, strategy=strategy)
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
        name, about = _registratie_words(g, b.reg, diff)
        parts.append(Part("box", key, rect, title=name, desc=about))
        ty = b.y + b.h - s.pad - b.title_h / 2 if b.side != "bottom" else b.y + s.pad + b.title_h / 2
        marker = Circle((b.x + s.pad + s.marker, ty), s.marker, zorder=4, linewidth=1.0,
                        edgecolor=GEOMETRY_COLOR, facecolor=GEOMETRY_COLOR if b.reg["geometrie"] else "white")
        marker.set_gid(f"geometrie-{_gid(key)}")
        ax.add_patch(marker)
        parts.append(Part("marker", f"{key}#geometrie", marker, (key,),
                          title=f"{b.afk} {'bevat geometrie' if b.reg['geometrie'] else 'bevat nog geen geometrie'}"))
        text = ax.text(b.x + s.pad + 2 * s.marker + s.gap, ty, b.title, fontsize=s.title, fontweight="bold",
                       family=FONT, ha="left", va="center", color=INK, zorder=4)
        text.set_url(key)
        text.set_gid(f"titel-{_gid(key)}")
        parts.append(Part("label", f"{key}#titel", text, (key,), title=name, desc=about))
        for item in b.items:
            for obj, container in [(item, ())] + [(k, (item.iri,)) for k in item.children]:
                fill, edge = colours(g.nodes[obj.iri].get("verschil") if diff else b.reg["beschikbaar"], box=False)
                r = FancyBboxPatch((obj.x, obj.y), obj.w, obj.h, boxstyle=f"round,pad=0,rounding_size={3 * s.scale}",
                                   facecolor=fill, edgecolor=edge, linewidth=0.9, zorder=2 + len(container))
                r.set_url(obj.iri)
                r.set_gid(f"object-{_gid(obj.iri)}")
                ax.add_patch(r)
                inside = (key,) + container
                name, about = _object_words(g, obj.iri, diff)
                parts.append(Part("group" if obj.children else "object", obj.iri, r, inside, title=name, desc=about))
                label = ax.text(*lay.labels[obj.iri], obj.text, fontsize=s.obj, family=FONT, ha="center",
                                va="center", multialignment="center", color=INK, zorder=5)
                label.set_url(obj.iri)
                label.set_gid(f"label-{_gid(obj.iri)}")
                parts.append(Part("label", f"{obj.iri}#label", label, inside + (obj.iri,), title=name, desc=about))

    for van, naar in sorted(g.edges):
        d = g.edges[van, naar]
        colour = VERSCHIL[d["verschil"]][1] if diff else VERBINDING_COLOR[d["status"]]
        arrow = FancyArrowPatch(path=lay.routes[(van, naar)], arrowstyle="-|>", mutation_scale=9 * s.scale,
                                linewidth=1.2, linestyle=VERBINDING_STYLE[d["status"]], color=colour, zorder=10)
        arrow.set_url(d["iri"])
        arrow.set_gid(f"verbinding-{_gid(d['iri'])}")
        ax.add_patch(arrow)
        name, about = _verbinding_words(g, van, naar, diff)
        parts.append(Part("arrow", d["iri"], arrow, (g.nodes[van]["registratie"], g.nodes[naar]["registratie"]),
                          (van, naar), title=name, desc=about))

    t = ax.text(W / 2, H - MARGIN - 8, title, fontsize=15, fontweight="bold", family=FONT, ha="center",
                va="center", color=INK, zorder=6)
    parts.append(Part("title", "titel", t))
    sub = ("Stelsel van Basisregistraties: registratieobjecten per basisregistratie en de verbindingen ertussen "
           "(pijl van verwijzend naar verwezen object)")
    st = ax.text(W / 2, H - MARGIN - 27, sub, fontsize=8, family=FONT, ha="center", va="center", color="#555555",
                 zorder=6)
    parts.append(Part("title", "ondertitel", st))
    parts.append(Part("legend", "legenda", legend))
    return Plaat(fig, parts, title, _plate_words(g, diff), lay)


# ---------------------------------------------------------------- words: titles and descriptions

def _day(text: str | None) -> str:
    try:
        return _fmt(date.fromisoformat(text)) if text else ""
    except ValueError:
        return text


def _name(g: nx.DiGraph, n: str) -> str:
    """AFK label, e.g. "BRP Ingezetene" (just the label when it starts with the afkorting: "WOZ object")."""
    afk, label = g.nodes[n]["afkorting"], g.nodes[n]["label"]
    return label if label.startswith(f"{afk} ") else f"{afk} {label}"


def _names(g: nx.DiGraph, nodes) -> str:
    return ", ".join(_name(g, n) for n in sorted(nodes, key=lambda n: _name(g, n)))


def _registratie_words(g: nx.DiGraph, reg: dict, diff: bool) -> tuple[str, str]:
    title = f"{reg['label']} ({reg['afkorting']})"
    objects = [n for n in g.nodes if g.nodes[n]["registratie"] == reg["iri"]]
    desc = (f"Basisregistratie, {'beschikbaar' if reg['beschikbaar'] else 'niet beschikbaar'}; "
            f"{'bevat geometrie' if reg['geometrie'] else 'bevat nog geen geometrie'}. "
            f"{len(objects)} registratieobject{'en' if len(objects) != 1 else ''}: "
            f"{', '.join(sorted(g.nodes[n]['label'] for n in objects))}.")
    if diff:
        title += f", {reg['verschil']}"
    return title, desc


def _object_words(g: nx.DiGraph, n: str, diff: bool) -> tuple[str, str]:
    d = g.nodes[n]
    title = _name(g, n) + (f", {d['verschil']}" if diff else "")
    desc = f"Registratieobject van de {d['registratie_label']} ({d['afkorting']})"
    if d.get("broader") in g.nodes:
        desc += f", een soort {g.nodes[d['broader']]['label']}"
    out, into = list(g.successors(n)), list(g.predecessors(n))
    desc += ". " + (f"Verwijst naar {_names(g, out)}. " if out else "") + \
        (f"Wordt verwezen door {_names(g, into)}." if into else "")
    if not out and not into:
        desc += "Geen verbindingen."
    return title, desc.strip()


def _verbinding_words(g: nx.DiGraph, van: str, naar: str, diff: bool) -> tuple[str, str]:
    d = g.edges[van, naar]
    status = STATUS_LABEL.get(d["status"], d["status"])
    title = f"{_name(g, van)} → {_name(g, naar)}, sleutel {d['sleutel']}, {status}"
    if diff:
        title += f", {d['verschil']}"
    desc = f"Verbinding: {g.nodes[van]['label']} verwijst met de sleutel {d['sleutel']} naar {g.nodes[naar]['label']}. "
    fixed = STATUS_LABEL.get(d["vastgesteld"], d["vastgesteld"])
    if d["beschikbaar_vanaf"]:
        desc += f"Vastgesteld: {fixed} vanaf {_day(d['beschikbaar_vanaf'])}"
    else:
        desc += f"Vastgesteld: {fixed}, zonder datum van beschikbaarheid"
    desc += "; afgeleid uit de bronnen." if d["afgeleid"] else "."
    n = len(d["bronnen"])
    desc += f" {n} bron{'nen' if n != 1 else ''}: zie de pagina van de verbinding."
    return title, desc


def _plate_words(g: nx.DiGraph, diff: bool) -> str:
    regs = sorted(g.graph["registraties"].values(), key=lambda r: r["afkorting"])
    statuses = [d["status"] for *_, d in g.edges(data=True)]
    counts = ", ".join(f"{statuses.count(s)} {STATUS_LABEL[s]}" for s in (BESCHIKBAAR, NIET)
                       if statuses.count(s))
    text = (f"Het Stelsel van Basisregistraties: {len(regs)} basisregistraties "
            f"({', '.join(r['afkorting'] for r in regs)}) met {g.number_of_nodes()} registratieobjecten en "
            f"{g.number_of_edges()} verbindingen ({counts or 'geen'}). Een pijl loopt van het verwijzende naar het "
            "verwezen object. Elke basisregistratie, elk object en elke verbinding is een link naar zijn pagina.")
    if diff:
        for kind in (VERSCHENEN, VERDWENEN):
            changed = [r["afkorting"] for r in regs if r["verschil"] == kind]
            edges = sum(1 for *_, d in g.edges(data=True) if d["verschil"] == kind)
            text += (f" {VERSCHIL[kind][2].capitalize()}: {', '.join(changed) or 'geen basisregistratie'}"
                     f"; {edges} verbinding{'en' if edges != 1 else ''}.")
    return text


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
            arrow(NIET, grey, "Verbinding niet beschikbaar"),
            Patch(facecolor="white", edgecolor=grey, linewidth=1.2, linestyle=(0, (4, 2)),
                  label="Basisregistratie niet beschikbaar"),
            geo(True, "BR bevat geometrie"),
            geo(False, "BR bevat nog geen geometrie"),
        ]
    return [
        arrow(BESCHIKBAAR, VERBINDING_COLOR[BESCHIKBAAR], "Verbinding beschikbaar"),
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
            return for_people(buf.getvalue(), p)
        elif fmt == "png":
            p.figure.savefig(buf, format="png", dpi=dpi, metadata={"Title": p.title, "Description": p.description})
        else:
            raise ValueError(f"unknown image format {fmt!r}; use svg or png")
    return buf.getvalue()


SVG, XLINK = "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"
_NAMESPACES = {"": SVG, "xlink": XLINK, "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
               "cc": "http://creativecommons.org/ns#", "dc": "http://purl.org/dc/elements/1.1/"}
# matplotlib measures with DejaVu Sans; a browser without it falls back to the font closest in
# width (Verdana was drawn to the same proportions as Bitstream Vera, DejaVu's origin).
FONT_STACK = "'DejaVu Sans', 'Bitstream Vera Sans', Verdana, Geneva, sans-serif"
# A shape whose label (or title) is the same link: clickable, but not a second stop for the
# keyboard or a screen reader.
_SHADOWED = ("box", "group", "object")


def for_people(svg: bytes, p: Plaat) -> bytes:
    """matplotlib's SVG made readable by people and their tools: the plate's title and
    description on the root (Dutch), one font stack in the style sheet, and per drawn part
    (found by its gid) one link with a <title> and <desc>."""
    for prefix, uri in _NAMESPACES.items():
        ET.register_namespace(prefix, uri)
    root = ET.fromstring(svg)
    q = lambda tag: f"{{{SVG}}}{tag}"
    title = root.find(q("title"))
    if title is None:
        title = ET.Element(q("title"))
        root.insert(0, title)
    title.text, title.attrib["id"] = p.title, "plaat-titel"
    desc = ET.Element(q("desc"), {"id": "plaat-beschrijving"})
    desc.text = p.description
    root.insert(list(root).index(title) + 1, desc)
    root.set("role", "graphics-document document")
    root.set("aria-labelledby", "plaat-titel")
    root.set("aria-describedby", "plaat-beschrijving")
    root.set("lang", "nl")
    root.set("{http://www.w3.org/XML/1998/namespace}lang", "nl")

    style = root.find(f"{q('defs')}/{q('style')}")
    if style is None:  # matplotlib writes one; should it stop, make it
        defs = root.find(q("defs"))
        style = ET.SubElement(defs if defs is not None else ET.SubElement(root, q("defs")), q("style"))
    style.text = (style.text or "") + f"\ntext{{font-family: {FONT_STACK}}}"
    for text in root.iter(q("text")):
        rules = [r.strip() for r in text.get("style", "").split(";")]
        text.set("style", "; ".join(r for r in rules if r and not r.startswith("font-family")))

    by_id = {e.get("id"): e for e in root.iter() if e.get("id")}
    for part in p.parts:
        group = by_id.get(part.artist.get_gid()) if part.title else None
        if group is None:
            continue
        links = group.findall(q("a"))
        for extra in links[1:]:  # matplotlib writes one link per line of text, or per shaft and head
            links[0].extend(list(extra))
            group.remove(extra)
        holder = links[0] if links else group
        words = [(q("title"), part.title)] + ([(q("desc"), part.desc)] if part.desc else [])
        for i, (tag, text) in enumerate(words):
            element = ET.Element(tag)
            element.text = text
            holder.insert(i, element)
        if links and part.kind in _SHADOWED:
            links[0].set("aria-hidden", "true")
            links[0].set("tabindex", "-1")
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def image(g: nx.DiGraph, fmt: str, dpi: int = 150) -> bytes:
    """Draw and render in one go (thread-safe): a stelsel from stelsel.load or stelsel.verschil."""
    with lock:
        p = verschilplaat(g) if "van" in g.graph else plaat(g)
        try:
            return render(p, fmt, dpi)
        finally:
            p.figure.clear()


