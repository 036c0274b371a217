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
