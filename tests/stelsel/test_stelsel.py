"""The stelsel graph, its analyses, the plate, the CLI and the HTTP routes, on the real data.

Expected answers are derived from the store with SPARQL (raw facts or the named queries),
never typed in, so the tests keep holding when the data grows.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from gdi_graph.query.backends import store_select
from gdi_graph.query.store import run
from gdi_graph.stelsel import draw as plaat
from gdi_graph.stelsel import geometry
from gdi_graph.stelsel import graph as stelsel

REPO = Path(__file__).resolve().parents[2]
PEILDATA = (date(2016, 12, 31), date(2017, 12, 31))
GDI = "https://w3id.org/gdi-graph/def#"


@dataclass
class Build:
    root: Path
    dist: Path
    store: object
    digest: str


@pytest.fixture(scope="session")
def sb(built, real_store) -> Build:
    """The real project, built once per session (conftest.py)."""
    graph, dist = built
    return Build(REPO, dist, real_store, graph.digest)


@pytest.fixture(scope="session")
def graphs(sb) -> dict[date, object]:
    return {day: stelsel.load(store_select(sb.store), day, sb.root / "queries") for day in PEILDATA}


def sparql(sb, text: str) -> list[dict]:
    result = run(sb.store, "PREFIX gdi: <%s>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n%s" % (GDI, text))
    names = [v.value for v in result.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in result]


def named(sb, name: str, **params) -> list[dict]:
    return stelsel.select(store_select(sb.store), name, params, sb.root / "queries")


def in_stelsel(reg: dict, day: date) -> bool:
    start = date.fromisoformat(reg["vanaf"])
    end = date.fromisoformat(reg["tot"]) if reg["tot"] else None
    return start <= day and (end is None or day < end)


@pytest.fixture(scope="session")
def facts(sb) -> dict:
    """Raw facts, with the peildatum rules applied in Python rather than in SPARQL."""
    regs = {r["r"]: r for r in sparql(sb, """
        SELECT ?r ?afk ?vanaf ?tot ?beschikbaar WHERE {
          ?r a gdi:Basisregistratie ; gdi:afkorting ?afk ; gdi:inStelselVanaf ?vanaf .
          OPTIONAL { ?r gdi:inStelselTot ?tot } OPTIONAL { ?r gdi:beschikbaarVanaf ?beschikbaar } }""")}
    objects = {o["o"]: o["r"] for o in sparql(sb, "SELECT ?o ?r WHERE { ?o a gdi:Registratieobject ; gdi:registratie ?r }")}
    edges = sparql(sb, """SELECT ?v ?van ?naar ?status ?vanaf WHERE {
        ?v a gdi:Verbinding ; gdi:van ?van ; gdi:naar ?naar ; gdi:status ?status .
        OPTIONAL { ?v gdi:beschikbaarVanaf ?vanaf } }""")
    return {"regs": regs, "objects": objects, "edges": edges}


# ---------------------------------------------------------------- the graph

@pytest.mark.parametrize("day", PEILDATA)
def test_counts_equal_the_sparql_counts(graphs, facts, day):
    g = graphs[day]
    regs = facts["regs"]
    expected_nodes = {o for o, r in facts["objects"].items() if in_stelsel(regs[r], day)}
    expected_edges = {(e["van"], e["naar"]) for e in facts["edges"]
                      if in_stelsel(regs[facts["objects"][e["van"]]], day)
                      and in_stelsel(regs[facts["objects"][e["naar"]]], day)}
    assert set(g.nodes) == expected_nodes
    assert set(g.edges) == expected_edges
    assert g.number_of_nodes() == len(expected_nodes) and g.number_of_edges() == len(expected_edges)


@pytest.mark.parametrize("day", PEILDATA)
def test_edge_status_follows_beschikbaar_vanaf(graphs, facts, day):
    g = graphs[day]
    for e in facts["edges"]:
        if not g.has_edge(e["van"], e["naar"]):
            continue
        available = e["vanaf"] is not None and date.fromisoformat(e["vanaf"]) <= day
        expected = e["status"].removeprefix(GDI) if available else stelsel.NIET
        assert g.edges[e["van"], e["naar"]]["status"] == expected, e["v"]


def test_every_registratie_in_the_stelsel_has_objects(graphs):
    for g in graphs.values():
        for reg in g.graph["registraties"].values():
            assert stelsel.objects_of(g, reg["afkorting"]), reg["afkorting"]


def test_blau_left_the_stelsel_in_2017(graphs):
    afks = {day: set(stelsel.registraties(g)) for day, g in graphs.items()}
    assert "BLAU" in afks[date(2016, 12, 31)]
    assert "BLAU" not in afks[date(2017, 12, 31)]
    assert not stelsel.objects_of(graphs[date(2017, 12, 31)], "BLAU")


def test_bgt_verbindingen_available_in_2017_not_in_2016(graphs):
    def bgt_edges(g):
        return {(u, v): d["status"] for u, v, d in g.edges(data=True) if g.nodes[u]["afkorting"] == "BGT"}

    before, after = bgt_edges(graphs[date(2016, 12, 31)]), bgt_edges(graphs[date(2017, 12, 31)])
    assert after and set(after.values()) == {stelsel.BESCHIKBAAR}
    assert before.keys() == after.keys() and set(before.values()) == {stelsel.NIET}
    regs = {day: stelsel.registraties(g)["BGT"]["beschikbaar"] for day, g in graphs.items()}
    assert regs == {date(2016, 12, 31): False, date(2017, 12, 31): True}


# ---------------------------------------------------------------- analyses against SPARQL

@pytest.mark.parametrize("day", PEILDATA)
def test_afhankelijk_agrees_with_sparql(sb, graphs, day):
    g = graphs[day]
    for afk in stelsel.registraties(g):
        ours = {(r["object"], r["direct"]) for r in stelsel.afhankelijk(g, afk)}
        theirs = {(r["object"], r["direct"]) for r in named(sb, "afhankelijk", registratie=afk, peildatum=day.isoformat())}
        assert ours == theirs, afk


def test_afhankelijk_of_bag_includes_transitive_referrers(graphs):
    g = graphs[date(2017, 12, 31)]
    rows = stelsel.afhankelijk(g, "BAG")
    direct = {r["object"] for r in rows if r["direct"]}
    assert direct == {u for u, v in g.edges if g.nodes[v]["afkorting"] == "BAG"}
    # One step further each time: a referrer to any object of a registratie that depends on BAG.
    dependent = {x["registratie"] for x in rows}
    for r in rows:
        if not r["direct"]:
            assert any(g.nodes[v]["afkorting"] in dependent for _, v in g.out_edges(r["object"])), r["object"]


@pytest.mark.parametrize("day", PEILDATA)
def test_paths_agree_with_sparql_reachability(sb, graphs, day):
    g = graphs[day]
    afks = list(stelsel.registraties(g))
    for a in afks:
        reachable = {r["afkorting"] for r in named(sb, "verbonden", registratie=a, peildatum=day.isoformat())}
        for b in afks:
            if a != b:
                assert bool(stelsel.paden(g, a, b)) == (b in reachable), (a, b)


def test_path_steps_are_verbindingen_walked_in_the_stated_direction(sb, graphs):
    g = graphs[date(2017, 12, 31)]
    known = {(e["van"], e["naar"]): e["verbinding"]
             for e in named(sb, "stelsel-verbindingen", peildatum="2017-12-31")}
    direct = {(g.nodes[u]["afkorting"], g.nodes[v]["afkorting"]) for u, v in g.edges}
    found = stelsel.paden(g, "BRV", "BAG")
    assert found
    for p in found:
        assert p.registraties[0] == "BRV" and p.registraties[-1] == "BAG"
        assert len(p.stappen) == len(found[0].stappen)
        for step in p.stappen:
            assert known[(step["van"], step["naar"])] == step["verbinding"]
            walked = (step["uit"], step["in"])
            assert walked == ((step["van_registratie"], step["naar_registratie"]) if step["richting"] == "→"
                              else (step["naar_registratie"], step["van_registratie"]))
    # one verbinding exactly when the two are directly connected
    assert (len(found[0].stappen) == 1) == (("BRV", "BAG") in direct or ("BAG", "BRV") in direct)


@pytest.mark.parametrize("day", PEILDATA)
def test_niet_beschikbaar_agrees_with_sparql(sb, graphs, day):
    ours = {(r["verbinding"], r["status"]) for r in stelsel.niet_beschikbaar(graphs[day])}
    theirs = {(r["verbinding"], r["statusIri"].removeprefix(GDI))
              for r in named(sb, "niet-beschikbaar", peildatum=day.isoformat())}
    assert ours == theirs


def test_centraal_in_degree_agrees_with_sparql(sb, graphs):
    g = graphs[date(2017, 12, 31)]
    answer = stelsel.centraal(g)
    theirs = {r["object"]: int(r["verwijzingen"]) for r in named(sb, "verwezen", peildatum="2017-12-31")}
    assert {o["object"]: o["verwijzingen"] for o in answer["objecten"]} == theirs
    per_reg = {}
    for o in answer["objecten"]:
        per_reg[o["registratie"]] = per_reg.get(o["registratie"], 0) + o["verwijzingen"]
    assert {r["registratie"]: r["verwijzingen"] for r in answer["registraties"]} == per_reg
    scores = [(r["tussenligging"], r["verwijzingen"]) for r in answer["registraties"]]
    assert scores == sorted(scores, reverse=True)


def test_verschil_2016_2017(graphs):
    u = stelsel.verschil(graphs[date(2016, 12, 31)], graphs[date(2017, 12, 31)])
    kinds = {r["afkorting"]: r["verschil"] for r in u.graph["registraties"].values()}
    assert kinds.pop("BGT") == stelsel.VERSCHENEN and kinds.pop("BLAU") == stelsel.VERDWENEN
    assert set(kinds.values()) == {stelsel.ONGEWIJZIGD}
    for n, d in u.nodes(data=True):
        expected = {"BGT": stelsel.VERSCHENEN, "BLAU": stelsel.VERDWENEN}.get(d["afkorting"], stelsel.ONGEWIJZIGD)
        assert d["verschil"] == expected, n
    for a, b, d in u.edges(data=True):
        expected = {"BGT": stelsel.VERSCHENEN, "BLAU": stelsel.VERDWENEN}.get(u.nodes[a]["afkorting"],
                                                                             stelsel.ONGEWIJZIGD)
        assert d["verschil"] == expected, (a, b)


def test_names_resolve_case_insensitively_and_unknown_ones_list_the_known(graphs):
    g = graphs[date(2017, 12, 31)]
    assert stelsel.resolve(g, "bag").kind == "registratie"
    assert stelsel.resolve(g, "BAG/pand").iri.endswith("/registratieobject/BAG/pand")
    with pytest.raises(stelsel.Onbekend) as exc:
        stelsel.resolve(g, "BLAU")  # gone by 2017
    assert "BLAU" in str(exc.value) and all(a in str(exc.value) for a in stelsel.registraties(g))
    with pytest.raises(stelsel.StelselError, match="2017-02-30"):
        stelsel.parse_peildatum("2017-02-30")


# ---------------------------------------------------------------- the plate

@pytest.fixture(scope="session")
def plaat_2017(graphs):
    return plaat.plaat(graphs[date(2017, 12, 31)])


def test_2017_plate_has_every_available_registratie_with_its_objects(plaat_2017, graphs, facts):
    day = date(2017, 12, 31)
    drawn = {(p.kind, p.key) for p in plaat_2017.parts}
    for iri, reg in facts["regs"].items():
        if in_stelsel(reg, day) and reg["beschikbaar"] and date.fromisoformat(reg["beschikbaar"]) <= day:
            assert ("box", iri) in drawn, reg["afk"]
            for obj in (o for o, r in facts["objects"].items() if r == iri):
                assert ("object", obj) in drawn or ("group", obj) in drawn, obj
    assert {k for kind, k in drawn if kind == "arrow"} == {d["iri"] for *_, d in graphs[day].edges(data=True)}


@pytest.mark.parametrize("which", ["2016", "2017", "verschil"])
def test_no_label_overlaps_another_label_or_box(graphs, plaat_2017, which):
    p = {"2017": lambda: plaat_2017, "2016": lambda: plaat.plaat(graphs[date(2016, 12, 31)]),
         "verschil": lambda: plaat.verschilplaat(stelsel.verschil(*graphs.values()))}[which]()
    found = geometry.extents(p)
    assert {e.kind for e in found} >= {"box", "object", "label", "legend", "title"}
    assert geometry.overlaps(found) == []
    assert geometry.off_page(p, found) == []
    assert geometry.crossings(p) == []  # no arrow runs through a box it does not start or end in
    boxes = [x.artist.get_zorder() for x in p.parts if x.kind in ("box", "group", "object", "label")]
    arrows = [x.artist.get_zorder() for x in p.parts if x.kind == "arrow"]
    assert arrows and min(arrows) > max(boxes)


def test_overlap_check_detects_an_overlap(plaat_2017):
    found = geometry.extents(plaat_2017)
    labels = [e for e in found if e.kind == "label"]
    a, b = labels[0], labels[1]
    moved = geometry.Extent(b.kind, b.key, a.bbox, b.inside)
    assert geometry.overlaps([a, moved])


def test_title_names_the_peildatum(plaat_2017):
    assert plaat_2017.title == "Stelselplaat, stand 31-12-2017"


def test_svg_is_deterministic(graphs):
    g = graphs[date(2017, 12, 31)]
    first = plaat.render(plaat.plaat(g), "svg")
    second = plaat.render(plaat.plaat(g), "svg")
    assert first == second


def test_svg_links_every_node_and_edge_to_its_iri(graphs, plaat_2017):
    g = graphs[date(2017, 12, 31)]
    svg = plaat.render(plaat_2017, "svg").decode()
    hrefs = set(re.findall(r'<a xlink:href="([^"]+)"', svg))
    iris = set(g.nodes) | {d["iri"] for *_, d in g.edges(data=True)} | set(g.graph["registraties"])
    assert iris <= hrefs
    for iri in g.graph["registraties"]:
        assert f'id="registratie-{iri.rsplit("/", 1)[-1]}"' in svg
    for *_, d in g.edges(data=True):
        assert f'id="verbinding-{d["iri"].rsplit("/", 1)[-1]}"' in svg


def test_png_is_a_png(graphs):
    assert plaat.image(graphs[date(2017, 12, 31)], "png", dpi=40).startswith(b"\x89PNG\r\n\x1a\n")


# ---------------------------------------------------------------- CLI

def cli(sb, *argv):
    from gdi_graph.cli import main
    return main(["--root", str(sb.root), "--dist", str(sb.dist), *argv])


def test_cli_unknown_registratie_exits_2_naming_it(sb, graphs, capsys):
    assert cli(sb, "stelsel", "afhankelijk", "XYZ") == 2
    err = capsys.readouterr().err
    assert "'XYZ'" in err and all(a in err for a in stelsel.registraties(graphs[date(2017, 12, 31)]))
    assert cli(sb, "stelsel", "pad", "BRV", "NOPE") == 2
    assert "'NOPE'" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["stelsel", "centraal", "--peildatum", "2017-13-01"],
                                  ["stelsel", "pad", "BRV", "BAG", "--peildatum", "31-12-2017"],
                                  ["draw", "-o", "x.svg", "--peildatum", "2017-02-30"]])
def test_cli_malformed_date_exits_2(sb, capsys, argv):
    assert cli(sb, *argv) == 2
    err = capsys.readouterr().err
    assert "invalid date" in err and argv[-1] in err


def test_cli_answers_match_the_library(sb, graphs, capsys):
    assert cli(sb, "stelsel", "pad", "BRV", "BAG", "--format", "json") == 0
    answer = json.loads(capsys.readouterr().out)
    expected = stelsel.antwoord(graphs[date(2017, 12, 31)], "pad", van="BRV", naar="BAG")
    assert answer == json.loads(json.dumps(expected))
    assert cli(sb, "stelsel", "niet-beschikbaar", "--peildatum", "2016-12-31") == 0
    out = capsys.readouterr().out
    for row in stelsel.niet_beschikbaar(graphs[date(2016, 12, 31)]):
        assert row["label"] in out


def test_cli_draws_svg_and_png(sb, tmp_path, capsys):
    assert cli(sb, "draw", "--peildatum", "2017-12-31", "-o", str(tmp_path / "p.svg")) == 0
    assert (tmp_path / "p.svg").read_bytes().startswith(b"<?xml")
    assert cli(sb, "draw", "--van", "2016-12-31", "--tot", "2017-12-31", "--dpi", "30", "-o", str(tmp_path / "v.png")) == 0
    assert (tmp_path / "v.png").read_bytes().startswith(b"\x89PNG")
    assert cli(sb, "draw", "-o", str(tmp_path / "p.pdf")) == 2
    assert ".svg or .png" in capsys.readouterr().err


# ---------------------------------------------------------------- HTTP

@pytest.fixture(scope="session")
def client(any_app):
    """The HTTP routes in both modes: the embedded store and a real Oxigraph server."""
    return any_app.test_client()


@pytest.mark.parametrize("url, mimetype", [("/stelselplaat.svg", "image/svg+xml"),
                                           ("/stelselplaat.png?peildatum=2016-12-31", "image/png"),
                                           ("/stelselplaat.svg?van=2016-12-31&tot=2017-12-31", "image/svg+xml")])
def test_images_are_cacheable(client, url, mimetype):
    first = client.get(url)
    assert first.status_code == 200 and first.mimetype == mimetype
    etag = first.headers["ETag"]
    assert etag and "max-age=300" in first.headers["Cache-Control"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.data and again.headers["ETag"] == etag


def test_etag_depends_on_the_parameters(client):
    tags = {client.get(url).headers["ETag"] for url in ("/stelselplaat.svg?peildatum=2016-12-31",
                                                        "/stelselplaat.svg?peildatum=2017-12-31",
                                                        "/stelselplaat.png?peildatum=2017-12-31")}
    assert len(tags) == 3


def test_api_answers_match_the_library(client, graphs):
    g = graphs[date(2017, 12, 31)]
    for url, vraag, params in [("/api/stelsel/pad?van=BRV&naar=BAG", "pad", {"van": "BRV", "naar": "BAG"}),
                               ("/api/stelsel/afhankelijk?registratie=BAG", "afhankelijk", {"registratie": "BAG"}),
                               ("/api/stelsel/centraal", "centraal", {}),
                               ("/api/stelsel/niet-beschikbaar", "niet-beschikbaar", {})]:
        r = client.get(url)
        assert r.status_code == 200, url
        assert r.get_json() == json.loads(json.dumps(stelsel.antwoord(g, vraag, **params)))
        assert client.get(url, headers={"If-None-Match": r.headers["ETag"]}).status_code == 304


@pytest.mark.parametrize("url, parameter, mentions", [
    ("/stelselplaat.svg?peildatum=2017-13-01", "peildatum", "2017-13-01"),
    ("/stelselplaat.png?van=2016-12-31", "tot", "tot"),
    ("/api/stelsel/centraal?peildatum=gisteren", "peildatum", "gisteren"),
    ("/api/stelsel/afhankelijk?registratie=XYZ", "registratie", "XYZ"),
    ("/api/stelsel/afhankelijk", "registratie", "registratie"),
    ("/api/stelsel/pad?van=BRV&naar=NOPE", "naar", "NOPE"),
])
def test_bad_input_is_a_400_naming_the_parameter(client, url, parameter, mentions):
    r = client.get(url, headers={"Accept": "application/json"})
    assert r.status_code == 400 and r.mimetype == "application/problem+json"
    body = r.get_json()
    assert body["parameter"] == parameter and mentions in body["detail"]


def test_svg_links_lead_to_the_serving_host(client):
    svg = client.get("/stelselplaat.svg", base_url="http://wiki-proxy.example:8080/").data.decode()
    assert 'href="http://wiki-proxy.example:8080/id/verbinding/' in svg
    assert 'href="http://wiki-proxy.example:8080/id/registratieobject/' in svg
    assert "https://w3id.org/gdi-graph/id/" not in svg
