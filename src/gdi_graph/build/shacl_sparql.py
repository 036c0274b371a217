"""SHACL-SPARQL, evaluated by Oxigraph: SPARQL-based constraints and constraint components.

pyshacl evaluates SPARQL with rdflib's pure-Python engine, which took minutes on this
graph's consistency rules. Only the evaluation moves: the shapes stay standard SHACL
(SHACL 1.0 §5 and §6). `split` gives pyshacl the shapes graph without the SPARQL-based
constraints and returns those as a plan; `evaluate` runs the plan and adds its results
to pyshacl's report, each linked with sh:result, mapped from the solutions as §5.3.2
says (?path, ?value — else the focus node of a node shape —, ?message, ?failure).

Covered: sh:sparql on node and property shapes ($PATH becomes the shape's path);
constraint components with sh:validator (ASK), sh:nodeValidator and sh:propertyValidator
(SELECT), mandatory and optional parameters; sh:prefixes/owl:imports*/sh:declare;
pre-binding of $this, $value, the parameters, $shapesGraph and $currentShape by the
spec's definition (prebinding.py); sh:message templates {?var} / {$var}; sh:severity;
sh:deactivated; targets sh:targetNode, sh:targetClass (and implicit class targets),
sh:targetSubjectsOf, sh:targetObjectsOf, and a property shape reached by sh:property.

Each constraint is one query over all its focus nodes — the pre-binding table holds them
all — wherever the result is the same as one query per focus node (no LIMIT/OFFSET), so
a rule costs one pass over the data, not one per focus node.

Refused with a ShapeError naming the shape: what SHACL says must fail (MINUS, VALUES,
SERVICE, `AS ?var` for a pre-bound variable, a sub-select without the pre-bound
variables, $PATH outside a predicate, a query that does not parse, a ?failure, clashing
prefixes), and what splitting the work cannot do faithfully: a SPARQL-based shape used
through sh:node, sh:not, sh:and, sh:or, sh:xone or sh:qualifiedValueShape (pyshacl would
see it without its SPARQL constraints), or with a SHACL-AF target (sh:target).
"""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD

from gdi_graph.build import prebinding
from gdi_graph.build.errors import SourceError
from gdi_graph.rdf.namespaces import SH
from gdi_graph.rdf.terms import to_ox, to_rdflib

TEMPLATE = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")
TRUE = Literal(True)
# Named graphs of the evaluation store, outside the data graph (its default graph).
SHAPES_GRAPH = "urn:x-gdi-graph:shapes"
PREBINDING_GRAPH = "urn:x-gdi-graph:prebinding"
RESERVED_PARAMETERS = {"this", "shapesGraph", "currentShape", "path", "PATH", "value"}
SHAPE_REFERENCES = (SH.node, SH["not"], SH.qualifiedValueShape)
SHAPE_LISTS = (SH["and"], SH["or"], SH.xone)
COMPONENT_LINKS = (SH.parameter, SH.validator, SH.nodeValidator, SH.propertyValidator)
CHUNK = 2000  # rows bound by one query


class ShapeError(SourceError):
    """A SHACL-SPARQL shape that must not, or cannot, be evaluated; names shape and construct.

    A SourceError, so the command line reports it like any other bad source file.
    """

    def __init__(self, message: str, path: str = "shapes graph"):
        super().__init__(path, message)


@dataclass
class Constraint:
    """One SPARQL-based constraint of one shape, ready to evaluate."""

    shape: URIRef | BNode
    component: URIRef  # sh:SPARQLConstraintComponent or a SPARQL-based constraint component
    source: URIRef | BNode | None  # the sh:sparql value (sh:sourceConstraint); None for components
    query: prebinding.Query
    parameters: dict[str, object]  # parameter name -> rdflib term, pre-bound
    messages: list[Literal]
    severity: URIRef
    path: URIRef | BNode | None  # sh:path of a property shape

    @property
    def ask(self) -> bool:
        return self.query.form == "ASK"


@dataclass
class Plan:
    """The SPARQL-based constraints of a shapes graph, split off for Oxigraph."""

    shapes: Graph
    constraints: list[Constraint] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.constraints)


def _name(node) -> str:
    return f"<{node}>" if isinstance(node, URIRef) else f"_:{node}" if isinstance(node, BNode) else repr(str(node))


def _instances_of(g: Graph, cls: URIRef) -> set:
    """SHACL instances of `cls` in g: rdf:type/rdfs:subClassOf*."""
    classes = {cls} | set(g.transitive_subjects(RDFS.subClassOf, cls))
    return {s for c in classes for s in g.subjects(RDF.type, c)}


