"""The reading pages and their data when the graph holds two editions of the monitor.

A page, like the named queries, shows one value per indicator and year by default: the
newest edition's, with a source naming that edition, and a figure that a later edition
revised is marked "herzien" with the other printing. `?editie=` shows one edition as it
prints the figures, `?alle_edities=true` every printing; a wrong value is a 400 naming the
known editions. The project is the real report plus the made-up edition of
tests/build/fixtures/editie-2019; the expected values are read from the CSV files and the
store, not copied from a page.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from editions_support import (
    NEWER,
    OLDER,
    printed,
    row_labels,
    serve,
    two_edition_project,
)
from html_parts import Element, by_id, parse

BASE = "https://w3id.org/gdi-graph"
GDI = f"{BASE}/def#"
P = f"""PREFIX gdi: <{GDI}> PREFIX qb: <http://purl.org/linked-data/cube#> PREFIX dct: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
HTML = {"Accept": "text/html"}
DIGID = "/id/voorziening/digid"
REVISED = ("aangesloten-organisaties", "2016")  # the fixture's revision (its README)
ROUNDED = ("actieve-digids", "2016")  # printed again rounded: not a revision
REVISED_PAGE = "/id/indicator/digid/aangesloten-organisaties"


@pytest.fixture(scope="session")
def two_editions(tmp_path_factory):
    return two_edition_project(tmp_path_factory)


@pytest.fixture(scope="session")
def app(two_editions):
    from gdi_graph.web import create_app

    made = create_app({"GDI_GRAPH_DIST": str(two_editions / "dist"), "GDI_GRAPH_QUERIES": str(two_editions / "queries"),
                       "GDI_GRAPH_EXECUTORS": 1, "TESTING": True})
    yield made
    made.extensions["gdi_graph"].close()


@pytest.fixture()
def client(app):
    return app.test_client()


def rows(app, query: str) -> list[dict]:
    return app.extensions["gdi_graph"].select(P + query)


def titles(app) -> dict[str, str]:
    """edition code -> the report's title (as a source names it)."""
    return {r["c"].value: r["t"].value for r in rows(app, "SELECT ?c ?t WHERE { ?r a gdi:Rapport ; skos:notation ?c ; dct:title ?t }")}


def page(client, path: str) -> Element:
    r = client.get(path, headers=HTML)
    assert r.status_code == 200, (path, r.status_code, r.data[:500])
    return parse(r.data)


def shown(td: Element) -> str:
    """The value a cell shows: its first text, before note numbers, source letters and other printings."""
    return next((c.strip() for c in td.children if isinstance(c, str) and c.strip()), "")


def figure_rows(doc: Element) -> list[tuple[Element, str, dict[str, Element]]]:
    """(table's section, indicator path, {column header: cell}) for every row of every figure table."""
    out = []
    for section in doc.find("section", class_="figures"):
        table = next(section.iter("table"))
        headers = [th.text for th in next(table.iter("thead")).iter("th")]
        for tr in next(table.iter("tbody")).iter("tr"):
            cells = [c for c in tr.children if isinstance(c, Element)]
            href = cells[0].links()[0][0]
            out.append((section, href.removeprefix("/id/indicator/"), dict(zip(headers[1:], cells[1:]))))
    return out


def revised_values() -> tuple[str, str]:
    """(as the older edition printed it, as the newer did)."""
    older, newer = printed(OLDER, "digid")[REVISED], printed(NEWER, "digid")[REVISED]
    assert older != newer  # the fixture's premise
    return older, newer


# ---------------------------------------------------------------- default: the newest printing


def test_a_voorziening_shows_each_figure_once_the_newest_printing(client, app):
    doc = page(client, DIGID)
    found = figure_rows(doc)
    indicators = [ind for _, ind, _ in found]
    assert len(indicators) == len(set(indicators)), "an indicator printed by two editions is one row"
    newest = rows(app, f"""SELECT ?ind ?jaar ?ruw ?kolom WHERE {{ ?o a qb:Observation ; gdi:nieuwste true ;
        gdi:voorziening <{BASE}{DIGID}> ; gdi:indicator ?ind ; gdi:jaar ?jaar ; gdi:ruw ?ruw OPTIONAL {{ ?o gdi:kolom ?kolom }} }}""")
    cells = {ind: row for _, ind, row in found}
    for c in newest:
        header = c["kolom"].value if "kolom" in c else c["jaar"].value
        assert shown(cells[c["ind"].value.removeprefix(f"{BASE}/id/indicator/")][header]) == c["ruw"].value, c
    older, newer = revised_values()
    cell = cells[f"digid/{REVISED[0]}"][REVISED[1]]
    assert shown(cell) == newer and shown(cell) != older


