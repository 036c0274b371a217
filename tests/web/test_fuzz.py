"""No 5xx for any input: the OpenAPI document describes every route, schemathesis fuzzes
every operation in it, and hypothesis sends what OpenAPI cannot express — arbitrary paths,
query strings and headers — through the app as `gdi-graph serve` runs it (replay layer and
metrics in front). A 5xx is allowed only where the document declares a 503.

Example counts are bounded so that the whole file runs well under a minute."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import Client

from gdi_graph.web.openapi import openapi_path

# Operations whose every new input is expensive (a drawing); fewer examples there.
EXPENSIVE = ("/stelselplaat", "/grafiek")


@pytest.fixture(scope="module")
def document(web_app):
    return web_app.test_client().get("/openapi.json").json


def test_the_openapi_document_describes_every_route(web_app, document):
    from openapi_spec_validator import validate

    validate(document)
    missing = []
    for rule in web_app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path, _ = openapi_path(rule.rule)
        if path == "/queries/{name}":
            assert all(f"/queries/{n}" in document["paths"] for n in web_app.extensions["gdi_graph"].queries)
            continue
        methods = (rule.methods or set()) - {"HEAD", "OPTIONS"}
        item = document["paths"].get(path, {})
        missing += [f"{m} {path}" for m in methods if m.lower() not in item]
    assert missing == []
    for path in ("/id/{ref}", "/def", "/def/{ref}", "/graph/{ref}", "/download/{name}", "/api/stelsel/pad",
                 "/stelselplaat.svg", "/stelselplaat.png", "/.well-known/void", "/health", "/metrics"):
        assert document["paths"][path]["get"]["responses"]["200"]["content"], path


def test_schemathesis_finds_no_undocumented_5xx_on_any_operation(web_app):
    import schemathesis
    from hypothesis.errors import Unsatisfiable

    schema = schemathesis.openapi.from_wsgi("/openapi.json", web_app)
    failures = []
    operations = 0
    for result in schema.get_all_operations():
        op = result.ok()
        operations += 1
        declared = {int(c) for c in op.definition.raw.get("responses", {}) if c.isdigit()}
        examples = 2 if op.path.startswith(EXPENSIVE) else 6
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            @given(case=op.as_strategy(generation_mode=mode))
            @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
            def check(case):
                response = case.call()
                if response.status_code >= 500 and not (response.status_code == 503 and 503 in declared):
                    failures.append((op.label, mode.name, response.status_code, response.text[:300]))

            try:
                check()
            except Unsatisfiable:  # no invalid input exists for an operation without parameters
                assert mode == schemathesis.GenerationMode.NEGATIVE
    assert operations > 30
    assert failures == []


PREFIXES = ["/", "/id/", "/id/voorziening/", "/def/", "/def", "/graph/", "/graph/data/", "/download/", "/queries/",
            "/queries/web-label", "/sparql", "/api/stelsel/", "/stelselplaat.", "/.well-known/", "/static/",
            "/context.jsonld", "/health", "/metrics", "/openapi.json", "/zoeken", "/grafiek/"]
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
HEADER_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=60)
MEDIA = st.sampled_from(["text/html", "text/turtle", "application/json", "application/ld+json", "*/*", "text/*",
                         "application/sparql-results+json", "image/svg+xml", "application/problem+json", "x/y",
                         "text/csv;q=0", "application/n-quads;q=0.5", ""])


@st.composite
def requests(draw):
    path = draw(st.sampled_from(PREFIXES)) + quote(draw(TEXT), safe="/%:@!$&'()*+,;=-._~")
    query = "&".join(f"{quote(draw(TEXT), safe='%=')}={quote(draw(TEXT), safe='%')}"
                     for _ in range(draw(st.integers(0, 3))))
    headers = {}
    if draw(st.booleans()):
        headers["Accept"] = draw(st.one_of(MEDIA, HEADER_TEXT, st.lists(MEDIA, max_size=4).map(", ".join)))
    if draw(st.booleans()):
        headers["If-None-Match"] = draw(st.one_of(HEADER_TEXT, st.just("*"), st.just('W/"x", "y"')))
    if draw(st.booleans()):
        headers["Host"] = draw(st.one_of(st.just("gdi.example.org:8080"), st.just("[::1]"), HEADER_TEXT))
    if draw(st.booleans()):
        headers["Accept-Language"] = draw(st.one_of(st.just("en"), st.just("nl;q=0.2, en"), HEADER_TEXT))
    method = draw(st.sampled_from(["GET", "GET", "HEAD", "POST", "OPTIONS"]))
    body = b""
    if method == "POST":
        headers["Content-Type"] = draw(st.one_of(st.sampled_from(
            ["application/sparql-query", "application/x-www-form-urlencoded", "application/sparql-update",
             "text/plain", "multipart/form-data; boundary=x"]), HEADER_TEXT))
        body = draw(st.binary(max_size=200))
    return method, path, query, headers, body


@pytest.fixture(scope="module")
def server_client(web_project):
    from gdi_graph.web.app import create_server_app

    app = create_server_app({"GDI_GRAPH_DIST": str(web_project / "dist"),
                             "GDI_GRAPH_QUERIES": str(web_project / "queries"), "GDI_GRAPH_EXECUTORS": 1,
                             "TESTING": True})
    yield Client(app)
    app.extensions["gdi_graph"].close()


@given(request=requests())
@settings(max_examples=300, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_arbitrary_paths_query_strings_and_headers_get_no_5xx(server_client, request):
    method, path, query, headers, body = request
    r = server_client.open(path, method=method, query_string=query, headers=headers, data=body)
    assert r.status_code < 500, (method, path, query, headers, r.status_code, r.get_data()[:300])
    assert r.headers.get("X-Content-Type-Options") == "nosniff"
