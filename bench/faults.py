"""Fault injection against a real server, each fault with what the clients saw.

    .venv/bin/python bench/faults.py [--only executor,build,store]

1. `kill -9` of a query worker while it runs a query;
2. `kill -9` of `gdi-graph build` while it writes its directory;
3. a remote store (a real Oxigraph server) that is killed and started again.

Each fault runs while a few clients keep asking; the section of bench/results-live.md it
writes lists, per fault, every non-200 answer with its status and message, how long the
service took to answer normally again, and what /health said. The server runs on a copy of
this project; only loopback addresses are contacted; every loop is bounded.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from live import (  # bench/ is not a package: imported by path
    GDI,
    Client,
    Oxigraph,
    Server,
    build,
    change_a_source,
    first_line,
    machine,
    project_copy,
    wait_until,
    write_section,
)

BASE = "https://w3id.org/gdi-graph"
SLOW = ("PREFIX qb: <http://purl.org/linked-data/cube#> SELECT (COUNT(*) AS ?n) WHERE { ?a a qb:Observation . "
        "?b a qb:Observation . ?c ?p ?o }")  # seconds of work, so a worker can be killed mid-query


def sparql(query: str, fmt: str = "csv") -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query, "format": fmt})


class Asking:
    """A few clients asking all the time (bounded in count), each answer kept with its time."""

    def __init__(self, port: int, paths: list[str], clients: int = 4, limit: int = 200_000):
        self.port, self.paths, self.clients, self.limit = port, paths, clients, limit
        self.answers: list[tuple[float, int | str, float, str]] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(i,)) for i in range(clients)]

    def _run(self, i: int) -> None:
        client = Client(self.port, timeout=30)
        n = i
        while not self._stop.is_set() and len(self.answers) < self.limit:
            path = self.paths[n % len(self.paths)]
            path = path(n) if callable(path) else path
            n += self.clients
            status, body, took = client.get(path)
            self.answers.append((time.time(), status, took, first_line(body) if status != 200 else ""))
            self._stop.wait(0.01)
        client.close()

    def __enter__(self):
        self.started = time.time()
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for t in self._threads:
            t.join(60)

    def summary(self, since: float, until: float = float("inf")) -> str:
        seen = [a for a in self.answers if since <= a[0] < until]
        bad = Counter((a[1], a[3]) for a in seen if a[1] != 200)
        text = f"{len(seen)} answers, {sum(bad.values())} not 200"
        if bad:
            text += ": " + "; ".join(f"{n}× {status} “{line}”" for (status, line), n in bad.most_common())
        return text


def mixed_paths() -> list:
    """Fixed paths, and SPARQL that is new each time (so it reaches the query workers)."""
    return [lambda n: sparql(f"SELECT ?s WHERE {{ ?s a ?t }} ORDER BY ?s LIMIT 5 OFFSET {n}"),
            "/queries/voorzieningen?format=csv", "/id/voorziening/digid", "/stelselplaat.svg",
            lambda n: sparql(f"ASK {{ ?s ?p ?o }} # {n}", "json")]


def fault_executor(root: Path) -> str:
    lines = ["### kill -9 of a query worker during a query", ""]
    with _server(root, "--executors", "2", "--timeout", "30") as server:
        with Asking(server.port, mixed_paths()) as asking:
            wait_until(lambda: len(asking.answers) > 20, 60, "clients to be answered")
            before = set(server.executors())
            outcome: dict = {}

            def slow():
                status, body, took = Client(server.port, timeout=60).get(sparql(SLOW))
                outcome.update(status=status, took=took, line=first_line(body))

            t = threading.Thread(target=slow)
            t.start()
            busy = wait_until(lambda: _busiest(server.executors()), 30, "a worker to be busy")
            os.kill(busy, signal.SIGKILL)
            killed_at = time.time()
            t.join(60)
            wait_until(lambda: len([a for a in asking.answers if a[0] > killed_at]) > 100, 60, "answers after")
            recovered = _first_ok_after(asking, killed_at)
            after = set(wait_until(lambda: len(server.executors()) >= 2 and server.executors(), 30, "a replacement"))
            health = server.health()
        lines += [f"The query being run: {outcome.get('status')} after {outcome.get('took', 0):.1f} s, "
                  f"“{outcome.get('line')}”.",
                  f"Other clients meanwhile (from the kill on): {asking.summary(killed_at)}.",
                  f"First answer to another client after the kill: {recovered}.",
                  f"Query workers: {len(before)} before, pid {busy} killed, {len(after - before)} new; "
                  f"/health afterwards: {health['status']}, executor restarts {health['backend']['executor']['restarts']}."]
    return "\n".join(lines)


def _busiest(pids: list[int]) -> int | None:
    """The query worker using CPU now (two samples of its CPU time 0.2 s apart)."""
    def cpu(pid):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            return int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            return 0
    first = {p: cpu(p) for p in pids}
    time.sleep(0.2)
    grew = sorted(((cpu(p) - first[p], p) for p in pids), reverse=True)
    return grew[0][1] if grew and grew[0][0] > 0 else None


def _first_ok_after(asking: Asking, t: float) -> str:
    for a in asking.answers:
        if a[0] >= t and a[1] == 200:
            return f"{a[0] - t:.2f} s after the kill"
    return "none"


class _server:
    def __init__(self, root, *options):
        self.server = Server(root, *options)

    def __enter__(self):
        return self.server.start()

    def __exit__(self, *exc):
        self.server.stop()


def fault_build(root: Path) -> str:
    lines = ["### kill -9 of `gdi-graph build` while it writes", ""]
    with _server(root, "--reload-interval", "0.5") as server:
        served = server.health()["build"]
        with Asking(server.port, mixed_paths()) as asking:
            wait_until(lambda: len(asking.answers) > 20, 60, "clients to be answered")
            change_a_source(root, 7)
            proc = subprocess.Popen([GDI, "--root", str(root), "build"], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            # The build has validated and is writing its directory once that directory exists.
            wait_until(lambda: proc.poll() is None and any(_size(d / "gdi.nq") > 0 for d in _partial(root)), 300,
                       "the build to write", interval=0.01)
            written = {f.name: f.stat().st_size for d in _partial(root) for f in d.iterdir()}
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            killed_at = time.time()
            partial = _partial(root)
            link_after_kill = (root / "dist").resolve().name
            health_after_kill = server.health()
            took, done = build(root)
            wait_until(lambda: server.health()["build"] == (root / "dist").resolve().name, 60, "the switch")
            left = _partial(root)
            health = server.health()
        lines += [f"Killed while writing (it had written {', '.join(f'{k} {v:,} bytes' for k, v in written.items())}): "
                  f"it left "
                  f"{len(partial)} unfinished directory (no manifest.json); `dist` still named {link_after_kill} "
                  f"(served before: {served}); /health: {health_after_kill['status']}, still serving "
                  f"{health_after_kill['build']}.",
                  f"The next `gdi-graph build` {'succeeded' if done.returncode == 0 else 'failed'} in {took:.1f} s "
                  + ("without waiting for the build lock (the kernel released the dead build's), "
                     if "waiting for another build" not in done.stderr else "after waiting for the build lock, ")
                  + f"removed "
                  f"{len(partial) - len(left)} unfinished directory, and the server switched to it: "
                  f"{health['status']}, build {health['build']}.",
                  f"Clients from the kill to the end: {asking.summary(killed_at)}."]
    return "\n".join(lines)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _partial(root: Path) -> list[Path]:
    return [d for d in (root / ".dist.builds").iterdir() if d.is_dir() and not (d / "manifest.json").exists()]


def fault_store(root: Path) -> str:
    lines = ["### A remote store (Oxigraph server) that disappears and comes back", ""]
    store = Oxigraph(root / "oxigraph").start()
    try:
        done = subprocess.run([GDI, "--root", str(root), "publish", store.url + "/store"], capture_output=True,
                              text=True, timeout=300)
        lines.append(f"`gdi-graph publish`: {done.stderr.strip().splitlines()[-1]}")
        with _server(root, "--remote", store.url + "/query", "--timeout", "5") as server:
            paths = ["/queries/voorzieningen?format=csv",
                     lambda n: sparql(f"SELECT ?s WHERE {{ ?s a ?t }} LIMIT 3 OFFSET {n}"),
                     "/id/voorziening/digid", "/api/stelsel/niet-beschikbaar?peildatum=2016-06-30", "/stelselplaat.svg"]
            with Asking(server.port, paths) as asking:
                wait_until(lambda: len(asking.answers) > 20, 60, "clients to be answered")
                store.kill()
                killed_at = time.time()
                wait_until(lambda: len([a for a in asking.answers if a[0] > killed_at and a[1] != 200]) > 100, 60,
                           "answers while down")
                down = server.health()
                ready_down = Client(server.port).get("/health/ready")[0]
                store.start()
                back_at = time.time()
                wait_until(lambda: any(a[0] > back_at and a[1] == 200 and a[2] < 5 for a in asking.answers), 60,
                           "answers again")
                first_ok = min(a[0] for a in asking.answers if a[0] > back_at and a[1] == 200)
                wait_until(lambda: server.health()["status"] == "ok", 30, "ok again")
                up = server.health()
                answered_down = asking.summary(killed_at, back_at)
                after = [a for a in asking.answers if a[0] > first_ok]
        lines += [f"While the store was down (kill -9), {back_at - killed_at:.1f} s: {answered_down} "
                  "(the 200s: answers already in the replay and response caches, which need no store).",
                  f"/health: {down['status']} ({'; '.join(down['problems'])}); /health/ready: {ready_down}.",
                  f"Store started again on its data: the first normal answer {first_ok - back_at:.2f} s after it "
                  f"answered again, with no restart of gdi-graph; afterwards {len(after)} answers, {sum(1 for a in after if a[1] != 200)} not 200; "
                  f"/health {up['status']}."]
    finally:
        store.stop()
    return "\n".join(lines)


FAULTS = {"executor": fault_executor, "build": fault_build, "store": fault_store}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default=",".join(FAULTS), help="comma-separated: " + ", ".join(FAULTS))
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/results-live.md alone")
    args = parser.parse_args()
    chosen = [f.strip() for f in args.only.split(",") if f.strip()]
    root = project_copy()
    command = "`.venv/bin/python bench/faults.py" + (f" --only {args.only}" if args.only != ",".join(FAULTS) else "") + "`"
    parts = [f"## Faults\n\nCommand: {command} — {time.strftime('%Y-%m-%d')}, {machine()}. Clients: 4 keep-alive "
             "connections asking a mix of SPARQL, a named query, an entity page and the plate, 10 ms apart each."]
    for name in chosen:
        text = FAULTS[name](root)
        print(text, flush=True)
        parts.append(text)
    if not args.no_write:
        write_section("faults", "\n\n".join(parts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
