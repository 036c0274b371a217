"""The build gate against size: triples, build and validation time, peak memory at x1, x10, x100.

    .venv/bin/python bench/gate.py                       # x1, x10, x100 -> bench/results-gate.md
    .venv/bin/python bench/gate.py --sizes 1,10 --out gate.md

Each size is a project made by bench/generate.py (N editions, N times the organisations)
and built by `gdi_graph.build.build` in a fresh child process, so peak memory
(getrusage's maximum resident set, which counts Oxigraph's memory too) is that build's
alone. Times are wall clock and CPU (the process's user + system time): on a shared
machine the CPU time is the steadier measure of the work done. A size whose build
exceeds --timeout is reported as not finished. A benchmark, not a test: it asserts
nothing and writes what it measured.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def child(root: Path, dist: Path) -> None:
    """Build `root` into `dist`; print what was measured as one JSON line."""
    from gdi_graph.build import build
    from gdi_graph.build.progress import Progress

    class Timed(Progress):
        def __init__(self):
            super().__init__(stream=sys.stderr)  # the steps so far, should the build be stopped
            self.cpu: dict[str, float] = {}

        @contextmanager
        def step(self, name: str):
            start = time.process_time()
            with super().step(name):
                yield
            self.cpu[name] = time.process_time() - start

    progress = Timed()
    wall, cpu = time.perf_counter(), time.process_time()
    built, _ = build(root, dist, progress)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    validating = next(name for name in progress.durations if name.startswith("validating"))
    counts = json.loads((dist / "manifest.json").read_text(encoding="utf-8"))["counts"]
    print(json.dumps({
        "triples": len(built.data),
        "observations": counts.get("observations"),
        "warnings": len(built.outcome.warnings),
        "violations": len(built.outcome.violations),
        "wall": wall,
        "cpu": cpu,
        "validation_wall": progress.durations[validating],
        "validation_cpu": progress.cpu[validating],
        "core_cpu": built.outcome.timings.get("core"),
        "sparql_cpu": built.outcome.timings.get("sparql"),
        "steps": {name: [progress.durations[name], progress.cpu[name]] for name in progress.durations},
        "rules": built.outcome.rule_timings,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


def measure(size: int, work: Path, timeout: float) -> dict:
    from generate import generate

    root = generate(size, work / f"x{size}")
    try:
        done = subprocess.run([sys.executable, __file__, "--child", str(root), str(root / "dist")],
                              capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as stopped:
        err = stopped.stderr.decode() if isinstance(stopped.stderr, bytes) else (stopped.stderr or "")
        steps = [line.strip() for line in err.splitlines() if line.startswith("  ")]
        return {"size": size, "unfinished": f"not finished within {timeout:.0f} s; steps: " + "; ".join(steps)}
    if done.returncode != 0:
        return {"size": size, "unfinished": "failed: " + (done.stderr.strip().splitlines() or ["?"])[-1]}
    return {"size": size, **json.loads(done.stdout.strip().splitlines()[-1])}


def table(rows: list[dict], command: str) -> str:
    base = next((r for r in rows if r["size"] == 1 and "unfinished" not in r), None)

    def ratio(r, key):
        return f"{r[key] / base[key]:.1f}x" if base and base.get(key) else ""

    lines = [
        "# Build gate against size",
        "",
        f"Made with `{command}` on {time.strftime('%Y-%m-%d')}, "
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs "
        f"(load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}).",
        "",
        "Each size is `bench/generate.py --copies N` (N editions of the monitor, N times the organisations "
        "and aansluitingen; the stelsel stays as it is), built in a fresh process. Times in seconds, "
        "wall clock and CPU (user + system of the build process); ratios are CPU time against x1. "
        "Validation is the SHACL gate: core shapes through pyshacl, SHACL-SPARQL through Oxigraph.",
        "",
        "| size | triples | observations | warnings | build wall | build CPU | ratio | validation wall | "
        "validation CPU | ratio | of which pyshacl | of which SHACL-SPARQL | peak RSS (MB) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if "unfinished" in r:
            lines.append(f"| x{r['size']} | {r['unfinished']} |" + " |" * 11)
            continue
        lines.append(
            f"| x{r['size']} | {r['triples']:,} | {r['observations']:,} | {r['warnings']} | {r['wall']:.1f} | "
            f"{r['cpu']:.1f} | {ratio(r, 'cpu')} | {r['validation_wall']:.1f} | {r['validation_cpu']:.1f} | "
            f"{ratio(r, 'validation_cpu')} | {r['core_cpu']:.1f} | {r['sparql_cpu']:.2f} | {r['peak_rss_mb']:.0f} |")
    lines += ["", "Steps of each build (wall / CPU seconds):", ""]
    for r in rows:
        if "unfinished" not in r:
            steps = "; ".join(f"{name}: {w:.1f} / {c:.1f}" for name, (w, c) in r["steps"].items())
            lines.append(f"- x{r['size']}: {steps}")
    done = [r for r in rows if "unfinished" not in r and r.get("rules")]
    if done:
        lines += ["", "Each SHACL-SPARQL constraint, CPU seconds (slowest at the largest size first); the last "
                  "column is its cost at the largest size over its cost at the one before, to compare with the "
                  "ratio of their sizes:", "",
                  "| constraint | " + " | ".join(f"x{r['size']}" for r in done) + " | growth |",
                  "|---|" + "---:|" * (len(done) + 1)]
        for name in sorted(done[-1]["rules"], key=lambda n: -done[-1]["rules"][n]):
            costs = [r["rules"].get(name, 0.0) for r in done]
            growth = f"{costs[-1] / costs[-2]:.0f}x" if len(costs) > 1 and costs[-2] >= 0.01 else ""
            lines.append(f"| {name} | " + " | ".join(f"{c:.2f}" for c in costs) + f" | {growth} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,10,100", help="comma-separated numbers of editions")
    parser.add_argument("--out", type=Path, default=HERE / "results-gate.md")
    parser.add_argument("--timeout", type=float, default=600, help="seconds a build may take")
    parser.add_argument("--child", nargs=2, type=Path, metavar=("ROOT", "DIST"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    command = "python bench/gate.py " + shlex.join(sys.argv[1:])
    rows = []
    with tempfile.TemporaryDirectory(prefix="gdi-gate-") as work:
        for size in (int(s) for s in args.sizes.split(",")):
            row = measure(size, Path(work), args.timeout)
            rows.append(row)
            print(json.dumps({k: v for k, v in row.items() if k != "steps"}), flush=True)
            args.out.write_text(table(rows, command.strip()), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
