"""Command line: `gdi-graph build | validate | query | serve | stelsel | draw`."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .errors import SourceError
from .progress import Progress


def project_root(given: str | None) -> Path:
    """The folder with ontology/, data/, shapes/ and queries/."""
    if given:
        return Path(given)
    cwd = Path.cwd()
    if (cwd / "ontology").is_dir() and (cwd / "data").is_dir():
        return cwd
    return Path(__file__).resolve().parents[2]


def ensure_build(root: Path, dist: Path, progress: Progress) -> None:
    """Build first when dist/ is missing or older than the sources."""
    from .build import build, is_current

    if not is_current(root, dist):
        progress.stream.write(f"gdi-graph: {dist} is missing or out of date; building\n")
        build(root, dist, progress)


def cmd_build(args) -> int:
    from .build import build

    progress = Progress()
    start = time.perf_counter()
    sys.stderr.write("gdi-graph build\n")
    built, target = build(args.root, args.dist, progress)
    m = built.outcome
    sys.stderr.write(
        f"built {len(built.data)} triples in {len(built.graphs)} named graphs into {args.dist} "
        f"({time.perf_counter() - start:.2f} s); {len(m.violations)} violation(s), {len(m.warnings)} warning(s); "
        f"see {args.dist / 'report.txt'}\n")
    return 0


def cmd_validate(args) -> int:
    from .build import BuildFailed, load

    progress = Progress()
    try:
        built = load(args.root, progress)
    except BuildFailed as failed:
        sys.stdout.write(failed.outcome.text())
        return 1
    sys.stdout.write(built.outcome.text())
    return 0


def _table(variables: list[str], rows: list[list[str]]) -> str:
    widths = [max([len(v)] + [len(r[i]) for r in rows]) for i, v in enumerate(variables)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    out = [line(variables), line(["-" * w for w in widths])] + [line(r) for r in rows]
    return "\n".join(out) + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})\n"


def _term_text(term) -> str:
    if term is None:
        return ""
    return term.value


def cmd_query(args) -> int:
    from pyoxigraph import QueryBoolean, QuerySolutions

    from .queries import ParameterError, load_queries, parse_query_file
    from .store import GRAPH_FORMATS, RESULT_FORMATS, open_store, run

    params = {}
    for item in args.param or []:
        name, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"gdi-graph query: --param {item!r} must look like name=value")
        params[name] = value
    path = Path(args.name)
    if path.suffix == ".rq" and path.exists():
        named = parse_query_file(path)
    else:
        queries = load_queries(args.root / "queries")
        if args.name not in queries:
            raise SystemExit(f"gdi-graph query: no query {args.name!r}; known: {', '.join(sorted(queries))}")
        named = queries[args.name]
    try:
        bindings = named.bind(params)
    except ParameterError as exc:
        raise SystemExit(f"gdi-graph query: {exc}") from None
    progress = Progress()
    ensure_build(args.root, args.dist, progress)
    store = open_store(args.dist)
    try:
        result = run(store, named.text, bindings)
    except SyntaxError as exc:
        raise SystemExit(f"gdi-graph query: {named.path}: {exc}") from None
    out = sys.stdout.buffer
    if isinstance(result, QueryBoolean):
        out.write((str(bool(result)).lower() + "\n").encode())
    elif isinstance(result, QuerySolutions):
        if args.format == "table":
            variables = [v.value for v in result.variables]
            rows = [[_term_text(s[v]) for v in variables] for s in result]
            out.write(_table(variables, rows).encode())
        else:
            out.write(result.serialize(format=RESULT_FORMATS[args.format]))
    else:
        fmt = GRAPH_FORMATS.get(args.format, GRAPH_FORMATS["ttl"])
        out.write(result.serialize(format=fmt))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gdi-graph", description=__doc__)
    parser.add_argument("--root", help="project folder with ontology/, data/, shapes/, queries/ (default: here)")
    parser.add_argument("--dist", help="build output folder (default: ROOT/dist)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="build sources into dist/ (atomic; refuses on violations)")
    p.set_defaults(func=cmd_build)
    p = sub.add_parser("validate", help="validate the sources and print the report; exit 1 on violations")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("query", help="run a named query from queries/ (or a .rq file) on the built graph")
    p.add_argument("name", help="query name (file name in queries/ without .rq) or path to a .rq file")
    p.add_argument("--param", "-p", action="append", metavar="NAME=VALUE", help="parameter value (repeatable)")
    p.add_argument("--format", "-f", default="table", choices=["csv", "tsv", "json", "xml", "table", "ttl", "nt", "jsonld", "rdf"])
    p.set_defaults(func=cmd_query)

    for register in _extensions():
        register(sub)

    args = parser.parse_args(argv)
    args.root = project_root(args.root)
    args.dist = Path(args.dist) if args.dist else args.root / "dist"
    try:
        return args.func(args)
    except SourceError as exc:
        sys.stderr.write(f"gdi-graph: error: {exc}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except _build_failed() as failed:
        sys.stderr.write(failed.outcome.text())
        sys.stderr.write(f"gdi-graph: build refused: {failed}; {args.dist} was left as it was\n")
        return 1


def _build_failed():
    from .build import BuildFailed
    return BuildFailed


def _extensions():
    """Sub-commands defined next to the code they run (server, stelsel)."""
    registers = []
    for module in ("serve_cli", "stelsel_cli"):
        try:
            mod = __import__(f"{__package__}.{module}", fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name != f"{__package__}.{module}":
                raise
            continue
        registers.append(mod.register)
    return registers


if __name__ == "__main__":
    raise SystemExit(main())
