"""Builds and servers that live together: leases, the build lock, a server that follows
`dist` through rebuilds without a restart, and a /health that says ok only when it is.

The server tests run a real `gdi-graph serve` process on a project of their own (a copy
of the session's sources and build), rebuilt while real HTTP clients keep asking.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from web_support import GDI, free_port, stop, wait_until

from gdi_graph.build.lease import Lease, build_lock, build_store, is_leased
from gdi_graph.build.pipeline import KEEP_BUILDS, _prune, read_manifest, write
from gdi_graph.build.progress import Progress

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
MARK = "urn:gdi-graph-test:herbouw"
MARK_QUERY = f"SELECT ?n WHERE {{ <{MARK}> <{MARK}#n> ?n }}"


def http(url: str, headers: dict | None = None, timeout: float = 30):
    """(status, headers (case-insensitive), body), errors included."""
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def sparql(url: str, query: str, fmt: str = "csv") -> str:
    return f"{url}/sparql?" + urllib.parse.urlencode({"query": query, "format": fmt})


def health(url: str) -> dict:
    return json.loads(http(url + "/health", timeout=10)[2])


# ---------------------------------------------------------------------------- leases and prune


def _fake_build(store: Path, name: str, age: int, manifest: bool = True) -> Path:
    d = store / name
    d.mkdir(parents=True)
    (d / "gdi.nq").write_text("")
    if manifest:
        (d / "manifest.json").write_text(json.dumps({"digest": name}))
    os.utime(d, (time.time() - age, time.time() - age))
    return d


def test_prune_spares_leased_builds_and_removes_unleased_and_unfinished_ones(tmp_path):
    store = tmp_path / ".dist.builds"
    builds = [_fake_build(store, f"b{i}", age=1000 - i) for i in range(KEEP_BUILDS + 3)]  # b0 oldest
    killed = _fake_build(store, "killed-while-writing", age=5, manifest=False)
    pin = tmp_path / "pin"
    pin.symlink_to(builds[0])
    with Lease.take(pin) as lease:
        assert lease.path == builds[0] and is_leased(builds[0])
        removed = _prune(store, keep=builds[-1])
        assert builds[0].exists(), "a leased build was pruned"
        assert set(removed) == set(builds[1:3]) | {killed}
        assert all(b.exists() for b in builds[-KEEP_BUILDS:])
    assert not is_leased(builds[0])
    assert _prune(store, keep=builds[-1]) == [builds[0]]


def test_a_lease_ends_with_its_process_even_when_killed(tmp_path):
    store = tmp_path / ".dist.builds"
    old = _fake_build(store, "old", age=1000)
    newer = [_fake_build(store, f"new{i}", age=100 - i) for i in range(KEEP_BUILDS)]
    pin = tmp_path / "pin"
    pin.symlink_to(old)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from gdi_graph.build.lease import Lease; "
                               f"lease = Lease.take({str(pin)!r}); print('held', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert _prune(store, keep=newer[-1]) == [] and old.exists()
        holder.kill()  # kill -9: no chance to release anything
        holder.wait(10)
        assert _prune(store, keep=newer[-1]) == [old]
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait(10)


def test_lease_refuses_a_missing_build(tmp_path):
    (tmp_path / "dist").symlink_to(tmp_path / "nowhere")
    with pytest.raises(OSError, match="cannot lease"):
        Lease.take(tmp_path / "dist", attempts=2)


# ---------------------------------------------------------------------------- the build lock


def _variant(built_graph, n: int):
    """The session's build under another digest, as a new build of changed sources would be."""
    return dataclasses.replace(built_graph, digest=f"{n:04d}" + built_graph.digest[4:])


