"""Every gdi: term the build writes is declared in the ontology: the published graph and
its validation report (report.ttl, with gdi:publiceerbaar) speak only the vocabulary
ontology/gdi.ttl defines, so a reader can look each term up."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from gdi_graph.rdf.namespaces import GDI, OWL, RDF

REPO = Path(__file__).resolve().parents[2]
DECLARED_AS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)


def declared() -> set[URIRef]:
    ontology = Graph().parse(REPO / "ontology" / "gdi.ttl", format="turtle")
    return {s for kind in DECLARED_AS for s in ontology.subjects(RDF.type, kind)}


def used(triples) -> set[URIRef]:
    """The gdi: properties and classes of some triples (not the value lists' members, which are individuals)."""
    terms = set()
    for _, p, o in triples:
        terms.add(p)
        if p == RDF.type:
            terms.add(o)
    return {t for t in terms if isinstance(t, URIRef) and t.startswith(str(GDI))}


def test_every_gdi_term_of_the_graph_and_the_report_is_declared(built):
    _, dist = built
    graph = Dataset().parse(dist / "gdi.nq", format="nquads")
    report = Graph().parse(dist / "report.ttl", format="turtle")
    in_report = used(report)
    assert GDI.publiceerbaar in in_report  # the report states the publish decision
    undeclared = (used(q[:3] for q in graph.quads((None, None, None, None))) | in_report) - declared()
    assert not undeclared, sorted(undeclared)
