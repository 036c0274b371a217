"""What the served queries need, worked out once at build time instead of on every request.

Served queries should cost what their answer costs: a lookup and a few joins, not string
filters over every table title after a chain of joins, and not a search for the newest
printing among all editions. So the build states, in one derived named graph
(`{base}/graph/afgeleid/monitor`), for every printed cell (observation or % change):

- `gdi:nieuwste`: whether its edition is the newest that prints this indicator for this
  year (or span of years) - the value queries give by default;
- `gdi:bronvermelding`: its source as a sentence (report, section, kind and title of the table),
  naming the edition;

for every observation `gdi:zoeknaam`: each name a reader may ask for it by (the name and
abbreviations of what it is about, the table's title, the voorziening the table is filed
under); for every indicator the labels of its newest printing; and for every edition its
code (`skos:notation`, the folder name) by which queries select it.

Everything here follows from the sources by the queries below; nothing is entered by hand.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef

from gdi_graph.build.monitor.editions import rapport_iri
from gdi_graph.rdf.namespaces import BASE, SKOS
from gdi_graph.rdf.terms import store_from_graph, to_rdflib

GRAPH_IRI = URIRef(f"{BASE}/graph/afgeleid/monitor")

PREFIXES = """
PREFIX gdi: <https://w3id.org/gdi-graph/def#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

# Newest per (indicator, year): one aggregate, then a join - linear in the observations.
NIEUWSTE_WAARNEMING = """
CONSTRUCT { ?obs gdi:nieuwste ?nieuwste } WHERE {
  { SELECT ?i ?jaar (MAX(?p) AS ?laatste) WHERE {
      ?o a qb:Observation ; gdi:indicator ?i ; gdi:jaar ?jaar ; gdi:editie/gdi:peildatum ?p .
    } GROUP BY ?i ?jaar }
  ?obs a qb:Observation ; gdi:indicator ?i ; gdi:jaar ?jaar ; gdi:editie/gdi:peildatum ?p .
  BIND (?p = ?laatste AS ?nieuwste)
}"""

NIEUWSTE_VERANDERING = """
CONSTRUCT { ?v gdi:nieuwste ?nieuwste } WHERE {
  { SELECT ?i ?van ?tot (MAX(?p) AS ?laatste) WHERE {
      ?o a gdi:Verandering ; gdi:indicator ?i ; gdi:vanJaar ?van ; gdi:totJaar ?tot ; gdi:editie/gdi:peildatum ?p .
    } GROUP BY ?i ?van ?tot }
  ?v a gdi:Verandering ; gdi:indicator ?i ; gdi:vanJaar ?van ; gdi:totJaar ?tot ; gdi:editie/gdi:peildatum ?p .
  BIND (?p = ?laatste AS ?nieuwste)
}"""

BRONVERMELDING = """
CONSTRUCT { ?cel gdi:bronvermelding ?bron } WHERE {
  { ?cel a qb:Observation } UNION { ?cel a gdi:Verandering }
  ?cel dct:source ?tabel .
  ?tabel dct:title ?titel ; gdi:sectie ?sectie ; gdi:soort ?soort ; dct:isPartOf ?rapport .
  ?rapport dct:title ?rapportTitel .
  FILTER (LANGMATCHES(LANG(?rapportTitel), "nl") || LANG(?rapportTitel) = "")
  BIND (CONCAT(STR(?rapportTitel), ", §", STR(?sectie), ", ", STR(?soort), " ", STR(?titel)) AS ?bron)
}"""

# Three simple joins rather than one union: Oxigraph evaluates a union's branches apart.
ZOEKNAAM = tuple("""
CONSTRUCT { ?obs gdi:zoeknaam ?zoeknaam } WHERE {
  ?obs a qb:Observation ; %s .
  ?naamdrager ?p ?naam .
  VALUES ?p { %s }
  BIND (STRLANG(STR(?naam), "nl") AS ?zoeknaam)
}""" % pattern for pattern in (
    ("gdi:onderwerp ?naamdrager", "skos:prefLabel gdi:afkorting skos:altLabel skos:hiddenLabel"),  # what it is about
    ("dct:source ?naamdrager", "dct:title"),  # the table's title
    ("dct:source/gdi:voorziening ?naamdrager", "skos:prefLabel gdi:afkorting"),  # what the table is filed under
))

ONDERWERPNAAM = """
CONSTRUCT { ?obs gdi:onderwerpNaam ?naam } WHERE {
  ?obs a qb:Observation ; gdi:onderwerp ?onderwerp .
  ?onderwerp skos:prefLabel ?naam .
  FILTER (LANGMATCHES(LANG(?naam), "nl"))
}"""

INDICATOR_LABELS = """
CONSTRUCT { ?i skos:prefLabel ?label ; rdfs:label ?label } WHERE {
  { SELECT ?i (MAX(?p) AS ?laatste) WHERE {
      ?r a gdi:Tabelregel ; gdi:indicator ?i ; gdi:editie/gdi:peildatum ?p .
    } GROUP BY ?i }
  ?r a gdi:Tabelregel ; gdi:indicator ?i ; gdi:editie/gdi:peildatum ?laatste ; rdfs:label ?label .
}"""

QUERIES = (NIEUWSTE_WAARNEMING, NIEUWSTE_VERANDERING, BRONVERMELDING, *ZOEKNAAM, ONDERWERPNAAM, INDICATOR_LABELS)


def materialise(data: Graph, editions: list[Path]) -> Graph:
    """The derived graph for `data` (sources and converted editions, not shapes)."""
    store = store_from_graph(data)
    derived = Graph()
    for folder in editions:
        derived.add((rapport_iri(folder), SKOS.notation, Literal(folder.name)))
    for query in QUERIES:
        for s, p, o in store.query(PREFIXES + query):
            derived.add((to_rdflib(s), to_rdflib(p), _plain(to_rdflib(o))))
    return derived


def _plain(term):
    """xsd:string literals as rdflib's plain literals, so they equal those parsed from Turtle."""
    if isinstance(term, Literal) and term.datatype is not None and str(term.datatype).endswith("#string"):
        return Literal(str(term))
    return term
