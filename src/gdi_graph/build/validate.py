"""The SHACL gate: structure, Data Cube integrity and the report's own consistency."""

from __future__ import annotations

from dataclasses import dataclass

from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, URIRef

from gdi_graph.build import shacl_sparql
from gdi_graph.rdf.terms import store_from_graph
from gdi_graph.rdf.namespaces import RDF, RDFS, SH, SKOS

SEVERITY_ORDER = [SH.Violation, SH.Warning, SH.Info]


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
    conforms: bool  # no violation (warnings allowed)
    report: Graph
    findings: list[Finding]

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Warning"]

    def text(self) -> str:
        lines = [f"Validation: {len(self.violations)} violation(s), {len(self.warnings)} warning(s), "
                 f"{len(self.findings) - len(self.violations) - len(self.warnings)} info"]
        for severity in ("Violation", "Warning", "Info"):
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


def validate(data: Graph, shapes: Graph) -> ValidationOutcome:
    """Core shapes through pyshacl, SPARQL-based shapes through Oxigraph; one report."""
    core, sparql_shapes = shacl_sparql.split(shapes)
    conforms, report, _ = shacl_validate(
        data, shacl_graph=core, inference="none", allow_warnings=True, allow_infos=True, advanced=True,
    )
    if sparql_shapes:
        violations = shacl_sparql.evaluate(store_from_graph(data), shapes, sparql_shapes, report)
        if violations:
            conforms = False
            report.set((next(report.subjects(RDF.type, SH.ValidationReport)), SH.conforms, Literal(False)))
    findings = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        findings.append(Finding(
            severity=str(severity).rsplit("#", 1)[-1],
            focus=_name(data, report.value(result, SH.focusNode)),
            path=_name(shapes, report.value(result, SH.resultPath)) if isinstance(report.value(result, SH.resultPath), URIRef) else "",
            value=_name(data, report.value(result, SH.value)),
            message="; ".join(messages) or "(no message)",
            shape=str(report.value(result, SH.sourceShape) or ""),
        ))
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    findings.sort(key=lambda f: (order.get(f.severity, 3), f.message, f.focus))
    return ValidationOutcome(bool(conforms), report, findings)
