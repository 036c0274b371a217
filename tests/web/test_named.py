"""Named queries as an API (/queries), their pages and the OpenAPI document."""

from __future__ import annotations

import csv

import pytest
from pyoxigraph import QueryResultsFormat, parse, parse_query_results

from gdi_graph.query.named import load_queries
from gdi_graph.rdf.formats import GRAPHS, RESULTS

DIGID = "https://w3id.org/gdi-graph/id/voorziening/digid"


@pytest.fixture(scope="session")
def web_named(web_project):
    return load_queries(web_project / "queries")


def test_list_as_json_and_html(any_client, web_named):
    r = any_client.get("/queries", headers={"Accept": "application/json"})
    assert r.status_code == 200
    listed = {q["name"]: q for q in r.json["queries"]}
    assert set(listed) == set(web_named)
    assert listed["web-label"]["parameters"][0] == {"name": "naam", "type": "string", "description":
                                                     "De naam, bijvoorbeeld DigiD.", "default": None, "enum": None,
                                                     "required": True}
    page = any_client.get("/queries", headers={"Accept": "text/html"})
    assert page.mimetype == "text/html"
    for name in web_named:
        assert f'/queries/{name}"'.encode() in page.data


def test_every_named_query_runs_its_example_in_every_format(any_client, web_named):
    """Whatever queries exist: each example answers in each result format of its form."""
    for q in web_named.values():
        offers = RESULTS if q.form in ("SELECT", "ASK") else GRAPHS
        for fmt in offers:
            r = any_client.get(f"/queries/{q.name}", query_string={**q.example, "format": fmt.key})
            assert r.status_code == 200, (q.name, fmt.key, r.data[:500])
            assert r.mimetype == fmt.mime, (q.name, fmt.key)
            if fmt.key == "csv":
                assert next(csv.reader(r.data.decode().splitlines()), None) is not None or q.form == "ASK"
            elif fmt.kind == "results":
                parse_query_results(r.data, format=getattr(QueryResultsFormat, fmt.key.upper()))
            else:
                list(parse(r.data, format=fmt.engine()))
        page = any_client.get(f"/queries/{q.name}", query_string=q.example, headers={"Accept": "text/html"})
        assert page.status_code == 200 and q.title.encode() in page.data.replace(b"&#39;", b"'")


def test_parameters_are_bound_as_typed_terms(any_client):
    r = any_client.get("/queries/web-label", query_string={"naam": "DigiD", "format": "json"})
    rows = r.json["results"]["bindings"]
    assert [row["voorziening"]["value"] for row in rows] == [DIGID]
    assert rows[0]["naam"] == {"type": "literal", "value": "DigiD", "xml:lang": "nl"}
    assert rows[0]["taal"]["value"] == "nl"  # the default
    # A value that would break a query built by pasting strings is just a literal that matches nothing.
    for hostile in ['DigiD" } ; DROP ALL ; #', "x\\' UNION { ?voorziening ?p ?o }", "}}}}"]:
        r = any_client.get("/queries/web-label", query_string={"naam": hostile, "format": "json"})
        assert r.status_code == 200 and r.json["results"]["bindings"] == []
    # Parameters that the SELECT does not project are bound too (by a VALUES block).
    group = "https://w3id.org/gdi-graph/id/functionele-groep/identificeren-en-authenticeren"
    some = any_client.get("/queries/web-voorzieningen", query_string={"groep": group, "format": "csv"}).data
    everything = any_client.get("/queries/web-voorzieningen", query_string={"format": "csv"}).data
    assert DIGID.encode() in some and 1 < some.count(b"\r\n") < everything.count(b"\r\n")
    assert any_client.get("/queries/web-voorzieningen", query_string={"limiet": "0", "format": "csv"}).data == \
        b"voorziening,naam\r\n"


