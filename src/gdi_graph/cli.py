"""Command line: `gdi-graph build | validate | query | serve | publish | draw | stelsel`.

Every sub-command is defined here; each imports what it runs only when it runs, so
`gdi-graph build` does not pay for the web stack and `serve` does not pay for rdflib.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from gdi_graph.build.errors import SourceError
from gdi_graph.build.progress import Progress
from gdi_graph.config import ProjectNotFound, project_root, queries_folder

VRAGEN = {
    "pad": "all shortest paths between two registraties or objects, over verbindingen in either direction",
    "afhankelijk": "everything that refers to a basisregistratie, directly or via other verbindingen",
    "centraal": "registraties and objects ranked by betweenness and by how often they are referred to",
    "niet-beschikbaar": "verbindingen that are not available on the peildatum",
}


class CommandError(Exception):
    """A user error on the command line: printed as `gdi-graph <command>: error: …`, exit 2."""

    def __init__(self, command: str, message: str):
        super().__init__(message)
        self.command = command


def ensure_build(root: Path, dist: Path, progress: Progress) -> None:
    """Build first when dist/ is missing or older than the sources."""
    from gdi_graph.build import build, is_current

    if not is_current(root, dist):
        progress.stream.write(f"gdi-graph: {dist} is missing or out of date; building\n")
        build(root, dist, progress)


# ---------------------------------------------------------------- build, validate

def cmd_build(args) -> int:
    from gdi_graph.build import build, read_manifest

    start = time.perf_counter()
    sys.stderr.write("gdi-graph build\n")
    built, target = build(args.root, args.dist, Progress())
    m = built.outcome
    size = (read_manifest(target) or {}).get("counts", {}).get("triples", len(built.data))  # as /health and VoID say
    sys.stderr.write(
        f"built {size} triples in {len(built.graphs)} named graphs into {args.dist} "
        f"({time.perf_counter() - start:.2f} s); {len(m.violations)} violation(s), {len(m.warnings)} warning(s); "
        f"see {args.dist / 'report.txt'}\n")
    return 0


def cmd_validate(args) -> int:
    from gdi_graph.build import BuildFailed, load

    try:
        built = load(args.root, Progress())
    except BuildFailed as failed:
        sys.stdout.write(failed.outcome.text())
        return 1
    sys.stdout.write(built.outcome.text())
    return 0


# ---------------------------------------------------------------- query

def text_table(variables: list[str], rows: list[list[str]]) -> str:
    """A plain-text table for the terminal."""
    widths = [max([len(v)] + [len(r[i]) for r in rows]) for i, v in enumerate(variables)]

    def line(cells):
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    out = [line(variables), line(["-" * w for w in widths])] + [line(r) for r in rows]
    return "\n".join(out) + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})\n"


def cmd_query(args) -> int:
    from pyoxigraph import QueryBoolean, QuerySolutions

    from gdi_graph.query.named import KnownValueCache, ParameterError, load_queries, parse_query_file
    from gdi_graph.query.store import open_store, run
    from gdi_graph.rdf.formats import BY_KEY

    params = {}
    for item in args.param or []:
        name, sep, value = item.partition("=")
        if not sep:
            raise CommandError("query", f"--param {item!r} must look like name=value")
        params[name] = value
    path = Path(args.name)
    if path.suffix == ".rq" and path.exists():
        named = parse_query_file(path)
    else:
        queries = load_queries(queries_folder(args.root))
        if args.name not in queries:
            raise CommandError("query", f"no query {args.name!r}; known: {', '.join(sorted(queries))}")
        named = queries[args.name]
    try:
        named.bind(params)  # types and names first: no build needed to refuse those
    except ParameterError as exc:
        raise CommandError("query", exc.message.en) from None
    ensure_build(args.root, args.dist, Progress())
    store = open_store(args.dist)

    def select(text: str) -> list[dict[str, str]]:
        solutions = run(store, text)
        names = [v.value for v in solutions.variables]
        return [{n: s[n].value for n in names if s[n] is not None} for s in solutions]

    try:  # then the values the graph knows (`values:` in the header), regardless of case
        bindings = named.bind(params, KnownValueCache(select))
    except ParameterError as exc:
        raise CommandError("query", exc.message.en) from None
    try:
        result = run(store, named.text, bindings)
    except SyntaxError as exc:
        raise CommandError("query", f"{named.path}: {exc}") from None
    out = sys.stdout.buffer
    if isinstance(result, QueryBoolean):
        out.write((str(bool(result)).lower() + "\n").encode())
    elif isinstance(result, QuerySolutions):
        if args.format == "table":
            variables = [v.value for v in result.variables]
            rows = [[s[v].value if s[v] is not None else "" for v in variables] for s in result]
            out.write(text_table(variables, rows).encode())
        elif BY_KEY[args.format].kind != "results":
            raise CommandError("query", f"--format {args.format} is for graphs; a {named.form} gives results")
        else:
            out.write(result.serialize(format=BY_KEY[args.format].engine()))
    else:
        fmt = BY_KEY.get(args.format)
        if fmt is None or fmt.kind != "graph":
            fmt = BY_KEY["ttl"]  # a table or results format asked of a graph: Turtle, as the query page does
        out.write(result.serialize(format=fmt.engine()))
    return 0


# ---------------------------------------------------------------- serve

def _drain_seconds(args) -> int:
    """How long SIGTERM waits for requests in flight: a query runs at most its time limit."""
    import math

    return int(math.ceil(float(args.timeout or os.environ.get("GDI_GRAPH_QUERY_TIMEOUT") or 10))) + 5


def _metrics_folder() -> None:
    """Several workers: /metrics sums every worker's counters from files in a private folder
    (prometheus_client's multiprocess mode), removed when the server stops."""
    import atexit
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="gdi-graph-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
    atexit.register(shutil.rmtree, folder, True)


def cmd_serve(args) -> int:
    """Granian, not Flask's development server: its HTTP handling costs a fraction of a
    pure-Python server's (see bench/). Each worker builds its own app from GDI_GRAPH_*
    environment variables, so each owns its executor pool, and each follows `dist` to new
    builds by itself (and at once on SIGHUP)."""
    ensure_build(args.root, args.dist, Progress())
    config = {"GDI_GRAPH_DIST": str(args.dist), "GDI_GRAPH_QUERIES": str(queries_folder(args.root))}
    for option, key in (("executors", "GDI_GRAPH_EXECUTORS"), ("timeout", "GDI_GRAPH_QUERY_TIMEOUT"),
                        ("remote", "GDI_GRAPH_REMOTE_ENDPOINT"), ("base", "GDI_GRAPH_BASE"),
                        ("reload_interval", "GDI_GRAPH_RELOAD_INTERVAL")):
        value = getattr(args, option)
        if value is not None:
            config[key] = value
    if args.access_log:
        config["GDI_GRAPH_ACCESS_LOG"] = "1"  # written by the app (web/metrics.py): it knows route and cache
    if args.workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        _metrics_folder()
    os.environ.update({key: str(value) for key, value in config.items()})
    sys.stderr.write(f"gdi-graph: serving {args.dist} on http://{args.host}:{args.port}/\n")
    from granian import Granian
    from granian.constants import HTTPModes, Interfaces

    server = Granian(
        "gdi_graph.web:create_server_app", factory=True, interface=Interfaces.WSGI, http=HTTPModes.http1,
        address=args.host, port=args.port, workers=args.workers, blocking_threads=args.threads,
        respawn_failed_workers=True, workers_kill_timeout=_drain_seconds(args),
    )
    server.on_startup(lambda: _forward_sighup(server))
    server.serve()
    return 0


def _forward_sighup(server) -> None:
    """SIGHUP to `gdi-graph serve`: each worker looks for a new build at once and switches to
    it in process (web/state.py), instead of Granian's default of restarting the workers.

    A worker still starting has no handler yet (SIGHUP would end it); it reads the newest
    build as it starts anyway, so it is skipped.
    """
    import signal

    def forward(*_):
        for worker in list(getattr(server, "wrks", ())):
            pid = getattr(getattr(worker, "inner", None), "pid", None)
            if pid and _catches(pid, signal.SIGHUP):
                try:
                    os.kill(pid, signal.SIGHUP)
                except ProcessLookupError:
                    pass

    signal.signal(signal.SIGHUP, forward)


def _catches(pid: int, signum: int) -> bool:
    """Whether process `pid` has a handler for `signum` (Linux /proc; elsewhere assumed)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("SigCgt:"):
                    return bool(int(line.split()[1], 16) >> (signum - 1) & 1)
    except OSError:
        return True
    return True


def cmd_publish(args) -> int:
    """The current build (built first when out of date) into a SPARQL 1.1 Graph Store."""
    from gdi_graph.build.publish import PublishError, publish

    headers = {}
    for item in args.header or []:
        name, sep, value = item.partition(":")
        if not sep or not name.strip():
            raise CommandError("publish", f"--header {item!r} must look like 'Name: value'")
        headers[name.strip()] = value.strip()
    ensure_build(args.root, args.dist, Progress())
    start = time.perf_counter()
    try:
        done = publish(args.dist, args.url, headers, timeout=args.timeout)
    except PublishError as exc:
        raise CommandError("publish", str(exc)) from None
    sys.stderr.write(f"published {sum(p.triples for p in done)} triples in {len(done)} named graphs to {args.url} "
                     f"({time.perf_counter() - start:.2f} s)\n")
    return 0


# ---------------------------------------------------------------- draw, stelsel

def _dates(args, names: tuple[str, ...], command: str) -> dict:
    from gdi_graph.stelsel.graph import StelselError, parse_peildatum

    out = {}
    for name in names:
        value = getattr(args, name)
        try:
            out[name] = None if value is None else parse_peildatum(value)
        except StelselError as exc:
            raise CommandError(command, f"--{name}: {exc}") from None
    return out


def _stelsel_select(args):
    """The stelsel is read through a backend-style `select`, here on the built graph in process."""
    from gdi_graph.query.backends import store_select
    from gdi_graph.query.store import open_store

    ensure_build(args.root, args.dist, Progress())
    return store_select(open_store(args.dist))


def cmd_draw(args) -> int:
    from gdi_graph.stelsel import draw, graph

    fmt = Path(args.output).suffix.lower().lstrip(".")
    if fmt not in ("svg", "png"):
        raise CommandError("draw", f"cannot tell the format of {args.output!r}: end the name in .svg or .png")
    days = _dates(args, ("peildatum", "van", "tot"), "draw")
    if (days["van"] is None) != (days["tot"] is None):
        raise CommandError("draw", "--van and --tot go together (the difference view)")
    select = _stelsel_select(args)
    queries = queries_folder(args.root)
    if days["van"]:
        g = graph.verschil(graph.load(select, days["van"], queries), graph.load(select, days["tot"], queries))
    else:
        g = graph.load(select, days["peildatum"], queries)
    Path(args.output).write_bytes(draw.image(g, fmt, dpi=args.dpi))
    sys.stderr.write(f"gdi-graph draw: wrote {args.output}\n")
    return 0


def cmd_stelsel(args) -> int:
    from gdi_graph.stelsel import graph

    command = f"stelsel {args.vraag}"
    day = _dates(args, ("peildatum",), command)["peildatum"]
    g = graph.load(_stelsel_select(args), day, queries_folder(args.root))
    params = {k: getattr(args, k) for k in ("van", "naar", "registratie") if hasattr(args, k)}
    try:
        answer = graph.antwoord(g, args.vraag, **params)
    except graph.StelselError as exc:
        raise CommandError(command, str(exc)) from None
    if args.format == "json":
        sys.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(stelsel_tables(args.vraag, answer))
    return 0


def stelsel_tables(vraag: str, a: dict) -> str:
    """An answer of `gdi_graph.stelsel.graph.antwoord` as text tables."""
    from gdi_graph.stelsel.graph import STATUS_LABEL

    def status(value: str) -> str:
        return STATUS_LABEL.get(value, value)

    if vraag == "pad":
        if not a["paden"]:
            return f"no path between {a['van']} and {a['naar']} on {a['peildatum']}\n"
        rows = []
        for i, p in enumerate(a["paden"], 1):
            for s in p["stappen"]:
                walked_from, walked_to = ("van", "naar") if s["richting"] == "→" else ("naar", "van")
                rows.append([str(i), f"{s[walked_from + '_registratie']} {s[walked_from + '_label']}", s["richting"],
                             f"{s[walked_to + '_registratie']} {s[walked_to + '_label']}", s["sleutel"],
                             status(s["status"])])
        head = (f"{len(a['paden'])} shortest path(s) from {a['van']} to {a['naar']} on {a['peildatum']}, "
                f"{a['paden'][0]['verbindingen']} verbinding(en) each (→ refers to, ← is referred to by)\n")
        return head + text_table(["pad", "uit", "", "in", "sleutel", "status"], rows)
    if vraag == "afhankelijk":
        rows = [[o["registratie"], o["label"], str(o["afstand"]), "ja" if o["direct"] else "nee"] for o in a["objecten"]]
        return (f"what refers to {a['registratie']} on {a['peildatum']}\n"
                + text_table(["registratie", "object", "afstand", "direct"], rows))
    if vraag == "centraal":
        regs = [[r["registratie"], f"{r['tussenligging']:.4f}", str(r["verwijzingen"]), str(r["verwijst"])]
                for r in a["registraties"]]
        objs = [[o["registratie"], o["label"], f"{o['tussenligging']:.4f}", str(o["verwijzingen"]), str(o["verwijst"])]
                for o in a["objecten"]]
        return (f"basisregistraties on {a['peildatum']}\n"
                + text_table(["registratie", "tussenligging", "verwijzingen", "verwijst"], regs)
                + f"\nregistratieobjecten on {a['peildatum']}\n"
                + text_table(["registratie", "object", "tussenligging", "verwijzingen", "verwijst"], objs))
    if vraag == "niet-beschikbaar":
        rows = [[v["label"] or v["verbinding"], v["sleutel"], status(v["status"]), v["beschikbaar_vanaf"] or ""]
                for v in a["verbindingen"]]
        return (f"verbindingen not available on {a['peildatum']}\n"
                + text_table(["verbinding", "sleutel", "status", "beschikbaar vanaf"], rows))
    raise ValueError(f"unknown vraag {vraag!r}")


# ---------------------------------------------------------------- the parser

def parser() -> argparse.ArgumentParser:
    from gdi_graph.rdf.formats import BY_KEY
    from gdi_graph.stelsel.graph import DEFAULT_PEILDATUM

    top = argparse.ArgumentParser(prog="gdi-graph", description=__doc__.split("\n")[0])
    top.add_argument("--root", help="project folder with ontology/, data/, shapes/, queries/ (default: here)")
    top.add_argument("--dist", help="build output folder (default: ROOT/dist)")
    sub = top.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="build sources into dist/ (atomic; refuses on violations)")
    p.set_defaults(func=cmd_build)
    p = sub.add_parser("validate", help="validate the sources and print the report; exit 1 on violations")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("query", help="run a named query from queries/ (or a .rq file) on the built graph")
    p.add_argument("name", help="query name (file name in queries/ without .rq) or path to a .rq file")
    p.add_argument("--param", "-p", action="append", metavar="NAME=VALUE", help="parameter value (repeatable)")
    p.add_argument("--format", "-f", default="table",
                   choices=["table"] + [k for k, f in BY_KEY.items() if f.kind in ("results", "graph")])
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("serve", help="serve the graph: SPARQL endpoint, named queries, linked data (Granian)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=5000, help="port (default 5000)")
    p.add_argument("--workers", type=int, default=1, help="server worker processes, each with its own query pool")
    p.add_argument("--threads", type=int, default=16, help="request threads per worker (default 16)")
    p.add_argument("--executors", type=int, help="query processes per worker (default: CPUs, 2 to 4; GDI_GRAPH_EXECUTORS)")
    p.add_argument("--timeout", type=float, help="query time limit in seconds (default 10; GDI_GRAPH_QUERY_TIMEOUT)")
    p.add_argument("--remote", metavar="URL", help="serve a remote SPARQL endpoint instead of the embedded store "
                                                   "(GDI_GRAPH_REMOTE_ENDPOINT)")
    p.add_argument("--base", help="base IRI of the served entities (default https://w3id.org/gdi-graph; GDI_GRAPH_BASE)")
    p.add_argument("--reload-interval", type=float, metavar="SECONDS",
                   help="how often to look for a new build in dist (default 2, with --remote 0; "
                        "0: only on SIGHUP; GDI_GRAPH_RELOAD_INTERVAL)")
    p.add_argument("--access-log", action="store_true",
                   help="one JSON line per request on stderr: route, status, ms, cache (and path, remote)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("publish", help="put the current build into a SPARQL 1.1 Graph Store (one PUT per named graph)",
                       description="Replace each named graph of the current build in a SPARQL 1.1 Graph Store "
                                   "Protocol endpoint (e.g. Oxigraph's http://host:7878/store). Serve it with "
                                   "the union of the named graphs as default graph (oxigraph serve "
                                   "--union-default-graph) to answer as the embedded store does.")
    p.add_argument("url", help="the Graph Store Protocol endpoint, e.g. http://127.0.0.1:7878/store")
    p.add_argument("--header", action="append", metavar="'NAME: VALUE'",
                   help="an HTTP header for every request, e.g. an Authorization (repeatable)")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds per graph (default %(default)s)")
    p.set_defaults(func=cmd_publish)

    p = sub.add_parser("draw", help="draw the stelselplaat as SVG or PNG (format from the file suffix)")
    p.add_argument("-o", "--output", required=True, help="output file, .svg or .png")
    p.add_argument("--peildatum", default=DEFAULT_PEILDATUM.isoformat(), help="the day to draw (default %(default)s)")
    p.add_argument("--van", help="difference view: from this day (with --tot)")
    p.add_argument("--tot", help="difference view: to this day (with --van)")
    p.add_argument("--dpi", type=int, default=150, help="PNG resolution (default %(default)s)")
    p.set_defaults(func=cmd_draw)

    p = sub.add_parser("stelsel", help="questions about the Stelsel van Basisregistraties")
    vragen = p.add_subparsers(dest="vraag", required=True)
    for vraag, help_text in VRAGEN.items():
        q = vragen.add_parser(vraag, help=help_text, description=help_text)
        if vraag == "pad":
            q.add_argument("van", help="registratie (BRV) or object (BRV/gekentekend-voertuig)")
            q.add_argument("naar", help="registratie or object")
        elif vraag == "afhankelijk":
            q.add_argument("registratie", help="afkorting of the basisregistratie, e.g. BAG")
        q.add_argument("--peildatum", default=DEFAULT_PEILDATUM.isoformat(), help="default %(default)s")
        q.add_argument("--format", "-f", default="table", choices=["table", "json"])
        q.set_defaults(func=cmd_stelsel)
    return top


def main(argv: list[str] | None = None) -> int:
    from gdi_graph.build import BuildFailed

    args = parser().parse_args(argv)
    try:
        args.root = project_root(args.root)
        args.dist = Path(args.dist) if args.dist else args.root / "dist"
        return args.func(args)
    except ProjectNotFound as exc:
        sys.stderr.write(f"gdi-graph: error: {exc}\n")
        return 2
    except CommandError as exc:
        sys.stderr.write(f"gdi-graph {exc.command}: error: {exc}\n")
        return 2
    except SourceError as exc:
        sys.stderr.write(f"gdi-graph: error: {exc}\n")
        return 2
    except BuildFailed as failed:
        sys.stderr.write(failed.outcome.text())
        sys.stderr.write(f"gdi-graph: build refused: {failed}; {args.dist} was left as it was\n")
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
