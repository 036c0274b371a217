"""What the SPARQL editor on /sparql asks the server: vocabulary, wiki text and labels."""

from __future__ import annotations

import csv
import io
from urllib.parse import urlsplit

from html_parts import by_id, parse

BASE = "https://w3id.org/gdi-graph"
QUERY = f"""PREFIX gdi: <{BASE}/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?registratie ?naam WHERE {{ ?registratie a gdi:Basisregistratie ; rdfs:label ?naam }} ORDER BY ?naam"""


def test_vocabulary_has_the_graphs_prefixes_classes_properties_and_examples(web_client, web_app):
    r = web_client.get("/sparql/vocabulary.json")
    assert r.status_code == 200 and "ETag" in r.headers
    v = r.json
    st = web_app.extensions["gdi_graph"]
    assert v["base"] == st.settings.base and v["prefixes"]["gdi"] == f"{BASE}/def#"
    used_classes = {x["c"].value for x in st.select("SELECT DISTINCT ?c WHERE { ?s a ?c FILTER(isIRI(?c)) }")}
    assert used_classes <= set(v["classes"])
    used_properties = {x["p"].value for x in st.select("SELECT DISTINCT ?p WHERE { ?s ?p ?o }")}
    assert used_properties <= set(v["properties"])
    examples = {e["name"]: e for e in v["examples"]}
    assert set(examples) == set(st.queries)
    for name, q in st.queries.items():
        assert "#+" not in examples[name]["query"] and examples[name]["title"] == q.title


def test_wiki_text_and_downloads_for_a_query_as_written(web_client):
    r = web_client.get("/sparql/wikitekst", query_string={"query": QUERY, "columns": "registratie,naam"})
    assert r.status_code == 200
    body = r.json
    assert body["form"] == "SELECT"
    formats = {d["format"]: d["href"] for d in body["downloads"]}
    assert {"json", "xml", "csv", "tsv"} <= set(formats)
    assert "{{#get_web_data:" in body["wikitext"] and body["csv"] in body["wikitext"]
    assert "registratie=registratie,naam=naam" in body["wikitext"]
    fetched = web_client.get(urlsplit(body["csv"]).path + "?" + urlsplit(body["csv"]).query)
    rows = list(csv.reader(io.StringIO(fetched.data.decode())))
    assert rows[0] == ["registratie", "naam"] and len(rows) > 10  # the URL in the wiki text gives the table
    graph = web_client.get("/sparql/wikitekst", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"}).json
    assert "wikitext" not in graph and {"ttl", "nt"} <= {d["format"] for d in graph["downloads"]}
    assert web_client.get("/sparql/wikitekst").status_code == 400


def test_labels_of_result_iris(web_client, web_app):
    iris = [f"{BASE}/id/voorziening/digid", f"{BASE}/id/bestaat-niet", "not an iri"]
    r = web_client.post("/sparql/labels", json={"iris": iris})
    assert r.status_code == 200
    label = web_app.extensions["gdi_graph"].select(
        f"SELECT ?l WHERE {{ <{iris[0]}> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }}")[0]["l"].value
    assert r.json == {iris[0]: label}
    assert web_client.post("/sparql/labels", json={"iris": "x"}).status_code == 400


def test_query_page_offers_the_editor_and_keeps_the_plain_form(web_client):
    doc = parse(web_client.get("/sparql", headers={"Accept": "text/html"}).data)
    scripts = [s.attrs["src"] for s in doc.iter("script")]
    assert "/static/vendor/yasgui/yasgui.min.js" in scripts and "/static/sparql-editor.js" in scripts
    form = by_id(doc, "query-form")
    assert form.attrs["data-vocabulary"] == "/sparql/vocabulary.json"
    assert by_id(doc, "query").tag == "textarea" and by_id(doc, "run")  # works without JavaScript too
    for path in scripts + [link.attrs["href"] for link in doc.iter("link")]:
        assert web_client.get(path).status_code == 200, path
