"""The app factory.

The web process answers HTTP, negotiates formats, revalidates and caches; user SPARQL runs
in a pool of worker processes (`gdi_graph.query.executor`) so a time limit can be enforced
by killing a process; the server's own bounded lookups (entity pages, home) go through the
same backend's `select`.
"""

from __future__ import annotations

import atexit
import os
from typing import Mapping

from flask import Flask
from flask_compress import Compress

from gdi_graph.web import errors, headers, metrics
from gdi_graph.web.state import GraphState, Settings, reload_on_sighup
from gdi_graph.web.state import install as install_state
from gdi_graph.web.views import charts, editor, linked, pages, queries, search, sparql, stelsel

COMPRESSED = [
    "text/html", "text/plain", "text/css", "text/javascript", "text/csv", "text/tab-separated-values", "text/turtle",
    "application/json", "application/problem+json", "application/sparql-results+json",
    "application/sparql-results+xml", "application/ld+json", "application/rdf+xml", "application/n-triples",
    "application/n-quads", "application/trig", "application/xml", "image/svg+xml",
]


def create_app(config: Mapping | None = None) -> Flask:
    """Build the app; settings from instance/gdi_graph.cfg, GDI_GRAPH_* env vars, then `config`."""
    app = Flask("gdi_graph.web", instance_relative_config=True)
    app.config.from_pyfile("gdi_graph.cfg", silent=True)
    settings = Settings.load(app.config, os.environ, config or {})
    app.config.update({k: v for k, v in (config or {}).items() if not k.startswith("GDI_GRAPH_")})
    app.config["MAX_CONTENT_LENGTH"] = settings.max_query_bytes * 4 + 16 * 1024  # form-encoding can triple it
    app.config["COMPRESS_MIMETYPES"] = COMPRESSED
    app.config["COMPRESS_ALGORITHM"] = ["br", "gzip", "deflate"]
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    app.extensions["gdi_graph"] = st = GraphState(settings)
    install_state(app, st)
    Compress(app)
    errors.install(app)
    headers.install(app)
    for view in (sparql, editor, queries, linked, pages, stelsel, search, charts):
        app.register_blueprint(view.bp)
    access_log = (config or {}).get("GDI_GRAPH_ACCESS_LOG", os.environ.get("GDI_GRAPH_ACCESS_LOG", ""))
    metrics.install(app, access_log=str(access_log).lower() in ("1", "true", "yes"))
    return app


def create_server_app(config: Mapping | None = None) -> Flask:
    """The app as `gdi-graph serve` runs it: settings from the environment, cached
    answers replayed before Flask (see replay.py), every request counted (metrics.py)."""
    from gdi_graph.web.replay import ResponseReplay

    app = create_app(config)
    # On SIGTERM Granian stops taking requests, lets those in flight finish, and the worker
    # exits: its query processes stop with it (daemon children) and here, explicitly.
    atexit.register(app.extensions["gdi_graph"].close)
    st = app.extensions["gdi_graph"]
    app.wsgi_app = ResponseReplay(app.wsgi_app, generation=lambda: st.current.digest)
    reload_on_sighup(st)
    metrics.outermost(app)
    return app