def test_a_revised_figure_is_marked_with_the_earlier_printing(client, app):
    doc = page(client, DIGID)
    cells = {ind: row for _, ind, row in figure_rows(doc)}
    older, _ = revised_values()
    cell = cells[f"digid/{REVISED[0]}"][REVISED[1]]
    (mark,) = cell.find("details")
    assert "herzien" in mark.attrs["class"].split()
    summary = next(mark.iter("summary"))
    assert summary.text == "herzien"
    old_title = titles(app)[OLDER]
    assert older in summary.attrs["title"] and old_title in summary.attrs["title"]  # on hover
    assert f"eerder (herziening): {older} in {old_title}" in mark.text  # in the details
    # the earlier printing links to its observation, which dereferences as it is
    (href, text), = mark.links()
    assert text == older and href.startswith(f"/id/observatie/{OLDER}/")
    # printed again rounded is another printing, not a revision
    rounded = cells[f"digid/{ROUNDED[0]}"][ROUNDED[1]]
    (other,) = rounded.find("details")
    assert "herzien" not in other.attrs["class"].split() and next(other.iter("summary")).text == "anders gedrukt"
    assert printed(OLDER, "digid")[ROUNDED] in other.text
    # a figure printed alike by both editions has no mark
    same = [(ind, y) for (ind, y), v in printed(NEWER, "digid").items() if printed(OLDER, "digid").get((ind, y)) == v]
    assert same
    for ind, year in same:
        assert not cells[f"digid/{ind}"][year].find("details")


def test_the_source_names_each_edition_a_cell_comes_from(client, app):
    doc = page(client, DIGID)
    names = titles(app)
    section = next(s for s, ind, _ in figure_rows(doc) if ind == f"digid/{REVISED[0]}")
    sources = next(e for e in section.iter("ol") if "sources" in e.attrs.get("class", ""))
    items = [li.text for li in sources.iter("li")]
    assert items[0].startswith(names[NEWER]) and items[1].startswith(names[OLDER])  # the newest first
    # a year only the older edition prints comes from it, and its cell names that source
    only_older = sorted({y for (_, y) in printed(OLDER, "digid")} - {y for (_, y) in printed(NEWER, "digid")})
    assert only_older
    cells = {ind: row for _, ind, row in figure_rows(doc)}
    cell = cells[f"digid/{REVISED[0]}"][only_older[0]]
    assert shown(cell) == printed(OLDER, "digid")[(REVISED[0], only_older[0])]
    (mark,) = [a for a in cell.iter("a") if a.attrs["href"].endswith("-bron-2")]
    assert names[OLDER] in mark.attrs["aria-label"]
    # a row only the older edition prints is marked once, at its label, not in every cell
    older_only = {k for k, _ in printed(OLDER, "digid")} - {k for k, _ in printed(NEWER, "digid")}
    marked = 0
    for tr in next(section.iter("tbody")).iter("tr"):
        th, *tds = [c for c in tr.children if isinstance(c, Element)]
        if th.links()[0][0].removeprefix("/id/indicator/digid/") in older_only:
            assert [h for h, _ in th.links()][1:] == [f"#{section.attrs['id']}-bron-2"]
            assert not any("-bron-" in h for td in tds for h, _ in td.links())
            marked += 1
    assert marked == len(older_only) > 0


def test_an_indicator_page_gives_one_row_per_year_naming_its_edition(client, app):
    doc = page(client, REVISED_PAGE)
    series = by_id(doc, "reeks-1")
    assert "reeks-2" not in {e.attrs.get("id") for e in doc.iter("table")}
    names = titles(app)
    years = {}
    for tr in next(series.iter("tbody")).iter("tr"):
        cells = [c for c in tr.children if isinstance(c, Element)]
        if cells[0].text.isdigit():
            assert cells[0].text not in years, "one row per year"
            years[cells[0].text] = (shown(cells[1]), cells[-1].text, cells[1])
    newer_years = {y: v for (ind, y), v in printed(NEWER, "digid").items() if ind == REVISED[0]}
    older_years = {y: v for (ind, y), v in printed(OLDER, "digid").items() if ind == REVISED[0]}
    for year in newer_years.keys() | older_years.keys():
        value, edition, _ = years[year]
        expected = (newer_years[year], names[NEWER]) if year in newer_years else (older_years[year], names[OLDER])
        assert (value, edition) == expected, year
    assert "herzien" in years[REVISED[1]][2].text


