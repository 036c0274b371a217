"""Scale, measured: build, server start, memory and named queries at x1, x10, x100, beside Oxigraph server.

    .venv/bin/python bench/scale.py --sizes 1,10            # -> bench/results-scale.md, .json, bench/scale.svg
    .venv/bin/python bench/scale.py --sizes 100 --merge     # measure x100 and add it to the results already there
    .venv/bin/python bench/scale.py --render                # rewrite the markdown and the plot from the JSON

Each size is a project made by bench/generate.py and built in a fresh process by
bench/gate.py (triples, build and validation time, peak memory). The build is then served
twice, each server on a free loopback port in its own process group (bench/run.py):

- `gdi-graph serve`, started until /health/ready answers 200 (every query worker has loaded
  the graph);
- `oxigraph serve --union-default-graph` (in memory), started until it answers, plus loading
  the build's N-Quads with POST /store until that returns.

Every named query (queries/*.rq with its example values inlined, as bench/run.py sends
them) goes to both as the same SPARQL text: to gdi-graph uncached (a unique comment
appended per request) and cached, to Oxigraph as is; interleaved rounds, p50 and p95.
Server CPU time is read from /proc for the server's process group, memory as the
proportional set size (PSS: a page shared by several processes counts once).

A benchmark, not a test: it asserts nothing and writes what it measured. Every loop is
bounded in count and time; only loopback addresses are contacted.
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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import gate
import run
from run import (
    BIN,
    COUNT_QUADS,
    GDI,
    GDI_UNCACHED,
    HOST,
    OXI,
    Conn,
    Server,
    build_rows,
    free_port,
    http_call,
    loadavg,
    sequential,
    sparql_count,
    summarise,
    verify,
    wait_ready,
)

OUT = HERE / "results-scale"
PLOT = HERE / "scale.svg"
TICK = os.sysconf("SC_CLK_TCK")


# ------------------------------------------------------------------------------------ /proc


def group_members(pgid: int) -> list[int]:
    """The processes of a process group (a server and its workers)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[2]) == pgid:  # field 5 of stat, counted after the command name
            members.append(int(entry.name))
    return members


def group_usage(pgid: int) -> dict:
    """CPU seconds (user + system, reaped children included) and memory of a process group."""
    cpu = pss = rss = 0.0
    members = group_members(pgid)
    for pid in members:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            fields = stat[stat.rindex(")") + 2:].split()
            cpu += sum(int(x) for x in fields[11:15]) / TICK  # utime, stime, cutime, cstime
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                key, _, value = line.partition(":")
                if key in ("Pss", "Rss"):
                    kb = int(value.split()[0])
                    if key == "Pss":
                        pss += kb / 1024
                    else:
                        rss += kb / 1024
        except (OSError, ValueError):
            continue  # a process that ended meanwhile
    return {"cpu_s": round(cpu, 2), "pss_mb": round(pss, 1), "rss_mb": round(rss, 1), "processes": len(members)}


# ------------------------------------------------------------------------------------ one size


