"""Named queries: one `.rq` file per question, with a grlc-style YAML header.

    #+ title: Waarnemingen van de monitor
    #+ description: Alle cijfers uit de tabellen van de Monitor GDI.
    #+ params:
    #+   - name: jaar
    #+     type: year
    #+     description: Alleen dit jaar.
    #+ example:
    #+   jaar: "2017"

Parameters are bound as typed RDF terms (SPARQL substitution of the variable of the same
name), never pasted into the query text, and checked against their declared type and
allowed values first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from pyoxigraph import Literal, NamedNode, Variable

from gdi_graph.rdf.iri import iri_problem

XSD = "http://www.w3.org/2001/XMLSchema#"
TYPES = ("string", "integer", "decimal", "year", "date", "iri", "boolean")
_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
_FORM = re.compile(r"^\s*(?:(?:PREFIX|BASE)\s[^\n]*\n|\s|#[^\n]*\n)*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


class QueryFileError(ValueError):
    """The `.rq` header is malformed; the message names the file."""


class ParameterError(ValueError):
    """A parameter value is wrong; `name` says which."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str = "string"
    description: str = ""
    default: str | None = None
    enum: tuple[str, ...] = ()
    required: bool = False
    lang: str | None = None

    def term(self, raw: str):
        """Check a value given as text and turn it into an RDF term."""
        value = raw.strip()
        if self.enum and value not in self.enum:
            raise ParameterError(self.name, f"parameter {self.name!r}: {raw!r} is not one of {', '.join(self.enum)}")
        if self.type == "string":
            if not value:
                raise ParameterError(self.name, f"parameter {self.name!r} is empty")
            return Literal(value, language=self.lang) if self.lang else Literal(value)
        if self.type == "integer":
            if not re.fullmatch(r"[+-]?\d+", value):
                raise ParameterError(self.name, f"parameter {self.name!r}: {raw!r} is not an integer")
            return Literal(str(int(value)), datatype=NamedNode(XSD + "integer"))
        if self.type == "decimal":
            try:
                Decimal(value)
            except InvalidOperation:
                raise ParameterError(self.name, f"parameter {self.name!r}: {raw!r} is not a number") from None
            return Literal(value, datatype=NamedNode(XSD + "decimal"))
        if self.type == "year":
            if not re.fullmatch(r"\d{4}", value):
                raise ParameterError(self.name, f"parameter {self.name!r}: {raw!r} is not a year like 2017")
            return Literal(value, datatype=NamedNode(XSD + "gYear"))
        if self.type == "date":
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ParameterError(self.name, f"parameter {self.name!r}: {raw!r} is not a date like 2017-12-31")
            try:
                from datetime import date
                date.fromisoformat(value)
            except ValueError:
                raise ParameterError(self.name, f"parameter {self.name!r}: {raw!r} is not a valid date") from None
            return Literal(value, datatype=NamedNode(XSD + "date"))
        if self.type == "boolean":
            if value not in ("true", "false"):
                raise ParameterError(self.name, f"parameter {self.name!r}: {raw!r} is not true or false")
            return Literal(value, datatype=NamedNode(XSD + "boolean"))
        if self.type == "iri":
            problem = iri_problem(value)
            if problem:
                raise ParameterError(self.name, f"parameter {self.name!r}: {raw!r} is not an absolute IRI ({problem})")
            return NamedNode(value)
        raise AssertionError(self.type)


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    title: str
    description: str
    text: str
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    parameters: tuple[Parameter, ...] = ()
    example: dict[str, str] = field(default_factory=dict)
    tags: tuple[str, ...] = ()

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)

    def bind(self, values: dict[str, str]) -> dict[Variable, object]:
        """Typed substitutions for the given values plus defaults; unknown names are errors."""
        known = {p.name for p in self.parameters}
        for name in values:
            if name not in known:
                takes = ", ".join(sorted(known)) or "no parameters"
                raise ParameterError(name, f"unknown parameter {name!r}; query {self.name!r} takes {takes}")
        bound = {}
        for p in self.parameters:
            raw = values.get(p.name, p.default)
            if raw is None or raw == "":
                if p.required:
                    raise ParameterError(p.name, f"parameter {p.name!r} is required")
                continue
            bound[Variable(p.name)] = p.term(str(raw))
        return bound


def parse_query_file(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    header = "\n".join(line[3:] if line.startswith("#+ ") else line[2:]
                       for line in text.splitlines() if line.startswith("#+"))
    try:
        meta = yaml.safe_load(header) or {}
    except yaml.YAMLError as exc:
        raise QueryFileError(f"{path}: header is not valid YAML: {exc}") from None
    if not isinstance(meta, dict) or not meta.get("title"):
        raise QueryFileError(f"{path}: header needs at least '#+ title: …'")
    params = []
    for raw in meta.get("params") or []:
        if not isinstance(raw, dict) or not _NAME.match(str(raw.get("name", ""))):
            raise QueryFileError(f"{path}: each parameter needs a name of lower-case letters, digits, '_' or '-'")
        if raw.get("type", "string") not in TYPES:
            raise QueryFileError(f"{path}: parameter {raw['name']!r} has type {raw.get('type')!r}; use one of {', '.join(TYPES)}")
        params.append(Parameter(
            name=raw["name"], type=raw.get("type", "string"), description=str(raw.get("description", "")).strip(),
            default=None if raw.get("default") is None else str(raw["default"]),
            enum=tuple(str(v) for v in raw.get("enum") or ()), required=bool(raw.get("required", False)),
            lang=raw.get("lang"),
        ))
    form = _FORM.match(re.sub(r"(?m)^#.*$", "", text))
    if not form:
        raise QueryFileError(f"{path}: cannot tell the query form (SELECT, ASK, CONSTRUCT, DESCRIBE)")
    example = {str(k): str(v) for k, v in (meta.get("example") or {}).items()}
    return NamedQuery(
        name=path.stem, path=path, title=str(meta["title"]).strip(),
        description=str(meta.get("description", "")).strip(), text=text, form=form.group(1).upper(),
        parameters=tuple(params), example=example, tags=tuple(meta.get("tags") or ()),
    )


def load_queries(folder: Path) -> dict[str, NamedQuery]:
    return {q.name: q for q in (parse_query_file(p) for p in sorted(folder.glob("*.rq")))}
