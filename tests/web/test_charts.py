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


def test_many_editions_keep_the_chart_legible():
    """Ten printings of one figure: the legend names the editions by what tells them apart,
    the footnote stays within two lines, counting the sources and naming the newest, and
    the description still gives every source and value."""
    from gdi_graph.web.charts import Series, _footnote, _short_names, draw

    editions = [f"Monitor Generieke Digitale Infrastructuur {2018 + k}" for k in range(10)]
    assert _short_names(editions) == [str(2018 + k) for k in range(10)]
    assert _short_names(editions[:1]) == editions[:1]
    sources = [f"{e}, §4.1, cijfers DigiD" for e in editions]
    years = [str(2014 + k) for k in range(13)]
    s = Series("Totaal aantal aangesloten organisaties", "DigiD", "aantal", years,
               [(e, {y: (500.0 + i, str(500 + i)) for y in years[i:i + 4]}) for i, e in enumerate(editions)],
               "; ".join(reversed(sources)))
    foot = _footnote(s)
    assert len(foot) == 2 and foot[0].startswith("Eenheid: aantal. Waarden zoals gedrukt; -- is niet beschikbaar.")
    assert "10 drukken, per jaar de nieuwste: " + sources[-1] in " ".join(foot)
    one = Series("t", "DigiD", "aantal", years[:4], [(editions[0], {"2014": (1.0, "1")})], sources[0])
    assert " ".join(_footnote(one)) == f"Eenheid: aantal. Waarden zoals gedrukt; -- is niet beschikbaar. Bron: {sources[0]}."
    desc = s.describe()
    assert all(src in desc for src in sources) and all(f"{e}:" in desc for e in editions)
    drawn = " ".join("".join(t.itertext()) for t in ET.fromstring(draw(s, "svg")).iter(f"{SVG}text"))
    legend = drawn.split("Eenheid:")[0]
    assert all(str(2018 + k) in legend for k in range(10)) and "Monitor Generieke" not in legend
