"""The pages made for reading: the landing page and a page per kind of thing.

What a page must show is read from the store with SPARQL and compared with what the page
says, so the tests follow the data instead of copying it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from html_parts import by_id, parse

BASE = "https://w3id.org/gdi-graph"
GDI = f"{BASE}/def#"
P = f"""PREFIX gdi: <{GDI}> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/> PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX org: <http://www.w3.org/ns/org#>
"""
HTML = {"Accept": "text/html"}


def rows(web_app, query: str) -> list[dict]:
    return web_app.extensions["gdi_graph"].select(P + query)


def page(web_client, path: str):
    r = web_client.get(path, headers=HTML)
    assert r.status_code == 200, (path, r.status_code, r.data[:500])
    assert r.mimetype == "text/html"
    return parse(r.data)


def local(href: str) -> str:
    return urlsplit(href).path


def dutch(n: int) -> str:
    return f"{n:,}".replace(",", ".")


# ---------------------------------------------------------------- landing page

def test_home_says_what_the_graph_holds(web_client, web_app):
    doc = page(web_client, "/")
    counts = by_id(doc, "tellingen").text
    for kind, word in ((f"<{GDI}Voorziening>", "voorzieningen"), (f"<{GDI}Basisregistratie>", "basisregistraties"),
                       (f"<{GDI}Verbinding>", "verbindingen"), ("org:Organization", "organisaties"),
                       ("qb:Observation", "cijfers")):
        n = int(rows(web_app, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a {kind} }}")[0]["n"].value)
        assert f"{dutch(n)} {word}" in counts, (word, n, counts)
    for r in rows(web_app, "SELECT ?d WHERE { ?r a gdi:Rapport ; gdi:peildatum ?d }"):
        y, m, d = r["d"].value.split("-")
        assert f"peildatum {d}-{m}-{y}" in doc.text
    assert web_app.extensions["gdi_graph"].digest[:12] == by_id(doc, "digest").text


def test_home_lists_every_functionele_groep_with_its_voorzieningen(web_client, web_app):
    doc = page(web_client, "/")
    groups = by_id(doc, "voorzieningen")
    links = {local(h): t for h, t in groups.links()}
    found = rows(web_app, """SELECT ?g ?gl ?v ?vl WHERE { ?g a gdi:FunctioneleGroep ; skos:prefLabel ?gl
        FILTER(LANG(?gl) = "nl") OPTIONAL { ?v gdi:functioneleGroep ?g ; skos:prefLabel ?vl FILTER(LANG(?vl) = "nl") } }""")
    assert len({r["g"].value for r in found}) == 4
    for r in found:
        assert links[r["g"].value.removeprefix(BASE)] == r["gl"].value
        if "v" in r:
            assert links[r["v"].value.removeprefix(BASE)] == r["vl"].value


def test_home_offers_the_plate_search_and_three_ways_in(web_client, web_app):
    doc = page(web_client, "/")
    plate = by_id(doc, "stelselplaat-link")
    assert local(plate.attrs["href"]) == "/stelselplaat.svg"
    assert [local(i.attrs["src"]) for i in plate.iter("img")] == ["/stelselplaat.svg"]
    assert any(f.attrs.get("action") == "/zoeken" and f.find("input", name="q") for f in doc.iter("form"))
    architects = {local(h) for h, _ in by_id(doc, "architecten").links()}
    assert {"/api/stelsel/centraal", "/api/stelsel/afhankelijk", "/api/stelsel/pad",
            "/api/stelsel/niet-beschikbaar"} <= architects
    queries = web_app.extensions["gdi_graph"].queries
    wiki = {local(h) for h, _ in by_id(doc, "wiki").links()}
    for q in queries.values():
        assert f"/queries/{q.name}" in (architects if "stelsel" in q.tags else wiki)
    machines = {local(h) for h, _ in by_id(doc, "machines").links()}
    assert {"/sparql", "/download", "/openapi.json", "/.well-known/void"} <= machines


def test_every_link_and_image_on_the_home_page_answers(web_client):
    doc = page(web_client, "/")
    targets = {h for h, _ in doc.links() if h.startswith("/")} | {i.attrs["src"] for i in doc.iter("img")}
    targets |= {s.attrs["src"] for s in doc.iter("script")} | {s.attrs["href"] for s in doc.iter("link")}
    assert 30 < len(targets) < 400
    for href in sorted(targets):
        r = web_client.get(href)
        assert r.status_code == 200, (href, r.status_code)


# ---------------------------------------------------------------- a voorziening

def _figure_tables(doc) -> dict[str, dict[str, dict[str, str]]]:
    """Each table of figures on a page as {indicator path: {column header: cell text}}."""
    out = {}
    for section in doc.find("section", class_="figures"):
        for table in section.iter("table"):
            headers = [th.text for th in next(table.iter("thead")).iter("th")]
            for tr in next(table.iter("tbody")).iter("tr"):
                cells = [c for c in tr.children if not isinstance(c, str)]
                href = local(cells[0].links()[0][0])
                out.setdefault(href, {}).update({h: c.text for h, c in zip(headers[1:], cells[1:])})
    return out


def test_voorziening_page_prints_its_figures_as_the_report_does(web_client, web_app):
    doc = page(web_client, "/id/voorziening/digid")
    label = rows(web_app, f"SELECT ?l WHERE {{ <{BASE}/id/voorziening/digid> skos:prefLabel ?l }}")[0]["l"].value
    assert by_id(doc, "title").text == label
    tables = _figure_tables(doc)
    cells = rows(web_app, f"""SELECT ?ind ?jaar ?ruw ?kolom WHERE {{ ?o a qb:Observation ;
        gdi:voorziening <{BASE}/id/voorziening/digid> ; gdi:indicator ?ind ; gdi:jaar ?jaar ; gdi:ruw ?ruw .
        OPTIONAL {{ ?o gdi:kolom ?kolom }} }}""")
    assert len(cells) > 20
    for c in cells:
        header = c["kolom"].value if "kolom" in c else c["jaar"].value
        shown = tables[c["ind"].value.removeprefix(BASE)][header]
        assert shown.split(" ")[0] == c["ruw"].value.split(" ")[0] and shown.startswith(c["ruw"].value), (c, shown)
    sections = {r["s"].value for r in rows(web_app, f"""SELECT ?s WHERE {{ ?t a gdi:Tabel ;
        gdi:voorziening <{BASE}/id/voorziening/digid> ; gdi:sectie ?s }}""")}
    sources = " ".join(p.text for p in doc.find("p", class_="source"))
    for s in sections:
        assert f"§{s}" in sources


def test_voorziening_page_has_group_beheerder_charts_and_the_statements_below(web_client, web_app):
    doc = page(web_client, "/id/voorziening/digid")
    facts = {local(h) for h, _ in by_id(doc, "kern").links()}
    for r in rows(web_app, f"SELECT ?o WHERE {{ <{BASE}/id/voorziening/digid> gdi:functioneleGroep|gdi:beheerder ?o }}"):
        assert r["o"].value.removeprefix(BASE) in facts
    charts = [i.attrs["src"] for i in by_id(doc, "grafieken").parent.iter("img")]
    assert charts and all(c.startswith("/grafiek/") and c.endswith(".svg") for c in charts)
    for c in charts:
        r = web_client.get(c)
        assert r.status_code == 200 and r.mimetype == "image/svg+xml"
    order = [e.attrs["id"] for e in doc.iter() if e.attrs.get("id") in ("cijfers", "grafieken", "uitspraken")]
    assert order == ["cijfers", "grafieken", "uitspraken"]
    assert doc.find("table", id="incoming")  # the linked-data table stays


def test_aansluitingen_by_role_and_releases(web_client, web_app):
    busiest = rows(web_app, """SELECT ?v (COUNT(?a) AS ?n) WHERE { ?a a gdi:Aansluiting ; gdi:voorziening ?v }
        GROUP BY ?v ORDER BY DESC(?n) ?v LIMIT 1""")[0]["v"].value
    doc = page(web_client, busiest.removeprefix(BASE))
    section = by_id(doc, "aansluitingen").parent
    shown = {local(h) for h, _ in section.links()}
    orgs = rows(web_app, f"""SELECT ?o ?rl WHERE {{ ?a a gdi:Aansluiting ; gdi:voorziening <{busiest}> ;
        gdi:organisatie ?o ; gdi:rol/skos:prefLabel ?rl FILTER(LANG(?rl) = "nl") }}""")
    assert {r["o"].value.removeprefix(BASE) for r in orgs} == shown
    headings = {h.text.split(" (")[0].lower() for h in section.iter("h3")}
    assert headings == {r["rl"].value.lower() for r in orgs}
    with_releases = rows(web_app, "SELECT ?v (COUNT(?r) AS ?n) WHERE { ?r a gdi:Release ; gdi:voorziening ?v } "
                                  "GROUP BY ?v ORDER BY DESC(?n) ?v LIMIT 1")[0]
    doc = page(web_client, with_releases["v"].value.removeprefix(BASE))
    assert len(list(by_id(doc, "release-tabel").iter("tr"))) == int(with_releases["n"].value) + 1


# ---------------------------------------------------------------- a basisregistratie

def _basisregistraties(web_app) -> dict[str, str]:
    return {r["afk"].value: r["b"].value for r in rows(web_app, "SELECT ?b ?afk WHERE { ?b a gdi:Basisregistratie ; "
                                                                "gdi:afkorting ?afk }")}


def test_basisregistratie_pages_show_objects_verbindingen_and_catalogus(web_client, web_app):
    verbindingen = rows(web_app, """SELECT ?vb ?van ?naar ?rv ?rn ?sleutel WHERE { ?vb a gdi:Verbinding ;
        gdi:van ?van ; gdi:naar ?naar . ?van gdi:registratie ?rv . ?naar gdi:registratie ?rn
        OPTIONAL { ?vb gdi:sleutel ?sleutel } }""")
    for afk, iri in _basisregistraties(web_app).items():
        doc = page(web_client, iri.removeprefix(BASE))
        objects = {r["o"].value.removeprefix(BASE) for r in rows(web_app, f"SELECT ?o WHERE {{ ?o gdi:registratie <{iri}> }}")}
        shown = {local(h) for h, _ in doc.find(id="object-lijst")[0].links()} if objects else set()
        assert shown == objects, afk
        for direction, mine, other in (("uit", "rv", "rn"), ("in", "rn", "rv")):
            expected = {r["vb"].value for r in verbindingen if r[mine].value == iri and r[other].value != iri}
            table = doc.find("table", id=f"verbindingen-{direction}")
            found = set()
            if table:
                for tr in next(table[0].iter("tbody")).iter("tr"):
                    found |= {BASE + local(h) for h, _ in tr.links() if "/id/verbinding/" in h}
            assert found == expected, (afk, direction)
        for r in rows(web_app, f"SELECT ?c WHERE {{ <{iri}> skos:exactMatch ?c }}"):
            assert by_id(doc, "stelselcatalogus").attrs["href"] == r["c"].value


def test_what_depends_on_a_basisregistratie_agrees_with_the_architects_question(web_client, web_app):
    for afk, iri in _basisregistraties(web_app).items():
        doc = page(web_client, iri.removeprefix(BASE))
        api = web_client.get(f"/api/stelsel/afhankelijk?registratie={afk}")
        listed = doc.find("ul", id="afhankelijk-lijst")
        if api.status_code != 200:  # not in the stelsel on the peildatum: no list and no plate
            assert not listed and not [i for i in doc.iter("img") if "/grafiek/stelsel/" in i.attrs["src"]]
            continue
        expected = {r["object"].removeprefix(BASE) for r in api.json["objecten"]}
        shown = {local(h) for h, _ in listed[0].links() if "/registratieobject/" in h} if listed else set()
        assert shown == expected, afk
        plate = [i.attrs["src"] for i in doc.iter("img") if "/grafiek/stelsel/" in i.attrs["src"]]
        assert plate == [f"/grafiek/stelsel/{afk}.svg"]


# ---------------------------------------------------------------- other kinds

def test_organisation_page_lists_its_aansluitingen(web_client, web_app):
    org = rows(web_app, """SELECT ?o (COUNT(?a) AS ?n) WHERE { ?a a gdi:Aansluiting ; gdi:organisatie ?o }
        GROUP BY ?o ORDER BY DESC(?n) ?o LIMIT 1""")[0]["o"].value
    doc = page(web_client, org.removeprefix(BASE))
    expected = {r["v"].value.removeprefix(BASE) for r in rows(
        web_app, f"SELECT ?v WHERE {{ ?a a gdi:Aansluiting ; gdi:organisatie <{org}> ; gdi:voorziening ?v }}")}
    assert {local(h) for h, _ in by_id(doc, "aansluitingen").parent.links()} == expected


def test_indicator_page_shows_its_series_and_chart(web_client, web_app):
    ind = rows(web_app, """SELECT ?i (COUNT(?w) AS ?n) WHERE { ?o a qb:Observation ; gdi:indicator ?i ; gdi:waarde ?w }
        GROUP BY ?i HAVING (COUNT(?w) >= 3) ORDER BY ?i LIMIT 1""")[0]["i"].value
    doc = page(web_client, ind.removeprefix(BASE))
    series = by_id(doc, "reeks").parent.text
    for r in rows(web_app, f"SELECT ?j ?ruw WHERE {{ ?o a qb:Observation ; gdi:indicator <{ind}> ; gdi:jaar ?j ; gdi:ruw ?ruw }}"):
        assert f"{r['j'].value} {r['ruw'].value}" in series
    images = [i.attrs["src"] for i in by_id(doc, "grafiek").parent.iter("img")]
    assert images == ["/grafiek/" + ind.removeprefix(f"{BASE}/id/indicator/") + ".svg"]


def test_verbinding_pages_name_both_ends_key_status_sources_and_whether_inferred(web_client, web_app):
    found = rows(web_app, """SELECT ?vb ?van ?naar ?sleutel ?sl ?afgeleid WHERE { ?vb a gdi:Verbinding ; gdi:van ?van ;
        gdi:naar ?naar . OPTIONAL { ?vb gdi:sleutel ?sleutel } OPTIONAL { ?vb gdi:status/skos:prefLabel ?sl
        FILTER(LANG(?sl) = "nl") } OPTIONAL { ?vb gdi:afgeleid ?afgeleid } }""")
    assert found
    for r in found:
        doc = page(web_client, r["vb"].value.removeprefix(BASE))
        kern = by_id(doc, "kern")
        hrefs = {local(h) for h, _ in kern.links()}
        assert {r["van"].value.removeprefix(BASE), r["naar"].value.removeprefix(BASE)} <= hrefs
        if "sleutel" in r:
            assert r["sleutel"].value in kern.text
        if "sl" in r:
            assert r["sl"].value in kern.text
        inferred = "afgeleid" in r and r["afgeleid"].value == "true"
        assert by_id(doc, "afgeleid").text.startswith("afgeleid" if inferred else "zo vermeld"), r["vb"]
        sources = rows(web_app, f"""SELECT ?t WHERE {{ <{r['vb'].value}> dct:source ?b . ?b dct:title ?t }}""")
        for s in sources:
            assert s["t"].value in kern.text


@pytest.mark.parametrize("kind", ["Registratieobject", "FunctioneleGroep", "Koppelnetwerk"])
def test_other_kinds_have_a_reading_page(web_client, web_app, kind):
    iri = rows(web_app, f"SELECT ?s WHERE {{ ?s a gdi:{kind} }} ORDER BY ?s LIMIT 1")[0]["s"].value
    doc = page(web_client, iri.removeprefix(BASE))
    assert doc.find("p", class_="kind") and by_id(doc, "uitspraken")


def test_a_resource_of_no_known_kind_keeps_the_generic_page(web_client, web_app):
    iri = rows(web_app, "SELECT ?s WHERE { ?s a gdi:Rapport } LIMIT 1")[0]["s"].value
    doc = page(web_client, iri.removeprefix(BASE))
    assert not doc.find("p", class_="kind") and by_id(doc, "title")


def test_machines_still_get_rdf_at_the_same_url(web_client):
    r = web_client.get("/id/voorziening/digid", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.mimetype == "text/turtle" and b"<html" not in r.data
