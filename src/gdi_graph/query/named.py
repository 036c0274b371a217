"""Named queries: one `.rq` file per question, with a grlc-style YAML header.

    #+ title: Waarnemingen van de monitor
    #+ description: Alle cijfers uit de tabellen van de Monitor GDI.
    #+ params:
    #+   - name: registratie
    #+     type: string
    #+     description: Afkorting van de basisregistratie, zoals BAG.
    #+     values: |
    #+       SELECT ?waarde ?naam WHERE { ?r a gdi:Basisregistratie ; gdi:afkorting ?waarde ;
    #+                                       skos:prefLabel ?naam }
    #+ example:
    #+   registratie: BAG

Parameters are bound as typed RDF terms (SPARQL substitution of the variable of the same
name), never pasted into the query text, and checked against their declared type and
allowed values first.

`values` is a small SELECT (the query's own PREFIXes apply) that lists what the graph
knows for a parameter: `?waarde` is the value bound, an optional `?naam` another name for
the same value (a full name for an abbreviation), an optional `?label` what a person sees
in a list. A given value is matched against both regardless of case, accents and extra
spaces and replaced by its `?waarde`; one that matches nothing is refused with the
closest known values, so that a wiki page never shows an empty table for a typo. `enum`
is the same for a fixed list. The lookup runs on the store once per build
(`KnownValueCache`).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Callable

import yaml
from pyoxigraph import Literal, NamedNode, Variable

from gdi_graph.messages import Message
from gdi_graph.rdf.iri import iri_problem

XSD = "http://www.w3.org/2001/XMLSchema#"
TYPES = ("string", "integer", "decimal", "year", "date", "iri", "boolean")
_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
_FORM = re.compile(r"^\s*(?:(?:PREFIX|BASE)\s[^\n]*\n|\s|#[^\n]*\n)*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_PROLOGUE = re.compile(r"^\s*(?:PREFIX|BASE)\s[^\n]*$", re.IGNORECASE | re.MULTILINE)
LIST_ALL_UP_TO = 12  # known values named in full in an error; above this, only the closest


class QueryFileError(ValueError):
    """The `.rq` header is malformed; the message names the file."""


class ParameterError(ValueError):
    """A parameter value is wrong; `name` says which, `message` says why in Dutch and English."""

    def __init__(self, name: str, message: Message | str, suggestions: tuple[str, ...] = ()):
        super().__init__(str(message))
        self.name = name
        self.message = message if isinstance(message, Message) else Message(message, message)
        self.suggestions = suggestions


def normalise(text: str) -> str:
    """The form two names are compared in: no accents, no case, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


