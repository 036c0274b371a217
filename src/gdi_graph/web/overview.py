"""What the landing page says the graph holds: counts, editions, the functionele groepen.

A few small queries, answered once per build and app (the graph is immutable per build).
The monitor's figures are counted as the pages show them (web/editions.py): one per
indicator and year by default, the newest printing, or those of one edition, or every
printing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gdi_graph.web.editions import Selection
from gdi_graph.web.facts import DCT, ORG, PROV, QB, SKOS, Link, dutch_date, gdi, labels
from gdi_graph.web.state import state

COUNTED = (  # (type, singular, plural), in the order the page lists them
    ("Voorziening", "voorziening", "voorzieningen"),
    ("Basisregistratie", "basisregistratie", "basisregistraties"),
    ("Registratieobject", "registratieobject", "registratieobjecten"),
    ("Verbinding", "verbinding", "verbindingen"),
    (ORG + "Organization", "organisatie", "organisaties"),
    ("Aansluiting", "aansluiting", "aansluitingen"),
    ("Indicator", "indicator", "indicatoren"),
    (QB + "Observation", "cijfer", "cijfers"),
    ("Release", "release", "releases"),
)

Q_COUNTS = "SELECT ?t (COUNT(DISTINCT ?s) AS ?n) WHERE { VALUES ?t { %s } ?s a ?t } GROUP BY ?t"
# The monitor's cells per selection ("nieuwste", "alle", an edition's code), as the build marks them.
Q_CELLS = """PREFIX gdi: <%(gdi)s> PREFIX qb: <%(qb)s>
SELECT ?w (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a qb:Observation ; gdi:weergave ?w } GROUP BY ?w"""

Q_EDITIONS = """PREFIX gdi: <%(gdi)s> PREFIX dct: <%(dct)s> PREFIX prov: <%(prov)s> PREFIX qb: <%(qb)s>
SELECT ?ds ?titel ?periode ?rapport ?rapportTitel ?peildatum ?cijfers ?nieuwste WHERE {
  ?ds a qb:DataSet . OPTIONAL { ?ds dct:title ?titel FILTER(LANGMATCHES(LANG(?titel), "nl")) }
  OPTIONAL { ?ds dct:temporal ?periode }
  OPTIONAL { ?ds prov:wasDerivedFrom ?rapport . OPTIONAL { ?rapport dct:title ?rapportTitel }
             OPTIONAL { ?rapport gdi:peildatum ?peildatum }
             OPTIONAL { ?rapport gdi:aantalCijfers ?cijfers } OPTIONAL { ?rapport gdi:aantalNieuwste ?nieuwste } }
} ORDER BY DESC(?peildatum) LIMIT 100"""

Q_GROUPS = """PREFIX gdi: <%(gdi)s> PREFIX skos: <%(skos)s>
SELECT ?g ?notatie ?definitie ?v ?deelVan ?basis WHERE {
  ?g a gdi:FunctioneleGroep .
  OPTIONAL { ?g skos:notation ?notatie } OPTIONAL { ?g skos:definition ?definitie FILTER(LANGMATCHES(LANG(?definitie), "nl")) }
  OPTIONAL { ?v gdi:functioneleGroep ?g . OPTIONAL { ?v gdi:onderdeelVan ?deelVan }
             BIND(EXISTS { ?v a gdi:Basisregistratie } AS ?basis) }
} LIMIT 3000"""


@dataclass
class Edition:
    iri: str
    title: str
    period: str
    report: Link | None
    peildatum: str | None
    cells: int | None = None  # the figures it prints
    newest: int | None = None  # of which no later edition prints another


@dataclass
class Member:
    link: Link
    basisregistratie: bool
    parts: list[Member] = field(default_factory=list)


@dataclass
class Group:
    link: Link
    notation: str
    definition: str
    members: list[Member]


@dataclass
class Overview:
    counts: list[tuple[str, int]]  # (phrase, number), the figures counted as the default selection shows them
    editions: list[Edition]  # newest first
    groups: list[Group]
    basisregistraties: list[Link]
    cells: dict[str, int] = field(default_factory=dict)  # the monitor's cells per selection (gdi:weergave)

    def counted(self, selection: Selection) -> list[tuple[str, int]]:
        """The counts, with the monitor's figures as `selection` shows them."""
        if not self.cells:
            return self.counts
        n = self.cells.get(selection.weergave, 0)
        figures = "cijfer" if n == 1 else "cijfers"
        return [(figures if phrase in ("cijfer", "cijfers") else phrase, n if phrase in ("cijfer", "cijfers") else m)
                for phrase, m in self.counts]


def overview() -> Overview:
    """What the landing page counts and lists, made once per build."""
    st = state()
    return st.build().memo(("overview", st.settings.base), _load)


def _load() -> Overview:
    st = state()
    g = gdi()
    v = {"gdi": g, "dct": DCT, "prov": PROV, "qb": QB, "skos": SKOS}
    types = {t if t.startswith("http") else g + t: (one, many) for t, one, many in COUNTED}
    found = {r["t"].value: int(r["n"].value) for r in st.select(Q_COUNTS % " ".join(f"<{t}>" for t in types))}
    counts = [(many if found.get(t, 0) != 1 else one, found.get(t, 0)) for t, (one, many) in types.items()]

    editions, seen = [], set()
    for r in st.select(Q_EDITIONS % v):
        if r["ds"].value in seen:
            continue
        seen.add(r["ds"].value)
        report = Link(r["rapport"].value, r["rapportTitel"].value if "rapportTitel" in r else r["rapport"].value) \
            if "rapport" in r else None
        editions.append(Edition(r["ds"].value, r["titel"].value if "titel" in r else r["ds"].value,
                                r["periode"].value.replace("/", "–") if "periode" in r else "", report,
                                dutch_date(r["peildatum"].value) if "peildatum" in r else None,
                                int(r["cijfers"].value) if "cijfers" in r else None,
                                int(r["nieuwste"].value) if "nieuwste" in r else None))
    cells = {r["w"].value: int(r["n"].value) for r in st.select(Q_CELLS % v)}

    rows = st.select(Q_GROUPS % v)
    names = labels({r[k].value for r in rows for k in ("g", "v") if k in r})
    groups: dict[str, Group] = {}
    members: dict[tuple[str, str], Member] = {}
    whole: dict[tuple[str, str], str] = {}
    for r in rows:
        gi = r["g"].value
        groups.setdefault(gi, Group(Link(gi, names.get(gi, gi)), r["notatie"].value if "notatie" in r else "",
                                     r["definitie"].value if "definitie" in r else "", []))
        if "v" not in r:
            continue
        vi = r["v"].value
        members.setdefault((gi, vi), Member(Link(vi, names.get(vi, vi.rsplit("/", 1)[-1])),
                                            r["basis"].value in ("true", "1")))
        if "deelVan" in r:
            whole[(gi, vi)] = r["deelVan"].value
    for (gi, vi), m in sorted(members.items(), key=lambda kv: kv[1].link.label.casefold()):
        parent = whole.get((gi, vi))
        if parent and (gi, parent) in members:
            members[(gi, parent)].parts.append(m)
        else:
            groups[gi].members.append(m)
    ordered = sorted(groups.values(), key=lambda x: (x.notation or "~", x.link.label))
    basis = sorted({m.link for m in members.values() if m.basisregistratie}, key=lambda lk: lk.label.casefold())
    return Overview(counts, editions, ordered, basis, cells)
