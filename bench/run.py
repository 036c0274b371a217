"""Benchmark: gdi-graph's SPARQL endpoint against Oxigraph server and rdflib-endpoint.

    .venv/bin/python bench/run.py [--quick]

Starts three servers on free loopback ports, sends them identical SPARQL (every named
query in queries/*.rq with its example values inlined, plus a few heavy queries), and
measures sequential latency (median, p95; interleaved rounds) and throughput with 8
concurrent clients (interleaved by server). Writes bench/results.md and bench/results.json.
See bench/README.md for what is measured and how to read it. Not a test: it asserts
nothing, it reports (row-count mismatches included).

Every loop is bounded in count and in time, and only loopback addresses are contacted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import math
import multiprocessing
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"

SELECT_ACCEPT = "application/sparql-results+json"
GRAPH_ACCEPT = "application/n-triples"

GDI, GDI_UNCACHED, OXI, RDFLIB = "gdi-graph", "gdi-graph uncached", "oxigraph", "rdflib-endpoint"

# The bar of issue 3: median at most 1.25x Oxigraph server's or 1 ms above it, whichever is larger.
BAR_FACTOR, BAR_SLACK_MS = 1.25, 1.0

PREFIXES = """PREFIX gdi:  <https://w3id.org/gdi-graph/def#>
PREFIX dct:  <http://purl.org/dc/terms/>
PREFIX qb:   <http://purl.org/linked-data/cube#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

# Heavy queries, beyond the named ones. Kept here (not in queries/) so they are not served.
HEAVY = {
    "heavy-join": ("observations x indicators x tables x voorzieningen", PREFIXES + """
SELECT ?voorziening ?groep ?titel ?indicator ?jaar ?waarde ?eenheid WHERE {
  ?obs a qb:Observation ; gdi:indicator ?ind ; gdi:jaar ?jaar ; gdi:eenheid ?eenheid ; dct:source ?tabel .
  OPTIONAL { ?obs gdi:waarde ?waarde }
  ?ind skos:prefLabel ?indicator ; gdi:voorziening ?v .
  ?tabel a gdi:Tabel ; dct:title ?titel ; gdi:voorziening ?v ; dct:isPartOf ?rapport .
  ?v skos:prefLabel ?voorziening .
  OPTIONAL { ?v gdi:functioneleGroep/skos:prefLabel ?groep FILTER (LANG(?groep) = "nl") }
}
ORDER BY ?voorziening ?titel ?indicator ?jaar
"""),
    "heavy-aggregate": ("GROUP BY table with COUNT, SUM, AVG, MIN, MAX", PREFIXES + """
SELECT ?tabel ?titel (COUNT(?obs) AS ?waarnemingen) (COUNT(?waarde) AS ?metWaarde) (SUM(?waarde) AS ?som)
       (AVG(?waarde) AS ?gemiddelde) (MIN(?jaar) AS ?eerste) (MAX(?jaar) AS ?laatste)
       (COUNT(DISTINCT ?ind) AS ?indicatoren)
WHERE {
  ?obs a qb:Observation ; dct:source ?tabel ; gdi:jaar ?jaar ; gdi:indicator ?ind .
  OPTIONAL { ?obs gdi:waarde ?waarde }
  ?tabel dct:title ?titel .
}
GROUP BY ?tabel ?titel
ORDER BY DESC(?waarnemingen) ?tabel
"""),
    "heavy-path": ("property paths: verbindingen (^van/naar)+, onderdeelVan*, isDeelVan+", PREFIXES + """
SELECT ?soort ?x ?y WHERE {
  { ?x a gdi:Registratieobject . ?x (^gdi:van/gdi:naar)+ ?y . BIND ("verbinding" AS ?soort) }
  UNION { ?x a gdi:Voorziening . ?x gdi:onderdeelVan* ?y . BIND ("onderdeelVan" AS ?soort) }
  UNION { ?x a gdi:Indicator . ?x gdi:isDeelVan+ ?y . BIND ("isDeelVan" AS ?soort) }
}
ORDER BY ?soort ?x ?y
"""),
    "heavy-filter-optional": ("FILTER over several OPTIONALs", PREFIXES + """
SELECT ?obs ?label ?waarde ?status ?noot WHERE {
  ?obs a qb:Observation ; rdfs:label ?label ; gdi:ruw ?ruw ; gdi:eenheid ?eenheid .
  OPTIONAL { ?obs gdi:waarde ?waarde }
  OPTIONAL { ?obs gdi:cijferstatus ?status }
  OPTIONAL { ?obs gdi:noot ?noot }
  FILTER (!BOUND(?waarde) || ?waarde > 1000 || CONTAINS(LCASE(STR(?label)), "digid") || BOUND(?noot))
}
ORDER BY ?label ?obs
"""),
    "large-select": ("every triple of the union as a SELECT (JSON)", """
SELECT ?s ?p ?o WHERE { ?s ?p ?o }
"""),
    "large-construct": ("every triple of the union as a CONSTRUCT (N-Triples)", """
CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }
"""),
}


# ------------------------------------------------------------------------------------ HTTP client


