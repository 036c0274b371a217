"""The embedded store: an in-memory Oxigraph loaded from the current build."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import RdfFormat, Store


def open_store(dist: Path) -> Store:
    store = Store()
    store.bulk_load(path=str(dist / "gdi.nq"), format=RdfFormat.N_QUADS)
    return store


def bound_query(store, text: str, subs: dict, **kwargs):
    """store.query with typed substitutions; a VALUES block for variables the SELECT does not project.

    pyoxigraph (SEP-0007) substitutes only projected variables of a SELECT; a parameter that
    is only used in the pattern is bound the way remote stores bind it (sparqltext.with_values).
    """
    try:
        return store.query(text, substitutions=subs or None, **kwargs)
    except RuntimeError as exc:
        if not subs or "projection" not in str(exc):
            raise
    from gdi_graph.query.sparqltext import analyse, with_values

    values = {var.value: str(term) for var, term in subs.items()}
    return store.query(with_values(text, analyse(text), values), **kwargs)


def run(store: Store, text: str, substitutions: dict | None = None):
    """Run a query with the union of the named graphs as default graph."""
    return bound_query(store, text, substitutions or {}, use_default_graph_as_union=True)

