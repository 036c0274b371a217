"""What bench/load.py and bench/faults.py share: a project of their own, a real server,
real clients, the server's memory, and the section of bench/results-live.md they write.

Only loopback addresses are contacted; every loop is bounded in count and in time.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results-live.md"
GDI = str(Path(sys.executable).with_name("gdi-graph"))
OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
HOST = "127.0.0.1"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_until(condition, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            result = condition()
        except Exception as exc:  # the thing polled may not be up yet
            last, result = exc, None
        if result:
            return result
        time.sleep(interval)
    raise RuntimeError(f"timed out after {timeout} s waiting for {what} (last error: {last!r})")


# ---------------------------------------------------------------------------- the project


def project_copy(keep: bool = False) -> Path:
    """Sources and the current build of this repository in a temporary folder, so rebuilds and
    kills never touch the repository's own dist/."""
    root = Path(tempfile.mkdtemp(prefix="gdi-graph-live-"))
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / folder, root / folder)
    dist = ROOT / "dist"
    if dist.exists():
        source = dist.resolve()
        copy = root / ".dist.builds" / source.name
        shutil.copytree(source, copy)
        (root / "dist").symlink_to(os.path.relpath(copy, root))
    return root


def change_a_source(root: Path, n: int) -> None:
    """A new source digest without changing what the graph says: a comment in a Turtle file."""
    with open(root / "data" / "voorzieningen.ttl", "a", encoding="utf-8") as f:
        f.write(f"\n# rebuild {n}\n")


def build(root: Path) -> tuple[float, subprocess.CompletedProcess]:
    start = time.monotonic()
    done = subprocess.run([GDI, "--root", str(root), "build"], capture_output=True, text=True, timeout=900)
    return time.monotonic() - start, done


# ---------------------------------------------------------------------------- a server


