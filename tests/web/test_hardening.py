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
    r = web_client.get(path, headers={"Accept": "application/problem+json"})
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
    r = web_client.get(url, headers={"Accept": "application/json"})
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
