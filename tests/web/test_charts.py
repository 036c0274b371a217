"""Charts at stable URLs: SVG and PNG, revalidated by ETag, readable by people and screen readers."""

from __future__ import annotations

import xml.etree.ElementTree as ET

BASE = "https://w3id.org/gdi-graph"
GDI = f"{BASE}/def#"
SVG = "{http://www.w3.org/2000/svg}"
P = f"PREFIX gdi: <{GDI}> PREFIX qb: <http://purl.org/linked-data/cube#> PREFIX dct: <http://purl.org/dc/terms/> "


def rows(web_app, query: str) -> list[dict]:
    return web_app.extensions["gdi_graph"].select(P + query)


def charted(web_app, n: int = 3) -> list[str]:
    """Indicators with at least three numbers."""
    found = rows(web_app, f"""SELECT ?i WHERE {{ ?o a qb:Observation ; gdi:indicator ?i ; gdi:waarde ?w }}
        GROUP BY ?i HAVING (COUNT(?w) >= 3) ORDER BY ?i LIMIT {n}""")
    return [r["i"].value for r in found]


def path_of(indicator: str) -> str:
    return "/grafiek/" + indicator.removeprefix(f"{BASE}/id/indicator/")


def test_svg_chart_has_words_as_text_values_unit_source_title_and_desc(web_client, web_app):
    for ind in charted(web_app):
        r = web_client.get(path_of(ind) + ".svg")
        assert r.status_code == 200 and r.mimetype == "image/svg+xml"
        root = ET.fromstring(r.data)
        assert root.get("role") == "img"
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert title is not None and desc is not None
        words = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))  # words are <text>, not outlines
        assert title.text.split(" — ")[0][:60] in words
        cells = rows(web_app, f"""SELECT ?j ?ruw ?eenheid ?sectie WHERE {{ ?o a qb:Observation ; gdi:indicator <{ind}> ;
            gdi:jaar ?j ; gdi:ruw ?ruw ; dct:source/gdi:sectie ?sectie OPTIONAL {{ ?o gdi:eenheid ?eenheid }} }}""")
        for c in cells:
            assert c["ruw"].value in words and c["j"].value in words  # each bar labelled as printed
            assert f"§{c['sectie'].value}" in words
            if "eenheid" in c:
                assert f"Eenheid: {c['eenheid'].value}" in words
            assert f"{c['j'].value}: {c['ruw'].value}" in desc.text


def test_png_chart(web_client, web_app):
    r = web_client.get(path_of(charted(web_app, 1)[0]) + ".png")
    assert r.status_code == 200 and r.mimetype == "image/png" and r.data.startswith(b"\x89PNG\r\n\x1a\n")


def test_etag_and_304(web_client, web_app):
    url = path_of(charted(web_app, 1)[0]) + ".svg"
    first = web_client.get(url)
    tag = first.headers["ETag"]
    assert web_client.get(url, headers={"If-None-Match": tag}).status_code == 304
    assert web_client.get(url).data == first.data


def test_same_data_same_bytes(web_app):
    from gdi_graph.web import charts, figures

    ind = charted(web_app, 1)[0]
    with web_app.test_request_context("/"):
        series = charts.series_from(figures.tables_of_indicator(ind), "onderwerp")
        for fmt in ("svg", "png"):
            assert charts.draw(series, fmt) == charts.draw(series, fmt)


def test_unknown_or_empty_indicator_is_404(web_client, web_app):
    assert web_client.get("/grafiek/bestaat/niet.svg").status_code == 404
    empty = rows(web_app, """SELECT ?i WHERE { ?i a gdi:Indicator FILTER NOT EXISTS { ?o gdi:indicator ?i ; gdi:waarde ?w } }
        ORDER BY ?i LIMIT 1""")
    if empty:
        r = web_client.get(path_of(empty[0]["i"].value) + ".svg")
        assert r.status_code == 404 and b"no figures" in r.data


def test_neighbourhood_plate_links_to_the_registraties_objects(web_client, web_app):
    regs = rows(web_app, """SELECT ?b ?afk WHERE { ?b a gdi:Basisregistratie ; gdi:afkorting ?afk .
        ?o gdi:registratie ?b . ?v a gdi:Verbinding ; gdi:naar ?o } GROUP BY ?b ?afk ORDER BY ?afk LIMIT 1""")
    afk, iri = regs[0]["afk"].value, regs[0]["b"].value
    r = web_client.get(f"/grafiek/stelsel/{afk}.svg")
    assert r.status_code == 200 and r.mimetype == "image/svg+xml"
    whole = web_client.get("/stelselplaat.svg").data
    objects = [o["o"].value.removeprefix(BASE) for o in rows(web_app, f"SELECT ?o WHERE {{ ?o gdi:registratie <{iri}> }}")]
    on_plate = [o for o in objects if f'/{o.lstrip("/")}"'.encode() in whole]  # at the peildatum
    assert on_plate
    for o in on_plate:
        assert f'/{o.lstrip("/")}"'.encode() in r.data, o
    assert web_client.get(f"/grafiek/stelsel/{afk}.png").mimetype == "image/png"
    assert web_client.get("/grafiek/stelsel/XYZ.svg").status_code == 404
