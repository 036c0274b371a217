"""Home page and /health."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template

from gdi_graph import __version__
from gdi_graph.web import editions, overview, urls
from gdi_graph.web.conditional import conditional
from gdi_graph.web.state import state

bp = Blueprint("pages", __name__)

@bp.route("/")
def home():
    """What the graph holds, the functionele groepen, the stelselplaat, search, and a way in for
    architects, wiki editors and machines."""
    st = state()
    selection = editions.selection()  # the monitor's figures counted as the pages show them

    def make():
        html = render_template("home.html", manifest=st.manifest, queries=st.queries, overview=overview.overview(),
                               urls=urls, stelsel="stelsel" in current_app.blueprints, selection=selection)
        return current_app.response_class(html, mimetype="text/html")

    return conditional(("home", selection.key), make)


@bp.route("/health")
def health():
    """What is served (build digest and counts, backend and cache state) and whether the server
    can fully do its job: "ok", or "degraded" with the problems. Always 200: see /health/ready."""
    st = state()
    build = st.build()
    problems = st.problems()
    body = {
        "status": "degraded" if problems else "ok",
        "problems": problems,
        "version": __version__,
        "digest": build.digest,
        "built": build.manifest.get("built"),
        "build": build.dist.name,
        "reloads": st.reloads,
        "counts": build.manifest.get("counts", {}),
        "graphs": len(build.manifest.get("graphs", {})),
        "queries": len(build.queries),
        "backend": build.backend.stats(),
        "cache": build.cache.stats(),
    }
    resp = jsonify(body)
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.route("/health/ready")
def ready():
    """Readiness for a load balancer: 200 when the server can fully do its job, else 503 with why."""
    problems = state().problems()
    resp = jsonify({"status": "degraded" if problems else "ok", "problems": problems})
    if problems:
        resp.status_code = 503
        resp.headers["Retry-After"] = "5"
    resp.headers["Cache-Control"] = "no-store"
    return resp