# ---------------------------------------------------------------- reading the shapes graph

def _prefixes(shapes: Graph, node, where: str) -> str:
    """PREFIX lines from sh:prefixes/owl:imports*/sh:declare of `node`."""
    mappings: dict[str, str] = {}
    seen, todo = set(), list(shapes.objects(node, SH.prefixes))
    while todo:
        holder = todo.pop()
        if holder in seen:
            continue
        seen.add(holder)
        todo.extend(shapes.objects(holder, OWL.imports))
        for decl in shapes.objects(holder, SH.declare):
            prefix, namespace = shapes.value(decl, SH.prefix), shapes.value(decl, SH.namespace)
            if prefix is None or namespace is None:
                raise ShapeError(f"{where}: prefix declaration {_name(decl)} needs sh:prefix and sh:namespace")
            if mappings.get(str(prefix), str(namespace)) != str(namespace):
                raise ShapeError(f"{where}: prefix '{prefix}' is declared for both <{mappings[str(prefix)]}> "
                                 f"and <{namespace}>")
            mappings[str(prefix)] = str(namespace)
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(mappings.items()))


def _path_text(shapes: Graph, path, where: str) -> str:
    """A SHACL property path in SPARQL syntax."""
    if isinstance(path, URIRef):
        return f"<{path}>"
    if not isinstance(path, BNode):
        raise ShapeError(f"{where}: sh:path {path!r} is not a path")
    if shapes.value(path, RDF.first) is not None:
        return "(" + " / ".join(_path_text(shapes, p, where) for p in Collection(shapes, path)) + ")"
    for prop, template in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"), (SH.oneOrMorePath, "{}+"),
                           (SH.zeroOrOnePath, "{}?")):
        inner = shapes.value(path, prop)
        if inner is not None:
            return "(" + template.format(_path_text(shapes, inner, where)) + ")"
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + " | ".join(_path_text(shapes, p, where) for p in Collection(shapes, alternatives)) + ")"
    raise ShapeError(f"{where}: sh:path {_name(path)} is not a SHACL property path")


def _prepare(shapes: Graph, node, prop: URIRef, form: str, prebound: set[str], shape, where: str) -> prebinding.Query:
    texts = list(shapes.objects(node, prop))
    if len(texts) != 1:
        raise ShapeError(f"{where}: needs exactly one {prop.n3(shapes.namespace_manager)}, has {len(texts)}")
    path = shapes.value(shape, SH.path)
    text = _prefixes(shapes, node, where) + str(texts[0])
    try:
        query = prebinding.prepare(text, form, prebound,
                                   _path_text(shapes, path, where) if path is not None else None)
    except prebinding.QueryRefused as exc:
        raise ShapeError(f"{where}: {exc}") from None
    try:  # SHACL: a query that does not parse is a failure, raised here rather than mid-validation
        ox.Store().query(query.text)
    except SyntaxError as exc:
        raise ShapeError(f"{where}: the query does not parse: {exc}") from None
    return query


def _severity(shapes: Graph, shape) -> URIRef:
    return shapes.value(shape, SH.severity) or SH.Violation


def _deactivated(shapes: Graph, node) -> bool:
    return shapes.value(node, SH.deactivated) == TRUE


def _sparql_constraints(shapes: Graph) -> list[Constraint]:
    found = []
    for shape in sorted(set(shapes.subjects(SH.sparql, None)), key=str):
        if _deactivated(shapes, shape):
            continue
        for node in sorted(shapes.objects(shape, SH.sparql), key=str):
            where = f"shape {_name(shape)}, sh:sparql {_name(node)}"
            if _deactivated(shapes, node):
                continue
            query = _prepare(shapes, node, SH.select, "SELECT", {"this", "shapesGraph", "currentShape"}, shape, where)
            messages = list(shapes.objects(node, SH.message)) or list(shapes.objects(shape, SH.message))
            found.append(Constraint(shape, SH.SPARQLConstraintComponent, node, query, {}, messages,
                                    _severity(shapes, shape), shapes.value(shape, SH.path)))
    return found


def _components(shapes: Graph) -> list[URIRef]:
    return sorted((c for c in _instances_of(shapes, SH.ConstraintComponent)
                   if not str(c).startswith(str(SH))), key=str)


