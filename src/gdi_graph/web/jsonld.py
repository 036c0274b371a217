"""JSON-LD in compact form, with the one context this server publishes at /context.jsonld.

pyoxigraph writes expanded JSON-LD only (full IRIs everywhere), which is correct but hard
to read and to use from plain JSON code. rdflib's JSON-LD writer compacts against a given
context, so linked-data documents (entities, the ontology, shapes, named graphs, VoID) go
through it; query results stay with pyoxigraph's writer in the executor. The context is
made of the prefixes the server uses anyway, and the documents carry it inline, so a
client needs no second request to read them.
"""

from __future__ import annotations

from pyoxigraph import Literal
from rdflib import Graph
from rdflib import Literal as RdflibLiteral
from rdflib import URIRef

from gdi_graph.rdf.terms import to_rdflib
from gdi_graph.web import dataset, rendering


def context() -> dict[str, str]:
    """The prefixes of every document this server writes (`id:` for entity IRIs under the base)."""
    return dict(sorted({**dataset.PREFIXES, **rendering.prefixes()}.items()))


def compact(statements: list) -> bytes:
    """Triples as a compact JSON-LD document with the published context inline."""
    g = Graph()
    for t in statements:
        g.add((to_rdflib(t.subject), to_rdflib(t.predicate), _literal(t.object)))
    return g.serialize(format="json-ld", context=context(), encoding="utf-8")


def _literal(term):
    """A literal exactly as written ("2017-12-31T00:00:00Z" stays so; rdflib would normalise it)."""
    if not isinstance(term, Literal):
        return to_rdflib(term)
    if term.language:
        return RdflibLiteral(term.value, lang=term.language)
    return RdflibLiteral(term.value, datatype=URIRef(term.datatype.value), normalize=False)
