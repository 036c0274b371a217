"""The W3C SHACL test suite's SPARQL tests, run through the build's validator.

Each manifest entry under `w3c_shacl/sparql/` (vendored with its licence) validates its
data graph against its shapes graph with `gdi_graph.build.validate.validate` — core
constraints through pyshacl, SHACL-SPARQL through our evaluator, one report — and
compares the report as the suite prescribes for full compliance
(https://w3c.github.io/data-shapes/data-shapes-test-suite/): only the listed predicates
are kept, sh:resultMessage only where the expected report names that message, and the
two graphs must be isomorphic. An entry whose expected result is sht:Failure passes when
validation refuses the shapes graph with a ShapeError.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import RDF

from gdi_graph.build.shacl_sparql import ShapeError
from gdi_graph.build.validate import validate
from gdi_graph.rdf.namespaces import SH

SUITE = Path(__file__).parent / "w3c_shacl" / "sparql"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")

# Kept from the actual report before comparison (the suite's list), besides rdf:type.
REPORT_PREDICATES = {SH.result, SH.conforms}
RESULT_PREDICATES = {SH.focusNode, SH.resultPath, SH.resultSeverity, SH.sourceConstraint,
                     SH.sourceConstraintComponent, SH.sourceShape, SH.value}

# What each sht:Failure entry must be refused for, from its label: refused, but for the
# wrong reason, would not count.
REFUSED_FOR = {
    "pre-binding-006": "does not project the pre-bound variable(s) $this",  # SELECT * sees no FILTER variable
    "unsupported-sparql-001": "MINUS",
    "unsupported-sparql-002": "VALUES",
    "unsupported-sparql-003": "SERVICE",
    "unsupported-sparql-004": "does not project the pre-bound variable(s) $this",
    "unsupported-sparql-005": "AS $this",
    "unsupported-sparql-006": "AS ?value",
}

# In the folder but not listed by its manifest (status sht:proposed); run all the same,
# as it is the suite's only test of sh:nodeValidator.
UNLISTED = [SUITE / "component" / "nodeValidator-001.ttl"]


def _path_of(uri: URIRef) -> Path:
    return Path(str(uri).removeprefix("file://"))


def _manifest_files(manifest: Path) -> list[Path]:
    g = Graph().parse(manifest, format="turtle")
    files = []
    for included in sorted(g.objects(None, MF.include), key=str):
        path = _path_of(included)
        if path.name == "manifest.ttl":
            files += _manifest_files(path)
        else:
            files.append(path)
    return files


def _entries():
    for path in _manifest_files(SUITE / "manifest.ttl") + UNLISTED:
        g = Graph().parse(path, format="turtle")
        for manifest in g.subjects(RDF.type, MF.Manifest):
            for entries in g.objects(manifest, MF.entries):
                for entry in Collection(g, entries):
                    name = f"{path.parent.name}/{str(entry).rsplit('/', 1)[-1]}"
                    yield pytest.param(path, entry, id=name)


def _closure(source: Graph, target: Graph, node) -> None:
    """Copy the blank-node structure below `node` (a property path, an RDF list)."""
    if not isinstance(node, BNode):
        return
    for p, o in source.predicate_objects(node):
        target.add((node, p, o))
        _closure(source, target, o)


def expected_report(g: Graph, report) -> Graph:
    expected = Graph()
    for p, o in g.predicate_objects(report):
        expected.add((report, p, o))
    for result in g.objects(report, SH.result):
        for p, o in g.predicate_objects(result):
            expected.add((result, p, o))
            if p == SH.resultPath:
                _closure(g, expected, o)
    return expected


def actual_report(report: Graph, expected: Graph) -> Graph:
    """The report cut down to what the suite compares, with fresh blank nodes for paths."""
    messages = set(expected.objects(None, SH.resultMessage))
    actual = Graph()
    (node,) = report.subjects(RDF.type, SH.ValidationReport)
    root = BNode()
    actual.add((root, RDF.type, SH.ValidationReport))
    actual.add((root, SH.conforms, report.value(node, SH.conforms)))
    for result in report.objects(node, SH.result):
        copy = BNode()
        actual.add((root, SH.result, copy))
        actual.add((copy, RDF.type, SH.ValidationResult))
        for p, o in report.predicate_objects(result):
            if p in RESULT_PREDICATES:
                if p == SH.resultPath and isinstance(o, BNode):
                    path = Graph()
                    _closure(report, path, o)
                    fresh = {b: BNode() for b in set(path.all_nodes()) if isinstance(b, BNode)}
                    for s, pp, oo in path:
                        actual.add((fresh.get(s, s), pp, fresh.get(oo, oo)))
                    o = fresh[o]
                actual.add((copy, p, o))
            elif p == SH.resultMessage and o in messages:
                actual.add((copy, p, o))
    return actual


@pytest.mark.parametrize("path, entry", list(_entries()))
def test_w3c_sparql(path, entry):
    g = Graph().parse(path, format="turtle")
    action = g.value(entry, MF.action)
    data = Graph().parse(_path_of(g.value(action, SHT.dataGraph)), format="turtle")
    shapes = Graph().parse(_path_of(g.value(action, SHT.shapesGraph)), format="turtle")
    result = g.value(entry, MF.result)
    if result == SHT.Failure:
        with pytest.raises(ShapeError) as refused:
            validate(data, shapes)
        assert REFUSED_FOR[str(entry).rsplit("/", 1)[-1]] in str(refused.value)
        return
    expected = expected_report(g, result)
    actual = actual_report(validate(data, shapes).report, expected)
    if not isomorphic(expected, actual):
        _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
        pytest.fail("reports differ\nonly expected:\n" + only_expected.serialize(format="nt")
                    + "only actual:\n" + only_actual.serialize(format="nt"))


def test_the_suite_is_all_there():
    # A manifest that lists a file we did not vendor would silently shrink the suite.
    files = _manifest_files(SUITE / "manifest.ttl")
    assert files and all(f.exists() for f in files)
    assert {f.parent.name for f in files} == {"node", "property", "pre-binding", "component"}