def _component_constraints(shapes: Graph) -> list[Constraint]:
    found = []
    for component in _components(shapes):
        where = f"constraint component {_name(component)}"
        parameters: dict[str, tuple[URIRef, bool]] = {}
        for declaration in shapes.objects(component, SH.parameter):
            path = shapes.value(declaration, SH.path)
            if not isinstance(path, URIRef):
                raise ShapeError(f"{where}: parameter {_name(declaration)} needs one sh:path, an IRI")
            name = re.search(r"[A-Za-z_][A-Za-z0-9_]*$", str(path))
            if not name or name[0] in RESERVED_PARAMETERS or name[0] in parameters:
                raise ShapeError(f"{where}: parameter <{path}> has no usable name (a SPARQL variable name, "
                                 f"unique, not one of {', '.join(sorted(RESERVED_PARAMETERS))})")
            parameters[name[0]] = (path, shapes.value(declaration, SH.optional) == TRUE)
        mandatory = [p for p, optional in parameters.values() if not optional]
        if not mandatory:
            raise ShapeError(f"{where}: a constraint component needs at least one mandatory parameter")
        candidates = set.intersection(*(set(shapes.subjects(p, None)) for p in mandatory))
        for shape in sorted(candidates, key=str):
            if _deactivated(shapes, shape):
                continue
            is_property = shapes.value(shape, SH.path) is not None
            specific = SH.propertyValidator if is_property else SH.nodeValidator
            validator = shapes.value(component, specific)
            if validator is not None:
                prop, form = SH.select, "SELECT"
            else:
                validator, prop, form = shapes.value(component, SH.validator), SH.ask, "ASK"
            if validator is None:
                continue  # SHACL: no suitable validator, the constraint is ignored
            prebound = {"this", "shapesGraph", "currentShape", *parameters} | ({"value"} if form == "ASK" else set())
            here = f"shape {_name(shape)}, {where}, validator {_name(validator)}"
            query = _prepare(shapes, validator, prop, form, prebound, shape, here)
            messages = list(shapes.objects(validator, SH.message)) or list(shapes.objects(component, SH.message))
            values = [[(name, v) for v in sorted(shapes.objects(shape, path), key=str)] or [(name, None)]
                      for name, (path, _) in sorted(parameters.items())]
            for combination in itertools.product(*values):
                bound = {name: v for name, v in combination if v is not None}
                found.append(Constraint(shape, component, None, query, bound, messages,
                                        _severity(shapes, shape), shapes.value(shape, SH.path)))
    return found


def _check_references(shapes: Graph, constraints: list[Constraint]) -> None:
    sparql_shapes = {c.shape for c in constraints}
    for shape in sorted(sparql_shapes, key=str):
        if shapes.value(shape, SH.target) is not None:
            raise ShapeError(f"shape {_name(shape)}: a SHACL-AF target (sh:target) on a shape with SPARQL-based "
                             "constraints is not supported by this evaluator")
        for prop in SHAPE_REFERENCES:
            for user in shapes.subjects(prop, shape):
                raise ShapeError(f"shape {_name(shape)} has SPARQL-based constraints and is used through "
                                 f"{prop.n3(shapes.namespace_manager)} by {_name(user)}; this evaluator checks "
                                 "SPARQL-based constraints on targeted shapes and their sh:property shapes only")
    for prop in SHAPE_LISTS:
        for user, members in shapes.subject_objects(prop):
            for member in Collection(shapes, members):
                if member in sparql_shapes:
                    raise ShapeError(f"shape {_name(member)} has SPARQL-based constraints and is used through "
                                     f"{prop.n3(shapes.namespace_manager)} by {_name(user)}; not supported")


def split(shapes: Graph) -> tuple[Graph, Plan]:
    """(the shapes graph for pyshacl, without SPARQL-based constraints; the plan for Oxigraph).

    A shape keeps all its other constraints, also when it is its own sh:sparql
    constraint; only the sh:sparql links and the constraint components' declarations go.
    """
    constraints = _sparql_constraints(shapes) + _component_constraints(shapes)
    _check_references(shapes, constraints)
    core = Graph()
    core += shapes
    core.remove((None, SH.sparql, None))
    for component in _components(shapes):
        for t in list(core.triples((component, RDF.type, None))):
            core.remove(t)
        for prop in COMPONENT_LINKS:
            core.remove((component, prop, None))
    return core, Plan(shapes, constraints)


# ---------------------------------------------------------------- evaluation

XSD_STRING = ox.NamedNode(str(XSD.string))


def _rdflib(term):
    """An Oxigraph term as rdflib's; "x"^^xsd:string as the plain literal "x" it is in RDF 1.1,
    so the report holds the data graph's own terms."""
    if isinstance(term, ox.Literal) and term.datatype == XSD_STRING:
        return Literal(term.value)
    return to_rdflib(term)


def _sparql_term(term) -> str:
    return str(term)  # Oxigraph writes IRIs and literals in N-Triples syntax, which SPARQL reads


