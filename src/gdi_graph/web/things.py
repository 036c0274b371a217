"""What a page made for reading shows about each kind of thing.

One function per kind (voorziening, basisregistratie, organisatie, indicator, verbinding,
registratieobject, functionele groep), each a few bounded SELECTs through the backend
(`facts.load` for the resource itself, `figures` for the monitor's tables). They return
plain data; the templates decide how it looks.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from pyoxigraph import NamedNode

from gdi_graph.web import figures, neighbourhood
from gdi_graph.web.editions import Selection
from gdi_graph.web.facts import (
    DCT,
    FOAF,
    ORG,
    PROV,
    RDFS,
    SKOS,
    Facts,
    Link,
    dutch_date,
    gdi,
    labels,
    load,
)
from gdi_graph.web.state import state

KINDS = ("Basisregistratie", "Voorziening", "Koppelnetwerk", "Organization", "Indicator", "Verbinding",
         "Registratieobject", "FunctioneleGroep", "Tabel")

Q_AANSLUITINGEN = """PREFIX gdi: <%(gdi)s>
SELECT ?a ?voorziening ?organisatie ?rol ?peildatum ?sectie WHERE {
  ?a a gdi:Aansluiting ; gdi:%(side)s ?s ; gdi:voorziening ?voorziening ; gdi:organisatie ?organisatie .
  OPTIONAL { ?a gdi:rol ?rol } OPTIONAL { ?a gdi:peildatum ?peildatum } OPTIONAL { ?a gdi:sectie ?sectie }
} LIMIT 3000"""

Q_RELEASES = """PREFIX gdi: <%(gdi)s> PREFIX dct: <%(dct)s>
SELECT ?r ?titel ?product ?status ?sectie ?beschrijving ?noot WHERE {
  ?r a gdi:Release ; gdi:voorziening ?s .
  OPTIONAL { ?r dct:title ?titel } OPTIONAL { ?r gdi:product ?product } OPTIONAL { ?r gdi:releasestatus ?status }
  OPTIONAL { ?r gdi:sectie ?sectie } OPTIONAL { ?r dct:description ?beschrijving } OPTIONAL { ?r gdi:noot ?noot }
} LIMIT 2000"""

Q_OBJECTS = """PREFIX gdi: <%(gdi)s> PREFIX skos: <%(skos)s>
SELECT ?o ?label ?definitie ?broader WHERE {
  ?o a gdi:Registratieobject ; gdi:registratie ?s .
  OPTIONAL { ?o skos:prefLabel ?label FILTER(LANGMATCHES(LANG(?label), "nl")) }
  OPTIONAL { ?o skos:definition ?definitie FILTER(LANGMATCHES(LANG(?definitie), "nl")) }
  OPTIONAL { ?o skos:broader ?broader }
} LIMIT 1000"""

# Every verbinding with its ends' registraties: the stelsel is small (tens), and what depends
# on a registratie is a walk over all of them.
Q_VERBINDINGEN = """PREFIX gdi: <%(gdi)s> PREFIX dct: <%(dct)s> PREFIX prov: <%(prov)s>
SELECT ?vb ?van ?naar ?vanReg ?naarReg ?sleutel ?status ?afgeleid ?vanaf ?bron WHERE {
  ?vb a gdi:Verbinding ; gdi:van ?van ; gdi:naar ?naar .
  OPTIONAL { ?van gdi:registratie ?vanReg } OPTIONAL { ?naar gdi:registratie ?naarReg }
  OPTIONAL { ?vb gdi:sleutel ?sleutel } OPTIONAL { ?vb gdi:status ?status } OPTIONAL { ?vb gdi:afgeleid ?afgeleid }
  OPTIONAL { ?vb gdi:beschikbaarVanaf ?vanaf }
  OPTIONAL { ?vb dct:source|prov:wasDerivedFrom ?bron }
} LIMIT 5000"""

Q_SOURCES = """PREFIX dct: <%(dct)s> PREFIX foaf: <%(foaf)s> PREFIX rdfs: <%(rdfs)s>
SELECT ?bron ?titel ?label ?pagina WHERE {
  VALUES ?bron { %(values)s }
  OPTIONAL { ?bron dct:title ?titel } OPTIONAL { ?bron rdfs:label ?label } OPTIONAL { ?bron foaf:page ?pagina }
} LIMIT 1000"""

Q_GROUP_MEMBERS = """PREFIX gdi: <%(gdi)s>
SELECT ?v ?basis WHERE {
  ?v gdi:functioneleGroep ?s .
  BIND(EXISTS { ?v a gdi:Basisregistratie } AS ?basis)
} LIMIT 1000"""


def _vars(**extra) -> dict:
    return {"gdi": gdi(), "dct": DCT, "skos": SKOS, "prov": PROV, "foaf": FOAF, "rdfs": RDFS, **extra}


def kind_of(types: set[str]) -> str | None:
    """The kind of page for a resource with these rdf:types, most specific first."""
    names = {t.rsplit("#", 1)[-1] for t in types if t.startswith(gdi()) or t == ORG + "Organization"}
    return next((k for k in KINDS if k in names), None)


# ---------------------------------------------------------------- pieces shared by kinds

@dataclass
class Source:
    iri: str
    title: str
    page: str | None = None


def sources(iris) -> list[Source]:
    iris = sorted(set(iris))
    if not iris:
        return []
    values = " ".join(str(NamedNode(i)) for i in iris)
    found: dict[str, Source] = {}
    rank: dict[str, int] = {}
    for r in state().select(Q_SOURCES % _vars(values=values)):
        iri = r["bron"].value
        s = found.setdefault(iri, Source(iri, iri.rsplit("/", 1)[-1]))
        for key, weight in (("titel", 0), ("label", 2)):  # a title before a label, Dutch before other languages
            if key in r:
                score = weight + (0 if getattr(r[key], "language", None) in ("nl", None) else 1)
                if score < rank.get(iri, 9):
                    rank[iri], s.title = score, r[key].value
        if r.get("pagina"):
            s.page = r["pagina"].value
    return [found.get(i, Source(i, i.rsplit("/", 1)[-1])) for i in iris]


@dataclass
class Aansluiting:
    iri: str
    voorziening: Link
    organisatie: Link
    rol: str
    peildatum: str | None
    sectie: str | None


def aansluitingen(iri: str, side: str) -> dict[str, list[Aansluiting]]:
    """Aansluitingen of a voorziening (side='voorziening') or organisation (side='organisatie'), by role."""
    rows = state().select(Q_AANSLUITINGEN % _vars(side=side), {"s": NamedNode(iri)})
    names = labels({r[k].value for r in rows for k in ("voorziening", "organisatie", "rol") if k in r})

    def link(term) -> Link:
        return Link(term.value, names.get(term.value) or term.value.rsplit("/", 1)[-1])

    by_role: dict[str, list[Aansluiting]] = {}
    seen = set()
    for r in rows:
        if r["a"].value in seen:
            continue
        seen.add(r["a"].value)
        rol = names.get(r["rol"].value, r["rol"].value.rsplit("#", 1)[-1]) if "rol" in r else "onbekend"
        by_role.setdefault(rol, []).append(Aansluiting(
            r["a"].value, link(r["voorziening"]), link(r["organisatie"]), rol,
            dutch_date(r["peildatum"].value) if "peildatum" in r else None,
            r["sectie"].value if "sectie" in r else None))
    other = "voorziening" if side == "organisatie" else "organisatie"
    for items in by_role.values():
        items.sort(key=lambda a: getattr(a, other).label.casefold())
    return dict(sorted(by_role.items()))


@dataclass
class Release:
    iri: str
    title: str
    product: str
    status: str
    section: str
    description: str
    note: str


def releases(iri: str) -> list[Release]:
    rows = state().select(Q_RELEASES % _vars(), {"s": NamedNode(iri)})
    names = labels({r["status"].value for r in rows if "status" in r})
    out, seen = [], set()
    for r in rows:
        if r["r"].value in seen:
            continue
        seen.add(r["r"].value)
        v = {k: r[k].value if k in r else "" for k in ("titel", "product", "status", "sectie", "beschrijving", "noot")}
        out.append(Release(r["r"].value, v["titel"], v["product"],
                           names.get(v["status"], v["status"].rsplit("#", 1)[-1]), v["sectie"],
                           v["beschrijving"], v["noot"]))
    out.sort(key=lambda x: (figures._section_key(x.section), x.product.casefold(), x.title.casefold()))
    return out


@dataclass
class Verbinding:
    iri: str
    label: str
    van: Link
    naar: Link
    van_registratie: Link | None
    naar_registratie: Link | None
    sleutel: str
    status: str
    status_iri: str
    afgeleid: bool
    beschikbaar_vanaf: str | None
    bronnen: list[Source] = field(default_factory=list)


def all_verbindingen() -> list[Verbinding]:
    rows = state().select(Q_VERBINDINGEN % _vars())
    iris = {r[k].value for r in rows for k in ("vb", "van", "naar", "vanReg", "naarReg", "status") if k in r}
    names = labels(iris)
    by_iri: dict[str, Verbinding] = {}
    bron_iris: dict[str, set[str]] = {}

    def link(term) -> Link | None:
        return Link(term.value, names.get(term.value) or term.value.rsplit("/", 1)[-1]) if term is not None else None

    for r in rows:
        key = r["vb"].value
        if key not in by_iri:
            status_iri = r["status"].value if "status" in r else ""
            by_iri[key] = Verbinding(
                key, names.get(key, key.rsplit("/", 1)[-1]), link(r["van"]), link(r["naar"]),
                link(r.get("vanReg")), link(r.get("naarReg")), r["sleutel"].value if "sleutel" in r else "",
                names.get(status_iri, status_iri.rsplit("#", 1)[-1]), status_iri,
                r["afgeleid"].value in ("true", "1") if "afgeleid" in r else False,
                dutch_date(r["vanaf"].value) if "vanaf" in r else None)
        if "bron" in r:
            bron_iris.setdefault(key, set()).add(r["bron"].value)
    found = {s.iri: s for s in sources({b for bs in bron_iris.values() for b in bs})}
    for key, bs in bron_iris.items():
        by_iri[key].bronnen = [found[b] for b in sorted(bs)]
    return sorted(by_iri.values(), key=lambda v: (v.van.label.casefold(), v.naar.label.casefold()))


# ---------------------------------------------------------------- kinds

@dataclass
class Page:
    """What every reading page has, plus the kind's own parts in `parts`."""
    kind: str
    facts: Facts
    title: str
    parts: dict = field(default_factory=dict)