class Server:
    """`gdi-graph serve` as a subprocess (its own process group, stopped in `finally`)."""

    def __init__(self, root: Path, *options: str, log: Path | None = None):
        self.root, self.options = root, options
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.log = log or root / "serve.log"
        self.proc: subprocess.Popen | None = None

    def start(self, ready_s: float = 300) -> "Server":
        env = {k: v for k, v in os.environ.items() if not k.startswith("GDI_GRAPH_")}
        self._log = open(self.log, "ab")
        self.proc = subprocess.Popen([GDI, "--root", str(self.root), "serve", "--host", HOST, "--port",
                                      str(self.port), *self.options], env=env, stdout=self._log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        wait_until(lambda: self._alive() and get(self.port, "/health/ready")[0] == 200, ready_s, "the server")
        return self

    def _alive(self) -> bool:
        if self.proc.poll() is not None:
            raise RuntimeError(f"gdi-graph serve exited with {self.proc.returncode}; see {self.log}")
        return True

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        if getattr(self, "_log", None):
            self._log.close()

    def health(self) -> dict:
        return json.loads(get(self.port, "/health")[1])

    def tree(self) -> list[int]:
        return descendants(self.proc.pid) if self.proc else []

    def executors(self) -> list[int]:
        """The query worker processes: multiprocessing children of a web worker (itself a
        multiprocessing child of `gdi-graph serve`)."""
        if not self.proc:
            return []
        workers = [pid for pid in self.tree() if (_stat(pid) or (0,))[0] == self.proc.pid]
        return [pid for pid in self.tree() if (_stat(pid) or (0,))[0] in workers
                and b"multiprocessing" in _cmdline(pid) and b"resource_tracker" not in _cmdline(pid)]


@contextmanager
def serving(root: Path, *options: str):
    server = Server(root, *options).start()
    try:
        yield server
    finally:
        server.stop()


class Oxigraph:
    """A real Oxigraph server (`oxigraph serve`, union default graph) that can be killed and restarted."""

    def __init__(self, location: Path):
        self.location, self.port = location, free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> "Oxigraph":
        self.proc = subprocess.Popen([OXIGRAPH, "serve", "--location", str(self.location), "--bind",
                                      f"{HOST}:{self.port}", "--union-default-graph", "--timeout-s", "10"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        wait_until(lambda: get(self.port, "/query?query=ASK%7B%7D")[0] == 200, 60, "oxigraph serve")
        return self

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


# ---------------------------------------------------------------------------- processes and memory


def _stat(pid: int) -> tuple[int, str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    rest = raw[raw.rindex(")") + 2:].split()
    return int(rest[1]), raw[raw.index("(") + 1:raw.rindex(")")]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def descendants(pid: int) -> list[int]:
    """`pid` and every process below it (Linux /proc)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            info = _stat(int(entry))
            if info:
                parents[int(entry)] = info[0]
    found, frontier = [pid], [pid]
    while frontier:
        current = frontier.pop()
        for child, parent in parents.items():
            if parent == current:
                found.append(child)
                frontier.append(child)
    return found


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class MemoryWatch:
    """Samples the RSS of the server's process tree (sum, and the largest process) every 0.5 s."""

    def __init__(self, server: Server, seconds: float):
        self.server, self.seconds = server, seconds
        self.samples: list[tuple[float, int, int, int]] = []  # t, total KiB, largest KiB, processes
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        start = time.monotonic()
        while not self._stop.is_set() and time.monotonic() - start < self.seconds:
            sizes = [rss_kib(p) for p in self.server.tree()]
            self.samples.append((time.monotonic() - start, sum(sizes), max(sizes or [0]), len(sizes)))
            self._stop.wait(0.5)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(5)

    def peak(self) -> dict:
        if not self.samples:
            return {}
        top = max(self.samples, key=lambda s: s[1])
        return {"total_mib": top[1] / 1024, "largest_mib": max(s[2] for s in self.samples) / 1024,
                "processes": top[3], "first_mib": self.samples[0][1] / 1024, "last_mib": self.samples[-1][1] / 1024}


# ---------------------------------------------------------------------------- HTTP


def get(port: int, path: str, timeout: float = 60, headers: dict | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


class Client:
    """One keep-alive connection; reconnects after an error."""

    def __init__(self, port: int, timeout: float = 60):
        self.port, self.timeout = port, timeout
        self.conn: http.client.HTTPConnection | None = None

    def get(self, path: str, headers: dict | None = None) -> tuple[int | str, bytes, float]:
        start = time.perf_counter()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
            self.conn.request("GET", path, headers=headers or {})
            r = self.conn.getresponse()
            body = r.read()
            if r.getheader("Connection", "").lower() == "close":
                self.close()
            return r.status, body, time.perf_counter() - start
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            return type(exc).__name__, b"", time.perf_counter() - start

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def percentile(samples: list[float], q: float) -> float | None:
    if not samples:
        return None
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def ms(value: float | None) -> str:
    return "–" if value is None else f"{value * 1000:.1f}"


def median(samples: list[float]) -> float | None:
    return statistics.median(samples) if samples else None


def first_line(body: bytes, limit: int = 160) -> str:
    text = body.decode("utf-8", "replace").strip().splitlines()
    return (text[0] if text else "")[:limit]


# ---------------------------------------------------------------------------- results-live.md


def machine() -> str:
    cpus = os.cpu_count()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{cpus} CPUs, load average {load:.1f} at the start, Python {sys.version.split()[0]}"


def write_section(name: str, text: str) -> None:
    """Replace this script's section of bench/results-live.md (between its markers)."""
    begin, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else (
        "# Live-server runs: load and faults\n\nWritten by `bench/load.py` and `bench/faults.py`; each section "
        "names the command that made it. A run, not a test: figures depend on the machine and on what "
        "else it was doing.\n")
    block = f"{begin}\n{text.rstrip()}\n{end}"
    if begin in current:
        current = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda _: block, current, flags=re.S)
    else:
        current = current.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(current.rstrip() + "\n", encoding="utf-8")
