"""Operators can see it: /metrics in the Prometheus text format, one JSON access-log line per
request, and SIGTERM that drains requests in flight and leaves no query process behind."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from web_support import GDI, free_port, stop, wait_until
from werkzeug.test import Client

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def samples(text: str) -> dict[tuple, float]:
    """{(sample name, frozenset of labels): value} of a Prometheus text exposition."""
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, frozenset(s.labels.items()))] = s.value
    return out


def value(found: dict, name: str, **labels) -> float:
    want = set(labels.items())
    return sum(v for (n, ls), v in found.items() if n == name and want <= set(ls))


@pytest.fixture(scope="module")
def server_app(web_project):
    """The app as `gdi-graph serve` builds it (replay layer, metrics outermost), with a 1 s limit."""
    from gdi_graph.web.app import create_server_app

    app = create_server_app({"GDI_GRAPH_DIST": str(web_project / "dist"),
                             "GDI_GRAPH_QUERIES": str(web_project / "queries"), "GDI_GRAPH_EXECUTORS": 1,
                             "GDI_GRAPH_QUERY_TIMEOUT": 1, "GDI_GRAPH_ACCESS_LOG": "1", "TESTING": True})
    yield app
    app.extensions["gdi_graph"].close()


def scrape(client) -> dict:
    r = client.get("/metrics")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/plain; version=")
    return samples(r.get_data(as_text=True))


def test_requests_latency_and_replay_hits_are_counted(server_app):
    client = Client(server_app)
    before = scrape(client)
    url = "/queries/web-label?naam=DigiD&format=csv"
    assert client.get(url).status_code == 200
    assert client.get(url).headers["X-Cache"] == "hit"  # the second is answered by the replay layer
    assert client.get("/bestaat-niet").status_code == 404
    after = scrape(client)
    route = "/queries/<name>"
    assert value(after, "gdi_graph_http_requests_total", route=route, status="200") - \
        value(before, "gdi_graph_http_requests_total", route=route, status="200") == 2
    assert value(after, "gdi_graph_http_requests_total", route="unmatched", status="404") - \
        value(before, "gdi_graph_http_requests_total", route="unmatched", status="404") == 1
    assert value(after, "gdi_graph_http_request_duration_seconds_count", route=route) - \
        value(before, "gdi_graph_http_request_duration_seconds_count", route=route) == 2
    assert value(after, "gdi_graph_cache_lookups_total", cache="replay", result="hit") - \
        value(before, "gdi_graph_cache_lookups_total", cache="replay", result="hit") >= 1
    assert value(after, "gdi_graph_cache_lookups_total", cache="query", result="miss") > 0


def test_the_build_digest_is_an_info_metric(server_app):
    found = scrape(Client(server_app))
    digest = server_app.extensions["gdi_graph"].digest
    assert value(found, "gdi_graph_build_info", digest=digest) == 1


def test_timeouts_and_executor_restarts_are_counted(server_app):
    client = Client(server_app)
    before = scrape(client)
    r = client.get("/sparql?" + urllib.parse.urlencode({"query": RUNAWAY, "format": "json"}))
    assert r.status_code == 503
    after = scrape(client)
    assert value(after, "gdi_graph_query_timeouts_total") - value(before, "gdi_graph_query_timeouts_total") == 1
    assert value(after, "gdi_graph_executor_restarts_total") - value(before, "gdi_graph_executor_restarts_total") >= 1
    assert value(after, "gdi_graph_http_requests_total", route="/sparql", status="503") >= 1


def test_one_json_access_log_line_per_request(server_app):
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            lines.append(record.getMessage())

    keep = Keep()
    logging.getLogger("gdi_graph.access").addHandler(keep)
    try:
        client = Client(server_app)
        client.get("/id/voorziening/digid", headers={"Accept": "text/turtle"})
        client.get("/id/voorziening/digid", headers={"Accept": "text/turtle"})
        client.get("/id/voorziening/digid%20")
    finally:
        logging.getLogger("gdi_graph.access").removeHandler(keep)
    entries = [json.loads(line) for line in lines]
    assert len(entries) == 3
    assert [(e["route"], e["status"]) for e in entries] == [("/id/<path:ref>", 200), ("/id/<path:ref>", 200),
                                                           ("/id/<path:ref>", 404)]
    assert entries[1]["cache"] == "replay" and all(isinstance(e["ms"], (int, float)) for e in entries)
    assert entries[0]["path"] == "/id/voorziening/digid" and entries[0]["bytes"] > 0


def descendants(pid: int) -> set[int]:
    """Every process below `pid`, from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_sigterm_drains_a_slow_query_and_stops_every_query_process(web_project):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GDI_GRAPH_", "PROMETHEUS_"))}
    log = open(web_project / "sigterm.log", "wb")
    proc = subprocess.Popen([GDI, "--root", str(web_project), "--dist", str(web_project / "dist"), "serve", "--host",
                             "127.0.0.1", "--port", str(port), "--timeout", "3", "--executors", "2", "--access-log"],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        def health():
            assert proc.poll() is None, (web_project / "sigterm.log").read_text(errors="replace")[-2000:]
            with urllib.request.urlopen(url + "/health", timeout=2) as r:
                return json.loads(r.read())

        wait_until(health, 120, "gdi-graph serve to answer /health")
        with urllib.request.urlopen(url + "/metrics", timeout=5) as r:  # Granian runs the observing layer too
            assert value(samples(r.read().decode()), "gdi_graph_http_requests_total", route="/health") >= 1
        outcome = {}

        def slow():
            try:
                with urllib.request.urlopen(url + "/sparql?" + urllib.parse.urlencode({"query": RUNAWAY}), timeout=60) as r:
                    outcome["status"] = r.status
            except urllib.error.HTTPError as e:
                outcome["status"] = e.code
            except (ConnectionError, urllib.error.URLError, OSError) as e:
                outcome["closed"] = repr(e)

        client = threading.Thread(target=slow)
        client.start()

        def busy():
            stats = health()["backend"]["executor"]
            return stats["idle"] < stats["workers"]

        wait_until(busy, 30, "the slow query to reach a query worker")
        children = descendants(proc.pid)
        assert len(children) >= 3  # a Granian worker and its two query processes
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)  # bounded: the query limit (3 s) plus Granian's grace
        client.join(30)
        assert not client.is_alive()
        assert outcome.get("status") in (200, 503) or "closed" in outcome, outcome
        wait_until(lambda: not any(alive(p) for p in children), 10, "every query process to stop")
        lines = [json.loads(line) for line in (web_project / "sigterm.log").read_text().splitlines()
                 if line.startswith("{")]
        assert any(e["route"] == "/health" and e["status"] == 200 for e in lines)
    finally:
        if proc.poll() is None:
            stop(proc, grace=10)
        log.close()
