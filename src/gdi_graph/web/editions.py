"""Which printings of the monitor's figures a reading page shows.

Each edition of the monitor prints four years, so a figure may be printed by several
editions, and a later edition may revise it. A page shows, like the named queries, one
value per indicator and year by default: the newest edition's. `?editie=<code>` shows the
figures as one edition prints them and `?alle_edities=true` every printing; the names,
values and errors are those of the named query `monitor-observations`, so a wiki editor
learns them once. An unknown edition is a 400 that names the known ones.

The build states which selections each printed cell belongs to (`gdi:weergave`: "nieuwste",
"alle" or its edition's code, see build/monitor/materialise.py), so a page selects its
cells with one lookup.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import request

from gdi_graph.messages import Message
from gdi_graph.query.named import KnownValues, Parameter, ParameterError
from gdi_graph.web.errors import Problem
from gdi_graph.web.state import state

EDITIE = Parameter("editie", "string")
ALLE_EDITIES = Parameter("alle_edities", "boolean")
NEWEST, EVERY = "nieuwste", "alle"

Q_EDITIONS = """PREFIX gdi: <%(gdi)s> PREFIX skos: <%(skos)s> PREFIX dct: <%(dct)s> PREFIX rdfs: <%(rdfs)s>
SELECT ?rapport ?code ?titel ?label ?peildatum WHERE {
  ?rapport a gdi:Rapport ; skos:notation ?code .
  OPTIONAL { ?rapport gdi:peildatum ?peildatum }
  OPTIONAL { ?rapport dct:title ?titel FILTER(LANGMATCHES(LANG(?titel), "nl") || LANG(?titel) = "") }
  OPTIONAL { ?rapport rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "nl") || LANG(?label) = "") }
} LIMIT 1000"""


@dataclass(frozen=True)
class Edition:
    iri: str
    code: str  # the folder name, by which parameters select it
    title: str  # the report's title, as sources name it
    label: str  # its short name
    peildatum: str  # ISO date; editions are ordered by it


@dataclass(frozen=True)
class Selection:
    """One edition (`code`), every printing (`every`), or by default the newest of each figure."""

    code: str | None = None
    every: bool = False

    @property
    def weergave(self) -> str:
        """The value of gdi:weergave that marks the cells of this selection."""
        return self.code or (EVERY if self.every else NEWEST)

    @property
    def newest(self) -> bool:
        return self.code is None and not self.every

    @property
    def args(self) -> dict[str, str]:
        """The query parameters that ask for this selection (none for the default)."""
        if self.code:
            return {EDITIE.name: self.code}
        return {ALLE_EDITIES.name: "true"} if self.every else {}

    @property
    def query(self) -> str:
        """`?editie=…` or `?alle_edities=true`, or "" for the default: to append to a link."""
        return "?" + urlencode(self.args) if self.args else ""

    @property
    def key(self) -> str:
        """What a cached drawing or page depends on."""
        return self.weergave


def editions() -> tuple[Edition, ...]:
    """The graph's editions, newest first; looked up once per build."""
    st = state()
    return st.build().memo(("editions", st.settings.base), _editions)


def _editions() -> tuple[Edition, ...]:
    st = state()
    rows = st.select(Q_EDITIONS % {"gdi": f"{st.settings.base}/def#", "skos": "http://www.w3.org/2004/02/skos/core#",
                                   "dct": "http://purl.org/dc/terms/", "rdfs": "http://www.w3.org/2000/01/rdf-schema#"})
    by_code: dict[str, Edition] = {}
    for r in rows:
        code = r["code"].value
        if code in by_code:
            continue
        title = r["titel"].value if "titel" in r else code
        by_code[code] = Edition(r["rapport"].value, code, title, r["label"].value if "label" in r else title,
                                r["peildatum"].value if "peildatum" in r else "")
    return tuple(sorted(by_code.values(), key=lambda e: (e.peildatum, e.code), reverse=True))


def by_iri() -> dict[str, Edition]:
    return {e.iri: e for e in editions()}


def by_code() -> dict[str, Edition]:
    return {e.code: e for e in editions()}


def selection() -> Selection:
    """The selection this request asks for; a 400 naming the parameter for a wrong one."""
    code = _one(EDITIE.name)
    every = _one(ALLE_EDITIES.name)
    try:
        if code is not None:
            known = KnownValues.from_rows([(e.code, e.label, e.title) for e in editions()], ordered=True)
            code = EDITIE.term(code, known).value
        if every is not None:
            every = ALLE_EDITIES.term(every).value
    except ParameterError as exc:
        raise Problem(400, exc.message, _hint(exc.name), parameter=exc.name) from None
    # As in the named queries, one edition asked for wins over every printing.
    return Selection(code, every == "true" and code is None)


def _one(name: str) -> str | None:
    given = request.args.getlist(name)
    if len(given) > 1:
        raise Problem(400, Message(f"parameter {name!r} is {len(given)} keer gegeven",
                                   f"parameter {name!r} was given {len(given)} times"),
                      Message("geef elke parameter één keer", "give each parameter once"), parameter=name)
    return given[0] if given else None


def _hint(name: str) -> Message:
    known = ", ".join(e.code for e in editions())
    if name == EDITIE.name:
        return Message(f"laat editie weg voor de nieuwste druk van elk cijfer, of kies een van: {known} "
                       "(de vraag edities geeft ze met hun peildatum)",
                       f"leave out editie for the newest printing of each figure, or choose one of: {known} "
                       "(the query edities lists them with their peildatum)")
    return Message("alle_edities=true toont elke druk; laat het weg voor de nieuwste",
                   "alle_edities=true shows every printing; leave it out for the newest")
