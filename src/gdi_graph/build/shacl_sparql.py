"""SHACL-SPARQL constraints (sh:sparql / sh:select on node shapes), evaluated by Oxigraph.

pyshacl evaluates SPARQL constraints with rdflib's pure-Python engine; on this graph the
consistency rules took minutes there (aggregates over joins) and well under a second
here. Only the evaluation moves: the shapes stay standard SHACL-SPARQL, and the results
are ordinary sh:ValidationResult nodes merged into pyshacl's report. Covered: node
shapes with sh:targetClass (with rdfs:subClassOf*), sh:targetNode, sh:targetSubjectsOf,
sh:targetObjectsOf; sh:prefixes/sh:declare; $this pre-binding; {?var} message
templates; sh:severity; sh:deactivated. Property shapes with sh:sparql are refused.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from gdi_graph.rdf.namespaces import SH
from gdi_graph.rdf.terms import to_ox, to_rdflib

TEMPLATE = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


class ShapeError(ValueError):
    """A SPARQL-based shape this evaluator cannot run; names the shape."""


def split(shapes: Graph) -> tuple[Graph, list[URIRef]]:
    """(shapes without sh:sparql constraints, the node shapes that have them)."""
    core = Graph()
    core += shapes
    sparql_shapes = sorted(set(shapes.subjects(SH.sparql, None)), key=str)
    for shape in sparql_shapes:
        if shapes.value(shape, SH.path) is not None:
            raise ShapeError(f"{shape}: sh:sparql on a property shape is not supported; put it on a node shape")
        for constraint in shapes.objects(shape, SH.sparql):
            core.remove((shape, SH.sparql, constraint))
            for t in list(shapes.triples((constraint, None, None))):
                core.remove(t)
    return core, sparql_shapes


def _prefixes(shapes: Graph, constraint) -> str:
    lines = []
    for source in shapes.objects(constraint, SH.prefixes):
        for decl in shapes.objects(source, SH.declare):
            lines.append(f"PREFIX {shapes.value(decl, SH.prefix)}: <{shapes.value(decl, SH.namespace)}>")
    return "\n".join(sorted(set(lines)))


def _focus_nodes(store: ox.Store, shapes: Graph, shape) -> list:
    nodes = [to_ox(n) for n in shapes.objects(shape, SH.targetNode)]
    queries = []
    for cls in shapes.objects(shape, SH.targetClass):
        queries.append(f"SELECT DISTINCT ?n WHERE {{ ?n a/<{RDFS.subClassOf}>* <{cls}> }}")
    for p in shapes.objects(shape, SH.targetSubjectsOf):
        queries.append(f"SELECT DISTINCT ?n WHERE {{ ?n <{p}> ?o }}")
    for p in shapes.objects(shape, SH.targetObjectsOf):
        queries.append(f"SELECT DISTINCT ?n WHERE {{ ?s <{p}> ?n }}")
    for q in queries:
        nodes.extend(row["n"] for row in store.query(q))
    seen, unique = set(), []
    for n in nodes:
        if n not in seen:
            seen.add(n)
            unique.append(n)
    return unique


def evaluate(store: ox.Store, shapes: Graph, sparql_shapes: list[URIRef], report: Graph) -> int:
    """Add a sh:ValidationResult to `report` per solution; return how many violations."""
    violations = 0
    for shape in sparql_shapes:
        if shapes.value(shape, SH.deactivated) == Literal(True):
            continue
        severity = shapes.value(shape, SH.severity) or SH.Violation
        focus_nodes = _focus_nodes(store, shapes, shape)
        for constraint in shapes.objects(shape, SH.sparql):
            if shapes.value(constraint, SH.deactivated) == Literal(True):
                continue
            select = shapes.value(constraint, SH.select)
            if select is None:
                raise ShapeError(f"{shape}: a SPARQL constraint needs sh:select")
            text = _prefixes(shapes, constraint) + "\n" + str(select)
            messages = list(shapes.objects(constraint, SH.message)) or list(shapes.objects(shape, SH.message))
            for focus in focus_nodes:
                try:
                    solutions = store.query(text, substitutions={ox.Variable("this"): focus})
                except SyntaxError as exc:
                    raise ShapeError(f"{shape}: sh:select does not parse: {exc}") from None
                variables = [v.value for v in solutions.variables]
                for solution in solutions:
                    values = {v: solution[v] for v in variables if solution[v] is not None}
                    result = BNode()
                    report.add((result, RDF.type, SH.ValidationResult))
                    report.add((result, SH.focusNode, to_rdflib(values.get("this", focus))))
                    if "value" in values:
                        report.add((result, SH.value, to_rdflib(values["value"])))
                    if "path" in values:
                        report.add((result, SH.resultPath, to_rdflib(values["path"])))
                    report.add((result, SH.resultSeverity, severity))
                    report.add((result, SH.sourceShape, shape))
                    report.add((result, SH.sourceConstraint, constraint))
                    report.add((result, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
                    for message in messages:
                        filled = TEMPLATE.sub(lambda m: values[m[1]].value if m[1] in values else m[0], str(message))
                        report.add((result, SH.resultMessage, Literal(filled, lang=message.language)))
                    if severity == SH.Violation:
                        violations += 1
    return violations
