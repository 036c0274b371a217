"""Load run: 32 clients for 60 s against a real `gdi-graph serve` on loopback, with a rebuild
in the middle and a few runaway queries.

    .venv/bin/python bench/load.py [--clients 32] [--seconds 60] [--rebuild-at 25]

The server runs with its defaults (only the port is chosen) on a copy of this project, so
the rebuild never touches the repository's dist/. Clients are keep-alive HTTP connections
spread over a few processes; each picks, at random with fixed seeds, a named query with its
example, a SPARQL query (LIMIT/OFFSET varied so many are new to the caches), an entity
page (HTML or Turtle), the stelselplaat or a stelsel answer (WEIGHTS). One more client
sends a runaway query every 20 s: those end in the documented 503 at the time limit. Halfway, a
source changes and `gdi-graph build` runs; the server switches to the new build by itself.
Reports p50/p99 per kind, every non-200 answer by status, the rebuild window, and the peak
memory of the server's process tree; writes its section of bench/results-live.md (a run of
five minutes or more also gets the memory minute by minute: a soak).
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from live import (  # bench/ is not a package: imported by path
    RUNAWAY,
    Client,
    MemoryWatch,
    Server,
    build,
    change_a_source,
    first_line,
    get,
    machine,
    ms,
    percentile,
    project_copy,
    wait_until,
    write_section,
)

BASE = "https://w3id.org/gdi-graph"
PLATE_DAYS = ("2017-12-31", "2016-12-31", "2015-12-31", "2017-06-30")


def sparql(query: str, fmt: str = "json") -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query, "format": fmt})


def request_mix(root: Path, port: int) -> dict[str, list[str]]:
    """The paths each kind of client asks for, from the project's own queries and entities."""
    from gdi_graph.query.named import load_queries

    named = []
    for q in load_queries(root / "queries").values():
        for fmt in (("csv", "json") if q.form in ("SELECT", "ASK") else ("ttl",)):
            named.append(f"/queries/{q.name}?" + urllib.parse.urlencode({**q.example, "format": fmt}))
    status, body = get(port, sparql(f"SELECT DISTINCT ?s WHERE {{ ?s a ?t FILTER STRSTARTS(STR(?s), '{BASE}/id/') }}",
                                    "csv"))
    assert status == 200, body[:300]
    entities = [line[len(BASE):] for line in body.decode().splitlines()[1:] if line.startswith(BASE)]
    pre = "PREFIX qb: <http://purl.org/linked-data/cube#> PREFIX gdi: <" + BASE + "/def#> " + \
          "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    new = [sparql(pre + f"SELECT ?s ?l WHERE {{ ?s rdfs:label ?l }} LIMIT 10 OFFSET {n}") for n in range(0, 3000, 3)]
    new += [sparql(pre + "SELECT ?o ?v ?w WHERE { ?o a qb:Observation ; gdi:voorziening ?v ; gdi:waarde ?w } "
                   f"ORDER BY ?o LIMIT 20 OFFSET {n}", "csv") for n in range(0, 600, 2)]
    repeated = new[:10:2] + new[-10::2]
    heavy = [sparql(f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} ORDER BY ?s ?p ?o LIMIT 10 OFFSET {n}")
             for n in range(0, 20000, 7)]
    plate = [f"/stelselplaat.svg?peildatum={d}" for d in PLATE_DAYS] + [
        f"/api/stelsel/centraal?peildatum={d}" for d in PLATE_DAYS] + ["/api/stelsel/afhankelijk?registratie=BAG"]
    return {"named query": named, "sparql, repeated": repeated, "sparql, new": new,
            "sparql, new and heavy": heavy, "entity page": entities, "plate and stelsel": plate}


# A wiki asks the same named queries again and again; SPARQL users send new queries, now and
# then a heavy one (a sort over every triple: ~0.2 s of a query worker); crawlers walk the
# entity pages; the plate is embedded.
WEIGHTS = {"named query": 25, "sparql, repeated": 10, "sparql, new": 15, "sparql, new and heavy": 3,
           "entity page": 35, "plate and stelsel": 12}
RUNAWAY_EVERY_S = 20


def _client_thread(port: int, mix: dict, seed: int, end_at: float, out: list) -> None:
    rng = random.Random(seed)
    kinds = list(WEIGHTS)
    weights = [WEIGHTS[k] for k in kinds]
    client = Client(port)
    for _ in range(10_000_000):  # bounded; the clock ends it first
        now = time.time()
        if now >= end_at:
            break
        kind = rng.choices(kinds, weights)[0]
        path = rng.choice(mix[kind])
        headers = {}
        if kind == "entity page":
            headers["Accept"] = rng.choice(("text/html", "text/turtle"))
        status, body, seconds = client.get(path, headers)
        out.append((now, kind, status, seconds, first_line(body) if status != 200 else ""))
    client.close()


