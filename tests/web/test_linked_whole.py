"""Linked data that is whole: an entity's RDF holds what its page shows, JSON-LD is compact
with the published context, every IRI under the base dereferences, and the graph has one size."""

from __future__ import annotations

import json
import re
import stat
from collections import Counter
from html.parser import HTMLParser

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, parse
from web_support import REPO

BASE = "https://w3id.org/gdi-graph"
DIGID = f"{BASE}/id/voorziening/digid"
QB = "http://purl.org/linked-data/cube#"
LABELS = ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel",
          "http://purl.org/dc/terms/title")


@pytest.fixture(scope="module")
def store(web_app):
    return web_app.extensions["gdi_graph"].store


def triples_of(response, fmt=RdfFormat.TURTLE) -> set:
    assert response.status_code == 200, response.data[:300]
    return {Triple(t.subject, t.predicate, t.object) for t in parse(response.data, format=fmt)}


def select(store, text: str) -> list:
    return list(store.query(text, use_default_graph_as_union=True))


def entity_with_observations(store) -> str:
    rows = select(store, f"SELECT ?v WHERE {{ ?o a <{QB}Observation> ; <{BASE}/def#voorziening> ?v }} "
                         f"GROUP BY ?v ORDER BY DESC(COUNT(?o)) ?v LIMIT 1")
    assert rows, "the real build has observations"
    return rows[0][0].value


def test_an_entitys_rdf_holds_its_incoming_links_observations_and_labels(web_client, store):
    iri = entity_with_observations(store)
    doc = triples_of(web_client.get(iri[len(BASE):], headers={"Accept": "text/turtle"}))
    s = NamedNode(iri)
    own = {Triple(s, p, o) for p, o in select(store, f"SELECT DISTINCT ?p ?o WHERE {{ <{iri}> ?p ?o }}")}
    assert own <= doc
    incoming = {Triple(x, p, s) for x, p in select(store, f"SELECT DISTINCT ?x ?p WHERE {{ ?x ?p <{iri}> "
                                                         f"FILTER(isIRI(?x)) }}")}
    assert incoming and incoming <= doc
    observations = {r[0] for r in select(store, f"SELECT DISTINCT ?obs WHERE {{ ?obs ?l <{iri}> ; a <{QB}Observation> }}")}
    assert observations
    for obs in observations:
        components = select(store, f"SELECT ?p ?o WHERE {{ <{obs.value}> ?p ?o . ?p a ?k VALUES ?k {{ "
                                   f"<{QB}DimensionProperty> <{QB}MeasureProperty> <{QB}AttributeProperty> }} }}")
        assert {Triple(obs, p, o) for p, o in components} <= doc, obs
    linked = {t.object for t in own if isinstance(t.object, NamedNode)} | {t.subject for t in incoming}
    values = " ".join(str(i) for i in linked)
    labels = {Triple(x, p, lit) for x, p, lit in select(store, f"SELECT DISTINCT ?x ?p ?l WHERE {{ VALUES ?x {{ {values} }} "
                                                               f"?x ?p ?l VALUES ?p {{ {' '.join(f'<{x}>' for x in LABELS)} }} }}")}
    assert labels and labels <= doc


class _Links(HTMLParser):
    """The ids of a page, and the links in its tables (statements, incoming links, observations)."""

    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: list[str] = []
        self.tables = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(a["id"])
        if tag == "table" and ("properties" in (a.get("class") or "") or a.get("id") in ("incoming", "observations")):
            self.tables += 1
        if tag == "a" and a.get("href") and self.tables:
            self.hrefs.append(a["href"])

    def handle_endtag(self, tag):
        if tag == "table" and self.tables:
            self.tables -= 1


def test_every_iri_the_pages_statement_tables_link_to_is_in_the_rdf(web_client, store):
    iri = entity_with_observations(store)
    path = iri[len(BASE):]
    page = _Links()
    page.feed(web_client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True))
    doc = triples_of(web_client.get(path, headers={"Accept": "application/n-triples"}), RdfFormat.N_TRIPLES)
    named = {t.value for x in doc for t in (x.subject, x.predicate, x.object) if isinstance(t, NamedNode)}
    shown = {BASE + h.split("?")[0] for h in page.hrefs if h.startswith(("/id/", "/def#"))}
    assert shown and shown <= named, sorted(shown - named)[:10]


