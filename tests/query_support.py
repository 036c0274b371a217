"""Running the repository's named queries on a store, as the tests need them."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import QuerySolutions

from gdi_graph.query.named import load_queries
from gdi_graph.query.store import run

REPO = Path(__file__).resolve().parents[1]
QUERIES = load_queries(REPO / "queries")


def rows(store, name, **params):
    """The rows of a named query as {variable: lexical value or None}."""
    q = QUERIES[name]
    result = run(store, q.text, q.bind({k: str(v) for k, v in params.items()}))
    assert isinstance(result, QuerySolutions)
    variables = [v.value for v in result.variables]
    return [{v: (s[v].value if s[v] is not None else None) for v in variables} for s in result]
