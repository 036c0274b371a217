"""A real `gdi-graph serve` process exercised by real clients, and remote-store mode
against a separate Oxigraph server process."""

from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from web_support import free_port, stop, wait_until

GDI = "https://w3id.org/gdi-graph/def#"
SELECT = f"SELECT ?s ?naam WHERE {{ ?s a <{GDI}Voorziening> ; <http://www.w3.org/2000/01/rdf-schema#label> ?naam }} ORDER BY ?s LIMIT 5"
CONSTRUCT = f"CONSTRUCT {{ ?s a <{GDI}Voorziening> }} WHERE {{ ?s a <{GDI}Voorziening> }} LIMIT 5"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def http(url: str, headers: dict | None = None, data: bytes | None = None, timeout: float = 30):
    """(status, headers, body) for a request, errors included."""
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def q(url: str, query: str, **extra) -> str:
    return f"{url}/sparql?" + urllib.parse.urlencode({"query": query, **extra})


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_in_every_results_format(web_server, fmt, method):
    from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper

    sw = SPARQLWrapper(web_server + "/sparql")
    sw.setQuery(SELECT)
    sw.setMethod(method)
    sw.setReturnFormat({"json": JSON, "xml": XML, "csv": CSV, "tsv": TSV}[fmt])
    result = sw.query()
    converted = result.convert()
    if fmt == "json":
        assert len(converted["results"]["bindings"]) == 5
    elif fmt == "xml":
        assert len(converted.getElementsByTagName("result")) == 5
    else:
        lines = converted.decode().strip().splitlines()
        assert len(lines) == 6 and lines[0].replace("?", "").replace("\t", ",") == "s,naam"


@pytest.mark.parametrize("fmt", ["TURTLE", "N3", "RDFXML", "JSONLD", "XML"])
def test_sparqlwrapper_construct_in_every_rdf_format(web_server, fmt):
    import SPARQLWrapper as sw_module

    sw = sw_module.SPARQLWrapper(web_server + "/sparql")
    sw.setQuery(CONSTRUCT)
    sw.setReturnFormat(getattr(sw_module, fmt))
    graph = sw.query().convert()
    if isinstance(graph, bytes):
        import rdflib
        graph = rdflib.Graph().parse(data=graph, format="turtle")
    assert len(graph) == 5


def test_sparqlwrapper_ask(web_server):
    from SPARQLWrapper import JSON, SPARQLWrapper

    sw = SPARQLWrapper(web_server + "/sparql")
    sw.setQuery(f"ASK {{ ?s a <{GDI}Voorziening> }}")
    sw.setReturnFormat(JSON)
    assert sw.query().convert()["boolean"] is True


def test_rdflib_sparqlstore(web_server):
    from rdflib import Graph, URIRef
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    g = Graph(store=SPARQLStore(web_server + "/sparql"))  # rdflib's default: SPARQL XML / RDF/XML
    rows = list(g.query(SELECT))
    assert len(rows) == 5 and all(isinstance(r[0], URIRef) for r in rows)
    assert len(g.query(CONSTRUCT).graph) == 5
    assert g.query(f"ASK {{ ?s a <{GDI}Voorziening> }}").askAnswer is True
    for fmt, method in (("json", "GET"), ("csv", "POST"), ("tsv", "POST_FORM")):
        other = Graph(store=SPARQLStore(web_server + "/sparql", returnFormat=fmt, method=method))
        assert len(list(other.query(SELECT))) == 5, fmt


