"""Server time of each kind of page made for people, on the real graph.

For every page kind (landing page, a voorziening, a basisregistratie, an organisation, an
indicator, a verbinding, …, search, a chart, the editor's vocabulary) this asks the app for
the page in-process, through WSGI, so the time is the server's alone: the first request
(cold: whatever is made once per build, such as the search index or a chart, is made then)
and the median and 90th percentile of repeated requests (without If-None-Match, so every
page is built again; only the build-wide caches help). The budget is 300 ms per page.

    .venv/bin/python bench/pages.py                # the repository's dist/ (gdi-graph build first)
    .venv/bin/python bench/pages.py --repeat 50 --dist /path/to/dist --markdown bench/results-pages.md
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


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dist", type=Path, default=REPO / "dist")
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--markdown", type=Path, help="also write the table to this file")
    args = ap.parse_args(argv)

    from gdi_graph.web import create_app

    app = create_app({"GDI_GRAPH_DIST": str(args.dist), "GDI_GRAPH_QUERIES": str(REPO / "queries"),
                      "GDI_GRAPH_EXECUTORS": 1, "GDI_GRAPH_RELOAD_INTERVAL": 0})
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
