"""Server time of each kind of page made for people, on the real graph.

For every page kind (landing page, a voorziening, a basisregistratie, an organisation, an
indicator, a verbinding, …, search, a chart, the editor's vocabulary) this asks the app for
the page in-process, through WSGI, so the time is the server's alone: the first request
(cold: whatever is made once per build, such as the search index or a chart, is made then)
and the median and 90th percentile of repeated requests (without If-None-Match, so every
page is built again; only the build-wide caches help). The budget is 300 ms per page.

    .venv/bin/python bench/pages.py                # the repository's dist/ (gdi-graph build first)
    .venv/bin/python bench/pages.py --repeat 50 --dist /path/to/dist --markdown bench/results-pages.md
    .venv/bin/python bench/pages.py --against ../gdi-x10/dist --markdown bench/results-pages-x10.md

With `--against` a second, larger build (bench/generate.py --copies 10, built) is served
beside the first and every page kind is asked of both, interleaved, on the paths found in
the first build (the larger one holds the same things); the bar (issue 9) is the larger
build's time within max(12x, +0.1 s) of the first's, judged on the first request and on
the median.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BUDGET_MS = 300.0
BASE = "https://w3id.org/gdi-graph"
P = f"PREFIX gdi: <{BASE}/def#> "


def page_kinds(select) -> dict[str, str]:
    """One path of every kind of page, found in the data (the busiest of each kind)."""
    def first(query: str) -> str:
        return select(P + query)[0]["s"].value.removeprefix(BASE)

    return {
        "landing page": "/",
        "voorziening (DigiD)": "/id/voorziening/digid",
        "basisregistratie (BAG)": first('SELECT ?s WHERE { ?s a gdi:Basisregistratie ; gdi:afkorting "BAG" }'),
        "organisatie": first("SELECT ?s WHERE { ?a a gdi:Aansluiting ; gdi:organisatie ?s } GROUP BY ?s "
                             "ORDER BY DESC(COUNT(?a)) ?s LIMIT 1"),
        "indicator": first("SELECT ?s WHERE { ?o gdi:indicator ?s ; gdi:waarde ?w } GROUP BY ?s "
                           "ORDER BY DESC(COUNT(?w)) ?s LIMIT 1"),
        "verbinding": first("SELECT ?s WHERE { ?s a gdi:Verbinding } ORDER BY ?s LIMIT 1"),
        "registratieobject": first("SELECT ?s WHERE { ?v gdi:naar ?s } GROUP BY ?s ORDER BY DESC(COUNT(?v)) ?s LIMIT 1"),
        "functionele groep": first("SELECT ?s WHERE { ?v gdi:functioneleGroep ?s } GROUP BY ?s "
                                   "ORDER BY DESC(COUNT(?v)) ?s LIMIT 1"),
        "zoeken (page)": "/zoeken?q=brp",
        "zoeken (JSON, type-ahead)": "/zoeken?q=bv%20bsn&format=json&limit=8",
        "grafiek (SVG)": "/grafiek/" + first("SELECT ?s WHERE { ?o gdi:indicator ?s ; gdi:waarde ?w } GROUP BY ?s "
                                             "ORDER BY DESC(COUNT(?w)) ?s LIMIT 1").removeprefix("/id/indicator/") + ".svg",
        "buurtplaat (SVG)": "/grafiek/stelsel/BAG.svg",
        "SPARQL editor page": "/sparql",
        "editor vocabulary": "/sparql/vocabulary.json",
    }


def measure(client, path: str, repeat: int) -> tuple[float, list[float], int]:
    def once() -> tuple[float, int]:
        start = time.perf_counter()
        r = client.get(path, headers={"Accept": "text/html"})
        r.get_data()
        return (time.perf_counter() - start) * 1000, r.status_code

    cold, status = once()
    warm = [once()[0] for _ in range(repeat)]
    return cold, warm, status


def _app(dist: Path):
    from gdi_graph.web import create_app

    return create_app({"GDI_GRAPH_DIST": str(dist), "GDI_GRAPH_QUERIES": str(REPO / "queries"),
                       "GDI_GRAPH_EXECUTORS": 1, "GDI_GRAPH_RELOAD_INTERVAL": 0})


def compare(small: Path, large: Path, repeat: int) -> str:
    """Every page kind on two builds, interleaved; the larger one against the bar."""
    apps = [_app(small), _app(large)]
    try:
        clients = [a.test_client() for a in apps]
        states = [a.extensions["gdi_graph"] for a in apps]
        triples = [f"{st.manifest.get('counts', {}).get('triples', 0):,}" for st in states]
        lines = [f"Server time per page kind on two builds (in-process, {repeat} repeats, interleaved): "
                 f"x1 = build {states[0].digest[:12]} ({triples[0]} triples), large = build "
                 f"{states[1].digest[:12]} ({triples[1]} triples). Bar: large within max(12x, +0.1 s) of x1, "
                 "on the first request and on the median.", "",
                 "| page | path | status x1 / large | first x1 (ms) | first large (ms) | median x1 (ms) | "
                 "median large (ms) | ratio (median) | bar met |",
                 "|---|---|---|---|---|---|---|---|---|"]
        met = 0
        kinds = page_kinds(states[0].select)
        for kind, path in kinds.items():
            firsts, samples, codes = [], [[], []], []
            for c in clients:
                cold, _, status = measure(c, path, 0)
                firsts.append(cold)
                codes.append(status)
            for _ in range(repeat):
                for i, c in enumerate(clients):
                    samples[i].append(measure(c, path, 0)[0])
            med = [statistics.median(x) for x in samples]
            ok = (codes == [200, 200] and firsts[1] <= max(12 * firsts[0], firsts[0] + 100)
                  and med[1] <= max(12 * med[0], med[0] + 100))
            met += ok
            lines.append(f"| {kind} | `{path}` | {codes[0]} / {codes[1]} | {firsts[0]:.1f} | {firsts[1]:.1f} | "
                         f"{med[0]:.1f} | {med[1]:.1f} | {med[1] / med[0]:.1f}x | {'yes' if ok else 'NO'} |")
        lines += ["", f"**Bar met on {met} of {len(kinds)} page kinds.**"]
        return "\n".join(lines) + "\n"
    finally:
        for a in apps:
            a.extensions["gdi_graph"].close()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dist", type=Path, default=REPO / "dist")
    ap.add_argument("--against", type=Path, help="a larger build's dist/: compare every page kind with it")
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--markdown", type=Path, help="also write the table to this file")
    args = ap.parse_args(argv)

    if args.against:
        import os
        import platform
        import shlex

        shown = [a if not Path(a).is_absolute() else f"<{Path(a).parent.name}>/{Path(a).name}"
                 for a in (argv if argv is not None else sys.argv[1:])]
        text = (f"# Pages at x1 and a larger build\n\nMade by `{shlex.join(['.venv/bin/python', 'bench/pages.py'] + shown)}` "
                f"(the larger build: `bench/generate.py --copies 10`, built) on {os.cpu_count()} CPUs, Python "
                f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f} at the start.\n\n"
                + compare(args.dist, args.against, args.repeat))
        print(text)
        if args.markdown:
            args.markdown.write_text(text, encoding="utf-8")
        return 0
    app = _app(args.dist)
    try:
        client = app.test_client()
        st = app.extensions["gdi_graph"]
        rows = []
        for kind, path in page_kinds(st.select).items():
            cold, warm, status = measure(client, path, args.repeat)
            median = statistics.median(warm)
            p90 = sorted(warm)[int(0.9 * (len(warm) - 1))]
            rows.append((kind, path, status, cold, median, p90))
    finally:
        app.extensions["gdi_graph"].close()

    lines = [(f"Server time per page kind (in-process, {args.repeat} repeats; budget {BUDGET_MS:.0f} ms), "
              f"build {st.digest[:12]}:"), "",
             "| page | path | status | first (ms) | median (ms) | p90 (ms) | within budget |",
             "|---|---|---|---|---|---|---|"]
    for kind, path, status, cold, median, p90 in rows:
        ok = "yes" if status == 200 and p90 <= BUDGET_MS else "NO"
        lines.append(f"| {kind} | `{path}` | {status} | {cold:.1f} | {median:.1f} | {p90:.1f} | {ok} |")
    lines += ["", ("\"first\" is the first request of the build: it also makes what is then kept for the build "
                   "(the search index, a chart, the stelsel graph and a plate, a page's data); \"within budget\" "
                   "judges the repeated requests (p90).")]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