def _common(f: Facts) -> dict:
    return {
        "afkorting": f.text(gdi("afkorting")),
        "also": sorted(set(f.texts(SKOS + "altLabel")) - {f.label}),
        "formerly": sorted(set(f.texts(SKOS + "hiddenLabel")) - {f.label}),
        "description": f.text(DCT + "description", SKOS + "definition"),
        "comment": f.text(RDFS + "comment"),
        "sources": sources(o.value for o in f.out.get(DCT + "source", []) if isinstance(o, NamedNode)),
        "sectie": f.text(gdi("sectie")),
    }


def voorziening(f: Facts, selection: Selection) -> Page:
    tables = figures.tables_about(f.iri, selection)
    parts = _common(f) | {
        "groups": f.links(gdi("functioneleGroep")),
        "beheerders": f.links(gdi("beheerder")),
        "part_of": f.links(gdi("onderdeelVan")),
        "parts": f.linked_from(gdi("onderdeelVan")),
        "connected_to": f.links(gdi("aangeslotenOp")),
        "connected": f.linked_from(gdi("aangeslotenOp")),
        "replaces": f.links(DCT + "replaces"),
        "replaced_by": f.linked_from(DCT + "replaces"),
        "tables": tables,
        "charts": _charts(tables),
        "aansluitingen": aansluitingen(f.iri, "voorziening"),
        "releases": releases(f.iri),
        "in_stelsel": (f.day(gdi("inStelselVanaf")), f.day(gdi("inStelselTot"))),
        "beschikbaar": (f.day(gdi("beschikbaarVanaf")), f.day(gdi("beschikbaarTot"))),
    }
    return Page("voorziening", f, f.label, parts)


