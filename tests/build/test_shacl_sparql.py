"""The SHACL-SPARQL evaluator beyond the W3C tests: what the build relies on.

One query binds all focus nodes at once; these tests check that it gives exactly the
results of one query per focus node, also where a per-node binding matters (aggregates,
OPTIONAL, groups without $this), and for blank nodes, which VALUES cannot hold.
"""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, Namespace

from gdi_graph.build import shacl_sparql
from gdi_graph.build.shacl_sparql import ShapeError
from gdi_graph.build.validate import validate
from gdi_graph.rdf.namespaces import RDF, SH

EX = Namespace("http://example.org/")
PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex: sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .
"""
DATA = """
@prefix ex: <http://example.org/> .
ex:a a ex:Thing ; ex:p 1 , 2 .
ex:b a ex:Thing ; ex:p 3 .
ex:c a ex:Thing .
[] a ex:Thing .
ex:x ex:q ex:y .
"""


def graph(text: str) -> Graph:
    return Graph().parse(data=PREFIXES + text, format="turtle")


DATA_GRAPH = Graph().parse(data=DATA, format="turtle")


def results(shapes: Graph) -> set[tuple]:
    report = validate(DATA_GRAPH, shapes).report
    (node,) = report.subjects(RDF.type, SH.ValidationReport)
    return {(report.value(r, SH.focusNode), report.value(r, SH.value), report.value(r, SH.resultSeverity),
             report.value(r, SH.resultMessage))
            for r in report.objects(node, SH.result)}


def shape(select: str, extra: str = "") -> Graph:
    return graph(f"""
