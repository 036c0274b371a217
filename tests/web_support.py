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


@pytest.fixture(scope="session")
def web_server(web_project):
    """A real `gdi-graph serve` process on a free loopback port (query limit 2 s)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GDI_GRAPH_")}
    log = open(web_project / "serve.log", "wb")
    proc = subprocess.Popen([GDI, "--root", str(web_project), "--dist", str(web_project / "dist"), "serve", "--host",
                             "127.0.0.1", "--port", str(port), "--timeout", "2", "--executors", "2", "--threads", "8"],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        import urllib.request

        def healthy():
            if proc.poll() is not None:
                pytest.fail(f"gdi-graph serve exited with {proc.returncode}: "
                            f"{(web_project / 'serve.log').read_text(errors='replace')[-2000:]}")
            with urllib.request.urlopen(url + "/health", timeout=2) as r:
                return r.status == 200

        wait_until(healthy, 60, "gdi-graph serve to answer /health")
        yield url
    finally:
        stop(proc, grace=15)
        log.close()