def _charts(tables: list[figures.Table]) -> list[tuple]:
    """One chart per top-level row with numbers, once per indicator however many editions print it."""
    out, seen = [], set()
    for t in tables:
        for r in t.rows:
            if not t.only_about and r.depth == 0 and figures.chartable(r) and r.indicator not in seen:
                seen.add(r.indicator)
                out.append((t, r))
    return out


def koppelnetwerk(f: Facts, selection: Selection) -> Page:
    """A network connected to Diginetwerk: read like a voorziening (what it is, what is connected)."""
    page = voorziening(f, selection)
    page.kind = "koppelnetwerk"
    page.parts["netwerksoort"] = f.text(gdi("netwerksoort"))
    return page


def basisregistratie(f: Facts, selection: Selection) -> Page:
    page = voorziening(f, selection)
    page.kind = "basisregistratie"
    objects = []
    for r in state().select(Q_OBJECTS % _vars(), {"s": NamedNode(f.iri)}):
        objects.append((Link(r["o"].value, r["label"].value if "label" in r else r["o"].value.rsplit("/", 1)[-1]),
                        r["definitie"].value if "definitie" in r else "",
                        r["broader"].value if "broader" in r else None))
    objects.sort(key=lambda o: o[0].label.casefold())
    verbindingen = all_verbindingen()
    own = {o.iri for o, _, _ in objects}
    afkorting = f.text(gdi("afkorting"))
    dependants = _dependants(afkorting)
    page.parts |= {
        "objects": objects,
        "out": [v for v in verbindingen if v.van.iri in own and v.naar.iri not in own],
        "in": [v for v in verbindingen if v.naar.iri in own and v.van.iri not in own],
        "dependants": dependants,
        "plate": afkorting if dependants is not None else None,  # on the plate only while in the stelsel
        "catalogus": [o.value for o in f.out.get(SKOS + "exactMatch", []) if isinstance(o, NamedNode)],
        "geometrie": f.flag(gdi("bevatGeometrie")),
        "telt_als": f.text(gdi("teltAls")),
    }
    return page


