"""The /sparql endpoint through the Flask test client: protocol, formats, limits, HTTP."""

from __future__ import annotations

import re

import threading
import time

import pytest
from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results

GDI = "https://w3id.org/gdi-graph/def#"
SELECT = f"SELECT ?s WHERE {{ ?s a <{GDI}Voorziening> }} ORDER BY ?s LIMIT 3"
CONSTRUCT = f"CONSTRUCT {{ ?s a <{GDI}Voorziening> }} WHERE {{ ?s a <{GDI}Voorziening> }} LIMIT 3"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
VOORZIENINGEN_GRAPH = "https://w3id.org/gdi-graph/graph/data/voorzieningen.ttl"


def count(web_client, **params) -> int:
    r = web_client.get("/sparql", query_string={"query": COUNT, **params}, headers={"Accept": "text/csv"})
    assert r.status_code == 200, r.data
    return int(r.data.decode().split()[1])


def test_get_post_form_and_post_direct_give_the_same_answer(any_client):
    get = any_client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": "text/csv"})
    form = any_client.post("/sparql", data={"query": SELECT}, headers={"Accept": "text/csv"})
    direct = any_client.post("/sparql", data=SELECT.encode(), content_type="application/sparql-query",
                         headers={"Accept": "text/csv"})
    assert get.status_code == form.status_code == direct.status_code == 200
    assert get.data == form.data == direct.data
    assert get.data.startswith(b"s\r\n") and get.data.count(b"\r\n") == 4


