"""Hostile and odd input gets a 4xx that says what is wrong, never a 5xx; every answer
carries the security headers; and the pages use nothing their Content-Security-Policy forbids."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

BASE = "https://w3id.org/gdi-graph"
PAGES = ["/", "/sparql", "/queries", "/queries/web-label?naam=DigiD", "/id/voorziening/digid", "/def",
         "/.well-known/void", "/download", "/bestaat-niet"]


@pytest.mark.parametrize("path", [
    "/id/voorziening/digid%20",  # a trailing space from a copy-paste
    "/id/voorziening/dig%7Cid",
    "/id/%25zz",  # a percent sign that starts no escape
    "/def/x%3Cy%3E",
])
def test_a_path_that_cannot_be_an_iri_is_a_404_that_says_so(web_client, path):
    r = web_client.get(path, headers={"Accept": "application/problem+json", "Accept-Language": "en"})
    assert r.status_code == 404
    assert "cannot be an IRI" in r.json["detail"] and r.json["hint"]


@pytest.mark.parametrize("url, parameter", [
    ("/sparql?query=ASK%7B%7D&default-graph-uri=http://[x", "default-graph-uri"),
    ("/sparql?query=ASK%7B%7D&named-graph-uri=a:%25zz", "named-graph-uri"),
    ("/sparql?query=ASK%7B%7D&default-graph-uri=", "default-graph-uri"),
    ("/queries/web-voorzieningen?groep=a:%25zz", "groep"),
    ("/queries/web-voorzieningen?groep=http://[x", "groep"),
])
def test_a_bad_iri_in_a_parameter_is_a_400_naming_it(web_client, url, parameter):
    r = web_client.get(url, headers={"Accept": "application/json", "Accept-Language": "en"})
    assert r.status_code == 400, r.data
    assert repr(parameter) in r.json["detail"] or r.json.get("parameter") == parameter


@pytest.mark.parametrize("path", PAGES + ["/stelselplaat.svg", "/health", "/openapi.json", "/download/gdi.nq",
                                          "/queries/web-label?naam=DigiD&format=csv", "/static/gdi-graph.css"])
def test_every_answer_carries_the_security_headers(web_client, path):
    r = web_client.get(path)
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"]
    assert "frame-ancestors" in r.headers["Content-Security-Policy"]


def test_pages_may_not_be_framed_but_the_plate_may(web_client):
    page = web_client.get("/", headers={"Accept": "text/html"})
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
    for plate in ("/stelselplaat.svg", "/stelselplaat.png"):
        r = web_client.get(plate)
        assert r.status_code == 200
        assert "frame-ancestors *" in r.headers["Content-Security-Policy"] and "X-Frame-Options" not in r.headers
        assert "script-src" not in r.headers["Content-Security-Policy"]  # default-src 'none' covers scripts
    data = web_client.get("/health")
    assert data.headers["Content-Security-Policy"].startswith("default-src 'none'")


class _Inline(HTMLParser):
    """Finds what a strict Content-Security-Policy blocks: inline script and style, event handlers."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and not a.get("src"):
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style> element")
        if "style" in a:
            self.found.append(f"style attribute on <{tag}>")
        self.found += [f"{k} handler on <{tag}>" for k in a if k.startswith("on")]
        if any(str(a.get(k, "")).startswith("javascript:") for k in ("href", "src", "action")):
            self.found.append(f"javascript: URL on <{tag}>")
        for k in ("src",) if tag in ("script", "img") else ("href",) if a.get("rel") in ("stylesheet", "icon") else ():
            if a.get(k):
                self.assets.append(a[k])


@pytest.mark.parametrize("path", PAGES)
def test_pages_use_nothing_their_policy_forbids(web_client, path):
    r = web_client.get(path, headers={"Accept": "text/html"})
    assert r.mimetype == "text/html"
    policy = r.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert re.search(r"script-src 'self'(;|$)", policy)
    parser = _Inline()
    parser.feed(r.data.decode())
    assert parser.found == []
    for asset in parser.assets:  # style sheets and scripts come from this server and exist
        if asset.startswith("/static/"):
            assert web_client.get(asset).status_code == 200, asset
        else:
            assert not asset.startswith(("http:", "https:", "//")), asset


# ------------------------------------------------------------------ caches that cannot mislead

NAMING_THE_SERVER = [  # (path, Accept): bodies that carry this server's absolute URL
    ("/openapi.json", "application/json"),
    ("/queries", "application/json"),
    ("/sparql", "text/turtle"),  # the service description
    ("/.well-known/void", "text/turtle"),
    ("/stelselplaat.svg", "image/svg+xml"),
    ("/queries/web-label?naam=DigiD", "text/html"),  # the wiki text names the CSV URL
]