def test_builds_take_turns_and_leave_dist_whole(built, tmp_path):
    graph, _ = built
    dist = tmp_path / "dist"
    first = write(_variant(graph, 1), dist)
    stream = io.StringIO()
    results = []
    with build_lock(dist):
        waiting = threading.Thread(target=lambda: results.append(write(_variant(graph, 2), dist, Progress(stream))))
        waiting.start()
        wait_until(lambda: "waiting for another build" in stream.getvalue(), 30, "the second build to wait")
        assert dist.resolve() == first and waiting.is_alive()
    waiting.join(120)
    assert results and dist.resolve() == results[0]

    racers = [threading.Thread(target=lambda n=n: results.append(write(_variant(graph, n), dist)))
              for n in range(3, 6)]
    for t in racers:
        t.start()
    for t in racers:
        t.join(180)
    assert len(results) == 4
    served = dist.resolve()
    manifest = read_manifest(served)
    assert served in results and manifest["digest"][:4] in {"0003", "0004", "0005"}
    from pyoxigraph import RdfFormat, Store

    store = Store()
    store.bulk_load(path=str(served / "gdi.nq"), format=RdfFormat.N_QUADS)
    assert len(store) > 0
    assert all((d / "manifest.json").exists() for d in build_store(dist).iterdir())
    assert not (tmp_path / ".dist.new").exists()


# ---------------------------------------------------------------------------- a real server


@pytest.fixture()
def project(web_project, tmp_path) -> Path:
    """A project of its own: the session's sources and a copy of its current build."""
    root = tmp_path / "project"
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(web_project / folder, root / folder)
    source = (web_project / "dist").resolve()
    copy = build_store(root / "dist") / source.name
    shutil.copytree(source, copy)
    (root / "dist").symlink_to(os.path.relpath(copy, root))
    return root


@contextmanager
def serving(root: Path, *options: str):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GDI_GRAPH_")}
    log_path = root / "serve.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([GDI, "--root", str(root), "serve", "--port", str(port), "--timeout", "2",
                                 "--executors", "2", "--threads", "8", *options],
                                env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            def up():
                if proc.poll() is not None:
                    pytest.fail(f"gdi-graph serve exited with {proc.returncode}: "
                                f"{log_path.read_text(errors='replace')[-2000:]}")
                return http(url + "/health", timeout=2)[0] == 200

            wait_until(up, 90, "gdi-graph serve to answer /health")
            yield proc, url
        finally:
            stop(proc, grace=15)


def _rebuild(root: Path, n: int) -> dict:
    """Change a source (one triple more: the rebuild's number) and run `gdi-graph build`."""
    (root / "data" / "herbouw.ttl").write_text(f'<{MARK}> <{MARK}#n> "{n}" .\n', encoding="utf-8")
    done = subprocess.run([GDI, "--root", str(root), "build"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return read_manifest((root / "dist").resolve())


class Clients:
    """Real clients asking all the time (bounded in count and time), recording every answer."""

    def __init__(self, url: str, paths: list[str], limit: int = 200_000, seconds: float = 600):
        self.url, self.paths, self.limit, self.seconds = url, paths, limit, seconds
        self.answers: list[tuple[str, int]] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(i,)) for i in range(2)]

    def _run(self, offset: int) -> None:
        deadline = time.monotonic() + self.seconds
        i = offset
        while not self._stop.is_set() and len(self.answers) < self.limit and time.monotonic() < deadline:
            path = self.paths[i % len(self.paths)]
            i += 1
            try:
                status = http(self.url + path, timeout=30)[0]
            except OSError as exc:  # a refused or broken connection is a failure too
                status = f"{type(exc).__name__}"
            self.answers.append((path, status))
            self._stop.wait(0.005)  # pacing, so the rebuilds get some of the two cores

    def __enter__(self):
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for t in self._threads:
            t.join(60)

    def failures(self) -> list[tuple[str, int]]:
        return [(p, s) for p, s in self.answers if s != 200]


