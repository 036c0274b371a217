"""`gdi-graph serve`: the web app under gunicorn, on the current build.

gunicorn, not Flask's development server: it is a production WSGI server whose gthread
workers answer many requests at once while queries run in the executor's processes.
Each gunicorn worker builds its own app (no preload), so each owns its executor pool;
total query processes = workers x executors. `kill -HUP` on the master reloads the
workers, which then serve the build dist/ points at by then.
"""

from __future__ import annotations

import os
import sys

from .progress import Progress

ACCESS_LOG = ('{"time":"%(t)s","remote":"%(h)s","method":"%(m)s","path":"%(U)s","query":"%(q)s",'
              '"status":%(s)s,"bytes":"%(B)s","ms":%(M)s,"agent":"%(a)s"}')


def register(subparsers) -> None:
    p = subparsers.add_parser("serve", help="serve the graph: SPARQL endpoint, named queries, linked data (gunicorn)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=5000, help="port (default 5000)")
    p.add_argument("--workers", type=int, default=1, help="gunicorn worker processes, each with its own query pool (default 1)")
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
    timeout = float(config.get("GDI_GRAPH_QUERY_TIMEOUT") or os.environ.get("GDI_GRAPH_QUERY_TIMEOUT") or 10)
    options = {
        "bind": f"{args.host}:{args.port}",
        "workers": args.workers,
        "worker_class": "gthread",
        "threads": args.threads,
        "timeout": max(30, int(timeout * 3)),  # a worker that stops heart-beating this long is restarted
        "graceful_timeout": 10,
        "limit_request_line": 0,  # long GET queries are limited by GDI_GRAPH_MAX_QUERY_BYTES (413), not here
        "accesslog": "-" if args.access_log else None,
        "access_log_format": ACCESS_LOG,
        "errorlog": "-",
        "proc_name": "gdi-graph",
        "control_socket_disable": True,  # no shared ~/.gunicorn socket: several servers may run side by side
    }
    sys.stderr.write(f"gdi-graph: serving {args.dist} on http://{args.host}:{args.port}/\n")
    server(config, options).run()
    return 0


def server(config: dict, options: dict):
    """gunicorn configured from Python, loading `create_app(config)` in each worker.

    gunicorn is imported here, not at module level: it is POSIX-only and every other
    `gdi-graph` command imports this module to register `serve`.
    """
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                if value is not None and key in self.cfg.settings:
                    self.cfg.set(key, value)

        def load(self):
            from .web import create_app
            return create_app(config)

    return Server()
