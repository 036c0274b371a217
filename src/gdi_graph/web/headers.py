"""Headers every answer carries: CORS, Cache-Control, Vary: Host and the security headers.

CORS is a fixed policy for a public read-only service — any origin, GET/POST/HEAD, no
credentials. A dozen lines; a library would add configuration we must then audit.

An answer built from the request's Host (see `urls.root`) says `Vary: Host`, so no cache
hands one host's URLs to a client of another.

Security headers: every answer says `nosniff` and a Referrer-Policy. HTML pages get a
Content-Security-Policy that allows only what they use — style sheets, scripts and images
from this server (static files; no inline script or style), fetches back to this server —
and may not be framed. Images a wiki page embeds (the stelselplaat, charts) may be framed
by anyone; everything else (JSON, CSV, RDF) gets a policy that allows nothing at all.
"""

from __future__ import annotations

from flask import Flask, Response, request

from gdi_graph.web import urls
from gdi_graph.web.state import state

PAGE_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
               "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
# matplotlib's SVG carries a <style> element and style attributes; it runs no script.
EMBEDDABLE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors *"
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'"
EMBEDDABLE_PATHS = ("/stelselplaat.", "/grafiek")  # images meant for other sites' pages
REFERRER_POLICY = "strict-origin-when-cross-origin"


def embeddable(path: str) -> bool:
    return path.startswith(EMBEDDABLE_PATHS)


def security_headers(path: str, mimetype: str | None) -> dict[str, str]:
    """The security headers of an answer at `path` with this media type."""
    out = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": REFERRER_POLICY}
    if embeddable(path):
        out["Content-Security-Policy"] = EMBEDDABLE_POLICY
    else:
        out["Content-Security-Policy"] = PAGE_POLICY if mimetype == "text/html" else DATA_POLICY
        out["X-Frame-Options"] = "DENY"  # for browsers that do not know frame-ancestors
    return out


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
        if urls.names_server():
            resp.vary.add("Host")  # the body names this server by the Host it was asked under
        for name, value in security_headers(request.path, resp.mimetype).items():
            h.setdefault(name, value)
        return resp