def test_json_ld_is_compact_with_the_published_context(web_client):
    context = web_client.get("/context.jsonld")
    assert context.status_code == 200 and context.mimetype == "application/ld+json"
    published = context.json["@context"]
    assert published["gdi"] == f"{BASE}/def#" and published["id"] == f"{BASE}/id/"
    for path in ("/id/voorziening/digid", "/def", "/def/shapes", "/.well-known/void", "/graph/data/voorzieningen.ttl"):
        r = web_client.get(path, headers={"Accept": "application/ld+json"})
        assert r.status_code == 200 and r.mimetype == "application/ld+json"
        body = json.loads(r.data)
        assert body["@context"] == published, path
        assert "gdi:" in r.get_data(as_text=True) or "dcat:" in r.get_data(as_text=True)  # compacted, not expanded
        same = triples_of(web_client.get(path, headers={"Accept": "application/n-triples"}), RdfFormat.N_TRIPLES)
        read = {Triple(t.subject, t.predicate, t.object) for t in parse(r.data, format=RdfFormat.JSON_LD)}
        assert len(read) == len(same), path
        ground = lambda ts: {t for t in ts if not isinstance(t.subject, BlankNode) and not isinstance(t.object, BlankNode)}
        assert ground(read) == ground(same), path


def documents_under_the_base(store) -> dict[str, list[str]]:
    """Every IRI under the base that the graph uses, as the documents a client fetches, by kind."""
    kinds: dict[str, set[str]] = {}
    for q in store.quads_for_pattern(None, None, None, None):
        for term in (q.subject, q.predicate, q.object, q.graph_name):
            if isinstance(term, NamedNode) and term.value.startswith(BASE + "/"):
                path = term.value[len(BASE):].split("#")[0]
                kind = "/".join(path.split("/")[:3]) if path.startswith("/id/") else "/".join(path.split("/")[:2])
                kinds.setdefault(kind, set()).add(path)
    return {k: sorted(v) for k, v in kinds.items()}


def test_every_iri_under_the_base_that_the_graph_uses_dereferences(web_client, store):
    kinds = documents_under_the_base(store)
    assert {"/def", "/graph", "/id/voorziening"} <= set(kinds)
    checked = 0
    for kind, paths in sorted(kinds.items()):
        sample = paths if kind in ("/def", "/graph") else paths[:: max(1, len(paths) // 3)][:4]
        for path in sample:
            r = web_client.get(path, headers={"Accept": "application/n-triples"})
            assert r.status_code == 200, (path, r.data[:200])
            checked += 1
    assert checked > 10
    dataset = web_client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert NamedNode(f"{BASE}/.well-known/void#dataset") in {t.subject for t in triples_of(dataset)}


def test_a_named_graph_gives_its_triples_and_provenance(web_client, store, web_app):
    graph = f"{BASE}/graph/data/voorzieningen.ttl"
    expected = {Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, NamedNode(graph))}
    doc = triples_of(web_client.get("/graph/data/voorzieningen.ttl", headers={"Accept": "text/turtle"}))
    about = {t for t in doc if t.subject == NamedNode(graph)}
    assert doc - about == expected - about
    assert Triple(NamedNode(graph), NamedNode("http://purl.org/dc/terms/source"), Literal("data/voorzieningen.ttl")) in about
    digest = web_app.extensions["gdi_graph"].manifest["digest"]
    assert any(digest in t.object.value for t in about if isinstance(t.object, Literal))
    quads = list(parse(web_client.get("/graph/data/voorzieningen.ttl", headers={"Accept": "application/n-quads"}).data,
                       format=RdfFormat.N_QUADS))
    assert {q.graph_name for q in quads if q.subject != NamedNode(graph)} == {NamedNode(graph)}
    html = web_client.get("/graph/data/voorzieningen.ttl", headers={"Accept": "text/html"})
    assert html.status_code == 200 and b"data/voorzieningen.ttl" in html.data
    assert web_client.get("/graph/data/bestaat-niet.ttl").status_code == 404


def test_the_shapes_dereference_with_their_blank_nodes(web_client, store):
    shapes = f"{BASE}/def/shapes#"
    doc = triples_of(web_client.get("/def/shapes", headers={"Accept": "application/n-triples"}), RdfFormat.N_TRIPLES)
    subjects = {r[0] for r in select(store, f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), \"{shapes}\")) }}")}
    assert subjects and subjects <= {t.subject for t in doc}
    # Every blank node the document mentions is described in it (sh:property [...], RDF lists).
    with_statements = {t.subject for t in doc if isinstance(t.subject, BlankNode)}
    mentioned = {t.object for t in doc if isinstance(t.object, BlankNode)}
    assert mentioned and mentioned <= with_statements
    # The ontology document holds the vocabulary, not the shapes.
    vocabulary = triples_of(web_client.get("/def", headers={"Accept": "text/turtle"}))
    assert not any(t.subject.value.startswith(shapes) for t in vocabulary if isinstance(t.subject, NamedNode))