def test_a_server_follows_four_rebuilds_and_a_timeout_without_a_failed_request(project):
    paths = ["/queries/web-voorzieningen?format=csv", "/queries/verbindingen?naar=BRP&format=json",
             "/id/voorziening/digid", "/stelselplaat.svg", "/api/stelsel/centraal",
             sparql("", MARK_QUERY), "/download/gdi.nq", "/health/ready"]
    with serving(project, "--reload-interval", "0.5") as (_, url):
        first = health(url)
        assert first["status"] == "ok" and first["problems"] == []
        seen_builds = {first["build"]}
        etags = {http(url + paths[0])[1]["ETag"]}
        with Clients(url, paths) as clients:
            for n in range(1, 5):
                manifest = _rebuild(project, n)
                digest = manifest["digest"]
                wait_until(lambda d=digest: health(url)["digest"] == d, 60, f"the server to serve build {n}")
                status, _, body = http(sparql(url, MARK_QUERY))
                assert status == 200 and body.decode().split() == ["n", str(n)], body
                etags.add(http(url + paths[0])[1]["ETag"])
                seen_builds.add(health(url)["build"])
                if n == 3:  # a runaway query after the older builds were pruned: its worker is replaced
                    status, _, body = http(sparql(url, RUNAWAY), timeout=60)
                    assert status == 503 and b" 2 s" in body
                    assert http(sparql(url, "SELECT * WHERE { ?s ?p ?o } LIMIT 2 # after the runaway"))[0] == 200
            answered = len(clients.answers)
            wait_until(lambda: len(clients.answers) > answered + 2 * len(paths), 60, "more answers after the last build")
        assert clients.failures() == [], clients.failures()[:20]
        assert len(clients.answers) > 4 * len(paths)
        assert len(etags) == 5 and len(seen_builds) == 5
        final = health(url)
        assert final["status"] == "ok" and final["reloads"] == 4
        assert http(url + "/health/ready")[0] == 200
        assert (project / "dist").resolve().name == final["build"]


def test_a_pinned_build_outlives_rebuilds_and_sighup_switches_to_the_newest(project, built):
    graph, _ = built
    with serving(project, "--reload-interval", "0") as (proc, url):
        pinned = health(url)["build"]
        pinned_dir = build_store(project / "dist") / pinned
        for n in range(1, KEEP_BUILDS + 2):  # more builds than prune keeps
            write(_variant(graph, n), project / "dist")
        assert pinned_dir.exists(), "the build a running server uses was pruned"
        assert health(url)["build"] == pinned  # no polling: it waits for SIGHUP
        status, _, body = http(sparql(url, RUNAWAY), timeout=60)
        assert status == 503 and b" 2 s" in body
        assert http(sparql(url, "SELECT * WHERE { ?s ?p ?o } LIMIT 3"))[0] == 200  # a new worker loads it
        assert http(url + "/download/gdi.nq")[0] == 200
        newest = (project / "dist").resolve().name
        proc.send_signal(signal.SIGHUP)
        wait_until(lambda: health(url)["build"] == newest, 30, "the server to switch on SIGHUP")
        assert proc.poll() is None
        assert http(sparql(url, "SELECT * WHERE { ?s ?p ?o } LIMIT 3"))[0] == 200
        wait_until(lambda: not is_leased(pinned_dir), 30, "the old build's lease to be released")
        write(_variant(graph, 99), project / "dist")
        assert not pinned_dir.exists(), "a build nobody serves any more was kept"


# ---------------------------------------------------------------------------- health


@pytest.fixture()
def project_app(project):
    from gdi_graph.web import create_app

    made = []

    def make(**settings):
        config = {"GDI_GRAPH_DIST": str(project / "dist"), "GDI_GRAPH_QUERIES": str(project / "queries"),
                  "GDI_GRAPH_EXECUTORS": 2, "TESTING": True}
        config.update({f"GDI_GRAPH_{k.upper()}": v for k, v in settings.items()})
        made.append(create_app(config))
        return made[-1]

    yield make
    for app in made:
        app.extensions["gdi_graph"].close()


def test_health_is_degraded_while_a_newer_build_cannot_be_loaded(project, project_app):
    client = project_app(reload_interval=0.2).test_client()
    good = (project / "dist").resolve()
    assert client.get("/health").json["status"] == "ok"
    broken = build_store(project / "dist") / "broken"
    broken.mkdir()
    (broken / "gdi.nq").write_text("<this is> not N-Quads .\n")
    (broken / "manifest.json").write_text(json.dumps({"digest": "f" * 64}))
    link = project / ".dist.new"
    link.symlink_to(os.path.relpath(broken, project))
    os.replace(link, project / "dist")

    body = wait_until(lambda: (b := client.get("/health").json)["status"] == "degraded" and b, 30, "degraded")
    assert any("newer build" in p and "broken" in p for p in body["problems"]), body["problems"]
    ready = client.get("/health/ready")
    assert ready.status_code == 503 and ready.json["problems"] == body["problems"]
    assert body["build"] == good.name  # still serving the last good build
    assert client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }", "format": "json"}).json["boolean"]

    link.symlink_to(os.path.relpath(good, project))
    os.replace(link, project / "dist")
    wait_until(lambda: client.get("/health").json["status"] == "ok", 30, "ok again")
    assert client.get("/health/ready").status_code == 200


