"""Replay cached responses at the WSGI layer, before Flask routes anything.

A build is immutable and the server pins the build it started on, so a successful GET
answer with an ETag is the same for every later identical request. Replaying it here
skips routing, content negotiation and compression, which is most of the per-request
cost of the Python stack. The key is the method, path, query string, scheme and mount
point (SCRIPT_NAME), plus the value of every request header the answer varies on (its
`Vary`, and always Accept, Accept-Encoding and Host); a matching If-None-Match gets a 304.
Host, scheme and mount point are always in the key because a body that names the server
(OpenAPI `servers`, VoID, wiki text, the plate's links) is built from them unless
GDI_GRAPH_PUBLIC_URL is set: one server behind a proxy often has an internal and a public
name, and each must get its own URLs. X-Forwarded-* headers are not in the key because the
app does not read them (it trusts no proxy; set the public URL instead).

A SPARQL query sent by POST (as `application/sparql-query` or a form) is as safe as a GET,
so it is keyed by its body too and replayed when the app marked its answer as a query
result (`X-Cache`). Anything else, and any answer that is not such a 200, goes through
the app untouched.
"""

from __future__ import annotations

from collections import OrderedDict
from io import BytesIO
from threading import Lock

ALWAYS_VARY = ("HTTP_ACCEPT", "HTTP_ACCEPT_ENCODING", "HTTP_HOST")
QUERY_POSTS = ("application/sparql-query", "application/x-www-form-urlencoded")
KEEP_ON_304 = ("etag", "cache-control", "vary", "access-control-allow-origin", "access-control-expose-headers",
               "x-content-type-options", "referrer-policy", "content-security-policy", "x-frame-options")
ROUTE = "gdi_graph.route"  # environ: the URL rule that answered (set by the app, restored on a replay)
REPLAYED = "gdi_graph.replay"  # environ: "hit" when answered here, "miss" when looked up and not found


def _environ_name(header: str) -> str:
    return "HTTP_" + header.strip().upper().replace("-", "_")


class ResponseReplay:
    def __init__(self, app, max_entries: int = 2048, max_bytes: int = 64 * 2**20, max_body: int = 4 * 2**20,
                 generation=lambda: None):
        self.app = app
        self.generation = generation  # the digest of the build served: answers of an older one never replay
        self.max_entries, self.max_bytes, self.max_body = max_entries, max_bytes, max_body
        self.entries: OrderedDict = OrderedDict()
        self.vary: dict[tuple, tuple[str, ...]] = {}  # (method, path, query) -> environ names varied on
        self.routes: dict[tuple, str] = {}  # resource -> the app's route, for the metrics of a replay
        self.size = 0
        self.lock = Lock()

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD")
        resource = (method, environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""), self.generation())
        resource += (environ.get("wsgi.url_scheme", ""), environ.get("SCRIPT_NAME", ""))
        if method == "POST":
            body = self._query_body(environ)
            if body is None:
                return self.app(environ, start_response)
            resource += (environ.get("CONTENT_TYPE", ""), body)
        elif method != "GET":
            return self.app(environ, start_response)
        names = self.vary.get(resource)
        if names is not None:
            key = resource + tuple(environ.get(n, "") for n in names)
            with self.lock:
                hit = self.entries.get(key)
                if hit is not None:
                    self.entries.move_to_end(key)
            if hit is not None:
                environ[REPLAYED] = "hit"
                environ[ROUTE] = self.routes.get(resource, "")
                return self._replay(hit, environ, start_response)
        environ[REPLAYED] = "miss"
        return self._record(resource, environ, start_response)

    def _query_body(self, environ) -> bytes | None:
        """The body of a query POST, read and put back for the app; None for other POSTs."""
        kind = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        try:
            length = int(environ.get("CONTENT_LENGTH") or -1)
        except ValueError:
            return None
        if kind not in QUERY_POSTS or not 0 <= length <= 256 * 1024:
            return None
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = BytesIO(body)
        return body

    def _replay(self, hit, environ, start_response):
        status, headers, body, etag = hit
        tags = [t.strip().removeprefix("W/") for t in environ.get("HTTP_IF_NONE_MATCH", "").split(",")]
        if etag and ("*" in tags or etag.removeprefix("W/") in tags):
            start_response("304 Not Modified", [(k, v) for k, v in headers if k.lower() in KEEP_ON_304])
            return [b""]
        start_response(status, headers)
        return [body]

    def _record(self, resource, environ, start_response):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        chunks = self.app(environ, capture)
        try:
            body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        self._store(resource, environ, captured.get("status", ""), captured.get("headers", []), body)
        return [body]

    def _store(self, resource, environ, status, headers, body) -> None:
        if not status.startswith("200") or len(body) > self.max_body:
            return
        lower = {k.lower(): v for k, v in headers}
        if "set-cookie" in lower:
            return
        if resource[0] == "GET" and ("etag" not in lower or "public" not in lower.get("cache-control", "")):
            return
        if resource[0] == "POST" and "x-cache" not in lower:
            return
        varied = {_environ_name(h) for h in lower.get("vary", "").split(",") if h.strip() and h.strip() != "*"}
        if "*" in lower.get("vary", ""):
            return
        names = tuple(sorted(varied | set(ALWAYS_VARY)))
        key = resource + tuple(environ.get(n, "") for n in names)
        replay_headers = [(k, "hit" if k.lower() == "x-cache" else v) for k, v in headers]
        with self.lock:
            if len(self.vary) > 8 * self.max_entries:
                self.vary.clear()  # bound the index too; evicted answers are simply recorded again
                self.routes.clear()
            if self.vary.get(resource, names) != names:
                return  # the same resource varying on other headers than before: leave it to the app
            self.vary[resource] = names
            self.routes[resource] = environ.get(ROUTE, "")
            if key not in self.entries:
                self.entries[key] = (status, replay_headers, body, lower.get("etag", ""))
                self.size += len(body)
            while len(self.entries) > self.max_entries or self.size > self.max_bytes:
                _, (_, _, old, _) = self.entries.popitem(last=False)
                self.size -= len(old)
