"""The uncached path against the engine: every query answered anew by gdi-graph and by Oxigraph server.

    .venv/bin/python bench/uncached.py                      # -> bench/results-uncached.md / .json
    .venv/bin/python bench/uncached.py --rounds 10 --out uncached-quick   # a quick look, beside the checkout

The bar (issue 9, item 4): per query, gdi-graph's uncached median at most
max(1.25 x Oxigraph server's, Oxigraph server's + 1 ms), and 1.25x or less in geometric
mean over all queries. "Uncached" means every request carries a unique trailing comment, so
neither gdi-graph's WSGI replay nor its response cache can answer it: the web process, the
executor and the engine, every time. Oxigraph server gets the very same text.

Both servers run side by side on the same build (bench/run.py starts them the same way);
the queries are bench/run.py's rows (every named query with its example values bound as
VALUES, and the heavy ones). Two measurements per query, both on keep-alive connections:
- interleaved: in each round each server answers once, in an order that alternates, so
  both see the same machine load;
- back-to-back: 20 requests (--b2b) in a row to one server (after 2 discarded), servers alternated,
  which leaves out the cost of waking an idle process.
A benchmark, not a test: it asserts nothing. Every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import shlex
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # noqa: E402  (bench/run.py: client, servers, rows)

GDI, OXI = "gdi-graph uncached", "Oxigraph"
HOP, FLASK_HOP = "executor hop (bare WSGI)", "executor hop + Flask"
FLOOR = "floor: ASK {}"


def limit_ms(oxi_ms: float) -> float:
    return max(1.25 * oxi_ms, oxi_ms + 1.0)


def targets(rows, only: set[str] | None, hop_ports: dict[str, int]) -> list[tuple[str, dict]]:
    """(name, {server: target}) for each SPARQL row; the hop floors get gdi-graph's request."""
    out = []
    for row in rows:
        if row.kind == "route" or (only and row.name not in only):
            continue
        g = row.targets[bench.GDI_UNCACHED]
        servers = {GDI: g, OXI: row.targets[bench.OXI]}
        for name, port in hop_ports.items():
            servers[name] = bench.Target(row.name, name, port, "POST", "/sparql", g.accept, g.body, bust=True)
        out.append((row.name, servers))
    return out


def floor_row(ports: dict) -> bench.Row:
    """`ASK {}`: no data touched, so what is left is each server's fixed cost per query."""
    row = bench.Row(FLOOR, "floor", "the fixed cost per query", "ASK", "ASK {}\n")
    body = row.text.encode()
    row.targets[bench.GDI_UNCACHED] = bench.Target(row.name, bench.GDI_UNCACHED, ports[bench.GDI], "POST", "/sparql",
                                                   bench.SELECT_ACCEPT, body, bust=True)
    row.targets[bench.OXI] = bench.Target(row.name, bench.OXI, ports[bench.OXI], "POST", "/query", bench.SELECT_ACCEPT,
                                          body)
    return row


def measure(pairs, conns, rounds: int, b2b: int, deadline: float, log) -> dict:
    samples = {name: {server: [] for server in servers} for name, servers in pairs}
    back = {name: {server: [] for server in servers} for name, servers in pairs}
    for i in range(rounds):
        if time.monotonic() > deadline:
            log(f"time limit reached after {i} interleaved rounds")
            break
        for name, servers in pairs:
            order = list(servers.items())
            order = order[i % len(order):] + order[:i % len(order)]  # who goes first rotates
            for server, target in order:
                seconds, status, _ = bench.measure_once(conns[server], target)
                if status == 200:
                    samples[name][server].append(seconds)
    for j, (name, servers) in enumerate(pairs):
        if time.monotonic() > deadline:
            log("time limit reached in the back-to-back part")
            break
        order = list(servers.items())
        order = order[j % len(order):] + order[:j % len(order)]
        for server, target in order:
            conn = conns[server]
            block_end = time.monotonic() + 5.0
            for k in range(b2b + 2):
                if time.monotonic() > block_end:
                    break
                seconds, status, _ = bench.measure_once(conn, target)
                if k >= 2 and status == 200:
                    back[name][server].append(seconds)
    return {"interleaved": samples, "back_to_back": back}


