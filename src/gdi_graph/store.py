"""The embedded store: an in-memory Oxigraph loaded from the current build."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import QueryResultsFormat, RdfFormat, Store


def open_store(dist: Path) -> Store:
    store = Store()
    store.bulk_load(path=str(dist / "gdi.nq"), format=RdfFormat.N_QUADS)
    return store


def run(store: Store, text: str, substitutions: dict | None = None):
    """Run a query with the union of the named graphs as default graph."""
    from .executor import bound_query

    return bound_query(store, text, substitutions or {}, use_default_graph_as_union=True)


RESULT_FORMATS = {
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
    "json": QueryResultsFormat.JSON,
    "xml": QueryResultsFormat.XML,
}
GRAPH_FORMATS = {
    "ttl": RdfFormat.TURTLE,
    "nt": RdfFormat.N_TRIPLES,
    "jsonld": RdfFormat.JSON_LD,
    "rdf": RdfFormat.RDF_XML,
}