@dataclass(frozen=True)
class KnownValues:
    """What a parameter may be: each value with the names that lead to it."""

    values: tuple[str, ...]
    labels: dict[str, str] = field(default_factory=dict)
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)  # normalised name -> values

    @classmethod
    def from_rows(cls, rows: list[tuple[str, str | None, str | None]], ordered: bool = False) -> "KnownValues":
        """Rows of (waarde, naam or None, label or None); sorted by name unless `ordered`."""
        values: dict[str, None] = {}
        labels: dict[str, str] = {}
        names: dict[str, dict[str, None]] = {}
        for waarde, naam, label in rows:
            values.setdefault(waarde, None)
            if label and waarde not in labels:
                labels[waarde] = label
            for n in (waarde, naam, label):
                if n:
                    names.setdefault(normalise(n), {}).setdefault(waarde, None)
        listed = tuple(values) if ordered else tuple(sorted(values, key=lambda v: (normalise(v), v)))
        return cls(listed, labels, {k: tuple(v) for k, v in names.items()})

    def match(self, parameter: str, raw: str) -> str:
        """The known value that `raw` names; a ParameterError with the closest ones otherwise."""
        if raw in self.values:
            return raw
        wanted = normalise(raw)
        hits = self.names.get(wanted, ())
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            choices = " of ".join(hits)
            raise ParameterError(parameter, Message(
                f"parameter {parameter!r}: {raw!r} kan meerdere waarden zijn; bedoelde u {choices}?",
                f"parameter {parameter!r}: {raw!r} could mean several values; did you mean {' or '.join(hits)}?"),
                hits)
        close = self.closest(wanted)
        head = Message(f"parameter {parameter!r}: {raw!r} is geen bekende waarde",
                       f"parameter {parameter!r}: {raw!r} is not a known value")
        if close:
            head += Message(f"; bedoelde u {' of '.join(close)}?", f"; did you mean {' or '.join(close)}?")
        else:
            head += "."
        if len(self.values) <= LIST_ALL_UP_TO:
            listed = ", ".join(self.values)
            head += Message(f" Bekende waarden: {listed}.", f" Known values: {listed}.")
        raise ParameterError(parameter, head, close)

    def closest(self, wanted: str, n: int = 3) -> tuple[str, ...]:
        """Known values whose names look like `wanted`: by spelling, else by containing it."""
        found: dict[str, None] = {}
        for name in difflib.get_close_matches(wanted, list(self.names), n=n, cutoff=0.6):
            for v in self.names[name]:
                found.setdefault(v, None)
        if not found and len(wanted) >= 3:
            for name, vs in self.names.items():
                if re.search(r"\b" + re.escape(wanted), name):
                    for v in vs:
                        found.setdefault(v, None)
        return tuple(found)[:n]


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str = "string"
    description: str = ""
    default: str | None = None
    enum: tuple[str, ...] = ()
    required: bool = False
    lang: str | None = None
    values: str | None = None  # a SELECT listing the known values (see the module docstring)

    def term(self, raw: str, known: KnownValues | None = None):
        """Check a value given as text and turn it into an RDF term.

        With `known` (the graph's values for this parameter) or an `enum`, the value is
        first matched to what is known, regardless of case, accents and spacing.
        """
        value = raw.strip()
        if self.enum:
            value = KnownValues.from_rows([(v, None, None) for v in self.enum], ordered=True).match(self.name, value)
        elif known is not None and value:
            value = known.match(self.name, value)
        p = repr(self.name)
        if self.type == "string":
            if not value:
                raise ParameterError(self.name, Message(f"parameter {p} is leeg", f"parameter {p} is empty"))
            return Literal(value, language=self.lang) if self.lang else Literal(value)
        if self.type == "integer":
            if not re.fullmatch(r"[+-]?\d+", value):
                raise ParameterError(self.name, Message(f"parameter {p}: {raw!r} is geen geheel getal",
                                                        f"parameter {p}: {raw!r} is not an integer"))
            return Literal(str(int(value)), datatype=NamedNode(XSD + "integer"))
        if self.type == "decimal":
            try:
                Decimal(value)
            except InvalidOperation:
                raise ParameterError(self.name, Message(f"parameter {p}: {raw!r} is geen getal",
                                                        f"parameter {p}: {raw!r} is not a number")) from None
            return Literal(value, datatype=NamedNode(XSD + "decimal"))
        if self.type == "year":
            if not re.fullmatch(r"\d{4}", value):
                raise ParameterError(self.name, Message(f"parameter {p}: {raw!r} is geen jaar zoals 2017",
                                                        f"parameter {p}: {raw!r} is not a year like 2017"))
            return Literal(value, datatype=NamedNode(XSD + "gYear"))
        if self.type == "date":
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ParameterError(self.name, Message(f"parameter {p}: {raw!r} is geen datum zoals 2017-12-31",
                                                        f"parameter {p}: {raw!r} is not a date like 2017-12-31"))
            try:
                from datetime import date
                date.fromisoformat(value)
            except ValueError:
                raise ParameterError(self.name, Message(f"parameter {p}: {raw!r} is geen bestaande datum",
                                                        f"parameter {p}: {raw!r} is not a valid date")) from None
            return Literal(value, datatype=NamedNode(XSD + "date"))
        if self.type == "boolean":
            if value not in ("true", "false"):
                raise ParameterError(self.name, Message(f"parameter {p}: {raw!r} is niet true of false",
                                                        f"parameter {p}: {raw!r} is not true or false"))
            return Literal(value, datatype=NamedNode(XSD + "boolean"))
        if self.type == "iri":
            problem = iri_problem(value)
            if problem:
                raise ParameterError(self.name, Message(f"parameter {p}: {raw!r} is geen absolute IRI ({problem})",
                                                        f"parameter {p}: {raw!r} is not an absolute IRI ({problem})"))
            return NamedNode(value)
        raise AssertionError(self.type)