def test_health_is_degraded_when_query_workers_cannot_load_their_build(project, project_app):
    app = project_app(reload_interval=0.2)
    client = app.test_client()
    assert client.get("/health").json["status"] == "ok"
    build = app.extensions["gdi_graph"].current
    (build.dist / "gdi.nq").rename(build.dist / "gdi.nq.gone")  # what a prune under a server used to do
    for worker in list(build.backend.executor._workers):
        os.kill(worker.process.pid, signal.SIGKILL)
    body = wait_until(lambda: (b := client.get("/health").json)["status"] == "degraded" and b, 60, "degraded")
    assert any("could not" in p for p in body["problems"]) or any("no query worker" in p for p in body["problems"])
    assert client.get("/health/ready").status_code == 503
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "format": "csv"})
    assert r.status_code == 503


def test_a_value_asked_for_by_many_at_once_is_made_once(web_app):
    """A new plate asked by many clients at once is drawn once, the others wait for it."""
    build = web_app.extensions["gdi_graph"].current
    made, go, results = [], threading.Event(), []
    key = ("test", object())

    def make():
        made.append(1)
        go.wait(60)
        return ["the value"]

    def ask():
        results.append(build.memo(key, make))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()

    def all_inside_memo():
        frames = sys._current_frames()
        return all(any(f.f_code.co_name == "memo" for f in _stack(frames.get(t.ident))) for t in threads)

    wait_until(all_inside_memo, 30, "every thread to be asking")
    go.set()
    for t in threads:
        t.join(60)
    assert len(made) == 1 and len(results) == 8 and all(r is results[0] for r in results)


def _stack(frame):
    while frame is not None:
        yield frame
        frame = frame.f_back


def test_a_request_in_flight_finishes_on_its_build_and_the_old_build_closes_after_it(project, project_app):
    from flask import jsonify

    from gdi_graph.query.executor import Job
    from gdi_graph.web.state import state

    app = project_app(reload_interval=0.2)
    holding, release = threading.Event(), threading.Event()

    def hold():  # a request that is still running when the server switches builds
        st = state()
        before = st.digest
        holding.set()
        release.wait(60)
        result, _ = st.run_query(Job("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", results_format="csv"))
        return jsonify(digest_before=before, digest_after=st.digest, body=result.body.decode())

    app.add_url_rule("/test/hold", view_func=hold)
    client = app.test_client()
    st = app.extensions["gdi_graph"]
    old = st.current
    answer = {}
    t = threading.Thread(target=lambda: answer.update(r=client.get("/test/hold")))
    t.start()
    wait_until(holding.is_set, 30, "the request to be running")

    newer = build_store(project / "dist") / "newer"
    shutil.copytree(old.dist, newer)
    (newer / "manifest.json").write_text(json.dumps({**old.manifest, "digest": "e" * 64}))
    (project / ".dist.new").symlink_to(os.path.relpath(newer, project))
    os.replace(project / ".dist.new", project / "dist")
    wait_until(lambda: client.get("/health").json["digest"] == "e" * 64, 60, "the switch")
    assert not old.closed, "a build was closed under a request still using it"
    assert is_leased(old.dist)

    release.set()
    t.join(60)
    r = answer["r"]
    assert r.status_code == 200 and r.json["digest_before"] == r.json["digest_after"] == old.digest
    assert int(r.json["body"].split()[1]) > 0  # its query ran on the old build's query processes
    assert old.closed and not is_leased(old.dist)
    assert client.get("/health").json["status"] == "ok"
