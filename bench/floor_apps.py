"""No-op web apps that measure the floor of the Python HTTP stack gdi-graph runs on.

Served by gunicorn with gdi-graph's own settings (gthread worker, 16 threads), they answer
every request with a fixed tiny SPARQL JSON body: what is left is the cost of gunicorn
(and, for `flask_noop`, of Flask and werkzeug) per request. Used by bench/run.py (the
"floors" table) and bench/profile_layers.py.
"""

from __future__ import annotations

from flask import Flask, Response

BODY = b'{"head":{},"boolean":true}'


def noop_app(environ, start_response):
    """The cheapest WSGI app: reads the request body, answers a constant."""
    stream = environ.get("wsgi.input")
    length = environ.get("CONTENT_LENGTH")
    if stream is not None and length:
        stream.read(int(length))
    start_response("200 OK", [("Content-Type", "application/sparql-results+json"), ("Content-Length", str(len(BODY)))])
    return [BODY]


flask_noop = Flask("floor")


@flask_noop.route("/sparql", methods=["GET", "POST"])
def _sparql():
    from flask import request

    request.get_data()
    return Response(BODY, content_type="application/sparql-results+json")


# The hop floors: gdi-graph's way of running a query (a killable executor process, bytes back
# over a pipe) with nothing else around it, under bare WSGI and under Flask. bench/uncached.py
# serves them beside gdi-graph and Oxigraph server to show what each layer costs a query.
_executor = None


def _run(text: str) -> tuple[bytes, str]:
    global _executor
    if _executor is None:
        import os

        from gdi_graph.query.executor import Executor

        _executor = Executor(os.environ["GDI_GRAPH_BENCH_NQ"], size=2)
        _executor.wait_ready()
    from gdi_graph.query.executor import Job

    result = _executor.run(Job(text, results_format="json", graph_format="nt"))
    return result.body, result.media_type


def hop_app(environ, start_response):
    """POST application/sparql-query -> the executor -> the answer; no checks, no headers."""
    body, media_type = _run(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)).decode())
    start_response("200 OK", [("Content-Type", media_type), ("Content-Length", str(len(body)))])
    return [body]


flask_hop = Flask("hop")


@flask_hop.route("/sparql", methods=["POST"])
def _hop():
    from flask import request

    body, media_type = _run(request.get_data().decode())
    return Response(body, content_type=media_type)
