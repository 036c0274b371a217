"""The web app: SPARQL endpoint, named-query API, linked data and pages (Flask).

`create_app()` is the factory for any WSGI server; `gdi-graph serve` runs it under
Granian. Architecture (see docs/serving.md): the web process answers HTTP, negotiates
formats, revalidates and caches; user SPARQL runs in a pool of worker processes (see
`gdi_graph.executor`) so a time limit can be enforced by killing a process; the server's
own cheap lookups (entity pages, home) run on an in-process pyoxigraph store.
"""

from __future__ import annotations

from typing import Mapping

from flask import Flask
from flask_compress import Compress

from .state import GraphState, Settings

COMPRESSED = [
    "text/html", "text/plain", "text/css", "text/csv", "text/tab-separated-values", "text/turtle",
    "application/json", "application/problem+json", "application/sparql-results+json",
    "application/sparql-results+xml", "application/ld+json", "application/rdf+xml", "application/n-triples",
    "application/n-quads", "application/trig", "application/xml",
]


def create_app(config: Mapping | None = None) -> Flask:
    """Build the app; settings from instance/gdi_graph.cfg, GDI_GRAPH_* env vars, then `config`."""
    import os

    app = Flask("gdi_graph", instance_relative_config=True)
    app.config.from_pyfile("gdi_graph.cfg", silent=True)
    settings = Settings.load(app.config, os.environ, config or {})
    app.config.update({k: v for k, v in (config or {}).items() if not k.startswith("GDI_GRAPH_")})
    app.config["MAX_CONTENT_LENGTH"] = settings.max_query_bytes * 4 + 16 * 1024  # form-encoding can triple it
    app.config["COMPRESS_MIMETYPES"] = COMPRESSED
    app.config["COMPRESS_ALGORITHM"] = ["br", "gzip", "deflate"]
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    app.extensions["gdi_graph"] = GraphState(settings)
    Compress(app)

    from . import http, linked, named, pages, sparql

    http.install(app)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(named.bp)
    app.register_blueprint(linked.bp)
    app.register_blueprint(pages.bp)
    try:
        from ..web_stelsel import bp as stelsel_bp
    except ImportError as exc:  # not written yet, or its dependencies are missing: serve without it
        if getattr(exc, "name", None) != f"{__package__.rsplit('.', 1)[0]}.web_stelsel":
            app.logger.warning("stelselplaat pages not available: %s", exc)
    else:
        app.register_blueprint(stelsel_bp)
    return app


def create_server_app():
    """The app as `gdi-graph serve` runs it: settings from the environment, cached
    answers replayed before Flask (see replay.py)."""
    from .replay import ResponseReplay

    app = create_app()
    wsgi = ResponseReplay(app.wsgi_app)
    app.wsgi_app = wsgi
    return app


__all__ = ["create_app", "create_server_app", "GraphState", "Settings"]
