"""The SHACL gate: structure, Data Cube integrity and the report's own consistency.

Two answers, kept apart. `conforms` is SHACL's sh:conforms: false as soon as there is any
result, a warning included. `publishable` is the build's decision: no result of severity
sh:Violation. The report graph states both (sh:conforms, gdi:publiceerbaar), so a SHACL
reader sees the warnings and the build still publishes a graph that has only those.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef

from gdi_graph.build import shacl_sparql
from gdi_graph.rdf.namespaces import GDI, RDF, RDFS, SH, SKOS
from gdi_graph.rdf.terms import store_from_graph

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass
class Finding:
    severity: str
    focus: str
    path: str
    value: str
    message: str
    shape: str


@dataclass
class ValidationOutcome:
    conforms: bool  # sh:conforms: no result at all
    publishable: bool  # no violation (warnings and infos allowed)
    report: Graph
    findings: list[Finding]
    timings: dict[str, float] = field(default_factory=dict)  # CPU seconds: core (pyshacl), sparql (Oxigraph)
    rule_timings: dict[str, float] = field(default_factory=dict)  # CPU seconds of each SHACL-SPARQL constraint

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Warning"]

    def text(self) -> str:
        lines = [f"Validation: {len(self.violations)} violation(s), {len(self.warnings)} warning(s), "
                 f"{len(self.findings) - len(self.violations) - len(self.warnings)} info; "
                 f"conforms: {'yes' if self.conforms else 'no'}; publishable: {'yes' if self.publishable else 'no'}"]
        for severity in SEVERITY_ORDER:
            group = [f for f in self.findings if f.severity == severity]
            if not group:
                continue
            lines.append("")
            lines.append(f"== {severity} ({len(group)}) ==")
            for f in group:
                lines.append(f"- {f.message}")
                lines.append(f"    focus: {f.focus}" + (f"  path: {f.path}" if f.path else "")
                             + (f"  value: {f.value}" if f.value else ""))
                lines.append(f"    shape: {f.shape}")
        return "\n".join(lines) + "\n"


def _name(g: Graph, node) -> str:
    if node is None:
        return ""
    if isinstance(node, Literal):
        return str(node)
    for p in (SKOS.prefLabel, RDFS.label):
        label = g.value(node, p)
        if label is not None:
            return f"{label} <{node}>"
    return f"<{node}>" if isinstance(node, URIRef) else str(node)


REPORT_NODE = BNode("validatierapport")


def _stable(report: Graph, node, data: Graph, shapes: Graph) -> Graph:
    """The report with its own blank nodes (report, results, their details and copied paths)
    named by their place and content.

    pyshacl and the SPARQL evaluator make fresh blank nodes on every run; named from the
    report node down by a hash of what each says, the same sources give the same report,
    byte for byte. Blank nodes of the data and shapes graphs (a focus node, a shape, a
    path) keep their names.
    """
    def elsewhere(n) -> bool:
        return any((n, None, None) in g or (None, None, n) in g for g in (data, shapes))

    own = {n for n in report.all_nodes() if isinstance(n, BNode) and not elsewhere(n)}
    content: dict = {}

    def digest(n) -> str:
        if n not in content:
            content[n] = ""  # a cycle hashes as empty rather than recursing forever
            said = sorted(f"{p.n3()} {digest(o) if o in own else o.n3()}" for p, o in report.predicate_objects(n))
            content[n] = hashlib.sha256("\n".join(said).encode()).hexdigest()[:24]
        return content[n]

    rename = {node: REPORT_NODE}
    todo = [node]
    while todo:
        parent = todo.pop()
        seen: dict[str, int] = {}
        children = sorted(((p, o) for p, o in report.predicate_objects(parent) if o in own and o not in rename),
                          key=lambda po: (po[0], digest(po[1])))
        for p, child in children:
            key = hashlib.sha256(f"{rename[parent]} {p} {digest(child)}".encode()).hexdigest()[:24]
            n = seen[key] = seen.get(key, -1) + 1
            rename[child] = BNode(f"v{key}" + (f"-{n}" if n else ""))
            todo.append(child)
    for n in sorted(own - set(rename), key=digest):  # unreachable from the report node: by content
        rename[n] = BNode(f"u{digest(n)}")
    stable = Graph()
    for s, p, o in report:
        stable.add((rename.get(s, s), p, rename.get(o, o)))
    return stable


def validate(data: Graph, shapes: Graph, store: ox.Store | None = None) -> ValidationOutcome:
    """Core shapes through pyshacl, SPARQL-based shapes through Oxigraph; one report.

    `store`, when given, holds `data` in its default graph (the build has it already); the
    shapes graph is added to it as a named graph of its own.

    Raises shacl_sparql.ShapeError for a shapes graph SHACL says must not be used.
    """
    start = time.process_time()
    core, plan = shacl_sparql.split(shapes)
    # pyshacl copies the data graph unless told not to; without inference and without
    # SHACL rules (sh:rule, which would add triples) nothing changes it, so it need not.
    inplace = (None, SH.rule, None) not in core
    _, report, text = shacl_validate(
        data, shacl_graph=core, inference="none", allow_warnings=True, allow_infos=True, advanced=True,
        inplace=inplace,
    )
    if not isinstance(report, Graph):
        raise shacl_sparql.ShapeError(f"pyshacl cannot use the shapes graph: {text}")
    timings = {"core": time.process_time() - start}
    start = time.process_time()
    if plan and store is None:
        store = store_from_graph(data)
    rule_timings = shacl_sparql.evaluate(store, plan, report) if plan else {}
    timings["sparql"] = time.process_time() - start
    node = report.value(predicate=RDF.type, object=SH.ValidationReport)
    results = list(report.objects(node, SH.result))
    publishable = all(report.value(r, SH.resultSeverity) != SH.Violation for r in results)
    report.set((node, SH.conforms, Literal(not results)))
    report.set((node, GDI.publiceerbaar, Literal(publishable)))
    report = _stable(report, node, data, shapes)
    findings = []
    for result in report.objects(REPORT_NODE, SH.result):
        path = report.value(result, SH.resultPath)
        findings.append(Finding(
            severity=str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
            focus=_name(data, report.value(result, SH.focusNode)),
            path=_name(shapes, path) if isinstance(path, URIRef) else "",
            value=_name(data, report.value(result, SH.value)),
            message="; ".join(sorted(str(m) for m in report.objects(result, SH.resultMessage))) or "(no message)",
            shape=str(report.value(result, SH.sourceShape) or ""),
        ))
    findings.sort(key=lambda f: (SEVERITY_ORDER.get(f.severity, 3), f.message, f.focus, f.path, f.value, f.shape))
    return ValidationOutcome(not results, publishable, report, findings, timings, rule_timings)