@pytest.mark.parametrize("params, name", [
    ({"groep": "geen iri"}, "groep"),
    ({"limiet": "veel"}, "limiet"),
    ({"onbekend": "1"}, "onbekend"),
])
def test_wrong_parameters_give_400_naming_them(any_client, params, name):
    r = any_client.get("/queries/web-voorzieningen", query_string=params, headers={"Accept": "application/json"})
    assert r.status_code == 400
    assert repr(name) in r.json["detail"] and r.json["hint"]


def test_enum_required_and_unknown_query(any_client):
    r = any_client.get("/queries/web-label", query_string={"naam": "DigiD", "taal": "fr"})
    assert r.status_code == 400 and b"'taal'" in r.data and b"nl, en" in r.data
    r = any_client.get("/queries/web-label")
    assert r.status_code == 400 and b"'naam'" in r.data and b"verplicht" in r.data
    page = any_client.get("/queries/web-label", headers={"Accept": "text/html"})  # people get the form and the reason
    assert page.status_code == 400 and b'id="p-naam"' in page.data and b'id="error"' in page.data
    r = any_client.get("/queries/web-bestaat", query_string=[("voorziening", DIGID), ("voorziening", DIGID)])
    assert r.status_code == 400
    r = any_client.get("/queries/bestaat-niet")
    assert r.status_code == 404 and b"web-label" in r.data


def test_conneg_and_validators_like_sparql(any_client):
    r = any_client.get("/queries/web-bestaat", query_string={"voorziening": DIGID},
                   headers={"Accept": "application/sparql-results+xml"})
    assert r.mimetype == "application/sparql-results+xml" and b"<boolean>true</boolean>" in r.data
    r = any_client.get("/queries/web-beschrijving", headers={"Accept": "text/turtle"})
    assert r.mimetype == "text/turtle" and b"DigiD" in r.data
    assert any_client.get("/queries/web-beschrijving", headers={"Accept": "text/csv"}).status_code == 406
    first = any_client.get("/queries/web-label", query_string={"naam": "DigiD"}, headers={"Accept": "text/csv"})
    again = any_client.get("/queries/web-label", query_string={"naam": "DigiD"},
                       headers={"Accept": "text/csv", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_page_shows_sparql_parameters_results_downloads_and_wikitext(web_client):
    r = web_client.get("/queries/web-label", query_string={"naam": "DigiD"}, headers={"Accept": "text/html"})
    html = r.data.decode()
    assert "SELECT ?voorziening ?naam ?taal" in html.replace("&#39;", "'")
    assert 'name="naam" value="DigiD"' in html and '<option value="nl" selected>' in html
    assert '<table id="results">' in html and "DigiD" in html
    for key in ("json", "xml", "csv", "tsv"):
        assert f'/queries/web-label?naam=DigiD&amp;taal=nl&amp;format={key}"' in html
    url = "http://localhost/queries/web-label?naam=DigiD&amp;taal=nl&amp;format=csv"
    assert "{{#get_web_data:\n url=" + url in html
    assert "|format=csv with header" in html and "|data=voorziening=voorziening,naam=naam,taal=taal" in html
    assert "{{#display_external_table:" in html and "{{#for_external_table:" in html


def test_openapi_document_is_valid_and_follows_the_headers(web_client, web_named):
    from openapi_spec_validator import validate

    doc = web_client.get("/openapi.json").json
    validate(doc)
    assert doc["openapi"].startswith("3.1")
    for q in web_named.values():
        op = doc["paths"][f"/queries/{q.name}"]["get"]
        declared = {p["name"]: p for p in op["parameters"]}
        assert set(declared) == {p.name for p in q.parameters} | {"format"}
    limiet = {p["name"]: p for p in doc["paths"]["/queries/web-voorzieningen"]["get"]["parameters"]}["limiet"]
    assert limiet["schema"] == {"type": "integer", "default": 100}
    taal = {p["name"]: p for p in doc["paths"]["/queries/web-label"]["get"]["parameters"]}["taal"]
    assert taal["schema"]["enum"] == ["nl", "en"]