class Conn:
    """A minimal HTTP/1.1 keep-alive client: pre-encoded requests, Content-Length or chunked bodies.

    Lighter than http.client (fewer Python calls per request), which matters on a small
    machine where the client shares the CPUs with the servers. Its answers are checked
    against http.client's once per target before anything is measured.
    """

    def __init__(self, port: int, timeout: float):
        self.port = port
        self.timeout = timeout
        self.sock: socket.socket | None = None
        self.last_used = 0.0

    def connect(self) -> None:
        self.close()
        sock = socket.create_connection((HOST, self.port), timeout=self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = sock
        self.last_used = time.perf_counter()

    def close(self) -> None:
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
            self.sock = None

    def fresh(self, idle: float = 1.0) -> None:
        """Reconnect (untimed) when idle long enough that the server may have dropped the connection."""
        if self.sock is None or time.perf_counter() - self.last_used > idle:
            self.connect()

    def roundtrip(self, request: bytes) -> tuple[int, bytes]:
        sock = self.sock
        if sock is None:
            self.connect()
            sock = self.sock
        sock.sendall(request)
        buf = bytearray()
        while True:
            end = buf.find(b"\r\n\r\n")
            if end >= 0:
                break
            chunk = sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed before the response head")
            buf += chunk
        head = bytes(buf[:end]).decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        headers = {}
        for line in head[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        pos = end + 4
        if "content-length" in headers:
            need = pos + int(headers["content-length"])
            while len(buf) < need:
                chunk = sock.recv(max(65536, need - len(buf)))
                if not chunk:
                    raise ConnectionError("connection closed inside the body")
                buf += chunk
            body = bytes(buf[pos:need])
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                while True:
                    eol = buf.find(b"\r\n", pos)
                    if eol >= 0:
                        break
                    chunk = sock.recv(65536)
                    if not chunk:
                        raise ConnectionError("connection closed inside a chunk size")
                    buf += chunk
                size = int(bytes(buf[pos:eol]).split(b";")[0], 16)
                pos = eol + 2
                need = pos + size + 2
                while len(buf) < need:
                    chunk = sock.recv(max(65536, need - len(buf)))
                    if not chunk:
                        raise ConnectionError("connection closed inside a chunk")
                    buf += chunk
                if size == 0:
                    break  # no trailers are sent by these servers
                parts.append(bytes(buf[pos:pos + size]))
                pos = need
                if pos > 1 << 20:  # keep the buffer small on large streamed bodies
                    del buf[:pos]
                    pos = 0
            body = b"".join(parts)
        elif status in (204, 304) or 100 <= status < 200:
            body = b""
        else:  # body until close
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                buf += chunk
            body = bytes(buf[pos:])
            self.close()
        if headers.get("connection", "").lower() == "close":
            self.close()
        self.last_used = time.perf_counter()
        return status, body


def encode_request(method: str, port: int, path: str, accept: str, body: bytes | None = None,
                   content_type: str | None = None) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", f"Accept: {accept}", "User-Agent: gdi-graph-bench"]
    if body is not None:
        lines += [f"Content-Type: {content_type}", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b"")


# ------------------------------------------------------------------------------------ targets


@dataclass
class Target:
    """One server's way of asking one row's question."""

    row: str
    server: str
    port: int
    method: str
    path: str
    accept: str
    body: bytes | None = None  # SPARQL text for POST application/sparql-query
    bust: bool = False  # append a unique comment to every request (defeats gdi-graph's response cache)
    samples: list[float] = field(default_factory=list)  # seconds
    errors: list[str] = field(default_factory=list)
    rows: int | None = None
    distinct_rows: int | None = None
    body_bytes: int | None = None
    skipped: str | None = None  # why this target was not (fully) measured
    spent: float = 0.0
    throughput: dict | None = None
    b2b: list[float] = field(default_factory=list)  # back-to-back samples (seconds)
    _counter: int = 0

    def request(self) -> bytes:
        body, path = self.body, self.path
        if self.bust:
            self._counter += 1
            body, path = busted(body, path, f"{os.getpid()} {self._counter} {time.perf_counter_ns()}")
        return encode_request(self.method, self.port, path, self.accept, body,
                              "application/sparql-query" if body is not None else None)

    def spec(self) -> tuple:
        """What a client process needs to send it (picklable)."""
        return (self.port, self.method, self.path, self.accept, self.body, self.bust)


@dataclass
class Row:
    name: str
    kind: str  # named, route, heavy
    description: str
    form: str  # SELECT or CONSTRUCT
    text: str
    targets: dict[str, Target] = field(default_factory=dict)
    reference: str | None = None  # for a route row: the row whose Oxigraph / rdflib numbers it compares to


def count_rows(body: bytes, accept: str) -> tuple[int | None, int | None]:
    if accept == SELECT_ACCEPT:
        data = json.loads(body)
        if "boolean" in data:
            return 1, 1
        bindings = data["results"]["bindings"]
        return len(bindings), len({json.dumps(b, sort_keys=True) for b in bindings})
    lines = [ln for ln in body.decode("utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    return len(lines), len(set(lines))


def canonical(body: bytes, accept: str):
    """A comparable form of an answer (order-insensitive, blank node labels ignored)."""
    if accept == SELECT_ACCEPT:
        data = json.loads(body)
        if "boolean" in data:
            return data["boolean"]
        out = []
        for b in data["results"]["bindings"]:
            row = {}
            for k, v in b.items():
                v = dict(v)
                if v.get("type") == "bnode":
                    v["value"] = "_"
                if v.get("type") == "typed-literal":  # older JSON results spelling
                    v["type"] = "literal"
                row[k] = v
            out.append(json.dumps(row, sort_keys=True))
        return sorted(out)
    return sorted(ln for ln in body.decode("utf-8").splitlines() if ln.strip() and not ln.startswith("#"))


def busted(body: bytes | None, path: str, tag: str) -> tuple[bytes | None, str]:
    """The same query with a unique trailing comment: in the POST body, or in the GET query string."""
    comment = f"\n# bench {tag}\n"
    if body is not None:
        return body + comment.encode(), path
    return body, path + quote(comment)


def build_rows(ports: dict[str, int], with_rdflib: bool, method: str = "POST") -> list[Row]:
    from gdi_graph.query.named import load_queries
    from gdi_graph.query.sparqltext import analyse, with_values

    rows: list[Row] = []

    def sparql_targets(row: Row) -> None:
        accept = SELECT_ACCEPT if row.form in ("SELECT", "ASK") else GRAPH_ACCEPT
        if method == "GET":  # the query in the query string, percent-encoded; no body
            body, qs = None, "?query=" + quote(row.text, safe="")
        else:  # POST application/sparql-query
            body, qs = row.text.encode("utf-8"), ""
        row.targets[GDI] = Target(row.name, GDI, ports[GDI], method, "/sparql" + qs, accept, body)
        row.targets[GDI_UNCACHED] = Target(row.name, GDI_UNCACHED, ports[GDI], method, "/sparql" + qs, accept, body,
                                           bust=True)
        row.targets[OXI] = Target(row.name, OXI, ports[OXI], method, "/query" + qs, accept, body)
        if with_rdflib:
            row.targets[RDFLIB] = Target(row.name, RDFLIB, ports[RDFLIB], method, "/sparql" + qs, accept, body)

    named = load_queries(ROOT / "queries")
    for q in named.values():
        values = {var.value: str(term) for var, term in q.bind(q.example).items()}
        text = with_values(q.text, analyse(q.text), values)
        row = Row(q.name, "named", q.title, q.form, text)
        sparql_targets(row)
        rows.append(row)
    for name, (description, text) in HEAVY.items():
        form = "CONSTRUCT" if text.lstrip().upper().startswith("CONSTRUCT") else "SELECT"
        row = Row(name, "heavy", description, form, text.strip() + "\n")
        sparql_targets(row)
        rows.append(row)
    for q in named.values():
        path = f"/queries/{q.name}" + ("?" + urlencode(q.example) if q.example else "")
        accept = SELECT_ACCEPT if q.form in ("SELECT", "ASK") else GRAPH_ACCEPT
        row = Row(f"{q.name} (route)", "route", f"GET {path}", q.form, "", reference=q.name)
        row.targets[GDI] = Target(row.name, GDI, ports[GDI], "GET", path, accept)
        rows.append(row)
    return rows


# ------------------------------------------------------------------------------------ servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, name: str, argv: list[str], port: int, logdir: Path, env: dict | None = None):
        self.name, self.argv, self.port = name, argv, port
        self.log = logdir / f"{name}.log"
        self.env = env
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        out = open(self.log, "wb")
        self.proc = subprocess.Popen(self.argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     cwd=ROOT, env=self.env, start_new_session=True)
        out.close()

    def stop(self) -> None:
        """SIGTERM to the server's own process group (its workers too), SIGKILL after 15 s."""
        if self.proc is None:
            return
        pgid = self.proc.pid  # start_new_session: the group id is the server's pid
        for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
            try:
                os.killpg(pgid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(wait)
            except subprocess.TimeoutExpired:
                continue
            # the leader is gone; make sure no member of its group lingers
            try:
                os.killpg(pgid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.5)
        self.proc = None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, n: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


def http_call(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
              timeout: float = 30.0) -> tuple[int, bytes]:
    import http.client

    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def wait_ready(server: Server, probe, deadline_s: float) -> float:
    start = time.monotonic()
    last = None
    while time.monotonic() - start < deadline_s:
        if not server.alive():
            raise RuntimeError(f"{server.name} exited while starting; log {server.log}:\n{server.log_tail()}")
        try:
            if probe():
                return time.monotonic() - start
        except OSError as exc:
            last = exc
        time.sleep(0.2)
    raise RuntimeError(f"{server.name} did not answer within {deadline_s:g} s (last error {last!r}); "
                       f"log {server.log}:\n{server.log_tail()}")


ASK = b"ASK { ?s ?p ?o }"
COUNT_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
COUNT_UNION = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def sparql_count(port: int, path: str, text: str) -> int:
    status, body = http_call(port, "POST", path, text.encode(),
                             {"Content-Type": "application/sparql-query", "Accept": SELECT_ACCEPT}, timeout=120)
    if status != 200:
        raise RuntimeError(f"count query on port {port} answered {status}: {body[:300]!r}")
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


# ------------------------------------------------------------------------------------ measurement


def measure_once(conn: Conn, target: Target) -> tuple[float, int, bytes]:
    conn.fresh()
    request = target.request()
    t0 = time.perf_counter()
    status, body = conn.roundtrip(request)
    return time.perf_counter() - t0, status, body


def verify(rows: list[Row], conns: dict[str, Conn], warmup: int, slow_s: float, log) -> None:
    """Warm every target up, count its answer's rows and check the light client against http.client."""
    for row in rows:
        for target in row.targets.values():
            conn = conns[target.server]
            for i in range(warmup):
                try:
                    elapsed, status, body = measure_once(conn, target)
                except (OSError, ValueError) as exc:
                    conn.close()
                    target.errors.append(f"warm-up: {type(exc).__name__}: {exc}")
                    target.skipped = f"error ({type(exc).__name__})"
                    break
                if status != 200:
                    target.errors.append(f"warm-up: HTTP {status}: {body[:300].decode('utf-8', 'replace')}")
                    target.skipped = f"HTTP {status}"
                    break
                if i == 0:
                    target.rows, target.distinct_rows = count_rows(body, target.accept)
                    target.body_bytes = len(body)
                    if not target.bust and elapsed <= slow_s:  # not worth repeating a slow answer
                        req = target.request()
                        head, _, payload = req.partition(b"\r\n\r\n")
                        hdrs = {"Accept": target.accept}
                        if target.body is not None:
                            hdrs["Content-Type"] = "application/sparql-query"
                        st2, body2 = http_call(target.port, target.method, target.path,
                                               payload if target.body is not None else None, hdrs, timeout=120)
                        if st2 != status or canonical(body2, target.accept) != canonical(body, target.accept):
                            target.errors.append("the light client and http.client got different answers")
                if elapsed > slow_s:
                    target.skipped = f"slow ({elapsed:.1f} s per request): fewer samples"
                    target.samples.append(elapsed)  # a slow server's warm-up is not faster than its rounds
                    target.spent += elapsed
                    break
        log(f"  verified {row.name}: " + ", ".join(
            f"{t.server}={t.rows if t.rows is not None else t.skipped}" for t in row.targets.values()))


def sequential(rows: list[Row], conns: dict[str, Conn], rounds: int, budget_s: float, min_samples: int,
               deadline: float, log) -> int:
    """Interleaved rounds: per round, per row, every server once, in an order that rotates."""
    done = 0
    for r in range(rounds):
        if time.monotonic() > deadline:
            log(f"  stopping sequential rounds at {r} of {rounds}: time limit reached")
            break
        for i, row in enumerate(rows):
            targets = list(row.targets.values())
            k = (r + i) % len(targets)
            for target in targets[k:] + targets[:k]:
                if target.skipped and not target.skipped.startswith("slow"):
                    continue
                n = len(target.samples)
                if n and target.spent > budget_s and (n >= min_samples or target.spent / n > budget_s / min_samples):
                    continue  # a slow server (rdflib) gets fewer samples than the fast ones, at least one
                conn = conns[target.server]
                try:
                    elapsed, status, body = measure_once(conn, target)
                except (OSError, ValueError) as exc:
                    conn.close()
                    target.errors.append(f"round {r}: {type(exc).__name__}: {exc}")
                    continue
                target.spent += elapsed
                if status != 200:
                    target.errors.append(f"round {r}: HTTP {status}")
                    continue
                target.samples.append(elapsed)
        done = r + 1
        if (r + 1) % 5 == 0 or r + 1 == rounds:
            log(f"  sequential round {r + 1}/{rounds}")
    return done


def back_to_back(rows: list[Row], conns: dict[str, Conn], n: int, budget_s: float, deadline: float, log) -> None:
    """Sequential latency without idle gaps: n requests in a row to one server, servers interleaved per row.

    In the interleaved rounds every request reaches a server that has been idle while the
    others answered; a Python server pays more for waking up than a Rust one. This shows
    the same latency with the server kept busy (first 2 of each block discarded).
    """
    for i, row in enumerate(rows):
        if time.monotonic() > deadline:
            log(f"  stopping back-to-back before {row.name}: time limit reached")
            break
        targets = [t for name, t in row.targets.items() if name in (GDI, OXI) and not t.skipped]
        k = i % len(targets) if targets else 0
        for target in targets[k:] + targets[:k]:
            conn = conns[target.server]
            start = time.monotonic()
            for j in range(n + 2):
                if j > 2 and time.monotonic() - start > budget_s:
                    break
                try:
                    elapsed, status, _ = measure_once(conn, target)
                except (OSError, ValueError) as exc:
                    conn.close()
                    target.errors.append(f"back-to-back: {type(exc).__name__}: {exc}")
                    break
                if j >= 2 and status == 200:
                    target.b2b.append(elapsed)
    log("  back-to-back done")


# Throughput: client processes that each keep one connection per server and hammer one target.


def _client_loop(spec: tuple, start_at: float, end_at: float, conns: dict, ident: str) -> dict:
    port, method, path, accept, body, bust = spec
    conn = conns.get(port)
    if conn is None:
        conn = conns[port] = Conn(port, timeout=60)
    conn.fresh(idle=0.5)
    fixed = None if bust else encode_request(method, port, path, accept, body,
                                             "application/sparql-query" if body is not None else None)
    ok = errors = nbytes = 0
    counter = 0
    first_error = None
    now = time.time()
    if start_at > now:
        time.sleep(start_at - now)
    last = time.time()
    while last < end_at:
        if fixed is None:
            counter += 1
            b, pth = busted(body, path, f"{ident} {counter}")
            req = encode_request(method, port, pth, accept, b, "application/sparql-query" if b is not None else None)
        else:
            req = fixed
        try:
            status, data = conn.roundtrip(req)
        except (OSError, ValueError) as exc:
            conn.close()
            errors += 1
            first_error = first_error or f"{type(exc).__name__}: {exc}"
            last = time.time()
            continue
        last = time.time()
        if status == 200:
            ok += 1
            nbytes += len(data)
        else:
            errors += 1
            first_error = first_error or f"HTTP {status}"
    return {"ok": ok, "errors": errors, "bytes": nbytes, "end": last, "first_error": first_error}


def _client_process(pipe) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    conns: dict = {}
    while True:
        try:
            task = pipe.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        spec, start_at, end_at = task
        try:
            pipe.send(_client_loop(spec, start_at, end_at, conns, f"p{os.getpid()}"))
        except BaseException as exc:  # always answer, so the parent never waits forever
            pipe.send({"ok": 0, "errors": 1, "bytes": 0, "end": time.time(), "first_error": repr(exc)})


class ClientPool:
    """N concurrent clients as processes (default) or as threads of this process."""

    def __init__(self, n: int, mode: str = "processes"):
        self.n, self.mode = n, mode
        self.pipes, self.procs = [], []
        if mode == "processes":
            ctx = multiprocessing.get_context("fork")
            for _ in range(n):
                parent, child = ctx.Pipe()
                p = ctx.Process(target=_client_process, args=(child,), daemon=True)
                p.start()
                child.close()
                self.pipes.append(parent)
                self.procs.append(p)
        else:
            self.thread_conns = [dict() for _ in range(n)]

    def run(self, spec: tuple, seconds: float) -> dict:
        start_at = time.time() + 0.2
        end_at = start_at + seconds
        if self.mode == "processes":
            for pipe in self.pipes:
                pipe.send((spec, start_at, end_at))
            results = []
            for pipe in self.pipes:
                if not pipe.poll(seconds + 120):
                    raise RuntimeError("a client process did not report back within its time limit")
                results.append(pipe.recv())
        else:
            results = [None] * self.n

            def work(i):
                results[i] = _client_loop(spec, start_at, end_at, self.thread_conns[i], f"t{i}")

            threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(self.n)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(seconds + 120)
        ok = sum(r["ok"] for r in results)
        errors = sum(r["errors"] for r in results)
        wall = max(r["end"] for r in results) - start_at
        first_error = next((r["first_error"] for r in results if r["first_error"]), None)
        return {"requests": ok, "errors": errors, "seconds": wall, "rps": ok / wall if wall > 0 else 0.0,
                "bytes": sum(r["bytes"] for r in results), "first_error": first_error, "clients": self.n,
                "client_mode": self.mode}

    def close(self) -> None:
        if self.mode == "processes":
            for pipe in self.pipes:
                try:
                    pipe.send(None)
                except OSError:
                    pass
            for p in self.procs:
                p.join(5)
                if p.is_alive():
                    p.kill()
                    p.join(5)


def throughput(rows: list[Row], pool: ClientPool, seconds: float, rdflib_max_median_s: float, deadline: float,
               log) -> None:
    for i, row in enumerate(rows):
        if time.monotonic() > deadline:
            log(f"  stopping throughput before {row.name}: time limit reached")
            break
        targets = list(row.targets.values())
        k = i % len(targets)
        for target in targets[k:] + targets[:k]:
            if target.skipped and not target.skipped.startswith("slow"):
                continue
            median = statistics.median(target.samples) if target.samples else None
            if target.server == RDFLIB and (median is None or median > rdflib_max_median_s):
                # 8 queued requests on a single-threaded server would outlast the window many times over
                target.throughput = {"skipped": f"median {median * 1000:.0f} ms: too slow for a {seconds:g} s window"
                                     if median else "no samples"}
                continue
            target.throughput = pool.run(target.spec(), seconds)
        log(f"  throughput {row.name}: " + ", ".join(
            f"{t.server}={t.throughput['rps']:.0f}/s" if t.throughput and "rps" in t.throughput else f"{t.server}=-"
            for t in targets))


def gunicorn_workers(gdi_args: str) -> int:
    parts = gdi_args.split()
    for i, a in enumerate(parts):
        if a == "--workers" and i + 1 < len(parts):
            return int(parts[i + 1])
        if a.startswith("--workers="):
            return int(a.split("=", 1)[1])
    return 1


def http_servers() -> list[str]:
    """The Python HTTP servers installed here that the floors can run on."""
    return [name for name in ("gunicorn", "granian") if (BIN / name).exists()]


def gdi_http_server() -> str:
    """Which HTTP server `gdi-graph serve` uses, as its help text names it (gunicorn if unsure)."""
    try:
        text = subprocess.run([str(BIN / "gdi-graph"), "--help"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return "gunicorn"
    return "granian" if "granian" in text.lower() else "gunicorn"


def floor_argv(server: str, app: str, port: int, workers: int) -> list[str]:
    """A no-op app under `server` with gdi-graph's settings (1 worker unless told, 16 request threads)."""
    if server == "granian":
        return [str(BIN / "granian"), "--interface", "wsgi", "--http", "1", "--no-ws", "--host", HOST, "--port",
                str(port), "--workers", str(workers), "--blocking-threads", "16", "--working-dir", str(BENCH),
                "--log-level", "error", app]
    return [str(BIN / "gunicorn"), "--chdir", str(BENCH), "--worker-class", "gthread", "--threads", "16",
            "--workers", str(workers), "--bind", f"{HOST}:{port}", "--log-level", "warning", app]


def floors(ports: dict[str, int], pool: ClientPool, workers: int, rounds: int, seconds: float, logdir: Path,
           log, method: str = "POST") -> dict:
    """The cheapest request each stack can answer: `ASK {}` on gdi-graph (cached) and Oxigraph, and no-op
    apps (bench/floor_apps.py) under each installed Python HTTP server with gdi-graph's settings.
    Interleaved like the queries."""
    extra = {}
    servers = []
    for http in http_servers():
        for kind, app in (("WSGI", "floor_apps:noop_app"), ("Flask", "floor_apps:flask_noop")):
            name = f"{http} no-op {kind}"
            port = free_port()
            servers.append(Server(name.replace(" ", "-"), floor_argv(http, app, port, workers), port, logdir))
            extra[name] = port
    try:
        for srv in servers:
            srv.start()
        for srv in servers:
            wait_ready(srv, lambda srv=srv: http_call(srv.port, "POST", "/sparql", b"ASK {}")[0] == 200, 60)
        body, qs = (None, "?query=ASK%20%7B%7D") if method == "GET" else (b"ASK {}", "")
        targets = [Target("floor", GDI, ports[GDI], method, "/sparql" + qs, SELECT_ACCEPT, body),
                   Target("floor", OXI, ports[OXI], method, "/query" + qs, SELECT_ACCEPT, body)]
        targets += [Target("floor", name, port, method, "/sparql" + qs, SELECT_ACCEPT, body)
                    for name, port in extra.items()]
        conns = {t.server: Conn(t.port, 30) for t in targets}
        for t in targets:  # warm-up (gdi-graph: fills its cache)
            for _ in range(5):
                measure_once(conns[t.server], t)
        for r in range(rounds):
            k = r % len(targets)
            for t in targets[k:] + targets[:k]:
                elapsed, status, _ = measure_once(conns[t.server], t)
                if status == 200:
                    t.samples.append(elapsed)
                else:
                    t.errors.append(f"HTTP {status}")
        for c in conns.values():
            c.close()
        out = {}
        for i, t in enumerate(targets):
            t.throughput = pool.run(t.spec(), seconds)
        for t in targets:
            out[t.server] = {"median_ms": ms(med(t.samples)), "p95_ms": ms(p95(t.samples)), "samples": len(t.samples),
                             "rps": t.throughput["rps"], "errors": len(t.errors) + t.throughput["errors"]}
        log("  floors: " + ", ".join(f"{k} {v['median_ms']:.3f} ms {v['rps']:.0f}/s" for k, v in out.items()))
        return {"workers": workers, "method": method, "results": out}
    finally:
        for srv in servers:
            srv.stop()


# ------------------------------------------------------------------------------------ report


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1000.0


def p95(samples: list[float]) -> float | None:
    if not samples:
        return None
    s = sorted(samples)
    return s[max(0, math.ceil(0.95 * len(s)) - 1)]


def med(samples: list[float]) -> float | None:
    return statistics.median(samples) if samples else None


def summarise(rows: list[Row]) -> list[dict]:
    by_name = {r.name: r for r in rows}
    out = []
    for row in rows:
        ref = by_name[row.reference] if row.reference else row
        g = row.targets.get(GDI)
        gu = row.targets.get(GDI_UNCACHED)
        o = ref.targets.get(OXI)
        rl = ref.targets.get(RDFLIB)
        gm, om = med(g.samples) if g else None, med(o.samples) if o else None
        limit = max(om * BAR_FACTOR, om + BAR_SLACK_MS / 1000) if om is not None else None
        g_tp = g.throughput.get("rps") if g and g.throughput else None
        o_tp = o.throughput.get("rps") if o and o.throughput else None
        latency_ok = gm is not None and limit is not None and gm <= limit
        gb, ob = med(g.b2b) if g else None, med(o.b2b) if o else None
        b2b_limit = max(ob * BAR_FACTOR, ob + BAR_SLACK_MS / 1000) if ob is not None else None
        tput_ok = g_tp is not None and o_tp is not None and g_tp >= o_tp
        counts = {s: t.rows for s, t in (("gdi", g), ("oxigraph", o), ("rdflib", rl)) if t is not None}
        distinct = {s: t.distinct_rows for s, t in (("gdi", g), ("oxigraph", o), ("rdflib", rl)) if t is not None}
        known = {v for v in counts.values() if v is not None}
        out.append({
            "row": row.name, "kind": row.kind, "description": row.description, "form": row.form,
            "reference": row.reference,
            "gdi_median_ms": ms(gm), "gdi_p95_ms": ms(p95(g.samples)) if g else None,
            "gdi_samples": len(g.samples) if g else 0,
            "gdi_uncached_median_ms": ms(med(gu.samples)) if gu else None,
            "gdi_uncached_p95_ms": ms(p95(gu.samples)) if gu else None,
            "oxigraph_median_ms": ms(om), "oxigraph_p95_ms": ms(p95(o.samples)) if o else None,
            "oxigraph_samples": len(o.samples) if o else 0,
            "rdflib_median_ms": ms(med(rl.samples)) if rl else None,
            "rdflib_p95_ms": ms(p95(rl.samples)) if rl else None,
            "rdflib_samples": len(rl.samples) if rl else 0,
            "rdflib_note": rl.skipped if rl else None,
            "latency_ratio": gm / om if gm and om else None,
            "latency_limit_ms": ms(limit),
            "uncached_ratio": (med(gu.samples) / om) if gu and gu.samples and om else None,
            "rdflib_ratio": (med(rl.samples) / om) if rl and rl.samples and om else None,
            "gdi_rps": g_tp, "gdi_uncached_rps": gu.throughput.get("rps") if gu and gu.throughput else None,
            "oxigraph_rps": o_tp, "rdflib_rps": rl.throughput.get("rps") if rl and rl.throughput else None,
            "throughput_ratio": g_tp / o_tp if g_tp and o_tp else None,
            "gdi_b2b_median_ms": ms(gb), "oxigraph_b2b_median_ms": ms(ob), "b2b_limit_ms": ms(b2b_limit),
            "b2b_ratio": gb / ob if gb and ob else None,
            "b2b_latency_ok": gb is not None and b2b_limit is not None and gb <= b2b_limit,
            "latency_ok": latency_ok, "throughput_ok": tput_ok, "bar_met": latency_ok and tput_ok,
            "rows": counts, "distinct_rows": distinct, "rows_agree": len(known) <= 1 and None not in counts.values(),
            "body_bytes": {s: t.body_bytes for s, t in (("gdi", g), ("oxigraph", o), ("rdflib", rl)) if t},
            "errors": {t.server: t.errors[:5] for t in row.targets.values() if t.errors},
            "error_count": {t.server: len(t.errors) for t in row.targets.values() if t.errors},
            "throughput_raw": {t.server: t.throughput for t in row.targets.values() if t.throughput},
        })
    return out


def fmt(v: float | None, digits: int = 2) -> str:
    if v is None:
        return "–"
    if abs(v) >= 100:
        return f"{v:.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.{digits}f}"


def ratio(v: float | None) -> str:
    return "–" if v is None else f"{v:.2f}x"


def render_markdown(meta: dict, summary: list[dict], json_name: str = "bench/results.json") -> str:
    lines = [
        "# gdi-graph endpoint benchmark",
        "",
        f"Produced by `{meta['command']}` on {meta['date']} ({meta['mode']} mode: {meta['rounds_done']} sequential "
        f"rounds, {meta['throughput_seconds']:g} s per throughput window, {meta['clients']} concurrent clients as "
        f"{meta['client_mode']}). Raw numbers: `{json_name}`; method: `bench/README.md`.",
        "",
        f"Machine: {meta['machine']['nproc']} CPUs ({meta['machine']['cpu']}), {meta['machine']['memory']}, "
        f"{meta['machine']['platform']}, Python {meta['machine']['python']}; load average (1/5/15 min) "
        + ", ".join(f"{k} {v}" for k, v in meta["loadavg"]) + ".  ",
        f"Code: git {meta['git_head']} plus uncommitted changes, src/ digest {meta['source_digest']}.  ",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()) + ".  ",
        f"Servers: gdi-graph `{' '.join(meta['servers'][GDI])}` (on {meta.get('gdi_http_server', 'gunicorn')}); Oxigraph `{' '.join(meta['servers'][OXI])}` "
        f"(in memory, {meta['dataset']['oxigraph_quads']} quads loaded with POST /store)"
        + (f"; rdflib-endpoint `{' '.join(meta['servers'][RDFLIB])}`" if RDFLIB in meta["servers"] else "")
        + f". Build {meta['dataset']['digest'][:16]}: {meta['dataset']['gdi_quads']} quads in every server; "
          f"`SELECT * {{ ?s ?p ?o }}` over the default graph gives {meta['dataset']['union_solutions']} solutions on "
          f"gdi-graph, {meta['dataset']['oxigraph_union_solutions']} on Oxigraph"
        + (f", {meta['dataset']['rdflib_union_solutions']} on rdflib-endpoint (a set: triples stated in several "
           f"graphs count once)" if 'rdflib_union_solutions' in meta['dataset'] else "") + ".",
        "",
        "Every server gets the same SPARQL text, sent as " + (
            "`GET ?query=`" if meta.get("sparql_method") == "GET" else "`POST` with `Content-Type: "
            "application/sparql-query`") + "; the `/queries/<name>` rows are GET. "
        "Bar (issue 3): median latency at most max(1.25x Oxigraph's, Oxigraph's + 1 ms), and throughput on repeated "
        "queries at least Oxigraph's. Latencies in ms, client-side, request sent to last body byte read; throughput "
        f"in requests/s with {meta['clients']} clients repeating the same request.",
        "",
        "| query | gdi median | gdi p95 | Oxigraph median | Oxigraph p95 | ratio | limit | gdi uncached median "
        "(ratio) | rdflib median (ratio) | gdi req/s | Oxigraph req/s | req/s ratio | gdi uncached req/s | "
        "rdflib req/s | rows (gdi/oxi/rdflib) | bar |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|:-:|",
    ]
    for s in summary:
        rows = "/".join("–" if s["rows"].get(k) is None else str(s["rows"][k])
                        for k in ("gdi", "oxigraph", "rdflib") if k in s["rows"])
        if s["kind"] == "route":
            rows = f"{s['rows'].get('gdi')} (vs {s['reference']})"
        if not s["rows_agree"] and s["kind"] != "route":
            rows += " **mismatch**"
        unc = "–" if s["gdi_uncached_median_ms"] is None else \
            f"{fmt(s['gdi_uncached_median_ms'])} ({ratio(s['uncached_ratio'])})"
        rl = "–" if s["rdflib_median_ms"] is None or s["kind"] == "route" else \
            f"{fmt(s['rdflib_median_ms'])} ({ratio(s['rdflib_ratio'])})"
        if s["rdflib_note"] and s["rdflib_median_ms"] is not None and s["rdflib_samples"] < 5 and s["kind"] != "route":
            rl += f" n={s['rdflib_samples']}"
        rl_tp = s["throughput_raw"].get(RDFLIB) if s["kind"] != "route" else None
        rl_rps = fmt(s["rdflib_rps"]) if s["rdflib_rps"] is not None else ("slow" if rl_tp else "–")
        verdict = "yes" if s["bar_met"] else "no (" + ", ".join(
            w for w, ok in (("latency", s["latency_ok"]), ("throughput", s["throughput_ok"])) if not ok) + ")"
        name = f"`{s['row']}`" if s["kind"] != "route" else f"`/queries/{s['reference']}`"
        lines.append(
            f"| {name} | {fmt(s['gdi_median_ms'])} | {fmt(s['gdi_p95_ms'])} | {fmt(s['oxigraph_median_ms'])} | "
            f"{fmt(s['oxigraph_p95_ms'])} | {ratio(s['latency_ratio'])} | {fmt(s['latency_limit_ms'])} | {unc} | {rl} | "
            f"{fmt(s['gdi_rps'])} | {fmt(s['oxigraph_rps'])} | {ratio(s['throughput_ratio'])} | "
            f"{fmt(s['gdi_uncached_rps'])} | {rl_rps if s['kind'] != 'route' else '–'} | {rows} | {verdict} |")
    met = sum(1 for s in summary if s["bar_met"])
    lat = sum(1 for s in summary if s["latency_ok"])
    tp = sum(1 for s in summary if s["throughput_ok"])
    lines += ["", f"**Bar met on {met} of {len(summary)} rows** (latency on {lat}, throughput on {tp}).", ""]
    if any(s.get("gdi_b2b_median_ms") for s in summary):
        b2b_ok = sum(1 for s in summary if s.get("b2b_latency_ok"))
        lines += ["## Latency with the server kept busy (back-to-back)", "",
                  f"The same requests, {meta.get('back_to_back', 20)} in a row to one server (after 2 discarded; at "
                  f"most 2 s per block), servers interleaved per query: "
                  "no idle gap before each request. The bar's latency part, judged on these medians, holds on "
                  f"**{b2b_ok} of {len(summary)} rows**.", "",
                  "| query | gdi median | Oxigraph median | ratio | limit | latency part of the bar |",
                  "|---|--:|--:|--:|--:|:-:|"]
        for s in summary:
            name = f"`{s['row']}`" if s["kind"] != "route" else f"`/queries/{s['reference']}`"
            lines.append(f"| {name} | {fmt(s.get('gdi_b2b_median_ms'))} | {fmt(s.get('oxigraph_b2b_median_ms'))} | "
                         f"{ratio(s.get('b2b_ratio'))} | {fmt(s.get('b2b_limit_ms'))} | "
                         f"{'yes' if s.get('b2b_latency_ok') else 'no'} |")
        lines.append("")
    lines += analysis(meta, summary)
    return "\n".join(lines) + "\n"


def analysis(meta: dict, summary: list[dict]) -> list[str]:
    """Facts drawn from the numbers; the profiling behind them is in bench/README.md."""
    out = []
    fl = (meta.get("floors") or {}).get("results")
    used = meta.get("gdi_http_server", "gunicorn")
    if fl:
        w = meta["floors"]["workers"]
        out += ["## Floors: the cheapest request on each stack", "",
                f"`ASK {{}}` ({'GET' if meta['floors'].get('method') == 'GET' else 'POST'}) on gdi-graph (answered "
                f"from its cache; it runs on {used}) and on Oxigraph server, and "
                f"no-op apps (`bench/floor_apps.py`) under each Python HTTP server installed, with gdi-graph's "
                f"settings (16 request threads, {w} worker{'s' if w > 1 else ''}; gunicorn: gthread), measured the "
                f"same way, interleaved.", "",
                "| server | median (ms) | p95 (ms) | req/s (8 clients) |", "|---|--:|--:|--:|"]
        names = {GDI: "gdi-graph, `ASK {}` cached", OXI: "Oxigraph server, `ASK {}`"}
        for k, v in fl.items():
            out.append(f"| {names.get(k, k)} | {fmt(v['median_ms'], 3)} | {fmt(v['p95_ms'], 3)} | {fmt(v['rps'])} |")
        out.append("")
    out += ["## What the numbers say", ""]
    sparql = [s for s in summary if s["kind"] != "route" and s["gdi_median_ms"] and s["oxigraph_median_ms"]]
    if sparql:
        over = sorted(s["gdi_median_ms"] - s["oxigraph_median_ms"] for s in sparql)
        unc = sorted(s["gdi_uncached_median_ms"] - s["oxigraph_median_ms"] for s in sparql
                     if s["gdi_uncached_median_ms"] is not None)
        out.append(f"- Repeated (cached) queries: gdi-graph's median minus Oxigraph's is "
                   f"{statistics.median(over):+.2f} ms at the median row (range {over[0]:+.2f} to {over[-1]:+.2f} ms). "
                   f"Every repeated request after the first is a response-cache hit, so gdi-graph's latency is flat "
                   f"(about the same for every query) while Oxigraph's grows with the query's cost.")
        if unc:
            out.append(f"- Uncached (a unique comment per request defeats the cache): gdi-graph's median minus "
                       f"Oxigraph's is {statistics.median(unc):+.2f} ms at the median row (range {unc[0]:+.2f} to "
                       f"{unc[-1]:+.2f} ms): the web process, the pipe to an executor process and back, on top of "
                       f"the same engine.")
    fails = [s for s in summary if not s["latency_ok"]]
    if fails:
        out.append("- Latency bar missed on " + f"{len(fails)} row(s): " + "; ".join(
            f"`{s['row']}` {fmt(s['gdi_median_ms'])} ms > {fmt(s['latency_limit_ms'])} ms" for s in fails) +
            ". These are the queries Oxigraph answers in about a millisecond, where the whole budget is "
            "Oxigraph's time + 1 ms.")
    tfails = [s for s in summary if not s["throughput_ok"]]
    if tfails:
        out.append(f"- Throughput bar missed on {len(tfails)} row(s), from "
                   f"{ratio(min(s['throughput_ratio'] or 0 for s in tfails))} to "
                   f"{ratio(max(s['throughput_ratio'] or 0 for s in tfails))} of Oxigraph's. It is met where "
                   f"Oxigraph needs several milliseconds per query: there the cache wins.")
    floor_key = f"{used} no-op Flask"
    if fl and floor_key not in fl and "gunicorn no-op Flask" in fl:
        floor_key = "gunicorn no-op Flask"  # results written before the floors covered other servers
    if fl and floor_key in fl:
        noop = fl[floor_key]
        beyond = [s for s in summary if s["oxigraph_rps"] and s["oxigraph_rps"] > noop["rps"]]
        gdi_ask = fl.get(GDI, {})
        out.append(
            f"- The floors{' explain most of the misses' if fails or tfails else ''}. A Flask app that does "
            f"nothing, under {floor_key.split()[0]} with gdi-graph's settings, "
            f"answers in {fmt(noop['median_ms'], 3)} ms and {fmt(noop['rps'])} req/s; Oxigraph answers `ASK {{}}` in "
            f"{fmt(fl[OXI]['median_ms'], 3)} ms and {fmt(fl[OXI]['rps'])} req/s. So the stack alone, before any "
            f"gdi-graph code runs, is {noop['median_ms'] - fl[OXI]['median_ms']:.2f} ms slower than Oxigraph per "
            f"request, against a slack of {BAR_SLACK_MS:g} ms; and on {len(beyond)} of {len(summary)} rows Oxigraph "
            f"serves more requests per second than a no-op Flask app can, so no Flask app in this configuration can "
            f"meet the throughput bar there on this machine. "
            + (f"gdi-graph's own cached `ASK {{}}` costs {gdi_ask['median_ms'] - noop['median_ms']:.2f} ms more than "
               f"the no-op Flask app (the part its own code can still win back)." if gdi_ask else ""))
    mism = [s for s in summary if s["kind"] != "route" and not s["rows_agree"]]
    if mism:
        out.append("- Row counts differ: " + "; ".join(
            f"`{s['row']}` {s['rows']} (distinct {s['distinct_rows']})" for s in mism) +
            ". gdi-graph and Oxigraph (one engine) agree on every query; where rdflib differs, see "
            "bench/README.md (bag versus set over the union graph; OPTIONAL over a pre-bound variable).")
    else:
        out.append("- Row counts agree on every query between all servers that answered.")
    errs = [s for s in summary if s["errors"]]
    if errs:
        out.append("- Errors: " + "; ".join(f"`{s['row']}` {s['errors']}" for s in errs) + ".")
    if meta.get("client_check"):
        cc = meta["client_check"]
        out.append(f"- Client check (`{cc['row']}`, {cc['seconds']:g} s windows): " + ", ".join(
            f"{k} {v:.0f}/s" for k, v in cc["rps"].items()) +
            (". Client threads share one GIL and undercount a fast server here, so the clients are processes."
             if cc["rps"].get(f"{OXI} threads", 0) < 0.9 * cc["rps"].get(f"{OXI} processes", 0) else
             ". Threads and processes agree within 10% in this run; the clients are processes all the same, since "
             "threads can be GIL-bound against a fast server."))
    busy = (meta.get("other_busy_processes_at_start") or []) + (meta.get("other_busy_processes_at_end") or [])
    out.append("- Machine noise: the load average is in the header; the rounds and windows are interleaved so "
               "drift hits every server alike, but run-to-run variation on this 2-CPU machine is about ±20% "
               "on sub-millisecond medians." + (f" Other processes using CPU at the start or end: "
                                                   f"{'; '.join(b[:60] for b in busy)}." if busy else ""))
    out.append("- Profile of where gdi-graph's time goes per request: bench/README.md, \"Findings\" "
               "(reproduce with `.venv/bin/python bench/profile_layers.py`).")
    return out + [""]


# ------------------------------------------------------------------------------------ main


def versions() -> dict:
    out = {}
    for pkg in ("gdi-graph", "pyoxigraph", "oxigraph", "rdflib", "rdflib-endpoint", "flask", "werkzeug", "gunicorn",
                "granian", "flask-compress", "fastapi", "starlette", "uvicorn"):
        try:
            out[pkg] = importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:
            out[pkg] = "absent"
    return out


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(int(ln.split()[1]) for ln in Path("/proc/meminfo").read_text().splitlines()
                      if ln.startswith("MemTotal"))
        memory = f"{mem_kb / 2**20:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        memory = "unknown"
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory": memory, "platform": platform.platform(),
            "python": platform.python_version()}


def source_digest() -> str:
    """A hash of the served code (src/), since it may change between runs without a commit."""
    import hashlib

    h = hashlib.sha256()
    for path in sorted((ROOT / "src").rglob("*")):
        if path.is_file() and path.suffix in (".py", ".html"):
            h.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def git_head() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              timeout=10).stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def others_busy(exclude_groups: set[int] = frozenset()) -> list[str]:
    """Other processes that used CPU (ps: CPU time over lifetime), to report machine noise honestly."""
    try:
        out = subprocess.run(["ps", "-eo", "pid,pgid,pcpu,args", "--sort=-pcpu"], capture_output=True, text=True,
                             timeout=10).stdout.splitlines()[1:]
    except (OSError, subprocess.SubprocessError):
        return []
    mine = {os.getpid(), os.getpgid(0)} | set(exclude_groups)
    busy = []
    for line in out[:20]:
        pid, pgid, pcpu, cmd = (line.split(None, 3) + ["", "", ""])[:4]
        try:
            if int(pid) in mine or int(pgid) in mine or float(pcpu) < 5.0:
                continue
        except ValueError:
            continue
        if "ps -eo" in cmd:
            continue
        busy.append(f"{pcpu}% {cmd[:100]}")
    return busy


def _shown(arg: str) -> str:
    """An argument as the report shows it: paths relative to the project, temp paths shortened."""
    if arg == sys.executable:
        return "python"
    if arg.startswith(str(BIN) + "/"):
        return arg[len(str(BIN)) + 1:]
    if arg.startswith(str(ROOT)):
        return os.path.relpath(arg, ROOT)
    return arg


def ensure_build(log) -> None:
    from gdi_graph.build import is_current

    if is_current(ROOT, ROOT / "dist"):
        log("build: dist/ is current")
        return
    log("build: dist/ is missing or out of date; running gdi-graph build")
    done = subprocess.run([str(BIN / "gdi-graph"), "--root", str(ROOT), "build"], cwd=ROOT, timeout=600)
    if done.returncode != 0:
        raise SystemExit("gdi-graph build failed; nothing measured")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="5 rounds, 1 s throughput windows (a smoke run)")
    ap.add_argument("--rounds", type=int, help="sequential rounds (default 30; --quick 5)")
    ap.add_argument("--seconds", type=float, help="throughput window per server and query (default 3; --quick 1)")
    ap.add_argument("--clients", type=int, default=8, help="concurrent clients for throughput (default 8)")
    ap.add_argument("--client-mode", choices=("processes", "threads"), default="processes",
                    help="clients as processes (default; no client GIL) or threads")
    ap.add_argument("--no-rdflib", action="store_true", help="leave rdflib-endpoint out")
    ap.add_argument("--no-floors", action="store_true", help="skip the floors (no-op apps under the HTTP servers)")
    ap.add_argument("--sparql-method", choices=("POST", "GET"), default="POST",
                    help="how the SPARQL is sent to every server: POST application/sparql-query (default) or "
                         "GET ?query=")
    ap.add_argument("--gdi-args", default="", help="extra arguments for `gdi-graph serve`, e.g. '--workers 2'")
    ap.add_argument("--only", help="comma-separated row names (for a focused run; results go to --out)")
    ap.add_argument("--out", default=str(BENCH / "results"), help="output path without extension")
    ap.add_argument("--time-limit", type=float, help="stop measuring after this many seconds (default 1500; "
                                                     "--quick 400); what was measured is still written")
    ap.add_argument("--render", metavar="JSON", help="only re-write the markdown from a results JSON (no servers)")
    args = ap.parse_args(argv)
    if args.render:
        raw = json.loads(Path(args.render).read_text())
        target = Path(args.render).with_suffix(".md")
        target.write_text(render_markdown(raw["meta"], raw["summary"], _shown(str(Path(args.render).resolve()))))
        sys.stderr.write(f"wrote {target} from {args.render} (measured by `{raw['meta']['command']}`)\n")
        return 0
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop the servers in `finally` on SIGTERM too
    rounds = args.rounds or (5 if args.quick else 30)
    seconds = args.seconds or (1.0 if args.quick else 3.0)
    warmup = 2 if args.quick else 3
    budget = 3.0 if args.quick else 10.0  # seconds of sequential time per target before it is thinned out
    limit = args.time_limit or (400 if args.quick else 1500)
    started = time.monotonic()
    deadline = started + limit
    import shlex

    command = shlex.join([".venv/bin/python", "bench/run.py"] + (argv if argv is not None else sys.argv[1:]))

    def log(msg: str) -> None:
        sys.stderr.write(f"[{time.monotonic() - started:6.1f}s] {msg}\n")
        sys.stderr.flush()

    load_log = [("start", loadavg())]
    busy_at_start = others_busy()
    src_digest = source_digest()  # before the servers start: the code they run
    http_used = gdi_http_server()
    ensure_build(log)
    from gdi_graph.build import read_manifest

    dist = (ROOT / "dist").resolve()
    manifest = read_manifest(dist)
    logdir = Path(tempfile.mkdtemp(prefix="gdi-graph-bench-"))
    log(f"server logs in {logdir}")
    ports = {GDI: free_port(), OXI: free_port()}
    if not args.no_rdflib:
        ports[RDFLIB] = free_port()
    gdi_argv = [str(BIN / "gdi-graph"), "--root", str(ROOT), "serve", "--host", HOST, "--port", str(ports[GDI])]
    gdi_argv += args.gdi_args.split()
    servers = {
        GDI: Server(GDI, gdi_argv, ports[GDI], logdir),
        OXI: Server(OXI, [str(BIN / "oxigraph"), "serve", "--bind", f"{HOST}:{ports[OXI]}", "--union-default-graph"],
                    ports[OXI], logdir),
    }
    if not args.no_rdflib:
        servers[RDFLIB] = Server(RDFLIB, [sys.executable, str(BENCH / "rdflib_server.py"), str(dist / "gdi.nq"),
                                          str(ports[RDFLIB])], ports[RDFLIB], logdir)
    pool = None
    try:
        for s in servers.values():
            s.start()
        t = wait_ready(servers[OXI], lambda: http_call(ports[OXI], "GET", "/")[0] < 500, 60)
        log(f"oxigraph up in {t:.1f} s; loading {dist / 'gdi.nq'}")
        status, body = http_call(ports[OXI], "POST", "/store", (dist / "gdi.nq").read_bytes(),
                                 {"Content-Type": "application/n-quads"}, timeout=300)
        if status >= 300:
            raise RuntimeError(f"loading Oxigraph failed: {status} {body[:300]!r}")
        t = wait_ready(servers[GDI], lambda: http_call(ports[GDI], "GET", "/health")[0] == 200, 180)
        log(f"gdi-graph up in {t:.1f} s")
        if RDFLIB in servers:
            t = wait_ready(servers[RDFLIB], lambda: http_call(
                ports[RDFLIB], "POST", "/sparql", ASK, {"Content-Type": "application/sparql-query",
                                                        "Accept": SELECT_ACCEPT})[0] == 200, 300)
            log(f"rdflib-endpoint up in {t:.1f} s")
        paths = {GDI: "/sparql", OXI: "/query", RDFLIB: "/sparql"}
        dataset = {"digest": manifest.get("digest", ""),
                   "gdi_quads": sparql_count(ports[GDI], "/sparql", COUNT_QUADS),
                   "oxigraph_quads": sparql_count(ports[OXI], "/query", COUNT_QUADS),
                   "union_solutions": sparql_count(ports[GDI], "/sparql", COUNT_UNION),
                   "oxigraph_union_solutions": sparql_count(ports[OXI], "/query", COUNT_UNION)}
        if RDFLIB in servers:
            dataset["rdflib_quads"] = sparql_count(ports[RDFLIB], paths[RDFLIB], COUNT_QUADS)
            dataset["rdflib_union_solutions"] = sparql_count(ports[RDFLIB], paths[RDFLIB], COUNT_UNION)
        log(f"dataset: {dataset}")

        rows = build_rows(ports, RDFLIB in servers, args.sparql_method)
        if args.only:
            keep = set(args.only.split(","))
            rows = [r for r in rows if r.name in keep or (r.reference and r.reference in keep and
                                                          f"{r.reference} (route)" in keep)]
            names = {r.name for r in rows}
            for r in rows:
                if r.reference and r.reference not in names:
                    raise SystemExit(f"--only: {r.name} needs its reference row {r.reference}")
        conns = {GDI: Conn(ports[GDI], 60), GDI_UNCACHED: Conn(ports[GDI], 60), OXI: Conn(ports[OXI], 60)}
        if RDFLIB in servers:
            conns[RDFLIB] = Conn(ports[RDFLIB], 60)
        log(f"{len(rows)} rows; warm-up and answer check")
        verify(rows, conns, warmup, slow_s=2.0, log=log)
        log(f"sequential: {rounds} interleaved rounds")
        rounds_done = sequential(rows, conns, rounds, budget, min_samples=3, deadline=deadline, log=log)
        b2b_n = 10 if args.quick else 20
        log(f"back-to-back: {b2b_n} requests in a row per server and row")
        back_to_back(rows, conns, b2b_n, 2.0, deadline, log)
        for c in conns.values():
            c.close()
        pool = ClientPool(args.clients, args.client_mode)
        client_check = None
        if not args.quick and not args.only:
            # Does a client process pool and a client thread pool see the same server? (measured, then decided)
            row = next(r for r in rows if r.name == "aantal-basisregistraties")
            threads = ClientPool(args.clients, "threads")
            rps = {}
            for server in (OXI, GDI):
                rps[f"{server} {pool.mode}"] = pool.run(row.targets[server].spec(), seconds)["rps"]
                rps[f"{server} threads"] = threads.run(row.targets[server].spec(), seconds)["rps"]
            client_check = {"row": row.name, "seconds": seconds, "rps": rps}
            log(f"client check: {rps}")
        load_log.append(("after sequential", loadavg()))
        log(f"throughput: {args.clients} {args.client_mode}, {seconds:g} s per server and row")
        throughput(rows, pool, seconds, rdflib_max_median_s=0.25, deadline=deadline, log=log)
        floor = None
        if not args.no_floors:
            log(f"floors: ASK {{}} and no-op apps under {', '.join(http_servers())}")
            floor = floors(ports, pool, gunicorn_workers(args.gdi_args), 60 if args.quick else 300, seconds, logdir,
                           log, args.sparql_method)
        load_log.append(("end", loadavg()))
        meta = {
            "git_head": git_head(), "source_digest": src_digest,
            "loadavg": load_log, "other_busy_processes_at_start": busy_at_start,
            "other_busy_processes_at_end": others_busy({srv.proc.pid for srv in servers.values() if srv.proc}),
            "command": command, "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "mode": "quick" if args.quick else "full", "rounds": rounds, "rounds_done": rounds_done,
            "warmup": warmup, "back_to_back": b2b_n, "sparql_method": args.sparql_method, "throughput_seconds": seconds, "clients": args.clients,
            "client_mode": args.client_mode, "machine": machine(), "versions": versions(),
            "servers": {k: [_shown(a) for a in s.argv] for k, s in servers.items()},
            "dataset": dataset, "client_check": client_check, "floors": floor, "gdi_http_server": http_used,
            "elapsed_s": round(time.monotonic() - started, 1),
        }
        summary = summarise(rows)
        out = Path(args.out)
        raw = {"meta": meta, "summary": summary,
               "samples_ms": {r.name: {t.server: [round(x * 1000, 4) for x in t.samples] for t in r.targets.values()}
                              for r in rows},
               "back_to_back_ms": {r.name: {t.server: [round(x * 1000, 4) for x in t.b2b]
                                            for t in r.targets.values() if t.b2b} for r in rows}}
        out.with_suffix(".json").write_text(json.dumps(raw, indent=1, ensure_ascii=False) + "\n")
        out.with_suffix(".md").write_text(render_markdown(meta, summary, _shown(str(out.with_suffix(".json").resolve()))))
        log(f"wrote {out.with_suffix('.md')} and {out.with_suffix('.json')} in {meta['elapsed_s']:.0f} s")
        return 0
    finally:
        if pool is not None:
            pool.close()
        for s in servers.values():
            s.stop()


if __name__ == "__main__":
    sys.exit(main())