ex:Shape a sh:NodeShape ; sh:targetClass ex:Thing ; {extra}
    sh:sparql [ sh:prefixes ex: ; sh:message "{{$this}} has {{?n}}" ; sh:select \"\"\"{select}\"\"\" ] .
""")


# Each binds $this where a query with $this left free would give other answers.
PER_NODE = {
    "count of nothing": "SELECT $this (COUNT(?x) AS ?n) WHERE { OPTIONAL { $this ex:p ?x } } GROUP BY $this HAVING (COUNT(?x) = 0)",
    "optional without $this": "SELECT $this (1 AS ?n) WHERE { $this a ex:Thing . OPTIONAL { ?s ex:q ?o } FILTER (BOUND(?o)) }",
    "sub-select aggregate": """SELECT $this ?n WHERE { { SELECT $this (COUNT(?x) AS ?n) WHERE { $this ex:p ?x } GROUP BY $this }
                               FILTER (?n >= 2) }""",
    "bind and bound": "SELECT $this ?n WHERE { BIND ($this AS ?n) FILTER (bound($this) && isBlank(?n)) }",
    "not exists": "SELECT $this (0 AS ?n) WHERE { FILTER NOT EXISTS { $this ex:p ?x } }",
}


@pytest.mark.parametrize("name", PER_NODE)
def test_all_focus_nodes_at_once_give_the_results_of_one_query_each(name, monkeypatch):
    shapes = shape(PER_NODE[name])
    together = results(shapes)
    monkeypatch.setattr(shacl_sparql, "CHUNK", 1)  # one focus node per query
    assert together == results(shapes)
    assert together, "the case must produce results to compare"


def test_the_per_node_answers_are_the_specs():
    found = {name: {(f, str(m)) for f, _, _, m in results(shape(q))} for name, q in PER_NODE.items()}
    assert {f for f, _ in found["count of nothing"]} == {EX.c} | {f for f, _ in found["bind and bound"]}
    assert {f for f, _ in found["sub-select aggregate"]} == {EX.a}
    assert len(found["optional without $this"]) == 4  # every focus node, the optional row joined to each
    (blank,) = {f for f, _ in found["bind and bound"]}
    assert isinstance(blank, BNode)  # a blank focus node is bound, though VALUES cannot hold it


def test_results_default_value_severity_and_fill_messages():
    ((focus, value, severity, message),) = results(shape("SELECT $this (2 AS ?n) WHERE { $this ex:p 3 }"))
    assert (focus, value, severity) == (EX.b, EX.b, SH.Violation)  # sh:value: the focus node of a node shape
    assert str(message) == f"{EX.b} has 2"


def test_deactivated_shapes_and_constraints_give_nothing():
    assert not results(shape("SELECT $this WHERE { $this a ex:Thing }", "sh:deactivated true ;"))
    shapes = graph("""ex:Shape a sh:NodeShape ; sh:targetClass ex:Thing ;
        sh:sparql [ sh:deactivated true ; sh:select "SELECT $this WHERE { $this a ex:Thing }" ] .""")
    assert not results(shapes)


def test_a_shape_that_is_its_own_constraint_keeps_its_core_constraints():
    shapes = graph("""ex:Shape a sh:NodeShape , sh:SPARQLConstraint ; sh:targetClass ex:Thing ; sh:sparql ex:Shape ;
        sh:prefixes ex: ; sh:select "SELECT $this WHERE { $this ex:p 3 }" ;
        sh:property [ sh:path ex:p ; sh:minCount 1 ] .""")
    report = validate(Graph().parse(data=DATA, format="turtle"), shapes).report
    found = {(report.value(r, SH.focusNode), report.value(r, SH.sourceConstraintComponent))
             for r in report.subjects(RDF.type, SH.ValidationResult)}
    assert (EX.b, SH.SPARQLConstraintComponent) in found
    assert (EX.c, SH.MinCountConstraintComponent) in found


@pytest.mark.parametrize("select, construct", [
    ("SELECT $this WHERE { $this ex:p ?x . MINUS { $this ex:p 1 } }", "MINUS"),
    ("SELECT $this WHERE { VALUES ?x { 1 } $this ex:p ?x }", "VALUES"),
    ("SELECT $this WHERE { SERVICE <http://example.org/sparql> { $this ex:p ?x } }", "SERVICE"),
    ("SELECT $this WHERE { BIND (ex:a AS $this) }", "AS $this"),
    ("SELECT $this WHERE { $this ex:p ?x . { SELECT ?x WHERE { ?y ex:p ?x } } }", "does not project"),
    ("SELECT ?x WHERE { ?x ex:p 1 }", "does not project $this"),
    ("SELECT $this WHERE { $this ex:p ?x ?y }", "does not parse"),
])
def test_what_pre_binding_forbids_is_refused_with_shape_and_construct(select, construct):
    with pytest.raises(ShapeError) as refused:
        results(shape(select))
    assert construct in str(refused.value) and "Shape" in str(refused.value)


def test_a_reported_failure_stops_validation():
    with pytest.raises(ShapeError, match="failure"):
        results(shape("SELECT $this (true AS ?failure) WHERE { $this ex:p 3 }"))


def test_a_sparql_shape_used_through_sh_node_is_refused():
    shapes = shape("SELECT $this WHERE { $this ex:p 3 }") + graph("ex:User a sh:NodeShape ; sh:targetNode ex:a ; sh:node ex:Shape .")
    with pytest.raises(ShapeError, match="sh:node"):
        results(shapes)


def test_prefixes_are_followed_through_imports():
    shapes = graph("""ex:Shape a sh:NodeShape ; sh:targetNode ex:a ;
        sh:sparql [ sh:prefixes ex:Mine ; sh:select "SELECT $this WHERE { $this e:p 2 }" ] .
        ex:Mine <http://www.w3.org/2002/07/owl#imports> ex:Theirs .
        ex:Theirs sh:declare [ sh:prefix "e" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .""")
    assert {f for f, *_ in results(shapes)} == {EX.a}
    clash = shapes + graph('ex:Mine sh:declare [ sh:prefix "e" ; sh:namespace "http://example.com/"^^xsd:anyURI ] .')
    with pytest.raises(ShapeError, match="prefix 'e'"):
        results(clash)


def test_conforms_is_false_with_warnings_while_the_graph_stays_publishable():
    outcome = validate(Graph().parse(data=DATA, format="turtle"),
                       shape("SELECT $this WHERE { $this ex:p 3 }", "sh:severity sh:Warning ;"))
    assert (outcome.conforms, outcome.publishable) == (False, True)
    (node,) = outcome.report.subjects(RDF.type, SH.ValidationReport)
    assert outcome.report.value(node, SH.conforms) == Literal(False)


def test_the_report_is_the_same_on_every_run():
    shapes = shape("SELECT $this ?n WHERE { $this ex:p ?n }")
    first, second = (validate(DATA_GRAPH, shapes).report for _ in range(2))
    assert set(first) == set(second)  # blank nodes named by content, not at random
