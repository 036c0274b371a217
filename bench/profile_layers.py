"""Where a gdi-graph request's time goes, layer by layer (a companion to bench/run.py).

    .venv/bin/python bench/profile_layers.py [--n 2000] [--no-http]

In-process, on the current build:
  1. the Flask app called as a bare WSGI callable (no HTTP server, no test client), for a
     cached /sparql POST, a cached /queries/<name> GET and an uncached /sparql POST;
  2. the pieces of the cached path: tokenizer, negotiation, ETag, cache lookup, Response;
  3. the executor: a pipe round trip to a worker against the same query run in-process;
  4. cProfile of the cached /sparql path (top functions by own time);
  5. (unless --no-http) floors over real HTTP on loopback: each installed Python HTTP
     server (gunicorn gthread, granian), 1 and 2 workers, with a no-op WSGI app and with
     a no-op Flask app (bench/floor_apps.py),
     measured with bench/run.py's client (sequential median back-to-back and after a 20 ms
     idle gap, 8-process throughput), next to Oxigraph server on `ASK {}`.
Prints a report to stdout; nothing under src/ is changed. Every loop is bounded.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # noqa: E402  (bench/run.py: client, ports, server helpers)

ROOT = bench.ROOT
QUERY = "aantal-basisregistraties"


def per_call_us(fn, n: int, repeat: int = 5) -> float:
    """Best-of-`repeat` mean microseconds per call over n calls."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - t0) / n)
    return best * 1e6


from floor_apps import flask_noop  # noqa: E402  (bench/floor_apps.py)


def wsgi_caller(app, method: str, path: str, body: bytes | None, headers: dict):
    """A function that calls the app once as WSGI, on a fresh copy of a prepared environ."""
    from werkzeug.test import EnvironBuilder

    builder = EnvironBuilder(path=path.split("?")[0], query_string=path.partition("?")[2], method=method,
                             data=body, headers=headers,
                             content_type="application/sparql-query" if body is not None else None)
    base = builder.get_environ()
    status_holder = []

    def start_response(status, hdrs, exc_info=None):
        status_holder.append(status)

    def call():
        env = dict(base)
        env["wsgi.input"] = io.BytesIO(body or b"")
        out = app(env, start_response)
        data = b"".join(out)
        if hasattr(out, "close"):
            out.close()
        return data

    return call, status_holder


def call_with_body(app, base: dict, body: bytes) -> bytes:
    """Call the app on a prepared environ with another body of the same length."""
    env = dict(base)
    env["wsgi.input"] = io.BytesIO(body)
    out = app(env, lambda status, headers, exc_info=None: None)
    data = b"".join(out)
    if hasattr(out, "close"):
        out.close()
    return data


def section(title: str) -> None:
    print(f"\n## {title}\n")


