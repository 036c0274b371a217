"""What the served queries need, worked out once at build time instead of on every request.

Served queries should cost what their answer costs: a lookup and a few joins, not string
filters over every table title after a chain of joins, and not a search for the newest
printing among all editions. So the build states, in one derived named graph
(`{base}/graph/afgeleid/monitor`), for every printed cell (observation or % change):

- `gdi:nieuwste`: whether its edition is the newest that prints this indicator for this
  year (or span of years) - the value queries give by default;
- `gdi:bronvermelding`: its source as a sentence (report, section, kind and title of the table),
  naming the edition;
- `gdi:weergave`: the selections it belongs to ("nieuwste", "alle", its edition's code), so
  a query finds the cells it asks for with one lookup;

for every observation `gdi:zoeknaam`: each name a reader may ask for it by (the name and
abbreviations of what it is about, the table's title, the voorziening the table is filed
under), `gdi:onderwerpNaam` and, where a later edition revises it, `gdi:herziet`; for every
indicator the labels of its newest printing; and for every edition its code
(`skos:notation`, the folder name) by which queries select it, and its counts.

Everything here follows from the sources by the queries below; nothing is entered by hand.
"""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import Quad, Store
from rdflib import Graph, Literal, URIRef

from gdi_graph.build.monitor.editions import rapport_iri
from gdi_graph.rdf.namespaces import BASE, SKOS
from gdi_graph.rdf.terms import store_from_graph, to_ox, to_rdflib

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

# What a query selects cells by: "nieuwste" for the newest printing of each figure, "alle"
# for every printing, the edition's code for the cells of one edition. One lookup then finds
# the cells a query asks for, whichever of these it asks.
WEERGAVE = """
CONSTRUCT { ?cel gdi:weergave ?weergave } WHERE {
  ?cel gdi:nieuwste ?nieuwste ; gdi:editie/skos:notation ?code .
  VALUES ?soort { "nieuwste" "alle" "editie" }
  FILTER (?soort != "nieuwste" || ?nieuwste)
  BIND (IF(?soort = "editie", ?code, ?soort) AS ?weergave)
}"""

# A revision: the latest earlier edition that printed a value for the same indicator and year
# printed one its rounding cannot reconcile with this one (as gdis:Herziening finds them).
HERZIENING = """
CONSTRUCT { ?nieuw gdi:herziet ?oud } WHERE {
  { SELECT ?nieuw ?i ?jaar (MAX(?p) AS ?p1) WHERE {
      { SELECT ?i ?jaar ?p WHERE { ?x gdi:indicator ?i ; gdi:jaar ?jaar ; gdi:waarde ?wx ; gdi:editie/gdi:peildatum ?p } }
      ?nieuw gdi:indicator ?i ; gdi:jaar ?jaar ; gdi:waarde ?w2 ; gdi:editie/gdi:peildatum ?p2 .
      FILTER (?p < ?p2)
    } GROUP BY ?nieuw ?i ?jaar }
  ?oud gdi:indicator ?i ; gdi:jaar ?jaar ; gdi:waarde ?w1 ; gdi:editie/gdi:peildatum ?p1 .
  ?nieuw gdi:ondergrens ?lo2 . ?oud gdi:ondergrens ?lo1 .
  OPTIONAL { ?nieuw gdi:bovengrens ?hi2 }
  OPTIONAL { ?oud gdi:bovengrens ?hi1 }
  FILTER ((BOUND(?hi2) && ?lo1 > ?hi2) || (BOUND(?hi1) && ?lo2 > ?hi1))
}"""

# Per edition: its tables, its cells and how many of those are the newest printing.
EDITIE_TELLINGEN = """
CONSTRUCT { ?rapport gdi:aantalTabellen ?tabellen ; gdi:aantalCijfers ?cijfers ; gdi:aantalNieuwste ?nieuwste } WHERE {
  { SELECT ?rapport (COUNT(?obs) AS ?cijfers) (SUM(IF(?isNieuwste, 1, 0)) AS ?nieuwste) WHERE {
      ?obs a qb:Observation ; gdi:editie ?rapport ; gdi:nieuwste ?isNieuwste .
    } GROUP BY ?rapport }
  { SELECT ?rapport (COUNT(?tabel) AS ?tabellen) WHERE { ?tabel a gdi:Tabel ; dct:isPartOf ?rapport } GROUP BY ?rapport }
}"""

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

# In this order: a query may use what an earlier one derived (WEERGAVE uses gdi:nieuwste).
QUERIES = (NIEUWSTE_WAARNEMING, NIEUWSTE_VERANDERING, WEERGAVE, BRONVERMELDING, *ZOEKNAAM, ONDERWERPNAAM,
           INDICATOR_LABELS, HERZIENING, EDITIE_TELLINGEN)


def materialise(data: Graph, editions: list[Path], store: Store | None = None) -> Graph:
    """The derived graph for `data` (sources and converted editions, not shapes).

    `store`, when given, holds `data` in its default graph (the build makes it once for
    every step); the derived triples are added to it, so it then holds the data graph whole.
    """
    if store is None:
        store = store_from_graph(data)
    derived = Graph()
    for folder in editions:
        derived.add((rapport_iri(folder), SKOS.notation, Literal(folder.name)))
    store.extend(Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in derived)
    for query in QUERIES:
        found = list(store.query(PREFIXES + query))
        store.extend(Quad(t.subject, t.predicate, t.object) for t in found)
        for s, p, o in found:
            derived.add((to_rdflib(s), to_rdflib(p), _plain(to_rdflib(o))))
    return derived


def _plain(term):
    """xsd:string literals as rdflib's plain literals, so they equal those parsed from Turtle."""
    if isinstance(term, Literal) and term.datatype is not None and str(term.datatype).endswith("#string"):
        return Literal(str(term))
    return term