def test_a_chart_draws_the_newest_printing_of_each_year(client):
    older, newer = revised_values()
    desc = chart_desc(client, "")
    assert f"{REVISED[1]}: {newer}" in desc and f"{REVISED[1]}: {older}" not in desc


def chart_desc(client, query: str) -> str:
    import xml.etree.ElementTree as ET

    r = client.get(f"/grafiek/digid/{REVISED[0]}.svg{query}")
    assert r.status_code == 200, r.data[:300]
    return ET.fromstring(r.data).find("{http://www.w3.org/2000/svg}desc").text


def test_the_landing_page_counts_one_figure_per_indicator_and_year(client, app):
    def count(where: str) -> int:
        return int(rows(app, f"SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE {{ ?o a qb:Observation {where} }}")[0]["n"].value)

    def figures(path: str) -> str:
        items = [li.text for li in by_id(page(client, path), "tellingen").iter("li")]
        return next(t for t in items if t.endswith(" cijfers"))

    dutch = lambda n: f"{n:,}".replace(",", ".")
    assert count("") > count("; gdi:nieuwste true")  # two printings of some figures
    assert figures("/") == f"{dutch(count('; gdi:nieuwste true'))} cijfers"
    assert figures("/?alle_edities=true") == f"{dutch(count(''))} cijfers"
    assert figures(f"/?editie={OLDER}") == f"{dutch(count(f'; gdi:editie <{BASE}/id/rapport/{OLDER}>'))} cijfers"


# ---------------------------------------------------------------- one edition, every printing


def test_one_edition_as_it_prints_its_figures(client, app):
    doc = page(client, f"{DIGID}?editie={OLDER}")
    found = figure_rows(doc)
    older, newer = revised_values()
    cells = {ind: row for _, ind, row in found}
    cell = cells[f"digid/{REVISED[0]}"][REVISED[1]]
    assert shown(cell) == older
    mark = next(cell.iter("details"))
    assert f"later (herziening): {newer} in {titles(app)[NEWER]}" in mark.text  # revised by a later edition
    # the older edition's years and row labels only, as it prints them
    headers = set().union(*(row.keys() for _, _, row in found))
    newer_only = {y for (_, y) in printed(NEWER, "digid")} - {y for (_, y) in printed(OLDER, "digid")}
    assert newer_only and not newer_only & headers
    labels = {row_labels(OLDER)[f"digid/{slug}"] for (slug, _) in printed(OLDER, "digid")}
    shown_labels = {next(tr.iter("th")).text for s in doc.find("section", class_="figures")
                    for tr in next(next(s.iter("table")).iter("tbody")).iter("tr")}
    assert labels <= shown_labels
    sources = " ".join(p.text for p in doc.find("p", class_="source"))
    assert titles(app)[OLDER] in sources and titles(app)[NEWER] not in sources
    # the chart of one edition
    assert f"{REVISED[1]}: {older}" in chart_desc(client, f"?editie={OLDER}")


def test_every_printing_shows_each_edition_as_printed(client, app):
    doc = page(client, f"{DIGID}?alle_edities=true")
    older, newer = revised_values()
    values = sorted(shown(row[REVISED[1]]) for _, ind, row in figure_rows(doc) if ind == f"digid/{REVISED[0]}")
    assert values == sorted([older, newer])
    sources = " ".join(p.text for p in doc.find("p", class_="source"))
    assert titles(app)[OLDER] in sources and titles(app)[NEWER] in sources
    desc = chart_desc(client, "?alle_edities=true")
    assert f"{REVISED[1]}: {older}" in desc and f"{REVISED[1]}: {newer}" in desc
    # the indicator page: a series per edition
    ind = page(client, f"{REVISED_PAGE}?alle_edities=true")
    assert {"reeks-1", "reeks-2"} <= {e.attrs.get("id") for e in ind.iter("table")}


