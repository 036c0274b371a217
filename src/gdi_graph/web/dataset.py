"""The dataset and the endpoint described for machines: SPARQL service description, VoID
and DCAT-AP-NL (dcat:Dataset, dcat:DataService, dcat:Distribution).

Identities are IRIs under the configured base (stable wherever the server runs); the URLs
a client must fetch (endpoint, dumps) use the host the request came to, so they work.
Counts come from the build manifest, so describing the dataset costs no query.
"""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from gdi_graph import __version__

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
FOAF = "http://xmlns.com/foaf/0.1/"
VCARD = "http://www.w3.org/2006/vcard/ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
FORMATS = "http://www.w3.org/ns/formats/"
EU = "http://publications.europa.eu/resource/authority/"
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"

PREFIXES = {"sd": SD, "void": VOID, "dcat": DCAT, "dct": DCT, "foaf": FOAF, "vcard": VCARD, "xsd": XSD,
            "formats": FORMATS, "prov": "http://www.w3.org/ns/prov#"}

RESULT_FORMAT_IRIS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                      "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "TriG", "N-Quads")
DUMPS = (  # file, media type, EU file type, title
    ("gdi.nq", "application/n-quads", "NQUADS", "N-Quads, één named graph per bronbestand"),
    ("gdi.ttl", "text/turtle", "RDF_TURTLE", "Turtle, de vereniging van de databestanden"),
    ("gdi.jsonld", "application/ld+json", "JSON_LD", "JSON-LD, één named graph per bronbestand"),
)


def _n(iri: str) -> NamedNode:
    return NamedNode(iri)


def _nl(text: str) -> Literal:
    return Literal(text, language="nl")


def _en(text: str) -> Literal:
    return Literal(text, language="en")


PROV = "http://www.w3.org/ns/prov#"
OWL = "http://www.w3.org/2002/07/owl#"


def dataset_iri(base: str) -> str:
    return f"{base}/.well-known/void#dataset"


def service_iri(base: str) -> str:
    return f"{base}/sparql#service"