def _dependants(afkorting: str | None) -> list[dict] | None:
    rows = neighbourhood.dependants(afkorting) if afkorting else None
    if rows is None:
        return None
    return [{"object": Link(r["object"], r["label"]), "afstand": r["afstand"],
             "registratie": Link(r["registratie_iri"], r["registratie_label"]) if r["registratie_iri"] else None}
            for r in rows]


def organisatie(f: Facts, selection: Selection) -> Page:
    parts = _common(f) | {
        "types": f.links(gdi("organisatietype")),
        "parent": f.links(ORG + "subOrganizationOf"),
        "units": f.linked_from(ORG + "subOrganizationOf"),
        "members": f.links(ORG + "hasMember"),
        "member_of": f.linked_from(ORG + "hasMember"),
        "beheert": f.linked_from(gdi("beheerder")),
        "aansluitingen": aansluitingen(f.iri, "organisatie"),
        "see_also": [o.value for o in f.out.get(RDFS + "seeAlso", []) if isinstance(o, NamedNode)],
    }
    return Page("organisatie", f, f.label, parts)


def indicator(f: Facts, selection: Selection) -> Page:
    tables = figures.tables_of_indicator(f.iri, selection)
    parts = _common(f) | {
        "voorziening": f.links(gdi("voorziening")),
        "onderwerp": f.links(gdi("onderwerp")),
        "whole": f.links(gdi("isDeelVan")),
        "parts": f.linked_from(gdi("isDeelVan")),
        "same": sorted(set(f.links(gdi("zelfdeGrootheidAls"))) | set(f.linked_from(gdi("zelfdeGrootheidAls"))),
                       key=lambda lk: lk.label.casefold()),
        "unit": f.text(gdi("eenheid")),
        "note": f.text(gdi("noot")),
        "tables": tables,
        "chart": figures.indicator_path(f.iri) if any(figures.chartable(r) for t in tables for r in t.rows) else None,
    }
    return Page("indicator", f, f.label, parts)