def serve_and_query(size: int, root: Path, args, logdir: Path, log) -> dict:
    """Start both servers on the build of `root`, time their start and every named query."""
    from gdi_graph.build import is_current, read_manifest

    dist = root / "dist"
    notes = []
    if not is_current(root, dist):  # the code changed since the build: serve would build first
        notes.append("the package changed after the timed build; rebuilt (untimed) before serving")
        log(notes[-1])
        subprocess.run([str(BIN / "gdi-graph"), "--root", str(root), "build"], check=True, timeout=args.build_timeout,
                       capture_output=True)
    nq = (dist / "gdi.nq").resolve()
    ports = {GDI: free_port(), OXI: free_port()}
    gdi_argv = [str(BIN / "gdi-graph"), "--root", str(root), "serve", "--host", HOST, "--port", str(ports[GDI])]
    servers = {
        GDI: Server(f"gdi-graph-x{size}", gdi_argv, ports[GDI], logdir),
        OXI: Server(f"oxigraph-x{size}", [str(BIN / "oxigraph"), "serve", "--bind", f"{HOST}:{ports[OXI]}",
                                          "--union-default-graph"], ports[OXI], logdir),
    }
    out: dict = {"notes": notes, "servers": {k: [run._shown(a) for a in s.argv] for k, s in servers.items()}}
    try:
        # One at a time, so neither start is slowed by the other.
        g = servers[GDI]
        g.start()
        start_s = wait_ready(g, lambda: http_call(ports[GDI], "GET", "/health/ready", timeout=30)[0] == 200,
                             args.start_timeout)
        out["gdi_start"] = {"wall_s": round(start_s, 2), **group_usage(g.proc.pid)}
        if "out of date; building" in g.log.read_text(errors="replace"):
            notes.append("gdi-graph serve built before serving: its start time includes a build")
        log(f"gdi-graph ready in {start_s:.1f} s: {out['gdi_start']}")
        o = servers[OXI]
        o.start()
        up_s = wait_ready(o, lambda: http_call(ports[OXI], "GET", "/", timeout=30)[0] < 500, 60)
        t = time.monotonic()
        status, body = http_call(ports[OXI], "POST", "/store", nq.read_bytes(), {"Content-Type": "application/n-quads"},
                                 timeout=args.start_timeout)
        if status >= 300:
            raise RuntimeError(f"loading Oxigraph failed: {status} {body[:300]!r}")
        load_s = time.monotonic() - t
        out["oxigraph_start"] = {"wall_s": round(up_s + load_s, 2), "load_s": round(load_s, 2), **group_usage(o.proc.pid)}
        log(f"oxigraph up and loaded in {up_s + load_s:.1f} s: {out['oxigraph_start']}")
        out["quads"] = {"gdi-graph": sparql_count(ports[GDI], "/sparql", COUNT_QUADS),
                        "oxigraph": sparql_count(ports[OXI], "/query", COUNT_QUADS)}
        out["digest"] = (read_manifest(dist) or {}).get("digest", "")

        rows = [r for r in build_rows(ports, with_rdflib=False) if r.kind == "named"]
        conns = {GDI: Conn(ports[GDI], 60), GDI_UNCACHED: Conn(ports[GDI], 60), OXI: Conn(ports[OXI], 60)}
        deadline = time.monotonic() + args.query_time
        log(f"{len(rows)} named queries; warm-up and answer check")
        verify(rows, conns, warmup=2, slow_s=2.0, log=log)
        log(f"sequential: up to {args.rounds} interleaved rounds, at most {args.query_time:g} s")
        out["rounds"] = sequential(rows, conns, args.rounds, args.budget, min_samples=3, deadline=deadline, log=log)
        for c in conns.values():
            c.close()
        out["gdi_after"] = group_usage(servers[GDI].proc.pid)
        out["oxigraph_after"] = group_usage(servers[OXI].proc.pid)
        keep = ("row", "gdi_median_ms", "gdi_p95_ms", "gdi_uncached_median_ms", "gdi_uncached_p95_ms",
                "oxigraph_median_ms", "oxigraph_p95_ms", "uncached_ratio", "rows", "rows_agree", "errors",
                "error_count")
        out["queries"] = [{k: s[k] for k in keep} for s in summarise(rows)]
        for s, r in zip(out["queries"], rows):
            s["samples"] = {t.server: len(t.samples) for t in r.targets.values()}
    finally:
        for s in servers.values():
            s.stop()
    return out


def measure(size: int, work: Path, args, log) -> dict:
    started = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    load_start = loadavg()
    log(f"x{size}: generating and building")
    built = gate.measure(size, work, args.build_timeout)
    result = {"size": size, "date": started, "command": args.command, "build": built}
    if "unfinished" not in built:
        log(f"x{size}: {built['triples']} triples, build {built['cpu']:.1f} s CPU, peak {built['peak_rss_mb']:.0f} MB")
        logdir = work / f"logs-x{size}"
        logdir.mkdir(exist_ok=True)
        result["serve"] = serve_and_query(size, work / f"x{size}", args, logdir, log)
    result["loadavg"] = [("start", load_start), ("end", loadavg())]
    return result


# ------------------------------------------------------------------------------------ report


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def geomean(values):
    values = [v for v in values if v]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def aggregates(result: dict) -> dict:
    """One number per size and measure, for the table and the plot."""
    b, s = result["build"], result.get("serve") or {}
    qs = s.get("queries", [])
    ok = [q for q in qs if not q.get("error_count")]
    return {
        "triples": b.get("triples"), "build_cpu": b.get("cpu"), "build_wall": b.get("wall"),
        "validation_cpu": b.get("validation_cpu"), "peak_mb": b.get("peak_rss_mb"),
        "gdi_start": (s.get("gdi_start") or {}).get("wall_s"), "gdi_start_cpu": (s.get("gdi_start") or {}).get("cpu_s"),
        "gdi_pss": (s.get("gdi_start") or {}).get("pss_mb"), "gdi_processes": (s.get("gdi_start") or {}).get("processes"),
        "oxi_start": (s.get("oxigraph_start") or {}).get("wall_s"),
        "oxi_start_cpu": (s.get("oxigraph_start") or {}).get("cpu_s"),
        "oxi_pss": (s.get("oxigraph_start") or {}).get("pss_mb"),
        "uncached": med(q["gdi_uncached_median_ms"] for q in qs), "cached": med(q["gdi_median_ms"] for q in qs),
        "oxi": med(q["oxigraph_median_ms"] for q in qs),
        "ratio": geomean(q["uncached_ratio"] for q in ok), "failed": len(qs) - len(ok), "queries": len(qs),
    }


