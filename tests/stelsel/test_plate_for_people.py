"""The stelselplaat for people: words as text, a title on every link, arrows that cross less.

Expected words come from the stelsel graph (labels, keys, statuses); the crossing counts are
compared with the baseline arrangement drawn in the same test and with the crossings the
ring order forces, never with numbers typed in.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import networkx as nx
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from test_stelsel import graphs, sb  # noqa: F401  (the session's stelsel graphs: one definition)

from gdi_graph.stelsel import draw as plaat
from gdi_graph.stelsel import geometry, layout
from gdi_graph.stelsel import graph as stelsel

SVG = "{http://www.w3.org/2000/svg}"
HREF = "{http://www.w3.org/1999/xlink}href"
DAY = date(2017, 12, 31)


def squeeze(text: str) -> str:
    """Text without whitespace: labels are wrapped over lines (at spaces and hyphens)."""
    return "".join(text.split())


@pytest.fixture(scope="module")
def stelsels(graphs):  # noqa: F811
    old, new = graphs[date(2016, 12, 31)], graphs[DAY]
    return {"2016": old, "2017": new, "verschil": stelsel.verschil(old, new)}


def drawn(g: nx.DiGraph, strategy: str = "ring") -> plaat.Plaat:
    return (plaat.verschilplaat if "van" in g.graph else plaat.plaat)(g, strategy=strategy)


@pytest.fixture(scope="module")
def svg(stelsels):
    """(graph, plate, parsed SVG, elements by id) of the 2017 plate."""
    g = stelsels["2017"]
    p = drawn(g)
    root = ET.fromstring(plaat.render(p, "svg"))
    return g, p, root, {e.get("id"): e for e in root.iter() if e.get("id")}


def words(element) -> str:
    return " ".join(t.text or "" for t in element.iter(f"{SVG}text"))


# ---------------------------------------------------------------- words as text

def test_words_are_text_in_one_font_stack(svg):
    g, p, root, by_id = svg
    glyphs = [e.get("id") for e in root.iter() if (e.get("id") or "").startswith("DejaVu")]
    assert not glyphs, "words drawn as outlines"
    labels = [part for part in p.parts if part.kind == "label"]
    assert {part.key.split("#")[0] for part in labels} == set(g.nodes) | set(g.graph["registraties"])
    for part in labels:
        key = part.key.split("#")[0]
        expected = g.nodes[key]["label"] if key in g.nodes else "{label} ({afkorting})".format(
            **g.graph["registraties"][key])
        assert squeeze(words(by_id[part.artist.get_gid()])) == squeeze(expected), key
    everything = squeeze(words(root))
    assert squeeze(p.title) in everything and all(squeeze(t) in everything for t in ("Verbinding beschikbaar",))
    style = root.find(f"{SVG}defs/{SVG}style").text
    assert "font-family: 'DejaVu Sans'," in style and style.rstrip("}").endswith("sans-serif")
    assert not [t for t in root.iter(f"{SVG}text") if "font-family" in t.get("style", "")]


def test_the_plate_has_a_title_a_description_and_a_language(svg):
    g, p, root, by_id = svg
    assert "graphics-document" in root.get("role").split()
    assert by_id[root.get("aria-labelledby")].text == p.title
    about = by_id[root.get("aria-describedby")].text
    assert f"{g.number_of_edges()} verbindingen" in about and f"{g.number_of_nodes()} registratieobjecten" in about
    assert root.get("lang") == "nl"


# ---------------------------------------------------------------- titles and links

def test_every_link_has_a_title_and_each_thing_one_stop(svg):
    g, _, root, _ = svg
    links = list(root.iter(f"{SVG}a"))
    assert links
    for a in links:
        assert a[0].tag == f"{SVG}title" and a[0].text.strip(), a.get(HREF)
    stops = [a for a in links if a.get("tabindex") != "-1"]
    assert all(a.get("aria-hidden") == "true" for a in links if a not in stops)
    things = list(g.nodes) + [d["iri"] for *_, d in g.edges(data=True)] + list(g.graph["registraties"])
    assert sorted(a.get(HREF) for a in stops) == sorted(things)  # each exactly once
    assert {a.get(HREF) for a in links} == set(things)


def name(g, n: str) -> str:
    """How a title names an object: with its basisregistratie's afkorting, said once."""
    afk, label = g.nodes[n]["afkorting"], g.nodes[n]["label"]
    return label if label.startswith(f"{afk} ") else f"{afk} {label}"


def title_of(by_id, part) -> tuple[str, str | None]:
    a = by_id[part.artist.get_gid()].find(f"{SVG}a")
    desc = a.find(f"{SVG}desc")
    return a.find(f"{SVG}title").text, desc.text if desc is not None else None


def test_arrow_titles_name_both_ends_the_key_and_the_status(svg):
    g, p, _, by_id = svg
    arrows = [part for part in p.parts if part.kind == "arrow"]
    assert len(arrows) == g.number_of_edges()
    for part in arrows:
        van, naar = part.ends
        d = g.edges[van, naar]
        title, desc = title_of(by_id, part)
        assert title == f"{name(g, van)} → {name(g, naar)}, sleutel {d['sleutel']}, {stelsel.STATUS_LABEL[d['status']]}"
        assert d["sleutel"] in desc and ("afgeleid" in desc) == d["afgeleid"]


