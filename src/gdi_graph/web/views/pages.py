"""Home page and /health."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template

from gdi_graph import __version__
from gdi_graph.web import urls
from gdi_graph.web.conditional import conditional
from gdi_graph.web.state import state

bp = Blueprint("pages", __name__)

VOORZIENINGEN = """PREFIX gdi: <{base}/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?v (SAMPLE(?l) AS ?label) WHERE {{ ?v a gdi:Voorziening . OPTIONAL {{ ?v rdfs:label ?l }} }}
GROUP BY ?v ORDER BY LCASE(STR(?label)) LIMIT 500"""


@bp.route("/")
def home():
    st = state()

    def make():
        rows = st.select(VOORZIENINGEN.format(base=st.settings.base))
        voorzieningen = [(r["v"].value, r["label"].value if "label" in r else r["v"].value) for r in rows]
        html = render_template("home.html", manifest=st.manifest, queries=st.queries,
                               voorzieningen=[(urls.for_iri(iri), label) for iri, label in voorzieningen],
                               stelsel="stelsel" in current_app.blueprints)
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