def f(v, digits=1, suffix=""):
    if v is None:
        return "–"
    return f"{v:,.{digits}f}{suffix}"


def render(data: dict) -> str:
    sizes = sorted(data["sizes"].values(), key=lambda r: r["size"])
    agg = {r["size"]: aggregates(r) for r in sizes}
    base = agg.get(1)
    lines = [
        "# Scale: build, start, memory and named queries at x1, x10, x100",
        "",
        ("Made with " + "; ".join(f"`{c}`" for c in dict.fromkeys(r["command"] for r in sizes))
         + " (method: the docstring of bench/scale.py). "
         f"Machine: {data['machine']['nproc']} CPUs ({data['machine']['cpu']}), {data['machine']['memory']}, "
         f"Python {data['machine']['python']}; other work ran on it meanwhile, so CPU times are the steadier measure."),
        "",
    ]
    for r in sizes:
        lines.append(f"- x{r['size']}: measured {r['date']}, load average (1/5/15 min) "
                     + ", ".join(f"{k} {v}" for k, v in r["loadavg"]) + "."
                     + "".join(f" {n}." for n in (r.get("serve") or {}).get("notes", [])))
    lines += [
        "",
        ("Each size is `bench/generate.py --copies N`: N editions of the monitor, N times the organisations and "
         "aansluitingen (the stelsel stays as it is). Build: a fresh process (bench/gate.py), peak memory is its "
         "maximum resident set. Start: wall seconds until the server answers — gdi-graph until `/health/ready` is "
         "200 (its query workers have loaded the graph), Oxigraph until it answers plus `POST /store` of the "
         "build's N-Quads — with the server's CPU seconds in brackets. Memory of a server: PSS of its processes "
         "once ready. Queries: the median over the named queries of each query's median latency (ms, client side)."),
        "",
        ("| size | triples | build CPU s (ratio) | validation CPU s | build peak MB | gdi-graph start s (CPU) | "
         "gdi-graph MB (processes) | Oxigraph start s (CPU) | Oxigraph MB | query uncached gdi-graph ms | "
         "query cached gdi-graph ms | query Oxigraph ms | uncached / Oxigraph (geo. mean) |"),
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in sizes:
        a = agg[r["size"]]
        if "unfinished" in r["build"]:
            lines.append(f"| x{r['size']} | {r['build']['unfinished']} |" + " |" * 11)
            continue
        ratio = f" ({a['build_cpu'] / base['build_cpu']:.1f}x)" if base and base["build_cpu"] else ""
        failed = f", {a['failed']} of {a['queries']} with errors" if a["failed"] else ""
        lines.append(
            f"| x{r['size']} | {a['triples']:,} | {f(a['build_cpu'])}{ratio} | {f(a['validation_cpu'])} | "
            f"{f(a['peak_mb'], 0)} | {f(a['gdi_start'])} ({f(a['gdi_start_cpu'])}) | {f(a['gdi_pss'], 0)} "
            f"({a['gdi_processes'] or '–'}) | {f(a['oxi_start'])} ({f(a['oxi_start_cpu'])}) | {f(a['oxi_pss'], 0)} | "
            f"{f(a['uncached'], 2)} | {f(a['cached'], 2)} | {f(a['oxi'], 2)} | {f(a['ratio'], 2, 'x')}{failed} |")
    lines += ["", f"![cost against size]({PLOT.name})", ""]
    for r in sizes:
        s = r.get("serve")
        if not s:
            continue
        lines += [f"## x{r['size']}: every named query", "",
                  (f"{s['quads']['gdi-graph']:,} quads in gdi-graph, {s['quads']['oxigraph']:,} in Oxigraph; "
                   f"{s['rounds']} interleaved rounds. Milliseconds; rows as answered by gdi-graph / Oxigraph."), "",
                  ("| query | uncached p50 | uncached p95 | cached p50 | cached p95 | Oxigraph p50 | Oxigraph p95 | "
                   "uncached / Oxigraph | rows |"),
                  "|---|--:|--:|--:|--:|--:|--:|--:|--:|"]
        for q in s["queries"]:
            rows = "/".join("–" if q["rows"].get(k) is None else str(q["rows"][k]) for k in ("gdi", "oxigraph"))
            if not q["rows_agree"]:
                rows += " **differ**"
            if q.get("error_count"):
                rows += " (errors: " + ", ".join(f"{k} {v}" for k, v in q["error_count"].items()) + ")"
            lines.append(f"| `{q['row']}` | {f(q['gdi_uncached_median_ms'], 2)} | {f(q['gdi_uncached_p95_ms'], 2)} | "
                         f"{f(q['gdi_median_ms'], 2)} | {f(q['gdi_p95_ms'], 2)} | {f(q['oxigraph_median_ms'], 2)} | "
                         f"{f(q['oxigraph_p95_ms'], 2)} | {f(q['uncached_ratio'], 2, 'x')} | {rows} |")
        lines.append("")
    return "\n".join(lines) + "\n"


def plot(data: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    matplotlib.rcParams["svg.hashsalt"] = "gdi-graph-scale"  # the same data draws the same file
    sizes = sorted(data["sizes"].values(), key=lambda r: r["size"])
    agg = [aggregates(r) for r in sizes if "unfinished" not in r["build"]]
    x = [a["triples"] for a in agg]
    panels = [
        ("build (CPU s)", [("build", "build_cpu"), ("of which validation", "validation_cpu")]),
        ("memory (MB)", [("build peak RSS", "peak_mb"), ("gdi-graph serve (PSS)", "gdi_pss"),
                         ("Oxigraph server (PSS)", "oxi_pss")]),
        ("server start (wall s)", [("gdi-graph serve until ready", "gdi_start"),
                                   ("Oxigraph server + POST /store", "oxi_start")]),
        ("named query, median of medians (ms)", [("gdi-graph uncached", "uncached"), ("gdi-graph cached", "cached"),
                                                  ("Oxigraph server", "oxi")]),
    ]
    fig, axes = plt.subplots(2, 2, figsize=(10, 7.5))
    for ax, (title, series) in zip(axes.flat, panels):
        for label, key in series:
            pts = [(xi, a[key]) for xi, a in zip(x, agg) if a[key]]
            if pts:
                ax.plot(*zip(*pts), marker="o", label=label)
        first = next(((xi, a[series[0][1]]) for xi, a in zip(x, agg) if a[series[0][1]]), None)
        if first and len(x) > 1:  # what linear growth from the smallest size would be
            ax.plot([first[0], x[-1]], [first[1], first[1] * x[-1] / first[0]], linestyle=":", color="grey",
                    label="linear from x1")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(title)
        ax.set_xlabel("triples")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.suptitle("gdi-graph cost against size (x1, x10, x100 editions)")
    fig.tight_layout()
    fig.savefig(path, format=path.suffix.lstrip("."), metadata={"Date": None})
    plt.close(fig)


def portable(data: dict) -> None:
    """The generated project's temporary folder named as such, not by this machine's path."""
    tmp = tempfile.gettempdir().rstrip("/") + "/"
    for r in data["sizes"].values():
        servers = (r.get("serve") or {}).get("servers", {})
        for name, argv in servers.items():
            servers[name] = [f"<generated project x{r['size']}>" if a.startswith(tmp) else a for a in argv]


def write(data: dict, out: Path, plot_path: Path) -> None:
    portable(data)
    out.with_suffix(".json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    plot(data, plot_path)
    out.with_suffix(".md").write_text(render(data), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,10,100", help="comma-separated numbers of editions")
    parser.add_argument("--merge", action="store_true", help="keep the sizes already in the results JSON")
    parser.add_argument("--render", action="store_true", help="only rewrite markdown and plot from the JSON")
    parser.add_argument("--out", type=Path, default=OUT, help="output path without extension")
    parser.add_argument("--plot", type=Path, default=PLOT, help="the plot (.svg or .png)")
    parser.add_argument("--work", type=Path, help="folder for the generated projects (default: a temporary one)")
    parser.add_argument("--build-timeout", type=float, default=3600, help="seconds a build may take")
    parser.add_argument("--start-timeout", type=float, default=900, help="seconds a server may take to start")
    parser.add_argument("--rounds", type=int, default=20, help="interleaved query rounds at most")
    parser.add_argument("--budget", type=float, default=10.0, help="seconds of requests per query and server, "
                        "after which it is sampled no more (at least 3 samples)")
    parser.add_argument("--query-time", type=float, default=900, help="seconds of query rounds per size at most")
    args = parser.parse_args()
    path = args.out.with_suffix(".json")
    if args.render:
        write(json.loads(path.read_text(encoding="utf-8")), args.out, args.plot)
        print(f"wrote {args.out.with_suffix('.md')} and {args.plot}")
        return 0
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop the servers in `finally` on SIGTERM too
    started = time.monotonic()

    def log(msg: str) -> None:
        sys.stderr.write(f"[{time.monotonic() - started:7.1f}s] {msg}\n")
        sys.stderr.flush()

    args.command = shlex.join([".venv/bin/python", "bench/scale.py", *sys.argv[1:]])
    data = {"sizes": {}}
    if args.merge and path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
    data["machine"] = run.machine()
    with tempfile.TemporaryDirectory(prefix="gdi-scale-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for size in (int(s) for s in args.sizes.split(",")):
            data["sizes"][str(size)] = measure(size, work, args, log)
            write(data, args.out, args.plot)  # what is measured so far, should a later size not finish
            log(f"x{size} done; wrote {args.out.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