@pytest.mark.parametrize("path, accept", NAMING_THE_SERVER)
def test_two_hosts_through_the_replay_layer_each_get_their_own_urls(web_app, path, accept):
    from werkzeug.test import Client

    from gdi_graph.web.replay import ResponseReplay

    client = Client(ResponseReplay(web_app.wsgi_app))
    hosts = ("http://intern.example:8080", "https://gdi.example.org")
    for _ in range(2):  # the second round is answered from the replay layer
        for host in hosts:
            other = next(h for h in hosts if h != host)
            r = client.get(path, base_url=host, headers={"Accept": accept})
            assert r.status_code == 200
            body = r.get_data(as_text=True)
            assert host in body and other not in body, (host, path)
            assert "Host" in r.headers["Vary"]


def test_a_configured_public_url_makes_bodies_host_free(web_app_factory):
    app = web_app_factory(public_url="https://data.example.nl/gdi", executors=1)
    client = app.test_client()
    bodies = set()
    for host in ("http://intern.example:8080", "http://localhost"):
        r = client.get("/openapi.json", base_url=host)
        assert r.json["servers"] == [{"url": "https://data.example.nl/gdi"}]
        assert "Host" not in r.headers.get("Vary", "")
        bodies.add(r.data)
    assert len(bodies) == 1


def test_pages_without_absolute_urls_do_not_vary_by_host(web_client):
    r = web_client.get("/id/voorziening/digid", headers={"Accept": "text/html"})
    assert 'href="/id/voorziening/digid?format=ttl"' in r.get_data(as_text=True)


def test_a_changed_query_title_means_a_new_build_new_etag_and_new_page(tmp_path, web_project):
    """What `gdi-graph serve` does at start: rebuild when any input changed, then serve."""
    import shutil

    from gdi_graph.build import is_current
    from gdi_graph.build.progress import QUIET
    from gdi_graph.cli import ensure_build
    from gdi_graph.web import create_app

    root = tmp_path / "project"
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(web_project / folder, root / folder)
    dist = root / "dist"

    def page():
        app = create_app({"GDI_GRAPH_DIST": str(dist), "GDI_GRAPH_QUERIES": str(root / "queries"),
                          "GDI_GRAPH_EXECUTORS": 1, "TESTING": True})
        try:
            r = app.test_client().get("/queries/web-label?naam=DigiD", headers={"Accept": "text/html"})
            return r.headers["ETag"], r.get_data(as_text=True)
        finally:
            app.extensions["gdi_graph"].close()

    ensure_build(root, dist, QUIET)
    tag, html = page()
    rq = root / "queries" / "web-label.rq"
    title = next(line for line in rq.read_text().splitlines() if "title" in line)
    rq.write_text(rq.read_text().replace(title, title + " (herzien)"))
    assert not is_current(root, dist)
    ensure_build(root, dist, QUIET)
    assert is_current(root, dist)
    new_tag, new_html = page()
    assert new_tag != tag and "(herzien)" in new_html and "(herzien)" not in html


def test_the_digest_covers_the_package_code_and_templates(tmp_path, monkeypatch, web_project):
    import shutil

    from gdi_graph.build import pipeline

    package = tmp_path / "gdi_graph"
    shutil.copytree(pipeline.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(pipeline, "PACKAGE", package)
    sources = pipeline.Sources.find(web_project)
    before = sources.digest()
    template = package / "web" / "templates" / "base.html"
    template.write_text(template.read_text() + "\n")
    after_template = sources.digest()
    code = package / "web" / "headers.py"
    code.write_text(code.read_text() + "\n")
    after_code = sources.digest()
    assert len({before, after_template, after_code}) == 3
    (package / "web" / "__pycache__").mkdir(exist_ok=True)
    (package / "web" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    assert sources.digest() == after_code  # bytecode caches are not an input


def test_a_304_from_the_replay_layer_keeps_the_security_headers(web_app):
    from werkzeug.test import Client

    from gdi_graph.web.replay import ResponseReplay

    client = Client(ResponseReplay(web_app.wsgi_app))
    first = client.get("/id/voorziening/digid", headers={"Accept": "text/html"})
    for sent in (first.headers["ETag"], "*"):
        again = client.get("/id/voorziening/digid", headers={"Accept": "text/html", "If-None-Match": sent})
        assert again.status_code == 304
        for name in ("X-Content-Type-Options", "Referrer-Policy", "Content-Security-Policy", "X-Frame-Options"):
            assert again.headers.get(name) == first.headers[name], name
