"""The build is a pure function of its sources: two builds write the same bytes.

The second build runs in another process with another hash seed, so neither Python's
string hashing, nor rdflib's blank node names, nor the hash maps inside Oxigraph can
carry over from one build to the other.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from rdflib import Graph

from gdi_graph.rdf.namespaces import GDI, RDF, SH

REPO = Path(__file__).resolve().parents[2]
SAME_BYTES = ("gdi.nq", "gdi.ttl", "gdi.jsonld", "report.ttl", "report.txt")
VARYING = ("built", "timings")  # when and how fast: the only parts of the manifest a rebuild may change


def test_two_builds_of_the_same_sources_are_identical(built, tmp_path):
    _, first = built
    second = tmp_path / "dist"
    env = dict(os.environ, PYTHONHASHSEED=str(os.getpid() % 1000 + 1))
    subprocess.run([sys.executable, "-m", "gdi_graph.cli", "--root", str(REPO), "--dist", str(second), "build"],
                   check=True, env=env, capture_output=True, timeout=600)
    for name in SAME_BYTES:
        a, b = (first / name).read_bytes(), (second / name).read_bytes()
        assert a == b, f"{name} differs between two builds of the same sources"
    manifests = [json.loads((d / "manifest.json").read_text(encoding="utf-8")) for d in (first, second)]
    for manifest in manifests:
        for key in VARYING:
            manifest.pop(key)
    assert manifests[0] == manifests[1]


def test_the_report_states_both_answers(built):
    """sh:conforms is SHACL's (false with any result); gdi:publiceerbaar is the build's decision."""
    graph, dist = built
    report = Graph().parse(dist / "report.ttl", format="turtle")
    (node,) = report.subjects(RDF.type, SH.ValidationReport)
    manifest = json.loads((dist / "manifest.json").read_text(encoding="utf-8"))
    assert graph.outcome.warnings and not graph.outcome.violations, "the real report has warnings only"
    assert report.value(node, SH.conforms).toPython() is False
    assert report.value(node, GDI.publiceerbaar).toPython() is True
    assert (manifest["conforms"], manifest["publishable"]) == (False, True)
    # every result is linked to the report, so a SHACL reader sees them all
    assert set(report.subjects(RDF.type, SH.ValidationResult)) == set(report.objects(node, SH.result))
    assert len(set(report.objects(node, SH.result))) == len(graph.outcome.findings)
