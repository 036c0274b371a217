"""What an operator watches: /metrics in the Prometheus text format and one access-log line
per request.

The outermost WSGI layer (`Observed`) sees every request, also those the replay layer
answers before Flask runs, and records its route (the URL rule, never the raw path, so
label values stay few), status, duration and how it was answered: `replay` (the replay
layer), `hit` / `miss` (the query cache, from `X-Cache`) or `-`. Counters kept elsewhere
— executor restarts and timeouts, query-cache hits and misses — are carried into
Prometheus counters as they grow, so every number is a real counter.

Processes: each Granian worker is its own process with its own counters. With one worker
(the default) that is all there is. With several, `gdi-graph serve` sets
PROMETHEUS_MULTIPROC_DIR to a private folder before the workers start, and prometheus_client
keeps the values in files there that /metrics sums over every worker (its multiprocess
mode); without that a scrape would see one random worker.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
import weakref

from flask import Blueprint, Flask, Response, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client import REGISTRY as DEFAULT_REGISTRY

from gdi_graph import __version__
from gdi_graph.web.replay import REPLAYED, ROUTE

bp = Blueprint("metrics", __name__)
access = logging.getLogger("gdi_graph.access")
MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

REQUESTS = Counter("gdi_graph_http_requests", "HTTP requests answered, by route, method and status",
                   ["route", "method", "status"])
LATENCY = Histogram("gdi_graph_http_request_duration_seconds", "Time to answer a request, by route", ["route"],
                    buckets=BUCKETS)
CACHE = Counter("gdi_graph_cache_lookups", "Cache lookups: the replay layer before Flask and the query cache",
                ["cache", "result"])
TIMEOUTS = Counter("gdi_graph_query_timeouts", "User queries stopped at the time limit")
RESTARTS = Counter("gdi_graph_executor_restarts", "Query worker processes replaced (after a timeout or a crash)")
BUILD = Gauge("gdi_graph_build_info", "The build served (value 1), by digest and package version",
              ["digest", "version"], multiprocess_mode="max")


class _Carried:
    """Carries counters kept by other objects (per build: an executor, a cache) into
    Prometheus counters, adding only what grew since last seen."""

    def __init__(self):
        self.seen: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self.digest: str | None = None
        self.lock = threading.Lock()
        self.last = 0.0

    def add(self, owner, name: str, value: int, counter) -> None:
        seen = self.seen.setdefault(owner, {})
        grown = value - seen.get(name, 0)
        if grown > 0:
            counter.inc(grown)
        seen[name] = value

    def sync(self, st, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < 1.0:
            return
        with self.lock:
            self.last = now
            try:
                backend, cache, digest = st.backend, st.cache, st.digest
            except Exception:  # no build to look at (yet); nothing to carry
                return
            executor = getattr(backend, "executor", None)
            if executor is not None:
                self.add(executor, "restarts", executor.restarts, RESTARTS)
                self.add(executor, "timeouts", getattr(executor, "timeouts", 0), TIMEOUTS)
            self.add(cache, "hits", cache.hits, CACHE.labels("query", "hit"))
            self.add(cache, "misses", cache.misses, CACHE.labels("query", "miss"))
            if digest != self.digest:
                if self.digest is not None:
                    BUILD.labels(self.digest, __version__).set(0)
                BUILD.labels(digest, __version__).set(1)
                self.digest = digest


carried = _Carried()


class Observed:
    """The outermost WSGI layer: counts, times and (optionally) logs every request."""

    def __init__(self, app, flask_app: Flask, access_log: bool = False):
        self.app = app
        self.flask_app = flask_app
        self.access_log = access_log

    def __call__(self, environ, start_response):
        start = time.perf_counter()
        seen: dict = {}

        def capture(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info)

        body = self.app(environ, capture)
        self._record(environ, seen, time.perf_counter() - start)
        return body

    def _record(self, environ, seen: dict, seconds: float) -> None:
        status = seen.get("status", "500")[:3]
        headers = {k.lower(): v for k, v in seen.get("headers", [])}
        route = environ.get(ROUTE) or "unmatched"
        replayed = environ.get(REPLAYED)
        cache = "replay" if replayed == "hit" else headers.get("x-cache", "-")
        method = environ.get("REQUEST_METHOD", "")
        REQUESTS.labels(route, method, status).inc()
        LATENCY.labels(route).observe(seconds)
        if replayed:
            CACHE.labels("replay", "hit" if replayed == "hit" else "miss").inc()
        carried.sync(self.flask_app.extensions["gdi_graph"])
        if self.access_log:
            now = time.time()
            access.info(json.dumps({
                "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now * 1000) % 1000:03d}Z",
                "remote": environ.get("REMOTE_ADDR", ""), "method": method, "path": environ.get("PATH_INFO", ""),
                "query": environ.get("QUERY_STRING", ""), "route": route, "status": int(status),
                "ms": round(seconds * 1000, 2), "cache": cache, "bytes": int(headers.get("content-length") or 0),
            }, ensure_ascii=False))


def registry() -> CollectorRegistry:
    """What /metrics shows: this process's registry, or every worker's in multiprocess mode."""
    if not MULTIPROCESS:
        return DEFAULT_REGISTRY
    from prometheus_client import multiprocess

    collected = CollectorRegistry()
    multiprocess.MultiProcessCollector(collected)
    return collected


@bp.get("/metrics")
def metrics():
    from flask import current_app

    carried.sync(current_app.extensions["gdi_graph"], force=True)
    resp = Response(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
    resp.headers["Cache-Control"] = "no-store"
    return resp


def install(app: Flask, access_log: bool = False) -> None:
    """/metrics, the route of each request in its WSGI environ, and the observing layer."""
    app.register_blueprint(bp)

    @app.before_request
    def _route():
        rule = request.url_rule
        request.environ[ROUTE] = rule.rule if rule is not None else "unmatched"

    if access_log and not access.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        access.addHandler(handler)
        access.setLevel(logging.INFO)
        access.propagate = False
    app.wsgi_app = Observed(app.wsgi_app, app, access_log)


def outermost(app: Flask) -> None:
    """Move the observing layer outside the WSGI layers added after `install` (the replay
    layer), so that replayed answers are counted and logged too."""
    wrapper = app.wsgi_app
    if isinstance(wrapper, Observed):
        return
    inner, parent = wrapper, None
    while inner is not None and not isinstance(inner, Observed):
        parent, inner = inner, getattr(inner, "app", None)
    if inner is None:
        return
    parent.app = inner.app  # take it out of the chain …
    inner.app = wrapper  # … and put it around everything
    app.wsgi_app = inner