def _client_process(port: int, mix: dict, seeds: list[int], end_at: float, pipe) -> None:
    out: list = []
    threads = [threading.Thread(target=_client_thread, args=(port, mix, s, end_at, out)) for s in seeds]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    pipe.send(out)
    pipe.close()


def run(args) -> str:
    root = project_copy()
    rebuilt: dict = {}
    runaways: list = []
    health: list = []
    server = Server(root).start()
    try:
        mix = request_mix(root, server.port)
        start_digest = server.health()["digest"]
        seconds = args.seconds
        ctx = multiprocessing.get_context("spawn")
        per_process = max(1, args.clients // args.processes)
        seeds = list(range(args.clients))
        pipes, procs = [], []
        end_at = time.time() + seconds + 3  # the processes need a moment to start
        start_at = time.time()
        for i in range(args.processes):
            mine = seeds[i * per_process:(i + 1) * per_process] if i < args.processes - 1 else seeds[i * per_process:]
            parent, child = ctx.Pipe(duplex=False)
            p = ctx.Process(target=_client_process, args=(server.port, mix, mine, end_at, child))
            p.start()
            pipes.append(parent)
            procs.append(p)

        def runaway_client():
            for i in range(100):  # bounded; the clock ends it first
                at = start_at + 5 + RUNAWAY_EVERY_S * i
                if at + 11 > end_at:
                    return
                time.sleep(max(0.0, at - time.time()))
                status, body, took = Client(server.port).get(sparql(f"{RUNAWAY} # {i}", "csv"))
                runaways.append((status, took, first_line(body)))

        def rebuild():
            if args.rebuild_at is None:
                return
            time.sleep(max(0.0, start_at + args.rebuild_at - time.time()))
            change_a_source(root, 1)
            t0 = time.time()
            took, done = build(root)
            rebuilt.update(started=t0 - start_at, build_s=took, ok=done.returncode == 0, stderr=done.stderr[-500:])
            linked = time.time()
            try:
                wait_until(lambda: server.health()["digest"] != start_digest, 120, "the switch")
                rebuilt["switched_after_s"] = time.time() - linked
                rebuilt["switched_at"] = time.time() - start_at
            except RuntimeError as exc:
                rebuilt["switch_error"] = str(exc)

        def watch_health():
            while time.time() < end_at:
                try:
                    h = server.health()
                    health.append((time.time() - start_at, h["status"], tuple(h["problems"]), h["digest"][:12]))
                except Exception as exc:  # noqa: BLE001 - recorded as what the operator would see
                    health.append((time.time() - start_at, f"unreachable ({type(exc).__name__})", (), ""))
                time.sleep(1)

        side = [threading.Thread(target=f) for f in (runaway_client, rebuild, watch_health)]
        with MemoryWatch(server, seconds + 120) as memory:
            for t in side:
                t.start()
            results = []
            for parent in pipes:
                results += parent.recv()
            for p in procs:
                p.join(30)
            for t in side:
                t.join(300)
        final = server.health()
    finally:
        server.stop()
    return report(args, results, runaways, rebuilt, memory.peak(), memory.samples, health, final, start_at)


def report(args, results, runaways, rebuilt, peak, samples, health, final, start_at) -> str:
    by_kind: dict[str, list[float]] = defaultdict(list)
    errors: Counter = Counter()
    examples: dict = {}
    for t, kind, status, seconds, line in results:
        if status == 200:
            by_kind[kind].append(seconds)
        else:
            errors[(kind, status)] += 1
            examples.setdefault((kind, status), line)
    every = [s for v in by_kind.values() for s in v]
    window = (start_at + rebuilt.get("started", 0), start_at + rebuilt.get("switched_at", 0) + 5)
    in_window = [r for r in results if window[0] <= r[0] <= window[1]]
    duration = max((r[0] for r in results), default=start_at) - min((r[0] for r in results), default=start_at)
    command = "`.venv/bin/python bench/load.py" + (f" --clients {args.clients}" if args.clients != 32 else "") + (
        f" --seconds {args.seconds}" if args.seconds != 60 else "") + (
        f" --rebuild-at {args.rebuild_at:g}" if args.rebuild_at != 25 else "") + "`"
    title = "Soak" if args.seconds >= 300 else "Load"
    lines = [f"## {title}: {args.clients} clients for {args.seconds} s, a rebuild at {args.rebuild_at:g} s, runaway queries",
             "", f"Command: {command} — {time.strftime('%Y-%m-%d')}, {machine()}.",
             "Server: `gdi-graph serve` with its defaults (1 worker, 16 threads, executors = CPUs clamped to 2–4, "
             "10 s time limit, replay and response caches on), on a copy of this project.", "",
             f"{len(results)} requests answered in {duration:.0f} s ({len(results) / max(duration, 1):.0f}/s); "
             f"{sum(errors.values())} were not 200.", "",
             "| kind | requests | p50 ms | p99 ms | max ms | not 200 |", "|---|---:|---:|---:|---:|---|"]
    for kind in list(WEIGHTS):
        samples_k = by_kind.get(kind, [])
        bad = ", ".join(f"{n}× {s}" for (k, s), n in sorted(errors.items(), key=str) if k == kind) or "none"
        lines.append(f"| {kind} | {len(samples_k) + sum(n for (k, _), n in errors.items() if k == kind)} | "
                     f"{ms(percentile(samples_k, 50))} | {ms(percentile(samples_k, 99))} | "
                     f"{ms(max(samples_k) if samples_k else None)} | {bad} |")
    lines.append(f"| all | {len(results)} | {ms(percentile(every, 50))} | {ms(percentile(every, 99))} | "
                 f"{ms(max(every) if every else None)} | {sum(errors.values())} |")
    if examples:
        lines += ["", "What the non-200 answers said:", ""]
        lines += [f"- {kind}, {status}: {line or '(no body)'}" for (kind, status), line in sorted(examples.items(), key=str)]
    if len(runaways) > 5:
        outcome = ", ".join(f"{n}× {s}" for s, n in Counter(s for s, _, _ in runaways).items())
        said = f"{len(runaways)} sent: {outcome}, after {min(t for _, t, _ in runaways):.1f}–" \
               f"{max(t for _, t, _ in runaways):.1f} s"
    else:
        said = ", ".join(f"{s} after {t:.1f} s" for s, t, _ in runaways)
    lines += ["", f"**Runaway queries** (one more client, every {RUNAWAY_EVERY_S} s; the time limit is 10 s): "
              + said + "."]
    if runaways:
        lines.append(f"They said: {runaways[0][2]}")
    if rebuilt:
        ok = "succeeded" if rebuilt.get("ok") else f"failed: {rebuilt.get('stderr')}"
        lines += ["", f"**Rebuild**: started at {rebuilt.get('started', 0):.0f} s, `gdi-graph build` {ok} in "
                  f"{rebuilt.get('build_s', 0):.1f} s; the server served the new build "
                  + (f"{rebuilt['switched_after_s']:.1f} s after the link changed (at {rebuilt['switched_at']:.0f} s)"
                     if "switched_after_s" in rebuilt else f"never: {rebuilt.get('switch_error')}")
                  + f". From the build's start to 5 s after the switch: {len(in_window)} requests, p50 "
                  f"{ms(percentile([r[3] for r in in_window if r[2] == 200], 50))} ms, p99 "
                  f"{ms(percentile([r[3] for r in in_window if r[2] == 200], 99))} ms, "
                  f"{sum(1 for r in in_window if r[2] != 200)} not 200."]
    states = Counter(h[1] for h in health)
    problems = sorted({p for h in health for p in h[2]})
    lines += ["", f"**/health** once a second: {', '.join(f'{n}× {s}' for s, n in states.items())}"
              + (f" (problems: {'; '.join(problems)})" if problems else "") + f"; at the end: {final['status']}, "
              f"{final['reloads']} reload(s), build {final['build']}."]
    if peak:
        lines += ["", f"**Memory** (RSS of the server's process tree: Granian, the web worker, its query workers; "
                  f"shared pages counted in each): peak {peak['total_mib']:.0f} MiB over {peak['processes']} "
                  f"processes (the largest process {peak['largest_mib']:.0f} MiB); {peak['first_mib']:.0f} MiB at "
                  f"the start, {peak['last_mib']:.0f} MiB at the end. During the switch the old and the new build "
                  f"are both loaded."]
    if args.seconds >= 300 and samples:
        minutes = [max((s for s in samples if m * 60 <= s[0] < (m + 1) * 60), key=lambda s: s[1], default=None)
                   for m in range(int(samples[-1][0] // 60) + 1)]
        lines += ["", "Memory minute by minute (peak RSS of the tree, MiB): "
                  + ", ".join(f"{s[1] / 1024:.0f}" for s in minutes if s) + "."]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--processes", type=int, default=4, help="client processes the clients are spread over")
    parser.add_argument("--rebuild-at", type=float, default=25.0, help="seconds into the run (default %(default)s)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/results-live.md alone")
    args = parser.parse_args()
    text = run(args)
    print(text)
    if not args.no_write:
        write_section("soak" if args.seconds >= 300 else "load", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
