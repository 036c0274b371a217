"""/zoeken?q=… — find things by name, as a page or as JSON (Accept or ?format=json).

The JSON answer feeds the type-ahead of the search box on every page (static/zoeken.js).
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from gdi_graph.web import search, urls
from gdi_graph.web.conditional import conditional
from gdi_graph.web.errors import Problem

bp = Blueprint("search", __name__)
MAX_QUERY = 200
MAX_LIMIT = 100


def _wants_json() -> bool:
    fmt = request.args.get("format", "").strip().lower()
    if fmt:
        if fmt not in ("json", "html"):
            raise Problem(400, f"format {fmt!r} is not offered here", "use ?format=json or ?format=html",
                          parameter="format")
        return fmt == "json"
    best = request.accept_mimetypes.best_match(["text/html", "application/json"], default="text/html")
    return best == "application/json"


@bp.get("/zoeken")
def zoeken():
    q = request.args.get("q", "")
    if len(q) > MAX_QUERY:
        raise Problem(400, f"the search text is {len(q)} characters; at most {MAX_QUERY} are read",
                      "search for a name or an abbreviation", parameter="q")
    raw_limit = request.args.get("limit", "20")
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_LIMIT:
        raise Problem(400, f"limit {raw_limit!r} is not a number from 1 to {MAX_LIMIT}", parameter="limit")
    limit = int(raw_limit)
    as_json = _wants_json()

    def make() -> Response:
        hits = search.index().find(q, limit)
        if as_json:
            return jsonify({"query": q, "results": [h.as_json(urls.for_iri(h.entry.iri)) for h in hits]})
        html = render_template("zoeken.html", q=q, search_query=q, hits=hits, urls=urls)
        return current_app.response_class(html, mimetype="text/html")

    return conditional(("zoeken", q, limit, "json" if as_json else "html"), make, vary="Accept")
