"""Headers every answer carries: CORS and Cache-Control.

CORS is a fixed policy for a public read-only service — any origin, GET/POST/HEAD, no
credentials. A dozen lines; a library would add configuration we must then audit.
"""

from __future__ import annotations

from flask import Flask, Response, request

from gdi_graph.web.state import state


def install(app: Flask) -> None:
    @app.after_request
    def _headers(resp: Response) -> Response:
        h = resp.headers
        h["Access-Control-Allow-Origin"] = "*"
        h["Access-Control-Expose-Headers"] = "ETag, Content-Type, Content-Location, Link, Retry-After"
        if request.method == "OPTIONS":
            h["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
            h["Access-Control-Allow-Headers"] = "Accept, Content-Type, If-None-Match, Cache-Control"
            h["Access-Control-Max-Age"] = "86400"
        if request.method in ("GET", "HEAD") and "Cache-Control" not in h:
            if resp.status_code < 400:
                h["Cache-Control"] = f"public, max-age={state().settings.max_age}"
            else:
                h["Cache-Control"] = "no-store"
        return resp