def test_plain_http_conneg_caching_and_errors(web_server):
    status, headers, body = http(q(web_server, SELECT), {"Accept": "text/csv;q=0.5, application/sparql-results+xml"})
    assert status == 200 and headers["Content-Type"] == "application/sparql-results+xml"
    status, headers, body = http(q(web_server, SELECT), {"Accept": "text/csv"})
    tag = headers["ETag"]
    assert status == 200 and "max-age" in headers["Cache-Control"]
    status, _, body = http(q(web_server, SELECT), {"Accept": "text/csv", "If-None-Match": tag})
    assert status == 304 and body == b""
    big = q(web_server, "SELECT * WHERE { ?s ?p ?o } LIMIT 300", format="json")
    status, headers, body = http(big, {"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip" and gzip.decompress(body).startswith(b"{")
    status, headers, body = http(q(web_server, SELECT), {"Origin": "https://wiki.example"})
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert http(q(web_server, SELECT), {"Accept": "application/foo"})[0] == 406
    status, _, body = http(q(web_server, "SELECT * WHERE {"))
    assert status == 400 and b"error at 1:" in body and b"Oplossing" in body
    assert http(q(web_server, "CLEAR ALL"))[0] == 403
    assert http(web_server + "/sparql", {"Content-Type": "application/sparql-update"}, b"CLEAR ALL")[0] == 403
    status, _, body = http(q(web_server, SELECT + " #" + "x" * 20_000))
    assert status == 413 and b"Oplossing" in body


def test_runaway_query_on_the_real_server(web_server):
    """A runaway query ends in a 503 naming the 2 s limit; the server keeps answering meanwhile."""
    outcome = {}

    def runaway():
        started = time.monotonic()
        status, _, body = http(q(web_server, RUNAWAY, format="csv"), {"Accept-Language": "en"}, timeout=30)
        outcome.update(status=status, body=body, seconds=time.monotonic() - started)

    t = threading.Thread(target=runaway)
    t.start()
    answered_meanwhile = 0
    deadline = time.monotonic() + 25
    for i in range(500):  # bounded in count and (below) in time
        if not t.is_alive() or time.monotonic() > deadline:
            break
        status, _, _ = http(web_server + "/health")
        # A new query text each time (a comment), so the answer cannot come from a cache.
        status2, _, _ = http(q(web_server, f"{SELECT}\n# {i}", format="json"))
        if t.is_alive() and status == 200 and status2 == 200:
            answered_meanwhile += 1
    t.join(30)
    assert outcome["status"] == 503 and b"limit of 2 s" in outcome["body"]
    assert outcome["seconds"] < 15
    assert answered_meanwhile > 0
    assert http(q(web_server, SELECT, format="csv"))[0] == 200


# ---------------------------------------------------------------------------------- remote mode


@pytest.fixture(scope="module")
def web_oxigraph(web_project, tmp_path_factory):
    """A separate Oxigraph server, loaded with the build's N-Quads, union default graph, 3 s limit."""
    exe = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    assert Path(exe).exists(), "the Oxigraph server (PyPI package `oxigraph`, a test dependency) is not installed"
    location = tmp_path_factory.mktemp("oxigraph")
    subprocess.run([exe, "load", "--location", str(location), "--file", str(web_project / "dist" / "gdi.nq")],
                   check=True, capture_output=True, timeout=120)
    port = free_port()
    proc = subprocess.Popen([exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph", "--timeout-s", "3"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    try:
        wait_until(lambda: http(url + "?query=ASK%7B%7D", {"Accept": "application/sparql-results+json"},
                                timeout=2)[0] == 200, 30, "oxigraph serve")
        yield url
    finally:
        stop(proc, grace=10)


@pytest.fixture(scope="module")
def web_remote_client(web_app_factory, web_oxigraph):
    return web_app_factory(remote_endpoint=web_oxigraph, query_timeout=20).test_client()


def _lines(body: bytes) -> list[str]:
    text = body.decode().splitlines()
    return text[:1] + sorted(text[1:])


def test_remote_mode_answers_named_queries_like_the_embedded_store(web_client, web_remote_client, web_project):
    from gdi_graph.query.named import load_queries

    for named in load_queries(web_project / "queries").values():
        fmt = "csv" if named.form == "SELECT" else "json" if named.form == "ASK" else "nt"
        local = web_client.get(f"/queries/{named.name}", query_string={**named.example, "format": fmt})
        remote = web_remote_client.get(f"/queries/{named.name}", query_string={**named.example, "format": fmt})
        assert remote.status_code == local.status_code == 200, (named.name, remote.data[:300])
        if fmt == "json":
            assert remote.json == local.json, named.name
        elif named.name.startswith("web-"):  # ours: deterministic; others' may GROUP_CONCAT in store order
            assert _lines(remote.data) == _lines(local.data), named.name
        else:
            assert len(_lines(remote.data)) == len(_lines(local.data)), named.name


def test_remote_mode_gives_every_format_as_the_embedded_store_does(web_client, web_remote_client):
    """The remote store is asked for JSON / N-Triples, checked whole and re-written: every
    format the server offers must come out as the embedded store writes it."""
    from pyoxigraph import parse

    from gdi_graph.rdf.formats import GRAPHS, RESULTS

    select = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?v ?naam WHERE { "
              "?v a <https://w3id.org/gdi-graph/def#Voorziening> ; rdfs:label ?naam } ORDER BY ?v ?naam")
    construct = ("CONSTRUCT { ?v <http://www.w3.org/2000/01/rdf-schema#label> ?naam } WHERE { "
                 "?v a <https://w3id.org/gdi-graph/def#Voorziening> ; <http://www.w3.org/2000/01/rdf-schema#label> ?naam }")
    for fmt in RESULTS:
        local, remote = (c.get("/sparql", query_string={"query": select, "format": fmt.key})
                         for c in (web_client, web_remote_client))
        assert remote.status_code == local.status_code == 200, (fmt.key, remote.data[:300])
        assert remote.headers["Content-Type"] == local.headers["Content-Type"] == fmt.media_type
        assert remote.data == local.data and len(local.data) > 100, fmt.key
    for fmt in GRAPHS:
        local, remote = (c.get("/sparql", query_string={"query": construct, "format": fmt.key})
                         for c in (web_client, web_remote_client))
        assert remote.status_code == local.status_code == 200, (fmt.key, remote.data[:300])
        assert remote.headers["Content-Type"] == local.headers["Content-Type"] == fmt.media_type
        triples = [set(parse(r.data, format=fmt.engine())) for r in (local, remote)]
        assert triples[0] == triples[1] and len(triples[0]) > 10, fmt.key


def test_remote_mode_sparql_linked_data_and_health(web_remote_client):
    r = web_remote_client.get("/sparql", query_string={"query": SELECT, "format": "csv"})
    assert r.status_code == 200 and r.data.count(b"\r\n") == 6
    r = web_remote_client.get("/id/voorziening/digid", headers={"Accept": "text/html"})
    assert r.status_code == 200 and b"DigiD" in r.data
    assert web_remote_client.get("/id/voorziening/bestaat-niet").status_code == 404
    assert web_remote_client.get("/sparql", query_string={"query": "SELECT * {"}).status_code == 400
    assert web_remote_client.get("/health").json["backend"]["mode"] == "remote"


def test_remote_mode_time_limit(web_app_factory, web_oxigraph):
    impatient = web_app_factory(remote_endpoint=web_oxigraph, query_timeout=1).test_client()
    r = impatient.get("/sparql", query_string={"query": RUNAWAY, "format": "csv"})
    assert r.status_code == 504 and b"grens van 1 s" in r.data  # the store is the gateway's upstream