@pytest.mark.parametrize("accept, expected", [
    ("*/*", "application/sparql-results+json"),
    ("", "application/sparql-results+json"),
    ("text/*", "text/csv"),
    ("*/*;q=1, application/sparql-results+json;q=0, text/csv;q=0.5", "application/sparql-results+xml"),
    ("text/*, text/csv;q=0", "text/tab-separated-values"),
    ("text/csv;charset=utf-8;q=0, text/csv;q=1, text/tab-separated-values;q=0.5", "text/tab-separated-values"),
    ("text/csv;header=absent;q=0, text/csv;q=1", "text/csv"),
    ("text/csv;charset=iso-8859-1;q=0, text/csv;q=1, application/sparql-results+json;q=0.5", "text/csv"),
    ("application/sparql-results+json;charset=utf-8", "application/sparql-results+json"),
    ("text/foo;q=0.5 , text/json ; q = 0.7", "application/sparql-results+json"),
    ("text/json,text/foo", "application/sparql-results+json"),
    ("text/foo;q=0.9,text/csv", "text/csv"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
])
def test_content_negotiation_of_select_results(any_client, accept, expected):
    """The cases of Oxigraph server's conneg tests (cli/src/main.rs), plus browsers."""
    r = any_client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": accept} if accept else {})
    assert r.status_code == 200, r.data
    assert r.mimetype == expected
    assert "Accept" in r.headers.get("Vary", "")


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_select_in_every_results_format_by_parameter(any_client, fmt):
    r = any_client.get("/sparql", query_string={"query": SELECT, "format": fmt}, headers={"Accept": "application/foo"})
    assert r.status_code == 200
    if fmt == "csv":  # SPARQL CSV is lossy; pyoxigraph does not read it back
        import csv
        rows = list(csv.reader(r.data.decode().splitlines()))[1:]
    else:
        rows = list(parse_query_results(r.data, format=getattr(QueryResultsFormat, fmt.upper())))
    assert len(rows) == 3


@pytest.mark.parametrize("accept, fmt", [
    ("text/turtle", RdfFormat.TURTLE), ("application/n-triples", RdfFormat.N_TRIPLES),
    ("application/ld+json", RdfFormat.JSON_LD), ("application/rdf+xml", RdfFormat.RDF_XML),
    ("application/trig", RdfFormat.TRIG), ("application/n-quads", RdfFormat.N_QUADS),
    ("application/json", RdfFormat.JSON_LD), ("text/*", RdfFormat.TURTLE),
])
def test_construct_in_every_rdf_format(any_client, accept, fmt):
    r = any_client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": accept})
    assert r.status_code == 200, r.data
    assert r.mimetype == fmt.media_type
    assert len(list(parse(r.data, format=fmt))) == 3


@pytest.mark.parametrize("name, fmt", [("ttl", RdfFormat.TURTLE), ("nt", RdfFormat.N_TRIPLES),
                                       ("jsonld", RdfFormat.JSON_LD), ("rdf", RdfFormat.RDF_XML),
                                       ("turtle", RdfFormat.TURTLE), ("xml", RdfFormat.RDF_XML)])
def test_construct_format_parameter(any_client, name, fmt):
    r = any_client.get("/sparql", query_string={"query": CONSTRUCT, "format": name})
    assert r.status_code == 200 and r.mimetype == fmt.media_type
    assert len(list(parse(r.data, format=fmt))) == 3


def test_ask_and_describe(any_client):
    r = any_client.get("/sparql", query_string={"query": f"ASK {{ ?s a <{GDI}Voorziening> }}"},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.json["boolean"] is True
    r = any_client.get("/sparql", query_string={"query": "DESCRIBE <https://w3id.org/gdi-graph/id/voorziening/digid>"},
                   headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and b"DigiD" in r.data


def test_nothing_acceptable_gives_406_saying_what_is_offered(any_client):
    r = any_client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": "application/foo"})
    assert r.status_code == 406
    assert b"application/sparql-results+json" in r.data and b"?format=" in r.data
    r = any_client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": "application/sparql-results+xml"})
    assert r.status_code == 406


def test_format_that_does_not_fit_the_query_form_is_400(any_client):
    r = any_client.get("/sparql", query_string={"query": SELECT, "format": "ttl"})
    assert r.status_code == 400 and b"json" in r.data


def test_service_description_and_query_page(web_client):
    r = web_client.get("/sparql")
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    triples = list(parse(r.data, format=RdfFormat.TURTLE))
    preds = {t.predicate.value for t in triples}
    assert "http://www.w3.org/ns/sparql-service-description#endpoint" in preds
    assert "http://rdfs.org/ns/void#triples" in preds
    endpoint = [t.object.value for t in triples if t.predicate.value.endswith("#endpoint")]
    assert endpoint == ["http://localhost/sparql"]
    page = web_client.get("/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert page.mimetype == "text/html" and b'<textarea id="query" name="query"' in page.data
    scripts = re.findall(rb'<script[^>]*src="([^"]*)"', page.data)  # the editor's scripts, from this server only
    assert scripts and all(src.startswith(b"/static/") for src in scripts) and b"https://cdn" not in page.data


def test_default_graph_is_the_union_unless_the_dataset_is_given(web_client, web_app):
    total = count(web_client)
    graphs = web_app.extensions["gdi_graph"].manifest["graphs"]
    assert total == sum(graphs.values())
    only = count(web_client, **{"default-graph-uri": VOORZIENINGEN_GRAPH})
    assert only == graphs[VOORZIENINGEN_GRAPH]
    r = web_client.get("/sparql", headers={"Accept": "text/csv"}, query_string={
        "query": f"SELECT (COUNT(*) AS ?n) FROM <{VOORZIENINGEN_GRAPH}> WHERE {{ ?s ?p ?o }}"})
    assert int(r.data.split()[1]) == graphs[VOORZIENINGEN_GRAPH]
    r = web_client.get("/sparql", headers={"Accept": "text/csv"}, query_string={
        "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": VOORZIENINGEN_GRAPH})
    assert r.data.decode().split() == ["g", VOORZIENINGEN_GRAPH]
    r = web_client.get("/sparql", query_string={"query": COUNT, "default-graph-uri": "not an iri"})
    assert r.status_code == 400 and b"default-graph-uri" in r.data


@pytest.mark.parametrize("how", ["query", "form", "direct"])
def test_updates_are_refused_and_change_nothing(any_client, how):
    before = count(any_client)
    update = "INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }"
    if how == "query":
        r = any_client.get("/sparql", query_string={"query": update})
    elif how == "form":
        r = any_client.post("/sparql", data={"update": update})
    else:
        r = any_client.post("/sparql", data=update.encode(), content_type="application/sparql-update")
    assert r.status_code == 403
    assert b"alleen-lezen" in r.data and b"Oplossing" in r.data
    assert count(any_client) == before


def test_service_is_refused_unless_allow_listed(web_client):
    r = web_client.get("/sparql", query_string={"query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"})
    assert r.status_code == 403 and b"federatielijst" in r.data
    r = web_client.get("/sparql", query_string={
        "query": "PREFIX ex: <http://example.org/> SELECT * WHERE { SERVICE SILENT ex:sparql { ?s ?p ?o } }"})
    assert r.status_code == 403
    r = web_client.get("/sparql", query_string={"query": "SELECT * WHERE { SERVICE ?x { ?s ?p ?o } }"})
    assert r.status_code == 403
    # An allow-listed target passes the guard (the engine then reports that it cannot reach it).
    r = web_client.get("/sparql", query_string={
        "query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/allowed/sparql> { ?s ?p ?o } }"})
    assert r.status_code == 400 and b"allow-list" not in r.data


def test_query_over_the_size_limit_is_413(web_app_factory):
    small = web_app_factory(max_query_bytes=200, executors=1).test_client()
    long_query = SELECT + " #" + "x" * 300
    assert small.get("/sparql", query_string={"query": long_query}).status_code == 413
    r = small.post("/sparql", data={"query": long_query})
    assert r.status_code == 413 and b"GDI_GRAPH_MAX_QUERY_BYTES" in r.data


def test_malformed_query_is_400_with_position(any_client):
    r = any_client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"})
    assert r.status_code == 400
    assert b"error at 1:" in r.data and b"Oplossing" in r.data
    r = any_client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"}, headers={"Accept": "application/json"})
    assert r.mimetype == "application/problem+json"
    assert r.json["status"] == 400 and "1:" in r.json["detail"] and r.json["hint"]


def test_request_errors_are_explained(web_client):
    assert web_client.post("/sparql", data=b"x", content_type="text/plain").status_code == 415
    r = web_client.post("/sparql", data={"format": "csv"}, headers={"Accept-Language": "en"})
    assert r.status_code == 400 and b"no query" in r.data
    r = web_client.get("/sparql", query_string=[("query", SELECT), ("query", SELECT)])
    assert r.status_code == 400
    r = web_client.get("/nowhere")
    assert r.status_code == 404 and b"Oplossing" in r.data
    r = web_client.delete("/sparql")
    assert r.status_code == 405 and b"Oplossing" in r.data


def test_etag_cache_control_and_304(any_client):
    r = any_client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": "text/csv"})
    tag = r.headers["ETag"]
    assert tag.startswith('W/"') and "max-age=" in r.headers["Cache-Control"]
    again = any_client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": "text/csv", "If-None-Match": tag})
    assert again.status_code == 304 and not again.data
    other = any_client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": "application/json",
                                                                          "If-None-Match": tag})
    assert other.status_code == 200 and other.headers["ETag"] != tag
    for url in ("/", "/sparql", "/queries", "/openapi.json", "/.well-known/void", "/def", "/download"):
        assert "Cache-Control" in any_client.get(url).headers, url


def test_repeated_queries_are_served_from_the_cache(web_client):
    q = SELECT.replace("LIMIT 3", "LIMIT 2")
    first = web_client.get("/sparql", query_string={"query": q, "format": "tsv"})
    second = web_client.get("/sparql", query_string={"query": q, "format": "tsv"})
    assert first.headers["X-Cache"] == "miss" and second.headers["X-Cache"] == "hit"
    assert first.data == second.data


def test_cors_for_get_and_post_without_credentials(web_client):
    pre = web_client.options("/sparql", headers={"Origin": "https://wiki.example", "Access-Control-Request-Method": "POST"})
    assert pre.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in pre.headers["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in pre.headers
    r = web_client.post("/sparql", data={"query": SELECT}, headers={"Origin": "https://wiki.example"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"


def test_responses_are_compressed(web_client):
    r = web_client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 500", "format": "json"},
                   headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers["Content-Encoding"] == "gzip"
    import gzip
    assert gzip.decompress(r.data).startswith(b"{")


def test_runaway_query_is_stopped_while_others_are_answered(web_app_factory):
    web_app = web_app_factory(query_timeout=1, executors=2, cache_entries=0)
    web_client = web_app.test_client()
    assert web_client.get("/sparql", query_string={"query": SELECT, "format": "csv"}).status_code == 200  # warm
    outcome = {}

    def runaway():
        c = web_app.test_client()
        started = time.monotonic()
        r = c.get("/sparql", query_string={"query": RUNAWAY}, headers={"Accept": "text/csv"})
        outcome.update(status=r.status_code, body=r.data.decode(), seconds=time.monotonic() - started)

    t = threading.Thread(target=runaway)
    t.start()
    answered = []
    deadline = time.monotonic() + 20
    while t.is_alive() and time.monotonic() < deadline and len(answered) < 5:
        r = web_client.get("/sparql", query_string={"query": SELECT, "format": "csv"})
        answered.append((r.status_code, t.is_alive()))
    t.join(30)
    assert not t.is_alive()
    assert outcome["status"] == 503
    assert "grens van 1 s" in outcome["body"] and "Oplossing" in outcome["body"]
    assert outcome["seconds"] < 10
    assert any(alive for status, alive in answered if status == 200), answered
    # The killed worker was replaced: the pool answers again.
    assert web_client.get("/sparql", query_string={"query": COUNT, "format": "csv"}).status_code == 200
    assert web_app.extensions["gdi_graph"].backend.executor.stats()["restarts"] >= 1