def test_the_page_links_to_the_other_selections(client):
    doc = page(client, DIGID)
    (nav,) = doc.find("nav", class_="edities")
    hrefs = [h for h, _ in nav.links()]
    assert hrefs == [f"{DIGID}?editie={NEWER}#cijfers", f"{DIGID}?editie={OLDER}#cijfers",
                     f"{DIGID}?alle_edities=true#cijfers"]
    for href in hrefs:
        page(client, href.split("#")[0])


@pytest.mark.parametrize("path", [DIGID, REVISED_PAGE, f"/grafiek/digid/{REVISED[0]}.svg", "/"])
def test_an_unknown_edition_is_a_400_naming_the_known_ones(client, path):
    r = client.get(path, query_string={"editie": "monitor-gdi-2017"}, headers={"Accept": "application/json"})
    assert r.status_code == 400, (path, r.status_code)
    problem = r.json
    assert problem["parameter"] == "editie"
    assert "'monitor-gdi-2017' is geen bekende waarde" in problem["detail"]
    assert NEWER in problem["detail"] and OLDER in problem["detail"]
    english = client.get(path, query_string={"editie": "monitor-gdi-2017"},
                         headers={"Accept": "application/json", "Accept-Language": "en-GB,en;q=0.9"})
    assert english.status_code == 400 and "is not a known value" in english.json["detail"]
    wrong = client.get(path, query_string={"alle_edities": "ja"}, headers={"Accept": "application/json"})
    assert wrong.status_code == 400 and wrong.json["parameter"] == "alle_edities"


def test_a_table_page_shows_its_edition_as_printed_and_what_a_later_one_revised(client, app):
    doc = page(client, f"/id/tabel/{OLDER}/digid")
    assert doc.find("p", class_="kind")
    _, newer = revised_values()
    cells = {ind: row for _, ind, row in figure_rows(doc)}
    assert {ind.removeprefix("digid/") for ind in cells} == {k for k, _ in printed(OLDER, "digid")}
    for (slug, year), value in printed(OLDER, "digid").items():
        assert shown(cells[f"digid/{slug}"][year]) == value
    mark = next(cells[f"digid/{REVISED[0]}"][REVISED[1]].iter("details"))
    assert "herzien" in mark.attrs["class"].split() and newer in mark.text and titles(app)[NEWER] in mark.text


def test_search_finds_an_indicator_by_the_label_an_earlier_edition_printed(client):
    name = row_labels(OLDER)["digid/aangesloten-webdiensten"]
    assert name not in row_labels(NEWER).values()  # renamed in the newer edition (the fixture's README)
    r = client.get("/zoeken", query_string={"q": name, "format": "json"})
    (hit,) = [h for h in r.json["results"] if h["matched"] == name]
    assert hit["iri"] == f"{BASE}/id/indicator/digid/aangesloten-webdiensten"
    assert hit["label"] == row_labels(NEWER)["digid/webdiensten"]  # named as the newest printing names it


# ---------------------------------------------------------------- linked data


def nt_subjects(client, path: str) -> set[str]:
    r = client.get(path, headers={"Accept": "application/n-triples"})
    assert r.status_code == 200
    return {line.split(" ", 1)[0].strip("<>") for line in r.get_data(as_text=True).splitlines() if line}


def test_linked_data_of_a_voorziening_follows_the_selection(client, app):
    obs = {r["e"].value.rsplit("/", 1)[-1]: r["o"].value for r in rows(app, f"""SELECT ?o ?e WHERE {{
        ?o a qb:Observation ; gdi:indicator <{BASE}/id/indicator/digid/{REVISED[0]}> ; gdi:jaar "{REVISED[1]}"^^<http://www.w3.org/2001/XMLSchema#gYear> ;
           gdi:editie ?e }}""")}
    assert set(obs) == {OLDER, NEWER}
    default = nt_subjects(client, DIGID)
    assert obs[NEWER] in default and obs[OLDER] not in default
    assert {obs[OLDER], obs[NEWER]} <= nt_subjects(client, f"{DIGID}?alle_edities=true")
    only = nt_subjects(client, f"{DIGID}?editie={OLDER}")
    assert obs[OLDER] in only and obs[NEWER] not in only


def test_the_other_formats_of_a_page_keep_its_selection(client):
    doc = page(client, f"{DIGID}?editie={OLDER}")
    formats = [h for h, _ in by_id(doc, "alternates").links()]
    assert formats and all(h.startswith(f"{DIGID}?editie={OLDER}&format=") for h in formats)


