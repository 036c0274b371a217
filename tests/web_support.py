"""Fixtures for the web tests (a pytest plugin: `pytest_plugins = ["web_support"]`).

One built graph per session, in a temporary project copy, shared by the Flask test client
apps and by a real `gdi-graph serve` process. Everything listens on loopback only, and
every wait polls a condition with a bounded deadline.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TEST_QUERIES = Path(__file__).resolve().parent / "web" / "queries"
GDI = str(Path(sys.executable).with_name("gdi-graph"))
REPO_BUILD_LIMIT_S = 120


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen, grace: float) -> None:
    """Terminate a server process; kill it if it has not exited within `grace` seconds."""
    proc.terminate()
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def wait_until(condition, timeout: float, what: str, interval: float = 0.05):
    """Poll `condition` until it returns something truthy, at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            result = condition()
        except Exception as exc:  # the thing polled may not be up yet
            last = exc
            result = None
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what} (last error: {last!r})")


def _build(root: Path, dist: Path, limit: float) -> bool:
    try:
        done = subprocess.run([GDI, "--root", str(root), "--dist", str(dist), "build"], capture_output=True,
                              timeout=limit, text=True)
    except subprocess.TimeoutExpired:
        return False
    return done.returncode == 0


@pytest.fixture(scope="session")
def web_project(tmp_path_factory) -> Path:
    """A project folder with a current build in dist/ and the test queries in queries/."""
    root = tmp_path_factory.mktemp("gdi-project")
    queries = root / "queries"
    queries.mkdir()
    for rq in sorted((REPO / "queries").glob("*.rq")) + sorted(TEST_QUERIES.glob("*.rq")):
        shutil.copy(rq, queries / rq.name)
    for folder in ("ontology", "data", "shapes"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, root / folder)
    if not _build(root, root / "dist", REPO_BUILD_LIMIT_S):
        pytest.fail("the repository's sources do not build; run `gdi-graph build` to see why")
    return root


@pytest.fixture(scope="session")
def web_app_factory(web_project):
    """Make apps on the session's build; every app's executor pool is closed at the end."""
    from gdi_graph.web import create_app

    made = []

    def make(**settings):
        config = {"GDI_GRAPH_DIST": str(web_project / "dist"), "GDI_GRAPH_QUERIES": str(web_project / "queries"),
                  "GDI_GRAPH_EXECUTORS": 2, "GDI_GRAPH_QUERY_TIMEOUT": 10, "TESTING": True}
        config.update({f"GDI_GRAPH_{k.upper()}": v for k, v in settings.items()})
        web_app = create_app(config)
        made.append(web_app)
        return web_app

    yield make
    for web_app in made:
        web_app.extensions["gdi_graph"].close()


@pytest.fixture(scope="session")
def web_app(web_app_factory):
    return web_app_factory(service_allowlist="http://127.0.0.1:9/allowed/")


@pytest.fixture()
def web_client(web_app):
    return web_app.test_client()


def serving(root: Path, *args: str):
    """A real `gdi-graph serve` process on `root`'s build and a free loopback port; yields its
    URL once /health answers, stops it after. `args` go to `serve`."""
    import urllib.request

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GDI_GRAPH_")}
    log_path = root / f"serve-{port}.log"
    log = open(log_path, "wb")
    proc = subprocess.Popen([GDI, "--root", str(root), "--dist", str(root / "dist"), "serve", "--host", "127.0.0.1",
                             "--port", str(port), *args], env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        def healthy():
            if proc.poll() is not None:
                pytest.fail(f"gdi-graph serve exited with {proc.returncode}: "
                            f"{log_path.read_text(errors='replace')[-2000:]}")
            with urllib.request.urlopen(url + "/health", timeout=2) as r:
                return r.status == 200

        wait_until(healthy, 60, "gdi-graph serve to answer /health")
        yield url
    finally:
        stop(proc, grace=15)
        log.close()


@pytest.fixture(scope="session")
def web_server(web_project):
    """A real `gdi-graph serve` process on a free loopback port (query limit 2 s)."""
    yield from serving(web_project, "--timeout", "2", "--executors", "2", "--threads", "8")


# ---------------------------------------------------------------------------- a real Oxigraph server


class OxigraphServer:
    """A real Oxigraph server process (`oxigraph serve`, the PyPI package `oxigraph`), with the
    union of the named graphs as default graph, that a test can kill, freeze and restart on
    the same port and data."""

    def __init__(self, location: Path, timeout_s: int = 3):
        self.exe = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
        assert Path(self.exe).exists(), "the Oxigraph server (PyPI package `oxigraph`, a test dependency) is missing"
        self.location, self.timeout_s = location, timeout_s
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.query_url, self.store_url = self.url + "/query", self.url + "/store"
        self.proc: subprocess.Popen | None = None

    def start(self) -> "OxigraphServer":
        self.proc = subprocess.Popen([self.exe, "serve", "--location", str(self.location), "--bind",
                                      f"127.0.0.1:{self.port}", "--union-default-graph", "--timeout-s",
                                      str(self.timeout_s)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self.answers, 30, "oxigraph serve to answer")
        return self

    def answers(self) -> bool:
        import urllib.request

        if self.proc is None or self.proc.poll() is not None:
            raise RuntimeError("oxigraph serve is not running")
        req = urllib.request.Request(self.query_url + "?query=ASK%7B%7D",
                                     headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(req, timeout=2) as r:
            return r.status == 200

    def kill(self) -> None:
        """kill -9: the store disappears mid-whatever."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            stop(self.proc, grace=10)


@pytest.fixture(scope="session")
def web_store(web_project, tmp_path_factory):
    """An Oxigraph server holding the session's build, put there by `gdi-graph publish`."""
    from gdi_graph.build.publish import publish

    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph-store")).start()
    try:
        publish(web_project / "dist", server.store_url)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def web_remote_app(web_app_factory, web_store):
    """The app in remote mode, in front of `web_store`."""
    return web_app_factory(remote_endpoint=web_store.query_url, query_timeout=20)


@pytest.fixture(scope="session", params=["embedded", "remote"])
def any_app(request, web_app):
    """The app in each mode: the embedded store, and a real Oxigraph server (remote mode)."""
    return web_app if request.param == "embedded" else request.getfixturevalue("web_remote_app")


@pytest.fixture()
def any_client(any_app):
    return any_app.test_client()
