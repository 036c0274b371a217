"""Dutch first: errors in Dutch unless the client prefers English, named queries that know
their values, and answers that give people labels rather than IRIs."""

from __future__ import annotations

import csv
import io
import re

import pytest

from gdi_graph.query.named import load_queries

ENGLISH_WORDS = {"the", "and", "with", "which", "only", "their", "each", "this", "that", "from", "its"}
VOCABULARY = "https://w3id.org/gdi-graph/def#"


@pytest.fixture(scope="module")
def repo_queries(web_project):
    return {n: q for n, q in load_queries(web_project / "queries").items() if not n.startswith("web-")}


def table(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.data.decode())))


# ---------------------------------------------------------------- the language of errors

@pytest.mark.parametrize("accept_language, lang", [
    (None, "nl"), ("nl-NL,en;q=0.5", "nl"), ("de-DE,fr;q=0.8", "nl"), ("*", "nl"),
    ("en", "en"), ("en-GB,nl;q=0.3", "en"), ("fr,en-US;q=0.7,nl;q=0.2", "en"),
])
def test_errors_are_dutch_unless_english_is_preferred(web_client, accept_language, lang):
    headers = {"Accept-Language": accept_language} if accept_language else {}
    r = web_client.get("/queries/verbindingen", query_string={"naar": "brq"}, headers=headers)
    assert r.status_code == 400 and r.headers["Content-Language"] == lang
    assert "Accept-Language" in r.headers["Vary"]
    text = r.data.decode()
    if lang == "nl":
        assert text.startswith("400 Ongeldig verzoek: parameter 'naar': 'brq' is geen bekende waarde")
        assert "\nOplossing: " in text and "How to fix" not in text
    else:
        assert text.startswith("400 Bad Request: parameter 'naar': 'brq' is not a known value")
        assert "\nHow to fix: " in text and "Oplossing" not in text


def test_problem_json_and_the_error_page_follow_the_language(web_client):
    url = "/queries/verbindingen?naar=brq"
    nl = web_client.get(url, headers={"Accept": "application/json"}).json
    en = web_client.get(url, headers={"Accept": "application/json", "Accept-Language": "en"}).json
    assert (nl["title"], en["title"]) == ("Ongeldig verzoek", "Bad Request")
    assert nl["parameter"] == en["parameter"] == "naar"
    assert "bedoelde u" in nl["detail"] and "did you mean" in en["detail"]
    page = web_client.get("/bestaat-niet", headers={"Accept": "text/html"}).data.decode()
    assert "Niet gevonden" in page and "Oplossing:" in page and "niets op /bestaat-niet" in page


@pytest.mark.parametrize("request_args, dutch", [
    (("get", "/sparql", {"query": "DROP ALL"}), "dit endpoint is alleen-lezen"),
    (("get", "/sparql", {"query": "SELECT * WHERE { ?s ?p ?o }", "format": "ttl"}), "past niet bij een SELECT-query"),
    (("get", "/id/voorziening/bestaat-niet", {}), "er is geen resource <"),
    (("delete", "/sparql", {}), "wordt op /sparql niet ondersteund"),
    (("get", "/queries/bestaat-niet", {}), "er is geen benoemde query 'bestaat-niet'"),
    (("get", "/api/stelsel/afhankelijk", {"registratie": "XYZ"}), "onbekende basisregistratie 'XYZ'"),
])
def test_errors_raised_elsewhere_read_dutch(web_client, request_args, dutch):
    method, url, args = request_args
    r = getattr(web_client, method)(url, query_string=args, headers={"Accept": "text/plain"})
    assert r.status_code >= 400
    assert dutch in r.data.decode(), r.data.decode()
    english = getattr(web_client, method)(url, query_string=args,
                                         headers={"Accept": "text/plain", "Accept-Language": "en"}).data.decode()
    assert dutch not in english and not english.startswith(r.data.decode()[:12])


# ---------------------------------------------------------------- named queries that know their values

def test_a_value_in_other_case_gives_the_same_table(web_client):
    for name, exact, other in [("verbindingen", {"naar": "BAG"}, {"naar": "bag"}),
                               ("verbindingen", {"naar": "BRP"}, {"naar": "basisregistratie personen"}),
                               ("afhankelijk", {"registratie": "BAG"}, {"registratie": " Bag "}),
                               ("monitor-observations", {"voorziening": "DigiD", "jaar": "2017"},
                                {"voorziening": "Digid", "jaar": "2017"})]:
        want = web_client.get(f"/queries/{name}", query_string={**exact, "format": "csv"})
        got = web_client.get(f"/queries/{name}", query_string={**other, "format": "csv"})
        assert want.status_code == got.status_code == 200 and table(want), name
        assert got.data == want.data, (name, other)


