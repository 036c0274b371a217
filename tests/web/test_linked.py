"""Linked data: entity IRIs, the ontology, downloads, VoID/DCAT, health."""

from __future__ import annotations

import pytest
from pyoxigraph import Literal, NamedNode, RdfFormat, parse

BASE = "https://w3id.org/gdi-graph"
DIGID = f"{BASE}/id/voorziening/digid"
LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


@pytest.mark.parametrize("accept, fmt", [
    ("text/turtle", RdfFormat.TURTLE), ("application/ld+json", RdfFormat.JSON_LD),
    ("application/rdf+xml", RdfFormat.RDF_XML), ("application/n-triples", RdfFormat.N_TRIPLES),
    ("application/trig", RdfFormat.TRIG), ("application/n-quads", RdfFormat.N_QUADS),
])
def test_entity_dereferences_for_machines(any_client, accept, fmt):
    r = any_client.get("/id/voorziening/digid", headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == fmt.media_type
    statements = list(parse(r.data, format=fmt))
    about = [s for s in statements if s.subject == NamedNode(DIGID)]
    assert any(s.predicate == LABEL and s.object == Literal("DigiD", language="nl") for s in about)
    # ... plus the labels of what it links to (its functionele groep).
    linked = {s.object for s in about if isinstance(s.object, NamedNode)}
    assert any(s.subject in linked and s.predicate.value.endswith(("label", "prefLabel")) for s in statements)
    if fmt in (RdfFormat.TRIG, RdfFormat.N_QUADS):  # quads keep the source graph
        assert any(s.graph_name == NamedNode(f"{BASE}/graph/data/voorzieningen.ttl") for s in statements)


def test_entity_page_for_people(any_client):
    r = any_client.get("/id/voorziening/digid", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.mimetype == "text/html"
    html = r.data.decode()
    assert '<h1 id="title">DigiD</h1>' in html
    assert 'href="/id/functionele-groep/identificeren-en-authenticeren"' in html  # links stay on this server
    assert '<table id="incoming">' in html  # DigiD Machtigen is onderdeel van DigiD
    assert "?format=ttl" in html


def test_observations_table_when_there_are_observations(web_client, web_app):
    st = web_app.extensions["gdi_graph"]
    rows = st.select("SELECT ?v WHERE { ?o a <http://purl.org/linked-data/cube#Observation> ; "
                     f"<{BASE}/def#voorziening> ?v }} LIMIT 1")
    assert rows, "the real build has observations"
    path = rows[0]["v"].value[len(BASE):]
    html = web_client.get(path, headers={"Accept": "text/html"}).data.decode()
    assert '<table id="observations">' in html


def test_request_paths_map_to_iris_under_the_base_whatever_the_host(any_client):
    r = any_client.get("/id/voorziening/digid", base_url="http://gdi.example.org:8080", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    assert NamedNode(DIGID) in {t.subject for t in parse(r.data, format=RdfFormat.TURTLE)}


def test_custom_base(web_app_factory):
    c = web_app_factory(base="https://example.org/other", executors=1).test_client()
    assert c.get("/id/voorziening/digid").status_code == 404


def test_unknown_iri_is_404(any_client):
    r = any_client.get("/id/voorziening/bestaat-niet", headers={"Accept": "text/turtle"})
    assert r.status_code == 404 and b"Oplossing" in r.data


def test_ontology_dereferences(any_client):
    r = any_client.get("/def", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    subjects = {t.subject.value for t in parse(r.data, format=RdfFormat.TURTLE)}
    assert f"{BASE}/def#Voorziening" in subjects and f"{BASE}/def" in subjects
    page = any_client.get("/def", headers={"Accept": "text/html"}).data.decode()
    assert 'id="Voorziening"' in page  # so {base}/def#Voorziening lands on its section


def test_downloads(web_client, web_project):
    page = web_client.get("/download")
    assert page.status_code == 200 and b"gdi.nq" in page.data and b"gdi.jsonld" in page.data
    nq = web_client.get("/download/gdi.nq")
    assert nq.mimetype == "application/n-quads" and nq.data == (web_project / "dist" / "gdi.nq").read_bytes()
    ttl = web_client.get("/download/gdi.ttl")
    assert ttl.mimetype == "text/turtle" and list(parse(ttl.data, format=RdfFormat.TURTLE))
    jsonld = web_client.get("/download/gdi.jsonld")
    assert jsonld.mimetype == "application/ld+json"
    assert len(list(parse(jsonld.data, format=RdfFormat.JSON_LD))) == len(list(parse(nq.data, format=RdfFormat.N_QUADS)))
    again = web_client.get("/download/gdi.nq", headers={"If-None-Match": nq.headers["ETag"]})
    assert again.status_code == 304
    assert web_client.get("/download/secrets.txt").status_code == 404


def test_void_and_dcat_description(web_client, web_app):
    r = web_client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    triples = list(parse(r.data, format=RdfFormat.TURTLE))
    types = {t.object.value for t in triples if t.predicate.value.endswith("#type")}
    assert {"http://www.w3.org/ns/dcat#Dataset", "http://www.w3.org/ns/dcat#DataService", "http://rdfs.org/ns/void#Dataset",
            "http://www.w3.org/ns/dcat#Distribution"} <= types
    total = [int(t.object.value) for t in triples if t.predicate.value == "http://rdfs.org/ns/void#triples"
             and t.subject.value.endswith("#dataset")]
    assert total == [web_app.extensions["gdi_graph"].manifest["counts"]["triples"]]  # the union's distinct triples
    assert web_client.get("/.well-known/void", headers={"Accept": "application/ld+json"}).mimetype == "application/ld+json"
    assert b"<table" in web_client.get("/.well-known/void", headers={"Accept": "text/html"}).data


def test_health_reports_digest_and_counts(web_client, web_app):
    body = web_client.get("/health").json
    st = web_app.extensions["gdi_graph"]
    assert body["status"] == "ok" and body["digest"] == st.digest
    assert body["counts"] == st.manifest["counts"] and body["backend"]["mode"] == "embedded"


def test_home_page(any_client):
    r = any_client.get("/", headers={"Accept": "text/html"})
    assert r.status_code == 200 and b'href="/id/voorziening/digid"' in r.data


def test_shared_state_for_other_blueprints(web_app):
    st = web_app.extensions["gdi_graph"]
    assert len(st.store) > 0 and st.digest == st.manifest["digest"]
    assert bool(st.store.query(f"ASK {{ <{DIGID}> ?p ?o }}", use_default_graph_as_union=True))
