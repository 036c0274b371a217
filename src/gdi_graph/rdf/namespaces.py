"""IRIs shared by the build, the queries and the web layer."""

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/gdi-graph"
GDI = Namespace(f"{BASE}/def#")
ID = Namespace(f"{BASE}/id/")
QB = Namespace("http://purl.org/linked-data/cube#")
SH = Namespace("http://www.w3.org/ns/shacl#")
GRAPH = Namespace(f"{BASE}/graph/")

PREFIXES = {
    "gdi": str(GDI),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dct": str(DCTERMS),
    "dcat": str(DCAT),
    "org": str(ORG),
    "prov": str(PROV),
    "qb": str(QB),
    "sh": str(SH),
}

__all__ = ["BASE", "GDI", "ID", "QB", "SH", "GRAPH", "PREFIXES",
           "DCAT", "DCTERMS", "ORG", "OWL", "PROV", "RDF", "RDFS", "SKOS", "XSD"]