class _Evaluator:
    def __init__(self, store: ox.Store, plan: Plan):
        self.store = store
        self.shapes = plan.shapes
        self.focus_cache: dict = {}
        self.shapes_loaded = False

    def load_shapes_graph(self) -> None:
        if not self.shapes_loaded:
            graph = ox.NamedNode(SHAPES_GRAPH)
            self.store.bulk_extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph) for s, p, o in self.shapes)
            self.shapes_loaded = True

    def solutions(self, query: prebinding.Query, variables: list[str], rows: list[tuple]) -> list[dict]:
        """Solutions of `query` with `variables` pre-bound to each row (Oxigraph terms).

        An ASK query gives one solution, the row itself, per row for which it is true.
        """
        rows = list(dict.fromkeys(rows))
        found: list[dict] = []
        size = CHUNK if query.batchable else 1
        for start in range(0, len(rows), size):
            chunk = rows[start:start + size]
            blank = any(isinstance(t, ox.BlankNode) for row in chunk for t in row)
            as_select = query.form == "ASK" and query.batchable
            if blank:
                graph = ox.NamedNode(PREBINDING_GRAPH)
                self.store.bulk_extend(
                    ox.Quad(ox.NamedNode(f"{PREBINDING_GRAPH}/row/{i}"), ox.NamedNode(f"{PREBINDING_GRAPH}#{v}"), t, graph)
                    for i, row in enumerate(chunk) for v, t in zip(variables, row))
                text = prebinding.with_graph(query, variables, PREBINDING_GRAPH, as_select)
            else:
                text = prebinding.with_values(query, variables, [tuple(map(_sparql_term, r)) for r in chunk], as_select)
            try:
                result = self.store.query(text)
                if query.form == "ASK" and not as_select:
                    if bool(result):
                        found.append(dict(zip(variables, chunk[0])))
                else:
                    names = [v.value for v in result.variables]
                    found.extend({n: s[n] for n in names if s[n] is not None} for s in result)
            finally:
                if blank:
                    self.store.remove_graph(ox.NamedNode(PREBINDING_GRAPH))
        return found

    def focus_nodes(self, shape) -> list:
        """The focus nodes of a shape: its targets, and for a sh:property shape its parents' value nodes."""
        if shape in self.focus_cache:
            return self.focus_cache[shape]
        self.focus_cache[shape] = []  # a cycle of sh:property adds nothing
        shapes = self.shapes
        nodes = [to_ox(n) for n in shapes.objects(shape, SH.targetNode)]
        classes = list(shapes.objects(shape, SH.targetClass))
        if (shape, RDF.type, RDFS.Class) in shapes or (shape, RDF.type, OWL.Class) in shapes:
            classes.append(shape)  # an implicit class target
        queries = [f"SELECT DISTINCT ?n WHERE {{ ?n a/<{RDFS.subClassOf}>* <{c}> }}" for c in classes]
        queries += [f"SELECT DISTINCT ?n WHERE {{ ?n <{p}> ?o }}" for p in shapes.objects(shape, SH.targetSubjectsOf)]
        queries += [f"SELECT DISTINCT ?n WHERE {{ ?s <{p}> ?n }}" for p in shapes.objects(shape, SH.targetObjectsOf)]
        for q in queries:
            nodes.extend(row["n"] for row in self.store.query(q))
        for parent in sorted(shapes.subjects(SH.property, shape), key=str):
            if shapes.value(parent, SH.target) is not None:
                raise ShapeError(f"shape {_name(shape)} is a sh:property of {_name(parent)}, which has a SHACL-AF "
                                 "target (sh:target); not supported for shapes with SPARQL-based constraints")
            nodes.extend(v for _, v in self.value_nodes(parent, self.focus_nodes(parent)))
        unique = list(dict.fromkeys(nodes))
        self.focus_cache[shape] = unique
        return unique

    def value_nodes(self, shape, focus: list) -> list[tuple]:
        """(focus node, value node) pairs: the focus node itself, or the values of the shape's path."""
        path = self.shapes.value(shape, SH.path)
        if path is None:
            return [(f, f) for f in focus]
        where = f"shape {_name(shape)}"
        query = prebinding.prepare("SELECT $this ?value WHERE { $this $PATH ?value }", "SELECT", {"this"},
                                   _path_text(self.shapes, path, where))
        return [(s["this"], s["value"]) for s in self.solutions(query, ["this"], [(f,) for f in focus])]

    def run(self, c: Constraint, report: Graph, report_node) -> None:
        try:
            self._run(c, report, report_node)
        except SyntaxError as exc:  # the rewritten query: a fault of this evaluator, named as such
            raise ShapeError(f"shape {_name(c.shape)}: the query with its pre-bound variables does not parse "
                             f"({exc}); this is a fault of the SHACL-SPARQL evaluator") from None

    def _run(self, c: Constraint, report: Graph, report_node) -> None:
        focus = self.focus_nodes(c.shape)
        if not focus:
            return
        mentioned = c.query.mentions
        variables, constants = ["this"], []
        if "shapesGraph" in mentioned or "currentShape" in mentioned:
            self.load_shapes_graph()
            variables += ["shapesGraph", "currentShape"]
            constants += [ox.NamedNode(SHAPES_GRAPH), to_ox(c.shape)]
        names = sorted(n for n in c.parameters if n in mentioned)
        variables += names
        constants += [to_ox(c.parameters[n]) for n in names]
        if c.ask:
            pairs = self.value_nodes(c.shape, focus)
            rows = [(f, v, *constants) for f, v in pairs]
            true = {(s["this"], s["value"]) for s in self.solutions(c.query, ["this", "value", *variables[1:]], rows)}
            solutions = [{"this": f, "value": v} for f, v in pairs if (f, v) not in true]
        else:
            solutions = self.solutions(c.query, variables, [(f, *constants) for f in focus])
        for solution in solutions:
            self.add_result(c, solution, report, report_node)

    def add_result(self, c: Constraint, solution: dict, report: Graph, report_node) -> None:
        failure = solution.get("failure")
        if isinstance(failure, ox.Literal) and failure.value == "true" and failure.datatype == ox.NamedNode(str(XSD.boolean)):
            raise ShapeError(f"shape {_name(c.shape)}: the query reported a failure (?failure true) "
                             f"for focus node {solution.get('this')}")
        focus = _rdflib(solution["this"])
        result = BNode()
        report.add((report_node, SH.result, result))
        report.add((result, RDF.type, SH.ValidationResult))
        report.add((result, SH.focusNode, focus))
        path = solution.get("path")
        if isinstance(path, ox.NamedNode):
            report.add((result, SH.resultPath, URIRef(path.value)))
        elif c.path is not None:
            report.add((result, SH.resultPath, self.copy_path(c.path, report)))
        if "value" in solution:
            report.add((result, SH.value, _rdflib(solution["value"])))
        elif c.path is None:
            report.add((result, SH.value, focus))  # the value node of a node shape is its focus node
        report.add((result, SH.resultSeverity, c.severity))
        report.add((result, SH.sourceShape, c.shape))
        if c.source is not None:
            report.add((result, SH.sourceConstraint, c.source))
        report.add((result, SH.sourceConstraintComponent, c.component))
        message = solution.get("message")
        if message is not None:
            report.add((result, SH.resultMessage, _rdflib(message)))
            return
        values = {n: str(v) for n, v in c.parameters.items()}
        values.update({n: t.value for n, t in solution.items()})
        for template in c.messages:
            filled = TEMPLATE.sub(lambda m: values.get(m[1], m[0]), str(template))
            report.add((result, SH.resultMessage, Literal(filled, lang=template.language)))

    def copy_path(self, path, report: Graph):
        """The path node with its blank-node structure, copied into the report."""
        if isinstance(path, BNode):
            for p, o in self.shapes.predicate_objects(path):
                report.add((path, p, self.copy_path(o, report)))
        return path