def in_process(n: int) -> None:
    from flask import request

    from gdi_graph.query.executor import Job, execute
    from gdi_graph.query.named import load_queries
    from gdi_graph.query.sparqltext import analyse, with_values
    from gdi_graph.web import create_app, responses as answer
    from gdi_graph.web.conditional import etag

    named = load_queries(ROOT / "queries")
    q = named[QUERY]
    values = {var.value: str(term) for var, term in q.bind(q.example).items()}
    text = with_values(q.text, analyse(q.text), values)
    body = text.encode()
    accept = {"Accept": bench.SELECT_ACCEPT}
    app = create_app({"GDI_GRAPH_DIST": str(ROOT / "dist"), "GDI_GRAPH_QUERIES": str(ROOT / "queries")})
    st = app.extensions["gdi_graph"]
    try:
        section(f"1. The app as a bare WSGI callable ({QUERY}, {len(body)} bytes of SPARQL)")
        cached, status = wsgi_caller(app, "POST", "/sparql", body, accept)
        cached()  # fill the cache
        route_path = f"/queries/{q.name}?" + "&".join(f"{k}={v}" for k, v in q.example.items())
        route, rstatus = wsgi_caller(app, "GET", route_path, None, accept)
        route()
        flask_call, _ = wsgi_caller(flask_noop, "POST", "/sparql", body, accept)
        counter = [0]
        padded = body + b"\n# 00000000\n"  # same length every time: one prepared environ, a new body

        def uncached():
            counter[0] += 1
            return call_with_body(app, padded_base, body + f"\n# {counter[0]:08d}\n".encode())

        from werkzeug.test import EnvironBuilder
        padded_base = EnvironBuilder(path="/sparql", method="POST", data=padded, headers=accept,
                                     content_type="application/sparql-query").get_environ()

        t_flask = per_call_us(flask_call, n)
        t_cached = per_call_us(cached, n)
        t_route = per_call_us(route, n)
        t_uncached = per_call_us(uncached, max(50, n // 10), repeat=3)
        print(f"- no-op Flask app (same request):          {t_flask:8.1f} µs")
        print(f"- gdi-graph /sparql, cache hit:            {t_cached:8.1f} µs   (status {status[-1]})")
        print(f"- gdi-graph /queries/{q.name}, cache hit: {t_route:8.1f} µs   (status {rstatus[-1]})")
        print(f"- gdi-graph /sparql, cache miss (executor): {t_uncached:7.1f} µs")

        section("2. Pieces of the cached /sparql path")
        route_text = q.text
        print(f"- analyse(text) on the /sparql text ({len(text)} chars): {per_call_us(lambda: analyse(text), n):7.1f} µs")
        print(f"- analyse(q.text) on the named query ({len(route_text)} chars): "
              f"{per_call_us(lambda: analyse(route_text), n):7.1f} µs")
        print(f"- q.bind(example) (typed terms):            {per_call_us(lambda: q.bind(q.example), n):7.1f} µs")
        job = Job(text, union_default=True)
        # the key the app itself stored for this text (whatever fields Job has today); the uncached
        # loop above may have pushed it out of the LRU, so ask once more first
        cached()
        key = next((k for k in list(st.cache._items) if getattr(k[0], "text", None) == text),
                   (answer.replace(job, results_format="json"), st.digest))
        print(f"- hash((Job, digest)) (cache key, text hashed each time): "
              f"{per_call_us(lambda: hash((Job(text, union_default=True), st.digest)), n):7.1f} µs")
        print(f"- cache.get(key):                           {per_call_us(lambda: st.cache.get(key), n):7.1f} µs")
        with app.test_request_context("/sparql", method="POST", data=body, headers=accept,
                                      content_type="application/sparql-query"):
            req_accept = request.accept_mimetypes  # noqa: F841 (parsed once, as Flask caches it)
            print(f"- answer.choose(SELECT, Accept):           "
                  f"{per_call_us(lambda: answer.choose('SELECT', []), n):7.1f} µs")
            print(f"- etag(host, path, query, choice):          "
                  f"{per_call_us(lambda: etag('h', '/sparql', '', 'json/-'), n):7.1f} µs")
            from flask import Response
            res = st.cache.get(key)
            if res is not None:
                print(f"- Response(body) + 3 headers:              "
                      f"{per_call_us(lambda: _response(Response, res), n):7.1f} µs")

        section("3. Executor: pipe round trip against in-process execution")
        store = st.store
        jobj = answer.replace(job, results_format="json")
        t_inproc = per_call_us(lambda: execute(store, jobj, 64 * 2**20), max(100, n // 4), repeat=3)
        t_exec = per_call_us(lambda: st.backend.executor.run(jobj), max(100, n // 4), repeat=3)
        import pickle
        t_pickle = per_call_us(lambda: pickle.loads(pickle.dumps(jobj)), n)
        ask = Job("ASK {}", union_default=True)
        t_ask_in = per_call_us(lambda: execute(store, ask, 1 << 20), n)
        t_ask_ex = per_call_us(lambda: st.backend.executor.run(ask), max(100, n // 4), repeat=3)
        print(f"- {QUERY} in-process (query + JSON):      {t_inproc:8.1f} µs")
        print(f"- {QUERY} through Executor.run (pipe):    {t_exec:8.1f} µs   (+{t_exec - t_inproc:.1f} µs)")
        print(f"- ASK {{}} in-process:                        {t_ask_in:8.1f} µs")
        print(f"- ASK {{}} through Executor.run:              {t_ask_ex:8.1f} µs   (+{t_ask_ex - t_ask_in:.1f} µs)")
        print(f"- pickle round trip of the Job:             {t_pickle:8.1f} µs")

        section("4. cProfile of the cached /sparql path (own time, top 20)")
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(n):
            cached()
        prof.disable()
        out = io.StringIO()
        stats = pstats.Stats(prof, stream=out).strip_dirs().sort_stats("tottime")
        stats.print_stats(20)
        print("```")
        print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:6000])
        print("```")
        out = io.StringIO()
        pstats.Stats(prof, stream=out).strip_dirs().sort_stats("cumulative").print_stats("flask_compress|after_request|_headers")
        print("\nflask-compress and after_request hooks (cumulative):\n```")
        print("\n".join(line for line in out.getvalue().splitlines() if "(" in line and "function calls" not in line))
        print("```")
        section("4b. cProfile of the cached /sparql path (cumulative, top 30)")
        out = io.StringIO()
        pstats.Stats(prof, stream=out).strip_dirs().sort_stats("cumulative").print_stats(30)
        print("```")
        print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:8000])
        print("```")
    finally:
        st.close()


def _response(Response, res):
    r = Response(res.body, content_type=res.media_type)
    r.headers["Vary"] = "Accept"
    r.headers["X-Cache"] = "hit"
    r.headers["Access-Control-Allow-Origin"] = "*"
    return r


def over_http(n: int, seconds: float) -> None:
    section("5. Floors over HTTP on loopback (sequential medians; throughput with 8 client processes)")
    logdir = Path(bench.tempfile.mkdtemp(prefix="gdi-graph-profile-"))
    servers = []
    ports = {}
    for http in bench.http_servers():
        for workers in (1, 2):
            for kind, app in (("WSGI", "floor_apps:noop_app"), ("Flask", "floor_apps:flask_noop")):
                name = f"{http} no-op {kind}, {workers} worker{'s' if workers > 1 else ''}"
                port = bench.free_port()
                servers.append(bench.Server(name.replace(" ", "-").replace(",", ""),
                                            bench.floor_argv(http, app, port, workers), port, logdir))
                ports[name] = port
    oport = bench.free_port()
    servers.append(bench.Server("oxigraph", [str(bench.BIN / "oxigraph"), "serve", "--bind", f"{bench.HOST}:{oport}"],
                                oport, logdir))
    pool = None
    try:
        for s in servers:
            s.start()
        for s in servers:
            bench.wait_ready(s, lambda s=s: bench.http_call(s.port, "GET", "/")[0] < 600, 60)
        pool = bench.ClientPool(8, "processes")
        cases = [(name, bench.Target("floor", name, port, "POST", "/sparql", bench.SELECT_ACCEPT, b"ASK {}"))
                 for name, port in ports.items()]
        cases.append(("Oxigraph server, ASK {}", bench.Target("floor", "oxigraph", oport, "POST", "/query",
                                                              bench.SELECT_ACCEPT, b"ASK {}")))
        for name, target in cases:
            conn = bench.Conn(target.port, 30)
            samples = []
            for _ in range(n):
                elapsed, status, _ = bench.measure_once(conn, target)
                if status == 200:
                    samples.append(elapsed)
            conn.close()
            idle = []
            conn = bench.Conn(target.port, 30)
            conn.connect()
            for _ in range(min(n, 200)):  # the same request after a 20 ms idle gap each time
                time.sleep(0.02)
                t0 = time.perf_counter()
                status, _ = conn.roundtrip(target.request())
                if status == 200:
                    idle.append(time.perf_counter() - t0)
            conn.close()
            tp = pool.run(target.spec(), seconds)
            print(f"- {name:34s} median {statistics.median(samples) * 1e3:6.3f} ms back-to-back, "
                  f"{statistics.median(idle) * 1e3:6.3f} ms after 20 ms idle; "
                  f"throughput {tp['rps']:7.0f} req/s ({tp['errors']} errors)")
    finally:
        if pool is not None:
            pool.close()
        for s in servers:
            s.stop()


def main() -> int:
    ap = argparse.ArgumentParser(description="where gdi-graph's request time goes")
    ap.add_argument("--n", type=int, default=2000, help="calls per timing loop (default 2000)")
    ap.add_argument("--seconds", type=float, default=3.0, help="throughput window for the HTTP floors")
    ap.add_argument("--no-http", action="store_true", help="skip the HTTP floors")
    args = ap.parse_args()
    print(f"# gdi-graph request profile ({time.strftime('%Y-%m-%d %H:%M')}, n={args.n})")
    in_process(args.n)
    if not args.no_http:
        over_http(min(args.n, 1000), args.seconds)
    return 0


if __name__ == "__main__":
    subprocess  # noqa: B018 (imported for bench.Server users)
    sys.exit(main())
