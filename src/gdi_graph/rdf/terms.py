"""Moving RDF between rdflib (parsing, SHACL) and Oxigraph (querying, serialising)."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef


def to_ox(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def to_rdflib(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def store_from_graph(graph: Graph) -> ox.Store:
    """The graph's triples in the default graph of a new in-memory store."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph)
    return store


def store_from_dataset(dataset: Dataset) -> ox.Store:
    """Every named graph of the dataset as a named graph of a new in-memory store."""
    store = ox.Store()
    store.bulk_extend(
        ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g))
        for s, p, o, g in dataset.quads((None, None, None, None)) if isinstance(g, URIRef)
    )
    return store
