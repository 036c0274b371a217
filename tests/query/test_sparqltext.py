"""The quick analysis of a query text agrees with the token-by-token one, on every query and
shape of the project and on generated texts full of the things that could mislead it."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdi_graph.query.sparqltext import QueryFacts, analyse, analyse_tokens

REPO = Path(__file__).resolve().parents[2]

# Pieces a query is made of, and pieces that hide braces and keywords from a careless scan.
PIECES = [
    "PREFIX gdi: <https://w3id.org/gdi-graph/def#>\n", "PREFIX : <http://e/>", "BASE <http://e/base/>", "prefix x: <y>",
    "SELECT", "select", "CONSTRUCT", "construct", "ASK", "DESCRIBE", "INSERT DATA", "DELETE", "WITH", "LOAD",
    "WHERE", "where", "FROM", "from", "FROM NAMED", "SERVICE", "GRAPH", "OPTIONAL", "UNION", "VALUES",
    "{", "}", "{ }", "(", ")", ".", ";", ",", "*", " ", "\n", "\t",
    "?s", "?from", "$where", "?x1", "gdi:Voorziening", "ex:from", "from:x", "WHERE:a", "ex:a.b", "ex:a-from",
    "ex:a·where", "ex:%41FROM", "a:b:c", ":x", "_:b", "<http://e/x>", "<http://e/{x}>", "<http://e/#where>",
    "<", ">", "'a{b'", '"FROM }"', "'''x\n{ WHERE'''", '"""FROM\n"""', "'unterminated", '"', "'",
    "# a comment { FROM\n", "#", "1", "2.5", "true", "ORDER BY ?s", "LIMIT 5", "é", "éFROM", "xWHERE", "WHEREx",
]
texts = st.lists(st.sampled_from(PIECES), max_size=30).map(" ".join) | st.lists(st.sampled_from(PIECES),
                                                                                  max_size=30).map("".join)


def facts(f: QueryFacts) -> tuple:
    return (f.form, f.prefixes, f.base, f.has_dataset, f.services, f.group_start, f.construct_where)


def test_the_project_queries_and_shapes_give_the_same_facts_both_ways():
    files = sorted((REPO / "queries").glob("*.rq")) + sorted((REPO / "shapes").glob("*.ttl"))
    assert len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert facts(analyse(text)) == facts(analyse_tokens(text)), path.name


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_generated_texts_give_the_same_facts_both_ways(text):
    assert facts(analyse(text)) == facts(analyse_tokens(text))


def test_what_the_endpoint_decides_by():
    q = "PREFIX ex: <http://e/> SELECT * FROM <http://g> WHERE { ?s ex:from 'WHERE {' # SERVICE\n }"
    f = analyse(q)
    assert (f.form, f.has_dataset, f.services, f.prefixes) == ("SELECT", True, [], {"ex": "http://e/"})
    assert q[f.group_start - 1] == "{"
    assert analyse("INSERT DATA { <a> <b> <c> }").is_update
    assert analyse("CONSTRUCT WHERE { ?s ?p ?o }").construct_where
    assert not analyse("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").construct_where
    assert analyse("SELECT * { SERVICE <http://x/sparql> { ?s ?p ?o } }").services == ["http://x/sparql"]
    assert analyse("PREFIX s: <http://x/> SELECT * { SERVICE SILENT s:q { } }").services == ["http://x/q"]