def test_object_and_registratie_titles_say_what_they_are_and_what_they_connect(svg):
    g, p, _, by_id = svg
    for part in p.parts:
        if part.kind in ("object", "group"):
            n = part.key
            title, desc = title_of(by_id, part)
            assert title == name(g, n) and g.nodes[n]["afkorting"] in title
            for other in set(g.successors(n)) | set(g.predecessors(n)):
                assert g.nodes[other]["label"] in desc, (n, other)
        elif part.kind == "box":
            reg = g.graph["registraties"][part.key]
            title, desc = title_of(by_id, part)
            assert title == f"{reg['label']} ({reg['afkorting']})"
            assert all(d["label"] in desc for _, d in g.nodes(data=True) if d["registratie"] == part.key)


def test_difference_titles_say_what_changed(stelsels):
    u = stelsels["verschil"]
    p = drawn(u)
    by_id = {e.get("id"): e for e in ET.fromstring(plaat.render(p, "svg")).iter() if e.get("id")}
    for part in p.parts:
        if part.kind in ("box", "arrow", "object"):
            kind = (u.graph["registraties"][part.key] if part.kind == "box" else
                    u.edges[part.ends] if part.kind == "arrow" else u.nodes[part.key])["verschil"]
            assert title_of(by_id, part)[0].endswith(f", {kind}"), part.key


def test_served_svg_keeps_its_titles_and_links_to_the_server(web_app):
    svg = web_app.test_client().get("/stelselplaat.svg", base_url="http://wiki.example/").data
    root = ET.fromstring(svg)
    links = list(root.iter(f"{SVG}a"))
    assert links and all(a[0].tag == f"{SVG}title" for a in links)
    assert all(a.get(HREF).startswith("http://wiki.example/id/") for a in links)


def test_same_data_in_another_order_gives_the_same_bytes(stelsels):
    g = stelsels["2017"]
    shuffled = nx.DiGraph(**g.graph)
    shuffled.add_nodes_from(reversed(list(g.nodes(data=True))))
    shuffled.add_edges_from(reversed(list(g.edges(data=True))))
    assert plaat.render(plaat.plaat(shuffled), "svg") == plaat.render(plaat.plaat(g), "svg")


# ---------------------------------------------------------------- arrows that cross less

@pytest.mark.parametrize("which", ["2016", "2017", "verschil"])
def test_arrows_cross_no_box_and_fewer_arrows_than_the_baseline(stelsels, which):
    g = stelsels[which]
    p, before = drawn(g), drawn(g, "baseline")
    assert geometry.over_boxes(p) == []
    assert geometry.crossings(p) == []
    assert len(geometry.arrow_crossings(p)) < len(geometry.arrow_crossings(before))
    # The order of the objects round the page alone forces fewer crossings than before.
    forced = lambda plate: layout.ring_crossings(g.edges, layout.ring(plate.layout))
    assert forced(p) < forced(before)


def test_crossing_counters_see_crossings_and_arrows_over_boxes():
    fig = Figure(figsize=(4, 4), dpi=72)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 288)
    ax.set_ylim(0, 288)

    def add(artist):
        ax.add_patch(artist)
        return artist

    box = add(FancyBboxPatch((100, 100), 80, 80, boxstyle="square,pad=0"))
    obj = add(FancyBboxPatch((110, 110), 20, 20, boxstyle="square,pad=0"))
    arrow = lambda a, b: add(FancyArrowPatch(a, b, arrowstyle="-|>", mutation_scale=9))
    parts = [plaat.Part("box", "B", box), plaat.Part("object", "O", obj, ("B",)),
             plaat.Part("arrow", "through", arrow((10, 10), (270, 270)), (), ("x", "y")),
             plaat.Part("arrow", "across", arrow((10, 270), (270, 10)), (), ("x", "y")),
             plaat.Part("arrow", "into", arrow((10, 150), (110, 120)), (), ("x", "O")),
             plaat.Part("arrow", "apart", arrow((150, 10), (200, 10)), (), ("x", "y"))]
    p = plaat.Plaat(fig, parts, "toets")
    assert geometry.arrow_crossings(p) == [("across", "through")]
    assert sorted(geometry.over_boxes(p)) == [("across", "B"), ("through", "B"), ("through", "O")]


def test_ring_crossings_count_ends_that_alternate():
    pos = {"a": 0, "b": 1, "c": 2, "d": 3}
    assert layout.ring_crossings([("a", "c"), ("b", "d")], pos) == 1
    assert layout.ring_crossings([("a", "b"), ("c", "d")], pos) == 0
    assert layout.ring_crossings([("a", "d"), ("b", "c")], pos) == 0  # nested
    assert layout.ring_crossings([("a", "c"), ("d", "a")], pos) == 0  # sharing an object: ports keep them apart
