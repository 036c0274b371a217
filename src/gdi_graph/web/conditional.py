"""Conditional GET with one ETag scheme for every route.

The served graph is immutable per build, so a representation's validator is a hash of the
build's digest, the code version and whatever else the body depends on (path, query string,
format, host). `If-None-Match` is answered with 304 before any work. ETags are weak because
flask-compress may re-encode the body.
"""

from __future__ import annotations

import hashlib
from typing import Callable

from flask import Response, request

from gdi_graph import __version__
from gdi_graph.web.state import state


def etag(*parts: object) -> str:
    """A validator for one representation of one build: changes with the data, the code and the parts."""
    digest = state().digest
    h = hashlib.sha256("\0".join([digest, __version__, *map(str, parts)]).encode()).hexdigest()
    return f"{digest[:16]}-{h[:12]}"


def fresh(tag: str) -> bool:
    """The client already has this representation (If-None-Match, weak comparison)."""
    return request.method in ("GET", "HEAD") and request.if_none_match.contains_weak(tag)


def not_modified(tag: str, vary: str | None = None) -> Response:
    resp = Response(status=304)
    resp.set_etag(tag, weak=True)
    if vary:
        resp.headers["Vary"] = vary
    return resp


def conditional(parts: tuple, make: Callable[[], Response], vary: str | None = None) -> Response:
    """304 when the client's copy is current, else `make()` with the ETag (and Vary) set."""
    tag = etag(*parts)
    if fresh(tag):
        return not_modified(tag, vary)
    resp = make()
    if request.method in ("GET", "HEAD"):
        resp.set_etag(tag, weak=True)
    if vary:
        resp.headers["Vary"] = vary
    return resp