def summarise(raw: dict) -> list[dict]:
    rows = []
    for name in raw["interleaved"]:
        row = {"query": name}
        for part, data in (("interleaved", raw["interleaved"][name]), ("b2b", raw["back_to_back"][name])):
            g, o = data[GDI], data[OXI]
            if not g or not o:
                row[part] = None
                continue
            gm, om = statistics.median(g) * 1000, statistics.median(o) * 1000
            row[part] = {"gdi_p50": gm, "gdi_p95": bench.ms(bench.p95(g)), "oxi_p50": om,
                         "oxi_p95": bench.ms(bench.p95(o)), "ratio": gm / om, "limit": limit_ms(om),
                         "within": gm <= limit_ms(om), "n": len(g),
                         "floors": {k: bench.ms(statistics.median(v)) for k, v in data.items()
                                    if k not in (GDI, OXI) and v}}
        rows.append(row)
    return rows


def geomean(values: list[float]) -> float | None:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def render(meta: dict, rows: list[dict]) -> str:
    f = bench.fmt
    lines = [
        "# The uncached path against the engine", "",
        f"Produced by `{meta['command']}` on {meta['date']}. Raw numbers: `{meta['json']}`; method: the "
        "docstring of `bench/uncached.py`.", "",
        f"Machine: {meta['machine']}; load average (1/5/15 min) start {meta['load'][0]}, end {meta['load'][1]}.  ",
        f"Code: git {meta['git']}, src/ digest {meta['digest']}. Servers: `{meta['gdi_argv']}` and "
        f"`{meta['oxi_argv']}` (in memory, loaded with POST /store), {meta['quads']} quads in each.", "",
        "Every request to gdi-graph carries a unique trailing comment, so it is answered anew (no replay, no "
        "response cache); Oxigraph server gets the same text. Medians and p95 in ms, client side; `limit` is "
        "max(1.25 x Oxigraph's median, Oxigraph's median + 1 ms).", "",
    ]
    for part, title in (("interleaved", "Interleaved (each server once per round, order alternating)"),
                        ("b2b", f"Back-to-back ({meta['b2b']} requests in a row per server)")):
        ok = [r[part] for r in rows if r[part] and r["query"] != FLOOR]
        within = sum(1 for r in ok if r["within"])
        gm = geomean([r["ratio"] for r in ok])
        floors = meta.get("floors", [])
        lines += [f"## {title}", "",
                  "| query | gdi p50 | gdi p95 | Oxigraph p50 | Oxigraph p95 | ratio | limit | within |"
                  + "".join(f" {name} p50 |" for name in floors),
                  "|---|--:|--:|--:|--:|--:|--:|:-:|" + "--:|" * len(floors)]
        for r in rows:
            m = r[part]
            if not m:
                lines.append(f"| `{r['query']}` |" + " – |" * (7 + len(floors)))
                continue
            lines.append(f"| `{r['query']}` | {f(m['gdi_p50'])} | {f(m['gdi_p95'])} | {f(m['oxi_p50'])} | "
                         f"{f(m['oxi_p95'])} | {m['ratio']:.2f}x | {f(m['limit'])} | "
                         f"{'yes' if m['within'] else '**no**'} |"
                         + "".join(f" {f(m['floors'].get(name))} |" for name in floors))
        lines += ["", f"**Within the limit on {within} of {len(ok)} queries; geometric mean of the ratios "
                      f"{gm:.2f}x** (bar: 1.25x; the floor row is not counted).", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=40, help="interleaved rounds (default 40)")
    ap.add_argument("--b2b", type=int, default=20, help="requests in a row per server and query (default 20)")
    ap.add_argument("--only", help="comma-separated query names")
    ap.add_argument("--gdi-args", default="", help="extra arguments for `gdi-graph serve`")
    ap.add_argument("--no-hop-floors", action="store_true",
                    help="leave out the two floors (the executor hop under bare WSGI and under Flask)")
    ap.add_argument("--out", default=str(bench.BENCH / "results-uncached"), help="output path without extension")
    ap.add_argument("--time-limit", type=float, default=900, help="stop measuring after this many seconds")
    args = ap.parse_args(argv)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    started = time.monotonic()
    command = shlex.join([".venv/bin/python", "bench/uncached.py"] + (argv if argv is not None else sys.argv[1:]))

    def log(msg: str) -> None:
        sys.stderr.write(f"[{time.monotonic() - started:6.1f}s] {msg}\n")
        sys.stderr.flush()

    load_start = bench.loadavg()
    digest = bench.source_digest()
    bench.ensure_build(log)
    dist = (bench.ROOT / "dist").resolve()
    logdir = Path(tempfile.mkdtemp(prefix="gdi-graph-uncached-"))
    ports = {bench.GDI: bench.free_port(), bench.OXI: bench.free_port()}
    gdi_argv = [str(bench.BIN / "gdi-graph"), "--root", str(bench.ROOT), "serve", "--host", bench.HOST,
                "--port", str(ports[bench.GDI])] + args.gdi_args.split()
    oxi_argv = [str(bench.BIN / "oxigraph"), "serve", "--bind", f"{bench.HOST}:{ports[bench.OXI]}",
                "--union-default-graph"]
    servers = {bench.GDI: bench.Server(bench.GDI, gdi_argv, ports[bench.GDI], logdir),
               bench.OXI: bench.Server(bench.OXI, oxi_argv, ports[bench.OXI], logdir)}
    hop_ports = {} if args.no_hop_floors else {HOP: bench.free_port(), FLASK_HOP: bench.free_port()}
    env = dict(os.environ, GDI_GRAPH_BENCH_NQ=str(dist / "gdi.nq"))
    for name, app in ((HOP, "floor_apps:hop_app"), (FLASK_HOP, "floor_apps:flask_hop")):
        if name in hop_ports:
            servers[name] = bench.Server(name.split()[0] + "-" + str(len(servers)),
                                         bench.floor_argv("granian", app, hop_ports[name], 1), hop_ports[name], logdir, env)
    try:
        for s in servers.values():
            s.start()
        bench.wait_ready(servers[bench.OXI], lambda: bench.http_call(ports[bench.OXI], "GET", "/")[0] < 500, 60)
        status, body = bench.http_call(ports[bench.OXI], "POST", "/store", (dist / "gdi.nq").read_bytes(),
                                       {"Content-Type": "application/n-quads"}, timeout=300)
        if status >= 300:
            raise RuntimeError(f"loading Oxigraph failed: {status} {body[:300]!r}")
        bench.wait_ready(servers[bench.GDI],
                         lambda: bench.http_call(ports[bench.GDI], "GET", "/health/ready")[0] == 200, 180)
        for name, port in hop_ports.items():
            bench.wait_ready(servers[name], lambda port=port: bench.http_call(
                port, "POST", "/sparql", b"ASK {}", {"Content-Type": "application/sparql-query"})[0] == 200, 180)
        quads = (bench.sparql_count(ports[bench.GDI], "/sparql", bench.COUNT_QUADS),
                 bench.sparql_count(ports[bench.OXI], "/query", bench.COUNT_QUADS))
        if quads[0] != quads[1]:
            raise RuntimeError(f"the servers hold different data: {quads[0]} and {quads[1]} quads")
        rows = bench.build_rows(ports, with_rdflib=False)
        rows.append(floor_row(ports))
        pairs = targets(rows, set(args.only.split(",")) if args.only else None, hop_ports)
        conns = {GDI: bench.Conn(ports[bench.GDI], 60), OXI: bench.Conn(ports[bench.OXI], 60)}
        conns.update({name: bench.Conn(port, 60) for name, port in hop_ports.items()})
        for name, servers_of in pairs:  # warm up, and check all give the same answer
            answers = []
            for server, target in servers_of.items():
                for _ in range(3):
                    _, status, body = bench.measure_once(conns[server], target)
                if status != 200:
                    raise RuntimeError(f"{server} answered {status} to {name}: {body[:300]!r}")
                # graphs are compared by size: their blank node labels differ between servers
                answers.append(bench.canonical(body, target.accept) if target.accept == bench.SELECT_ACCEPT
                               else bench.count_rows(body, target.accept))
            if any(a != answers[0] for a in answers):
                raise RuntimeError(f"the servers disagree on {name}")
        log(f"{len(pairs)} queries checked; measuring")
        raw = measure(pairs, conns, args.rounds, args.b2b, started + args.time_limit, log)
        out = Path(args.out)
        meta = {"command": command, "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                "machine": f"{bench.machine()['nproc']} CPUs, Python {bench.machine()['python']}",
                "load": [load_start, bench.loadavg()], "git": bench.git_head(), "digest": digest,
                "gdi_argv": shlex.join(map(bench._shown, gdi_argv)), "oxi_argv": shlex.join(map(bench._shown, oxi_argv)),
                "quads": quads[0], "json": bench._shown(str(out.with_suffix(".json").resolve())),
                "versions": bench.versions(), "b2b": args.b2b, "floors": list(hop_ports)}
        rows_out = summarise(raw)
        out.with_suffix(".json").write_text(json.dumps(
            {"meta": meta, "summary": rows_out,
             "samples_ms": {part: {n: {s: [round(x * 1000, 4) for x in v] for s, v in per.items()}
                                   for n, per in data.items()} for part, data in raw.items()}},
            indent=1, ensure_ascii=False) + "\n")
        out.with_suffix(".md").write_text(render(meta, rows_out))
        log(f"wrote {out.with_suffix('.md')}")
        return 0
    finally:
        for s in servers.values():
            s.stop()


if __name__ == "__main__":
    sys.exit(main())