def test_a_value_that_matches_nothing_is_a_400_naming_the_closest(web_client):
    r = web_client.get("/queries/monitor-observations", query_string={"voorziening": "Digidd", "format": "csv"})
    assert r.status_code == 400 and b"'voorziening'" in r.data and b"bedoelde u DigiD?" in r.data
    r = web_client.get("/queries/afhankelijk", query_string={"registratie": "XYZ"},
                       headers={"Accept": "application/json"})
    assert r.status_code == 400 and r.json["parameter"] == "registratie"
    assert "Bekende waarden: BAG," in r.json["detail"]  # few known values: all listed


def test_the_page_and_the_list_offer_the_known_values(web_client):
    listed = {q["name"]: q for q in web_client.get("/queries", headers={"Accept": "application/json"}).json["queries"]}
    naar = {p["name"]: p for p in listed["verbindingen"]["parameters"]}["naar"]
    assert "BAG" in naar["values"] and "BRP" in naar["values"]
    page = web_client.get("/queries/verbindingen", query_string={"naar": "BRP"}, headers={"Accept": "text/html"})
    html = page.data.decode()
    assert 'list="k-naar"' in html and '<datalist id="k-naar">' in html
    options = re.findall(r'<datalist id="k-naar">(.*?)</datalist>', html, re.S)[0]
    assert set(re.findall(r'<option value="([^"]+)"', options)) == set(naar["values"])
    assert 'label="Basisregistratie Personen"' in options
    wrong = web_client.get("/queries/verbindingen", query_string={"naar": "brq"}, headers={"Accept": "text/html"})
    assert wrong.status_code == 400 and '<datalist id="k-naar">' in wrong.data.decode()
    assert "Oplossing:" in wrong.data.decode()


# ---------------------------------------------------------------- Dutch texts, labels for people

def test_every_query_title_and_description_is_dutch(repo_queries):
    for q in repo_queries.values():
        for text in [q.title, q.description] + [p.description for p in q.parameters]:
            words = set(re.findall(r"[a-z]+", text.lower()))
            assert not words & ENGLISH_WORDS, (q.name, words & ENGLISH_WORDS, text[:80])


def test_no_column_a_person_reads_holds_a_vocabulary_iri(web_client, repo_queries):
    """Statuses and other vocabulary terms come as labels; their IRIs only in columns named *Iri(s)."""
    for q in repo_queries.values():
        if q.form != "SELECT":
            continue
        r = web_client.get(f"/queries/{q.name}", query_string={**q.example, "format": "csv"})
        for row in table(r):
            for column, value in row.items():
                if VOCABULARY in value:
                    assert re.search(r"(Iri|Iris|iri)$", column), (q.name, column, value)


def test_stelsel_answers_give_labels_and_titles_and_keep_the_iris(web_client):
    rows = table(web_client.get("/queries/stelsel-verbindingen", query_string={"peildatum": "2016-12-31",
                                                                               "format": "csv"}))
    assert rows and {r["status"] for r in rows} <= {"beschikbaar", "niet beschikbaar"}
    for r in rows:
        assert r["statusIri"].startswith(VOCABULARY) and r["bronIris"].startswith("https://")
        assert r["bronnen"] and "https://" not in r["bronnen"]
        assert len(r["bronnen"].split(" | ")) == len(r["bronIris"].split())
        assert r["vanRegistratie"] and r["vanObject"] and r["naarObject"]
    answer = web_client.get("/api/stelsel/niet-beschikbaar", query_string={"peildatum": "2016-12-31"}).json
    assert answer["verbindingen"]
    for v in answer["verbindingen"]:
        assert v["status"] == "niet beschikbaar"
        assert v["status_iri"].startswith(VOCABULARY) and not re.search(r"[a-z][A-Z]", v["status"])
        assert v["bronnen"] and not any(b.startswith("http") for b in v["bronnen"])
        assert all(b.startswith("https://") for b in v["bron_iris"])
    pad = web_client.get("/api/stelsel/pad", query_string={"van": "brv", "naar": "bag"}).json
    for p in pad["paden"]:
        for step in p["stappen"]:
            assert "#" not in step["status"] and step["status_iri"].startswith(VOCABULARY)


def test_a_store_that_cannot_be_reached_is_a_dutch_502(web_app_factory):
    from web_support import free_port

    nobody = f"http://127.0.0.1:{free_port()}/query"  # a loopback port nothing listens on
    client = web_app_factory(remote_endpoint=nobody, query_timeout=5).test_client()
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "format": "csv"})
    assert r.status_code == 502
    body = r.data.decode()
    assert f"de SPARQL-store op {nobody} is niet bereikbaar" in body and "probeer het later opnieuw" in body
    english = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "format": "csv"},
                         headers={"Accept-Language": "en"})
    assert english.status_code == 502 and f"the SPARQL store at {nobody} cannot be reached" in english.data.decode()