def describe(base: str, root: str, manifest: dict, named_queries: int = 0) -> list[Triple]:
    """Triples for the dataset, its distributions and the SPARQL service; `root` ends with '/'."""
    out: list[Triple] = []

    def add(s, p: str, o) -> None:
        out.append(Triple(s, _n(p) if isinstance(p, str) else p, o))

    ds, svc = _n(dataset_iri(base)), _n(service_iri(base))
    endpoint = _n(root + "sparql")
    counts = manifest.get("counts", {})
    graphs = manifest.get("graphs", {})
    total = counts.get("triples") or sum(graphs.values())  # distinct triples of the union default graph

    # The service (SPARQL service description + DCAT-AP-NL DataService).
    for t in (SD + "Service", DCAT + "DataService"):
        add(svc, RDF_TYPE, _n(t))
    add(svc, SD + "endpoint", endpoint)
    add(svc, SD + "supportedLanguage", _n(SD + "SPARQL11Query"))
    add(svc, SD + "feature", _n(SD + "UnionDefaultGraph"))
    add(svc, SD + "defaultEntailmentRegime", _n("http://www.w3.org/ns/entailment/Simple"))
    for f in RESULT_FORMAT_IRIS:
        add(svc, SD + "resultFormat", _n(FORMATS + f))
    add(svc, SD + "defaultDataset", ds)
    add(svc, DCT + "title", _nl("SPARQL-endpoint van de GDI-graph"))
    add(svc, DCT + "title", _en("SPARQL endpoint of the GDI graph"))
    add(svc, DCT + "description", _nl(
        "Alleen-lezen SPARQL 1.1-endpoint op de kennisgraaf van de Generieke Digitale Infrastructuur. "
        f"Benoemde queries ({named_queries}) staan als API op {root}queries, beschreven in {root}openapi.json."))
    add(svc, DCAT + "endpointURL", endpoint)
    add(svc, DCAT + "endpointDescription", endpoint)
    add(svc, DCAT + "servesDataset", ds)
    add(svc, DCT + "conformsTo", _n("https://www.w3.org/TR/sparql11-protocol/"))
    add(svc, DCT + "license", _n(CC0))
    add(svc, DCT + "accessRights", _n(EU + "access-right/PUBLIC"))
    add(svc, DCAT + "landingPage", _n(root))

    # The dataset (VoID + DCAT-AP-NL Dataset + SD dataset).
    for t in (DCAT + "Dataset", VOID + "Dataset", SD + "Dataset"):
        add(ds, RDF_TYPE, _n(t))
    add(ds, DCT + "title", _nl("GDI-graph: kennisgraaf van de Generieke Digitale Infrastructuur"))
    add(ds, DCT + "title", _en("GDI graph: knowledge graph of the Dutch Generic Digital Infrastructure"))
    add(ds, DCT + "description", _nl(
        "Voorzieningen van de GDI, het Stelsel van Basisregistraties met registratieobjecten en verbindingen, "
        "aangesloten organisaties en de cijfers van de Monitor GDI, als gevalideerde RDF met één named graph per "
        "bronbestand."))
    add(ds, DCT + "identifier", Literal(base))
    add(ds, DCT + "language", _n(EU + "language/NLD"))
    add(ds, DCT + "license", _n(CC0))
    add(ds, DCT + "accessRights", _n(EU + "access-right/PUBLIC"))
    add(ds, DCAT + "theme", _n(EU + "data-theme/GOVE"))
    for kw in ("GDI", "basisregistraties", "stelsel", "digitale overheid", "Monitor GDI"):
        add(ds, DCAT + "keyword", _nl(kw))
    publisher = BlankNode("publisher")
    add(ds, DCT + "publisher", publisher)
    add(publisher, RDF_TYPE, _n(FOAF + "Agent"))
    add(publisher, FOAF + "name", _nl("bijdragers aan gdi-graph"))
    contact = BlankNode("contact")
    add(ds, DCAT + "contactPoint", contact)
    add(contact, RDF_TYPE, _n(VCARD + "Kind"))
    add(contact, VCARD + "fn", Literal("gdi-graph"))
    add(contact, VCARD + "hasURL", _n(root))
    if manifest.get("built"):
        add(ds, DCT + "modified", Literal(manifest["built"], datatype=_n(XSD + "dateTime")))
    add(ds, _n("http://www.w3.org/2002/07/owl#versionInfo"), Literal(f"{manifest.get('digest', '')} ({__version__})"))
    add(ds, DCAT + "landingPage", _n(root))
    add(ds, VOID + "sparqlEndpoint", endpoint)
    add(ds, VOID + "uriSpace", Literal(f"{base}/id/"))
    add(ds, VOID + "vocabulary", _n(f"{base}/def"))
    add(ds, VOID + "triples", Literal(str(total), datatype=_n(XSD + "integer")))
    classes = {"observations": "http://purl.org/linked-data/cube#Observation",
               "verbindingen": f"{base}/def#Verbinding", "voorzieningen": f"{base}/def#Voorziening"}
    for i, (name, value) in enumerate(sorted(counts.items())):
        if name in classes:
            part = BlankNode(f"class{i}")
            add(ds, VOID + "classPartition", part)
            add(part, VOID + "class", _n(classes[name]))
            add(part, VOID + "entities", Literal(str(value), datatype=_n(XSD + "integer")))

    default_graph = BlankNode("default")
    add(ds, SD + "defaultGraph", default_graph)
    add(default_graph, RDF_TYPE, _n(SD + "Graph"))
    add(default_graph, DCT + "description", _nl("De vereniging van alle named graphs (union default graph)."))
    add(default_graph, VOID + "triples", Literal(str(total), datatype=_n(XSD + "integer")))
    for i, (graph, n) in enumerate(sorted(graphs.items())):
        named, g = BlankNode(f"ng{i}"), BlankNode(f"g{i}")
        add(ds, SD + "namedGraph", named)
        add(named, RDF_TYPE, _n(SD + "NamedGraph"))
        add(named, SD + "name", _n(graph))
        add(named, SD + "graph", g)
        add(g, RDF_TYPE, _n(SD + "Graph"))
        add(g, VOID + "triples", Literal(str(n), datatype=_n(XSD + "integer")))

    for file, media, eu, title in DUMPS:
        url = _n(f"{root}download/{file}")
        add(ds, DCAT + "distribution", url)
        add(ds, VOID + "dataDump", url)
        add(url, RDF_TYPE, _n(DCAT + "Distribution"))
        add(url, DCT + "title", _nl(title))
        add(url, DCAT + "accessURL", _n(root + "download"))
        add(url, DCAT + "downloadURL", url)
        add(url, DCAT + "mediaType", _n(f"https://www.iana.org/assignments/media-types/{media}"))
        add(url, DCT + "format", _n(f"{EU}file-type/{eu}"))
        add(url, DCT + "license", _n(CC0))
    api = _n(root + "sparql#distribution")
    add(ds, DCAT + "distribution", api)
    add(api, RDF_TYPE, _n(DCAT + "Distribution"))
    add(api, DCT + "title", _nl("SPARQL-endpoint"))
    add(api, DCAT + "accessURL", endpoint)
    add(api, DCAT + "accessService", svc)
    add(api, DCT + "license", _n(CC0))
    return out


def graph_provenance(base: str, graph: str, manifest: dict) -> list[Triple]:
    """What a named graph is: which source file (or the validation) it holds, its size, the
    build it belongs to and the dataset it is part of."""
    g = _n(graph)
    prefix = f"{base}/graph/"
    name = graph[len(prefix):] if graph.startswith(prefix) else graph
    out = [Triple(g, RDF_TYPE, _n(SD + "Graph")), Triple(g, RDF_TYPE, _n(PROV + "Entity")),
           Triple(g, _n(DCT + "isPartOf"), _n(dataset_iri(base))),
           Triple(g, _n(VOID + "triples"), Literal(str(manifest.get("graphs", {}).get(graph, 0)),
                                                    datatype=_n(XSD + "integer"))),
           Triple(g, _n(OWL + "versionInfo"), Literal(f"build {manifest.get('digest', '')}"))]
    if name == "validatie":
        out.append(Triple(g, _n(DCT + "description"), _nl(
            "Het SHACL-validatierapport van deze build (sh:ValidationReport), gemaakt uit de vormen in shapes/.")))
    elif name.endswith((".ttl", ".csv")):
        out.append(Triple(g, _n(DCT + "source"), Literal(name)))
        out.append(Triple(g, _n(DCT + "description"), _nl(f"De triples uit het bronbestand {name} van deze build.")))
    else:
        out.append(Triple(g, _n(DCT + "description"), _nl(f"Triples die de build afleidt uit de bronbestanden ({name}).")))
    if manifest.get("built"):
        out.append(Triple(g, _n(PROV + "generatedAtTime"), Literal(manifest["built"], datatype=_n(XSD + "dateTime"))))
    return out
