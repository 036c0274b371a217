"""Search by name at /zoeken: abbreviations, labels in Dutch and English, former names;
case and accents ignored; ranked; as a page and as JSON."""

from __future__ import annotations

import unicodedata

import pytest
from html_parts import by_id, parse

from gdi_graph.web.search import Entry, Index, normalise

BASE = "https://w3id.org/gdi-graph"
GDI = f"{BASE}/def#"
P = f"PREFIX gdi: <{GDI}> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "


def rows(web_app, query: str) -> list[dict]:
    return web_app.extensions["gdi_graph"].select(P + query)


def hits(web_client, q: str, **params) -> list[dict]:
    r = web_client.get("/zoeken", query_string={"q": q, "format": "json", **params})
    assert r.status_code == 200, r.data
    return r.json["results"]


def test_brp_and_bv_bsn_are_found_first(web_client, web_app):
    abbreviations = rows(web_app, "SELECT ?s ?a WHERE { ?s gdi:afkorting ?a }")
    for text in ("brp", "BRP", " Brp ", "bv bsn", "BV-BSN", "Bv  Bsn"):
        wanted = {r["s"].value for r in abbreviations if normalise(r["a"].value) == normalise(text)}
        assert len(wanted) == 1, text
        assert hits(web_client, text)[0]["iri"] in wanted, text


def test_every_basisregistratie_is_the_first_hit_for_its_abbreviation(web_client, web_app):
    found = rows(web_app, "SELECT ?b ?a WHERE { ?b a gdi:Basisregistratie ; gdi:afkorting ?a }")
    assert len(found) >= 10
    for r in found:
        first = hits(web_client, r["a"].value.lower())[0]
        assert first["iri"] == r["b"].value and first["kind"] == "basisregistratie" and first["score"] == 100


def test_every_voorziening_is_found_by_its_name(web_client, web_app):
    found = rows(web_app, 'SELECT ?v ?l WHERE { ?v a gdi:Voorziening ; skos:prefLabel ?l FILTER(LANG(?l) = "nl") }')
    names: dict[str, set[str]] = {}
    for r in found:
        names.setdefault(normalise(r["l"].value), set()).add(r["v"].value)
    for r in found:
        top = hits(web_client, r["l"].value.upper(), limit=5)
        assert top[0]["score"] >= 90 and top[0]["iri"] in names[normalise(r["l"].value)], r["l"].value


def test_accents_do_not_matter(web_client, web_app):
    labelled = rows(web_app, """SELECT ?s ?l WHERE { ?s a ?k ; skos:prefLabel ?l .
        VALUES ?k { gdi:Voorziening gdi:Registratieobject gdi:Indicator <http://www.w3.org/ns/org#Organization> } }""")
    accented = [r for r in labelled if any(unicodedata.combining(c) for c in unicodedata.normalize("NFKD", r["l"].value))]
    assert accented, "the data names things with accents (Beëindigd, Coördinatie …); the test needs them"
    for r in accented[:10]:
        plain = "".join(c for c in unicodedata.normalize("NFKD", r["l"].value) if not unicodedata.combining(c))
        assert r["s"].value in {h["iri"] for h in hits(web_client, plain, limit=100)}, r["l"].value


def test_english_labels_and_former_names_are_found(web_client, web_app):
    english = rows(web_app, """SELECT ?s ?l WHERE { ?s a ?k ; skos:prefLabel|skos:altLabel ?l
        VALUES ?k { gdi:Voorziening gdi:FunctioneleGroep gdi:Registratieobject } FILTER(LANG(?l) = "en") }
        ORDER BY ?s LIMIT 5""")
    former = rows(web_app, """SELECT ?s ?l WHERE { ?s a ?k ; skos:hiddenLabel|skos:altLabel ?l .
        VALUES ?k { gdi:Voorziening gdi:Registratieobject <http://www.w3.org/ns/org#Organization> } } ORDER BY ?s LIMIT 20""")
    assert english and former, "the data has English labels and former names (OSB, OTP, GBA); the test needs them"
    for r in english + former:
        assert r["s"].value in {h["iri"] for h in hits(web_client, r["l"].value, limit=100)}, r["l"].value


def test_ranking_exact_abbreviation_then_label_prefix_then_words_then_substring():
    def entry(iri, label, abbr=None, rank=1):
        names = [(normalise(label), "label", label)] + ([(normalise(abbr), "abbr", abbr)] if abbr else [])
        return Entry(iri, "voorziening", rank, label, names)

    index = Index([
        entry("substring", "Stelsel Basisregistratiekaart"),  # 'regist' inside a word
        entry("words", "Totaal Registraties Aantal"),  # the query's words start words here
        entry("prefix", "Registraties en objecten"),
        entry("abbr", "Iets heel anders", abbr="Registraties"),
    ])
    assert [h.entry.iri for h in index.find("registraties")] == ["abbr", "prefix", "words"]
    assert [h.entry.iri for h in index.find("regist")] == ["abbr", "prefix", "words", "substring"]
    assert [h.entry.iri for h in index.find("aantal regist")] == ["words"]
    assert index.find("") == [] and index.find("  ,. ") == []


def test_page_and_json_by_accept(web_client):
    page = web_client.get("/zoeken?q=brp", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.mimetype == "text/html"
    doc = parse(page.data)
    first = next(by_id(doc, "resultaten").iter("a"))
    as_json = web_client.get("/zoeken?q=brp", headers={"Accept": "application/json"})
    assert as_json.mimetype == "application/json"
    assert first.attrs["href"] == as_json.json["results"][0]["href"]
    assert "Vary" in as_json.headers and "Accept" in as_json.headers["Vary"]
    tag = as_json.headers["ETag"]
    again = web_client.get("/zoeken?q=brp", headers={"Accept": "application/json", "If-None-Match": tag})
    assert again.status_code == 304
    empty = parse(web_client.get("/zoeken?q=qqqxxqqq", headers={"Accept": "text/html"}).data)
    assert "Niets gevonden" in by_id(empty, "aantal").text


def test_every_hit_leads_to_a_page(web_client):
    for h in hits(web_client, "basisregistratie", limit=30):
        assert web_client.get(h["href"], headers={"Accept": "text/html"}).status_code == 200, h


@pytest.mark.parametrize("args,parameter", [({"q": "x" * 201}, "q"), ({"q": "brp", "limit": "0"}, "limit"),
                                             ({"q": "brp", "limit": "many"}, "limit"),
                                             ({"q": "brp", "format": "xml"}, "format")])
def test_bad_requests_say_which_parameter(web_client, args, parameter):
    r = web_client.get("/zoeken", query_string=args, headers={"Accept": "application/problem+json"})
    assert r.status_code == 400 and r.json["parameter"] == parameter


def test_the_index_is_built_once_per_build(web_app):
    from gdi_graph.web import search

    with web_app.test_request_context("/"):
        first = search.index()
        assert search.index() is first and len(first) > 100