# The graph's values for a parameter, or None when they are not looked up.
Lookup = Callable[["NamedQuery", Parameter], "KnownValues | None"]


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

    def values_query(self, p: Parameter) -> str | None:
        """The parameter's `values` SELECT with this query's PREFIX and BASE lines in front."""
        if not p.values:
            return None
        body = re.sub(r"(?m)^#.*$", "", self.text)
        return "\n".join(_PROLOGUE.findall(body)) + "\n" + p.values

    def bind(self, values: dict[str, str], known: Lookup | None = None) -> dict[Variable, object]:
        """Typed substitutions for the given values plus defaults; unknown names are errors.

        With `known`, values of parameters that declare `values` are matched to the graph's.
        """
        names = {p.name for p in self.parameters}
        for name in values:
            if name not in names:
                takes = ", ".join(sorted(names))
                raise ParameterError(name, Message(
                    f"onbekende parameter {name!r}; query {self.name!r} kent " + (takes or "geen parameters"),
                    f"unknown parameter {name!r}; query {self.name!r} takes " + (takes or "no parameters")))
        bound = {}
        for p in self.parameters:
            raw = values.get(p.name, p.default)
            if raw is None or raw == "":
                if p.required:
                    raise ParameterError(p.name, Message(f"parameter {p.name!r} is verplicht",
                                                         f"parameter {p.name!r} is required"))
                continue
            bound[Variable(p.name)] = p.term(str(raw), known(self, p) if known and p.values else None)
        return bound


class KnownValueCache:
    """The known values of every parameter, looked up once through `select` and kept.

    `select(text)` runs a SELECT on the graph and returns rows as {variable: lexical value}.
    Keep one per build: a new build may know other values.
    """

    def __init__(self, select: Callable[[str], list[dict[str, str]]]):
        self._select = select
        self._known: dict[tuple[str, str], KnownValues] = {}

    def __call__(self, q: NamedQuery, p: Parameter) -> KnownValues | None:
        text = q.values_query(p)
        if text is None:
            return None
        key = (q.name, p.name)
        if key not in self._known:
            rows = self._select(text)
            self._known[key] = KnownValues.from_rows(
                [(r["waarde"], r.get("naam"), r.get("label")) for r in rows if r.get("waarde")])
        return self._known[key]


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
        values = raw.get("values")
        if values is not None and not (isinstance(values, str) and re.search(r"\bSELECT\b.*\?waarde\b", values,
                                                                            re.IGNORECASE | re.DOTALL)):
            raise QueryFileError(f"{path}: parameter {raw['name']!r}: 'values' must be a SELECT with ?waarde")
        if values is not None and raw.get("enum"):
            raise QueryFileError(f"{path}: parameter {raw['name']!r} has both 'values' and 'enum'; keep one")
        params.append(Parameter(
            name=raw["name"], type=raw.get("type", "string"), description=str(raw.get("description", "")).strip(),
            default=None if raw.get("default") is None else str(raw["default"]),
            enum=tuple(str(v) for v in raw.get("enum") or ()), required=bool(raw.get("required", False)),
            lang=raw.get("lang"), values=values.strip() if values else None,
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