def test_an_observation_dereferences_as_it_is(client, app):
    old = f"{BASE}/id/observatie/{OLDER}/digid/{REVISED[0]}/{REVISED[1]}"
    expected = rows(app, f"SELECT DISTINCT ?p ?o WHERE {{ <{old}> ?p ?o }}")
    r = client.get(old.removeprefix(BASE), headers={"Accept": "application/n-triples"})
    own = [line for line in r.get_data(as_text=True).splitlines() if line.startswith(f"<{old}> ")]
    assert len(own) == len(expected) and len(expected) > 10
    assert any(f"{GDI}nieuwste" in line and '"false"' in line for line in own)  # it is not the newest, and says so


# ---------------------------------------------------------------- the single-edition project looks as before


def test_one_edition_shows_no_choice_and_no_marks(web_client):
    r = web_client.get(DIGID, headers=HTML)
    doc = parse(r.data)
    assert not doc.find("nav", class_="edities")
    assert not list(doc.iter("details")) or all("druk" not in d.attrs.get("class", "") for d in doc.iter("details"))
    assert not doc.find("ol", class_="sources")
    same = web_client.get(f"{DIGID}?editie={OLDER}", headers=HTML)
    assert same.status_code == 200
    strip = lambda d: [(ind, {h: shown(c) for h, c in row.items()}) for _, ind, row in figure_rows(d)]
    assert strip(parse(same.data)) == strip(doc)
    assert web_client.get(DIGID, query_string={"editie": NEWER}, headers=HTML).status_code == 400


# ---------------------------------------------------------------- a remote store, a real server


@pytest.fixture(scope="module")
def remote_client(two_editions, tmp_path_factory):
    """The app in remote mode, in front of a real Oxigraph server holding the two editions."""
    from web_support import OxigraphServer

    from gdi_graph.build.publish import publish
    from gdi_graph.web import create_app

    store = OxigraphServer(tmp_path_factory.mktemp("oxigraph-two-editions")).start()
    try:
        publish(two_editions / "dist", store.store_url)
        made = create_app({"GDI_GRAPH_DIST": str(two_editions / "dist"), "GDI_GRAPH_QUERIES": str(two_editions / "queries"),
                           "GDI_GRAPH_REMOTE_ENDPOINT": store.query_url, "GDI_GRAPH_QUERY_TIMEOUT": 20, "TESTING": True})
        yield made.test_client()
        made.extensions["gdi_graph"].close()
    finally:
        store.stop()


def test_a_remote_store_gives_the_same_pages(remote_client, client):
    """Bound by a VALUES block instead of substitution, the selection must select the same cells."""
    for path in (DIGID, f"{DIGID}?editie={OLDER}", f"{DIGID}?alle_edities=true"):
        remote, embedded = ([(ind, {h: c.text for h, c in row.items()}) for _, ind, row in figure_rows(page(c, path))]
                            for c in (remote_client, client))
        assert remote and remote == embedded, path
    for path in (REVISED_PAGE, f"{REVISED_PAGE}?alle_edities=true"):
        remote, embedded = (by_id(page(c, path), "reeks").parent.text for c in (remote_client, client))
        assert "herzien" in remote and remote == embedded, path
    for path in (DIGID, f"{DIGID}?editie={OLDER}"):
        assert nt_subjects(remote_client, path) == nt_subjects(client, path), path
    assert remote_client.get(DIGID, query_string={"editie": "monitor-gdi-2017"}).status_code == 400




@pytest.fixture(scope="module")
def server(two_editions):
    yield from serve(two_editions)


def test_a_real_server_answers_with_the_newest_printing_and_refuses_an_unknown_edition(server):
    older, newer = revised_values()
    with urllib.request.urlopen(urllib.request.Request(server + DIGID, headers=HTML), timeout=30) as r:
        doc = parse(r.read())
    cells = {ind: row for _, ind, row in figure_rows(doc)}
    cell = cells[f"digid/{REVISED[0]}"][REVISED[1]]
    assert shown(cell) == newer and older in next(cell.iter("details")).text
    request = urllib.request.Request(server + DIGID + "?editie=monitor-gdi-2017",
                                     headers={"Accept": "application/problem+json"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 400
    detail = json.loads(refused.value.read())["detail"]
    assert NEWER in detail and OLDER in detail
