"""The result and RDF formats the server speaks, by short name and media type.

One table serves the `?format=` parameter, content negotiation, the executor (which
serialises with pyoxigraph's own writers) and the OpenAPI document, so they cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import QueryResultsFormat, RdfFormat


@dataclass(frozen=True)
class Format:
    key: str  # the ?format= value and the file extension
    kind: str  # "results" (SELECT/ASK), "graph" (CONSTRUCT/DESCRIBE, documents) or "html"
    media_type: str  # sent as Content-Type
    aliases: tuple[str, ...] = ()  # other media types that select it in Accept or ?format=
    names: tuple[str, ...] = ()  # other ?format= spellings (SPARQLWrapper sends "turtle", "n3", "json-ld" …)
    label: str = ""
    quads: bool = False

    @property
    def mime(self) -> str:
        return self.media_type.split(";")[0].strip()

    def engine(self):
        """The pyoxigraph format object (resolved lazily; the enum values are not picklable)."""
        return _ENGINE[self.key]()


RESULTS = (
    Format("json", "results", "application/sparql-results+json", ("application/json", "text/json"), (), "SPARQL JSON"),
    Format("xml", "results", "application/sparql-results+xml", ("application/xml", "text/xml"), (), "SPARQL XML"),
    Format("csv", "results", "text/csv; charset=utf-8", (), (), "CSV"),
    Format("tsv", "results", "text/tab-separated-values; charset=utf-8", ("text/tsv",), (), "TSV"),
)
GRAPHS = (
    Format("ttl", "graph", "text/turtle; charset=utf-8", ("application/x-turtle", "application/turtle", "text/n3", "text/rdf+n3"),
           ("turtle", "n3"), "Turtle"),
    Format("jsonld", "graph", "application/ld+json", ("application/json", "application/x-json+ld"), ("json-ld", "json"), "JSON-LD"),
    Format("rdf", "graph", "application/rdf+xml", ("application/xml", "text/xml"), ("rdfxml", "rdf+xml", "xml", "owl"), "RDF/XML"),
    Format("nt", "graph", "application/n-triples", ("text/plain",), ("ntriples", "n-triples"), "N-Triples"),
    Format("trig", "graph", "application/trig", (), (), "TriG", quads=True),
    Format("nq", "graph", "application/n-quads", ("text/x-nquads",), ("nquads", "n-quads"), "N-Quads", quads=True),
)
HTML = Format("html", "html", "text/html; charset=utf-8", ("application/xhtml+xml",), (), "HTML")

BY_KEY = {f.key: f for f in RESULTS + GRAPHS + (HTML,)}

_ENGINE = {
    "json": lambda: QueryResultsFormat.JSON,
    "xml": lambda: QueryResultsFormat.XML,
    "csv": lambda: QueryResultsFormat.CSV,
    "tsv": lambda: QueryResultsFormat.TSV,
    "ttl": lambda: RdfFormat.TURTLE,
    "jsonld": lambda: RdfFormat.JSON_LD,
    "rdf": lambda: RdfFormat.RDF_XML,
    "nt": lambda: RdfFormat.N_TRIPLES,
    "trig": lambda: RdfFormat.TRIG,
    "nq": lambda: RdfFormat.N_QUADS,
}


def by_name(value: str, offered: tuple[Format, ...]) -> Format | None:
    """The offered format a ?format= value names: a short name, an alias name or a media type."""
    v = value.strip().lower()
    if not v:
        return None
    for f in offered:
        if v == f.key or v in f.names or v == f.mime or v in f.aliases:
            return f
    return None