def label(c: Constraint) -> str:
    """A short name for a constraint: its sh:sparql node or, if that is blank, its shape (and component)."""
    def local(node) -> str:
        return re.split(r"[#/]", str(node))[-1]
    if isinstance(c.source, URIRef):
        return local(c.source)
    return local(c.shape) + ("" if c.component == SH.SPARQLConstraintComponent else f" ({local(c.component)})")


def evaluate(store: ox.Store, plan: Plan, report: Graph) -> dict[str, float]:
    """Add a linked sh:ValidationResult to `report` for each result of the plan's constraints.

    `store` holds the data graph as its default graph; the shapes graph is added as a
    named graph when a query asks for $shapesGraph. Returns the CPU seconds of each
    constraint (by `label`), so a rule whose cost outgrows the data can be found.
    """
    report_node = report.value(predicate=RDF.type, object=SH.ValidationReport)
    if report_node is None:
        report_node = BNode()
        report.add((report_node, RDF.type, SH.ValidationReport))
    evaluator = _Evaluator(store, plan)
    spent: dict[str, float] = {}
    for constraint in plan.constraints:
        start = time.process_time()
        evaluator.run(constraint, report, report_node)
        name = label(constraint)
        spent[name] = spent.get(name, 0.0) + time.process_time() - start
    return spent