def verbinding(f: Facts, selection: Selection) -> Page:
    mine = next((v for v in all_verbindingen() if v.iri == f.iri), None)
    parts = _common(f) | {
        "v": mine,
        "note": f.text(gdi("noot")),
        "date_sources": sources(o.value for o in f.out.get(gdi("datumBron"), []) if isinstance(o, NamedNode)),
        "date_inferred": f.flag(gdi("datumAfgeleid")),
        "date_quote": f.text(gdi("datumCitaat")),
        "peildatum": f.day(gdi("peildatum")),
        "derived": sources(o.value for o in f.out.get(PROV + "wasDerivedFrom", []) if isinstance(o, NamedNode)),
    }
    return Page("verbinding", f, f.label, parts)


def registratieobject(f: Facts, selection: Selection) -> Page:
    verbindingen = all_verbindingen()
    parts = _common(f) | {
        "registratie": f.links(gdi("registratie")),
        "broader": f.links(SKOS + "broader"),
        "narrower": f.linked_from(SKOS + "broader"),
        "out": [v for v in verbindingen if v.van.iri == f.iri],
        "in": [v for v in verbindingen if v.naar.iri == f.iri],
    }
    return Page("registratieobject", f, f.label, parts)


def functionele_groep(f: Facts, selection: Selection) -> Page:
    rows = state().select(Q_GROUP_MEMBERS % _vars(), {"s": NamedNode(f.iri)})
    names = labels({r["v"].value for r in rows})
    members = sorted({(Link(r["v"].value, names.get(r["v"].value, r["v"].value.rsplit("/", 1)[-1])),
                       r["basis"].value in ("true", "1")) for r in rows}, key=lambda m: m[0].label.casefold())
    parts = _common(f) | {"members": members, "notation": f.text(SKOS + "notation")}
    return Page("groep", f, f.label, parts)


def tabel(f: Facts, selection: Selection) -> Page:
    """A table of one edition of the monitor, as printed: the page of the source a figure names."""
    parts = _common(f) | {
        "rapport": f.links(DCT + "isPartOf"),
        "voorziening": f.links(gdi("voorziening")),
        "soort": f.text(gdi("soort")),
        "note": f.text(gdi("noot")),
        "table": figures.printed_table(f.iri),
    }
    return Page("tabel", f, f.text(DCT + "title") or f.label, parts)


BUILDERS = {"Basisregistratie": basisregistratie, "Voorziening": voorziening, "Koppelnetwerk": koppelnetwerk,
            "Organization": organisatie,
            "Indicator": indicator, "Verbinding": verbinding, "Registratieobject": registratieobject,
            "FunctioneleGroep": functionele_groep, "Tabel": tabel}


_pages: OrderedDict = OrderedDict()
_pages_lock = threading.Lock()
KEEP_PAGES = 256


def page_for(iri: str, selection: Selection | None = None) -> Page | None:
    """The reading page of a resource of a known kind, or None (then the generic page serves).

    `selection` says which printings of the monitor's figures it shows (web/editions.py).
    A build never changes, so a page's data is kept per build digest (the newest few hundred);
    links are made when the template renders, for the host that asks.
    """
    st = state()
    selection = selection or Selection()
    key = (st.digest, st.settings.base, iri, selection.key)
    with _pages_lock:
        if key in _pages:
            _pages.move_to_end(key)
            return _pages[key]
    f = load(iri)
    kind = kind_of(f.types)
    page = BUILDERS[kind](f, selection) if kind else None
    with _pages_lock:
        _pages[key] = page
        while len(_pages) > KEEP_PAGES:
            _pages.popitem(last=False)
    return page
