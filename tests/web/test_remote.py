"""A real store end to end: `gdi-graph publish` into a real Oxigraph server, the app in remote
mode in front of it (stelselplaat and /api/stelsel included), and a store that goes away,
hangs and comes back."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import urllib.error
import urllib.parse
import urllib.request

import pytest
from web_support import GDI, OxigraphServer, free_port, stop, wait_until

from gdi_graph.build.lease import build_store
from gdi_graph.build.pipeline import read_manifest
from gdi_graph.build.publish import graph_url

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def ask(url: str, query: str) -> str:
    req = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": query}), headers={"Accept": "text/csv"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.read().decode()


@pytest.fixture()
def store(tmp_path):
    server = OxigraphServer(tmp_path / "oxigraph").start()
    yield server
    server.stop()


def test_publish_puts_every_named_graph_and_replaces_each_whole(web_project, store):
    manifest = read_manifest(web_project / "dist")
    # Something the build does not say, in a graph the build has: publish must replace it.
    stale = next(iter(manifest["graphs"]))
    req = urllib.request.Request(graph_url(store.store_url, stale), method="POST",
                                 data=b"<urn:x:stale> <urn:x:p> <urn:x:o> .\n",
                                 headers={"Content-Type": "application/n-triples"})
    urllib.request.urlopen(req, timeout=10).close()
    done = subprocess.run([GDI, "--root", str(web_project), "publish", store.store_url],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"in {len(manifest['graphs'])} named graphs" in done.stderr
    rows = ask(store.query_url, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    in_store = {g: int(n) for g, n in (line.split(",") for line in rows.splitlines()[1:])}
    expected = {g: n for g, n in manifest["graphs"].items() if n}
    assert in_store == expected
    assert ask(store.query_url, "ASK { <urn:x:stale> ?p ?o }").strip().endswith("false")


def test_publish_names_a_store_that_refuses_or_is_not_there(web_project, store):
    gone = f"http://127.0.0.1:{free_port()}/store"
    done = subprocess.run([GDI, "--root", str(web_project), "publish", gone], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2 and "cannot reach the graph store" in done.stderr and gone in done.stderr
    done = subprocess.run([GDI, "--root", str(web_project), "publish", store.url + "/nothing-here"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "refused graph" in done.stderr


def test_stelsel_in_remote_mode_equals_the_embedded_answers(web_client, web_remote_app):
    remote = web_remote_app.test_client()
    for url in ("/api/stelsel/centraal", "/api/stelsel/niet-beschikbaar", "/api/stelsel/afhankelijk?registratie=BAG",
                "/api/stelsel/pad?van=BRV&naar=BAG", "/api/stelsel/centraal?peildatum=2016-12-31"):
        local, there = web_client.get(url), remote.get(url)
        assert there.status_code == local.status_code == 200, (url, there.data[:300])
        assert there.json == local.json, url
    for url in ("/stelselplaat.svg", "/stelselplaat.png?peildatum=2016-12-31",
                "/stelselplaat.svg?van=2016-12-31&tot=2017-12-31"):
        local, there = web_client.get(url), remote.get(url)
        assert there.status_code == local.status_code == 200, (url, there.data[:300])
        assert there.data == local.data, url  # the layout is deterministic: same graph, same bytes


def _app(web_app_factory, store: OxigraphServer, **settings):
    return web_app_factory(remote_endpoint=store.query_url, **settings)


@pytest.fixture()
def published(web_project, store):
    from gdi_graph.build.publish import publish

    publish(web_project / "dist", store.store_url)
    return store


def test_a_store_that_goes_away_gives_502_and_the_service_comes_back_by_itself(web_app_factory, published):
    client = _app(web_app_factory, published, query_timeout=5).test_client()
    urls = ["/sparql?" + urllib.parse.urlencode({"query": COUNT, "format": "csv"}),
            "/queries/voorzieningen?format=csv", "/id/voorziening/digid", "/stelselplaat.svg?peildatum=2016-06-30",
            "/api/stelsel/centraal?peildatum=2016-06-30"]
    before = {u: client.get(u, headers={"Accept": "text/html"} if "/id/" in u else {}) for u in urls}
    assert all(r.status_code == 200 for r in before.values()), {u: r.status_code for u, r in before.items()}
    assert client.get("/health").json["status"] == "ok"

    published.kill()
    # Answers already given stay in the build's caches; anything that needs the store fails.
    fresh = ["/sparql?" + urllib.parse.urlencode({"query": COUNT + " # not asked before", "format": "csv"}),
             "/queries/voorzieningen?format=json", "/id/voorziening/digikoppeling",
             "/api/stelsel/centraal?peildatum=2015-06-30"]
    for u in fresh:
        r = client.get(u, headers={"Accept": "text/plain"})
        assert r.status_code == 502, (u, r.status_code, r.data[:300])
        assert published.query_url.encode() in r.data and b"Connection refused" in r.data, r.data
    health = client.get("/health").json
    assert health["status"] == "degraded" and any(published.query_url in p for p in health["problems"])
    assert client.get("/health/ready").status_code == 503

    published.start()  # the same data, the same port
    assert client.get("/health/ready").status_code == 200
    for u in urls + fresh:
        r = client.get(u, headers={"Accept": "text/html"} if "/id/" in u else {})
        assert r.status_code == 200, (u, r.data[:300])
    assert client.get(urls[0]).data == before[urls[0]].data


def test_a_store_that_hangs_gives_504_and_one_that_is_slow_names_its_limit(web_app_factory, published):
    client = _app(web_app_factory, published, query_timeout=1).test_client()
    r = client.get("/sparql", query_string={"query": RUNAWAY, "format": "csv"})
    assert r.status_code == 504 and b"1 s" in r.data and published.query_url.encode() in r.data
    published.proc.send_signal(signal.SIGSTOP)  # the store accepts connections but answers nothing
    try:
        r = client.get("/queries/voorzieningen", query_string={"format": "csv"})
        assert r.status_code == 504 and published.query_url.encode() in r.data, r.data[:300]
        assert client.get("/health/ready").status_code == 503
    finally:
        published.proc.send_signal(signal.SIGCONT)
    assert client.get("/queries/voorzieningen", query_string={"format": "csv"}).status_code == 200
    assert client.get("/health/ready").status_code == 200


# Answers the first row at once, then counts a cartesian product: the store's own time limit
# stops it after the answer has begun, when the status (200) is already sent.
STREAMED_THEN_STOPPED = ("SELECT ?x WHERE { { VALUES ?x { 1 } } UNION "
                         "{ SELECT (COUNT(*) AS ?x) WHERE { ?a ?b ?c . ?d ?e ?f } } }")
GRAPH_THEN_STOPPED = ("CONSTRUCT { ?s ?p ?o } WHERE { { ?s ?p ?o } UNION "
                      "{ SELECT (COUNT(*) AS ?s) WHERE { ?a ?b ?c . ?d ?e ?f } } }")


def test_a_store_that_stops_a_query_mid_answer_gives_504_not_a_truncated_200(web_app_factory, web_project, tmp_path):
    from gdi_graph.build.publish import publish

    store = OxigraphServer(tmp_path / "oxigraph", timeout_s=1).start()
    try:
        publish(web_project / "dist", store.store_url)
        direct = urllib.request.Request(store.query_url + "?" + urllib.parse.urlencode({"query": STREAMED_THEN_STOPPED}),
                                        headers={"Accept": "text/csv"})
        with urllib.request.urlopen(direct, timeout=30) as r:  # what the store itself does
            assert r.status == 200 and b"cancelled" in r.read()
        client = _app(web_app_factory, store, query_timeout=10).test_client()
        for query, fmt in ((STREAMED_THEN_STOPPED, "csv"), (STREAMED_THEN_STOPPED, "json"),
                           (STREAMED_THEN_STOPPED, "tsv"), (GRAPH_THEN_STOPPED, "ttl")):
            r = client.get("/sparql", query_string={"query": query, "format": fmt})
            assert r.status_code == 504, (fmt, r.status_code, r.data[:300])
            assert store.query_url.encode() in r.data and b"cancelled" in r.data, r.data[:300]
        ok = client.get("/sparql", query_string={"query": "SELECT ?x WHERE { VALUES ?x { 1 2 } }", "format": "csv"})
        assert ok.status_code == 200 and ok.data.split() == [b"x", b"1", b"2"]
    finally:
        store.stop()


def test_a_real_server_in_remote_mode_serves_the_plate_and_recovers(web_project, published, tmp_path):
    """`gdi-graph serve --remote` as a process, with real HTTP clients."""
    root = tmp_path / "project"
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(web_project / folder, root / folder)
    source = (web_project / "dist").resolve()
    copy = build_store(root / "dist") / source.name
    shutil.copytree(source, copy)
    (root / "dist").symlink_to(os.path.relpath(copy, root))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GDI_GRAPH_")}
    with open(tmp_path / "serve.log", "wb") as log:
        proc = subprocess.Popen([GDI, "--root", str(root), "serve", "--port", str(port), "--remote",
                                 published.query_url, "--timeout", "5"], env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"

        def get(path: str) -> tuple[int, bytes]:
            try:
                with urllib.request.urlopen(url + path, timeout=30) as r:
                    return r.status, r.read()
            except urllib.error.HTTPError as e:
                return e.code, e.read()

        try:
            wait_until(lambda: get("/health/ready")[0] == 200, 120, "gdi-graph serve --remote to be ready")
            status, svg = get("/stelselplaat.svg")
            assert status == 200 and svg.lstrip().startswith(b"<?xml") and b"<svg" in svg
            assert get("/api/stelsel/afhankelijk?registratie=BAG")[0] == 200
            published.kill()
            status, body = get("/api/stelsel/centraal?peildatum=2015-06-30")
            assert status == 502 and published.query_url.encode() in body
            assert get("/health/ready")[0] == 503
            published.start()
            assert get("/api/stelsel/centraal?peildatum=2015-06-30")[0] == 200
            assert get("/health/ready")[0] == 200
        finally:
            stop(proc, grace=15)


def test_remote_mode_follows_dist_only_when_told():
    """The store changes by publish, not with the local link: no ETag may name a build it lacks."""
    from gdi_graph.web.state import Settings

    assert Settings.load({}).reload_interval > 0
    assert Settings.load({"GDI_GRAPH_REMOTE_ENDPOINT": "http://127.0.0.1:9/query"}).reload_interval == 0
    assert Settings.load({"GDI_GRAPH_REMOTE_ENDPOINT": "http://127.0.0.1:9/query",
                          "GDI_GRAPH_RELOAD_INTERVAL": "5"}).reload_interval == 5