@pytest.mark.parametrize("path", ["/def", "/def/shapes", "/id/voorziening/digid", "/graph/data/voorzieningen.ttl"])
def test_no_anchor_is_used_twice(web_client, path):
    page = _Links()
    page.feed(web_client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True))
    assert [i for i, n in Counter(page.ids).items() if n > 1] == []


def test_one_size_of_the_graph_everywhere(web_client, web_project):
    dist = web_project / "dist"
    manifest = json.loads((dist / "manifest.json").read_text())
    distinct = {(q.subject, q.predicate, q.object) for q in parse(path=str(dist / "gdi.nq"), format=RdfFormat.N_QUADS)}
    size = manifest["counts"]["triples"]
    assert size == len(distinct)
    assert web_client.get("/health").json["counts"]["triples"] == size
    void = triples_of(web_client.get("/.well-known/void", headers={"Accept": "text/turtle"}))
    dataset_size = [int(t.object.value) for t in void if t.predicate.value == "http://rdfs.org/ns/void#triples"
                    and t.subject == NamedNode(f"{BASE}/.well-known/void#dataset")]
    assert dataset_size == [size]
    stated = re.search(r"^\| triples \| ([\d,]+)", (REPO / "README.md").read_text(), re.M)
    assert stated and int(stated.group(1).replace(",", "")) == size, "README's size of the graph is out of date"


def test_downloads_say_their_charset_once_and_come_from_the_build(web_client, web_project):
    ttl = web_client.get("/download/gdi.ttl")
    assert ttl.headers["Content-Type"] == "text/turtle; charset=utf-8"
    dist = (web_project / "dist").resolve()
    jsonld = web_client.get("/download/gdi.jsonld")
    assert jsonld.status_code == 200 and jsonld.data == (dist / "gdi.jsonld").read_bytes()


def test_build_folders_are_readable_by_other_users(web_project):
    dist = (web_project / "dist").resolve()
    assert stat.S_IMODE(dist.stat().st_mode) == 0o755
    assert all(p.stat().st_mode & stat.S_IROTH for p in dist.iterdir())


def test_no_triple_is_stated_twice_for_lack_of_care(web_project):
    """A triple in two named graphs is counted once in the size, but it is almost always a
    copy that will drift. Allowed: each file naming the source of what it says (dct:source)."""
    graphs_of: dict[tuple, list[str]] = {}
    for q in parse(path=str(web_project / "dist" / "gdi.nq"), format=RdfFormat.N_QUADS):
        graphs_of.setdefault((q.subject, q.predicate, q.object), []).append(q.graph_name.value)
    twice = {t: g for t, g in graphs_of.items() if len(g) > 1 and t[1].value != "http://purl.org/dc/terms/source"}
    assert twice == {}
