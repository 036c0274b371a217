"""`gdi-graph serve`: the web app under Granian, on the current build.

Granian, not Flask's development server: a production HTTP server written in Rust that
runs the WSGI app on a pool of Python threads. Its HTTP handling costs a fraction of a
pure-Python server's (measured on a no-op app: about 4x gunicorn's gthread throughput on
the same machine, see bench/), which matters because per-request overhead is what
separates a Python endpoint from Oxigraph's own server. Each worker process builds its
own app (settings travel in GDI_GRAPH_* environment variables), so each owns its executor
pool; total query processes = workers x executors.
"""

from __future__ import annotations

import os
import sys

from .progress import Progress

ACCESS_LOG = ('{"time":"[time]","remote":"[addr]","method":"[method]","path":"[path]","query":"[query_string]",'
              '"status":[status],"ms":[dt_ms]}')


def register(subparsers) -> None:
    p = subparsers.add_parser("serve", help="serve the graph: SPARQL endpoint, named queries, linked data (Granian)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=5000, help="port (default 5000)")
    p.add_argument("--workers", type=int, default=1, help="server worker processes, each with its own query pool (default 1)")
    p.add_argument("--threads", type=int, default=16, help="request threads per worker (default 16)")
    p.add_argument("--executors", type=int, help="query processes per worker (default: CPUs, 2 to 4; GDI_GRAPH_EXECUTORS)")
    p.add_argument("--timeout", type=float, help="query time limit in seconds (default 10; GDI_GRAPH_QUERY_TIMEOUT)")
    p.add_argument("--remote", metavar="URL", help="serve a remote SPARQL endpoint instead of the embedded store "
                                                   "(GDI_GRAPH_REMOTE_ENDPOINT)")
    p.add_argument("--base", help="base IRI of the served entities (default https://w3id.org/gdi-graph; GDI_GRAPH_BASE)")
    p.add_argument("--access-log", action="store_true", help="write a JSON line per request to stderr")
    p.set_defaults(func=cmd_serve)


def cmd_serve(args) -> int:
    from .cli import ensure_build

    ensure_build(args.root, args.dist, Progress())
    config = {"GDI_GRAPH_DIST": str(args.dist), "GDI_GRAPH_QUERIES": str(args.root / "queries")}
    for option, key in (("executors", "GDI_GRAPH_EXECUTORS"), ("timeout", "GDI_GRAPH_QUERY_TIMEOUT"),
                        ("remote", "GDI_GRAPH_REMOTE_ENDPOINT"), ("base", "GDI_GRAPH_BASE")):
        value = getattr(args, option)
        if value is not None:
            config[key] = value
    os.environ.update({key: str(value) for key, value in config.items()})
    sys.stderr.write(f"gdi-graph: serving {args.dist} on http://{args.host}:{args.port}/\n")
    server(args).serve()
    return 0


def server(args):
    """Granian serving `create_server_app()` in each worker.

    Imported here, not at module level: every other `gdi-graph` command imports this
    module to register `serve`.
    """
    from granian import Granian
    from granian.constants import HTTPModes, Interfaces

    return Granian(
        "gdi_graph.web:create_server_app", factory=True, interface=Interfaces.WSGI, http=HTTPModes.http1,
        address=args.host, port=args.port, workers=args.workers, blocking_threads=args.threads,
        respawn_failed_workers=True, log_access=args.access_log, log_access_format=ACCESS_LOG,
    )
