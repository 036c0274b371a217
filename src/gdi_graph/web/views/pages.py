"""Home page and /health."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template

from gdi_graph import __version__
from gdi_graph.web import overview, urls
from gdi_graph.web.conditional import conditional
from gdi_graph.web.state import state

bp = Blueprint("pages", __name__)

@bp.route("/")
def home():
    """What the graph holds, the functionele groepen, the stelselplaat, search, and a way in for
    architects, wiki editors and machines."""
    st = state()

    def make():
        html = render_template("home.html", manifest=st.manifest, queries=st.queries, overview=overview.overview(),
                               urls=urls, stelsel="stelsel" in current_app.blueprints)
        return current_app.response_class(html, mimetype="text/html")

    return conditional(("home",), make)


@bp.route("/health")
def health():
    """Liveness plus what is served: build digest and counts, backend and cache state."""
    st = state()
    body = {
        "status": "ok",
        "version": __version__,
        "digest": st.digest,
        "built": st.manifest.get("built"),
        "counts": st.manifest.get("counts", {}),
        "graphs": len(st.manifest.get("graphs", {})),
        "queries": len(st.queries),
        "backend": st.backend.stats(),
        "cache": st.cache.stats(),
    }
    resp = jsonify(body)
    resp.headers["Cache-Control"] = "no-cache"
    return resp
