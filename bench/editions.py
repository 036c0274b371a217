"""How the named queries' cost grows with the number of editions, measured on Oxigraph itself.

    .venv/bin/python bench/editions.py --copies 10            # x1 against x10, writes bench/editions.md
    .venv/bin/python bench/editions.py --copies 10 --keep DIR # and keeps the generated project

Generates a project with the real sources plus `copies - 1` made-up editions, builds it and
the real project with `gdi-graph build`'s own pipeline, loads both builds into pyoxigraph
stores (as the server's executors do), and times every named query with its example, plus
the wiki's `monitor-observations` with other parameters, uncached: each run is a fresh
query on the store, x1 and xN interleaved so machine drift hits both alike. The bar
(issue 9): at xN an answer within max(12x, +0.1 s) of x1's.

Made-up edition k (k = 1 .. copies-1) is the 2018 edition published k years later: folder,
identifiers and peildatum move on by k, its tables print the four years up to its
peildatum, and the same slugs continue the same indicators. A year the real edition printed
keeps the real cell and a later year repeats the cell of a real year of its table (2018 that
of 2014, and so on), the same in every edition, so editions agree where they overlap. One
figure per edition (DigiD's connected organisations of the year before its peildatum) is
raised by 5, a revision. Printed % changes become '--' (a made-up change would be
invented). Nothing here is real data.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from pyoxigraph import RdfFormat, Store  # noqa: E402

from gdi_graph.build import build, read_manifest  # noqa: E402
from gdi_graph.query.named import load_queries  # noqa: E402
from gdi_graph.query.store import bound_query  # noqa: E402

BASE = "monitor-gdi-2018"
REVISED = ("digid", "aangesloten-organisaties")
# The wiki's query with the parameters a wiki page uses, besides its example.
EXTRA = [
    ("monitor-observations", {}),
    ("monitor-observations", {"voorziening": "DigiD"}),
    ("monitor-observations", {"voorziening": "BRP"}),
    ("monitor-observations", {"voorziening": "DigiD", "jaar": "2016", "alle_edities": "true"}),
    ("monitor-observations", {"voorziening": "DigiD", "editie": BASE}),
]


def _csv(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write_csv(path: Path, header: list[str], rows: list[dict]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _revise(raw: str) -> str:
    """A printed whole number plus 5, printed the same way ("1.234" -> "1.239")."""
    digits = raw.replace(".", "")
    if not digits.isdigit():
        return raw
    return f"{int(digits) + 5:,}".replace(",", ".")


def made_up_edition(root: Path, k: int) -> None:
    """data/monitor-gdi-<2018+k>/: the real edition as if published k years later."""
    source, name = root / "data" / BASE, f"monitor-gdi-{2018 + k}"
    target = root / "data" / name
    (target / "cijfers").mkdir(parents=True)
    text = (source / "editie.ttl").read_text(encoding="utf-8").replace(BASE, name)
    text = text.replace("Infrastructuur 2018\"@nl", f"Infrastructuur {2018 + k} (verzonnen)\"@nl")
    text = text.replace("Monitor GDI 2018\"@nl", f"Monitor GDI {2018 + k} (verzonnen)\"@nl")
    text = text.replace('"2017-12-31"^^xsd:date', f'"{2017 + k}-12-31"^^xsd:date')
    text = text.replace('"2014/2017"', f'"{2014 + k}/{2017 + k}"').replace('"2018"^^xsd:gYear', f'"{2018 + k}"^^xsd:gYear')
    (target / "editie.ttl").write_text(text, encoding="utf-8")
    shutil.copy(source / "indicatoren.csv", target / "indicatoren.csv")
    header, tables = _csv(source / "tabellen.csv")
    for table in tables:
        table["kolommen"] = ";".join(
            f"{int(year) + k}{sep}{printed}" for year, sep, printed in (p.partition("=") for p in table["kolommen"].split(";")))
    _write_csv(target / "tabellen.csv", header, tables)
    for path in sorted((source / "cijfers").glob("*.csv")):
        header, rows = _csv(path)
        cells = {(r["indicator"], r["jaar"]): r for r in rows}
        years = sorted({int(r["jaar"]) for r in rows if r["jaar"] != "%"})
        out = []
        for r in rows:
            if r["jaar"] == "%":
                out.append(dict(r, ruw="--", waarde="", noot=""))  # not recomputed: a made-up change would be invented
                continue
            year = int(r["jaar"]) + k
            # the real cell where the real edition printed this year, else that of a real year it
            # stands for (the same in every edition, so editions agree where they overlap)
            real = year if year in years else years[(year - years[0]) % len(years)]
            cell = dict(cells[(r["indicator"], str(real))], jaar=str(year))
            if (path.stem, r["indicator"]) == REVISED and year == 2016 + k:
                cell["ruw"] = _revise(cell["ruw"])
            out.append(cell)
        _write_csv(target / "cijfers" / path.name, header, out)


def generate(copies: int, root: Path) -> Path:
    for folder in ("ontology", "shapes", "queries", "data"):
        shutil.copytree(REPO / folder, root / folder)
    for k in range(1, copies):
        made_up_edition(root, k)
    return root


def _store(dist: Path) -> Store:
    store = Store()
    store.bulk_load(path=str(dist / "gdi.nq"), format=RdfFormat.N_QUADS)
    return store


def _time(store: Store, query, params: dict) -> tuple[float, int]:
    subs = query.bind(params)
    start = time.perf_counter()
    n = sum(1 for _ in bound_query(store, query.text, subs, use_default_graph_as_union=True))
    return time.perf_counter() - start, n


def measure(stores: dict[str, Store], rounds: int) -> list[dict]:
    queries = load_queries(REPO / "queries")
    cases = [(name, q.example) for name, q in sorted(queries.items())] + EXTRA
    rows = []
    for name, params in cases:
        samples: dict[str, list[float]] = {label: [] for label in stores}
        counts: dict[str, int] = {}
        for _ in range(rounds):
            for label, store in stores.items():  # interleaved
                seconds, counts[label] = _time(store, queries[name], params)
                samples[label].append(seconds)
        rows.append({"query": name, "params": params, "counts": counts,
                     "median": {k: statistics.median(v) for k, v in samples.items()},
                     "min": {k: min(v) for k, v in samples.items()}})
    return rows


def report(rows: list[dict], labels: list[str], builds: dict[str, dict], command: str, load: float) -> str:
    small, large = labels
    lines = [
        "# Named queries at x1 and x{}".format(large.lstrip("x")),
        "",
        f"Made by `{command}` on {platform.machine()} ({os.cpu_count()} CPUs, load average {load:.1f} at the",
        f"start), Python {platform.python_version()}. Uncached: each figure is the median (and minimum) of fresh",
        f"queries on a pyoxigraph store of the build, x1 and {large} interleaved. Bar: {large} within",
        "max(12x, +0.1 s) of x1.",
        "",
        "| build | editions | triples | observations | build time |",
        "|---|---|---|---|---|",
    ]
    for label in labels:
        b = builds[label]
        lines.append(f"| {label} | {b['editions']} | {b['triples']:,} | {b['observations']:,} | {b['seconds']:.1f} s |")
    lines += ["", f"| query | parameters | rows x1 / {large} | x1 median (min) ms | {large} median (min) ms | ratio | bar met |",
              "|---|---|---|---|---|---|---|"]
    for r in rows:
        a, b = r["median"][small], r["median"][large]
        ok = b <= max(12 * a, a + 0.1)
        params = ", ".join(f"{k}={v}" for k, v in r["params"].items()) or "(none)"
        lines.append(f"| {r['query']} | {params} | {r['counts'][small]} / {r['counts'][large]} | "
                     f"{a * 1000:.1f} ({r['min'][small] * 1000:.1f}) | {b * 1000:.1f} ({r['min'][large] * 1000:.1f}) | "
                     f"{b / a:.1f}x | {'yes' if ok else '**no**'} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=10, help="editions in the large build, the real one included")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--keep", type=Path, help="generate the large project here and keep it")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "editions.md")
    parser.add_argument("--reuse", type=Path, help="a project --keep left, with its build: measure without building it again")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gdi-editions-"))
    try:
        load = os.getloadavg()[0]
        large = args.reuse or generate(args.copies, args.keep or work / "large")
        projects = {"x1": generate(1, work / "x1"), f"x{args.copies}": large}
        stores, builds = {}, {}
        for label, root in projects.items():
            seconds = None
            if root != args.reuse:
                start = time.perf_counter()
                build(root, root / "dist")
                seconds = time.perf_counter() - start
                print(f"{label}: built in {seconds:.1f} s", file=sys.stderr)
            manifest = read_manifest(root / "dist")
            if seconds is None:  # reused: the steps its own build timed (dumps not included)
                seconds = sum(manifest["timings"].values())
            builds[label] = {"seconds": seconds, "triples": manifest["counts"]["triples"],
                             "observations": manifest["counts"]["observations"],
                             "editions": len(list((root / "data").glob("*/tabellen.csv")))}
            stores[label] = _store(root / "dist")
        rows = measure(stores, args.rounds)
        # the command without the folders it was given (they are this machine's)
        argv, shown = sys.argv[1:], []
        while argv:
            arg = argv.pop(0)
            if arg in ("--keep", "--reuse", "--out"):
                argv.pop(0)
            elif not arg.startswith(("--keep=", "--reuse=", "--out=")):
                shown.append(arg)
        text = report(rows, list(projects), builds, " ".join(["python bench/editions.py", *shown]), load)
        args.out.write_text(text, encoding="utf-8")
        print(text)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
