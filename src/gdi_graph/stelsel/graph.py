"""The Stelsel van Basisregistraties as a networkx graph, and the architect's questions.

The graph is a projection of the store, read through the named queries
`stelsel-objecten` and `stelsel-verbindingen`, never from the source files, so it shows
what the published graph says. Nodes are registratieobjecten (keyed by IRI) carrying their
basisregistratie; edges are verbindingen (van -> naar) carrying key, status and sources.
Everything is for one peildatum: only basisregistraties in the stelsel on that day, and
each verbinding with its status on that day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Mapping

import networkx as nx

from gdi_graph.query.named import NamedQuery, load_queries

GDI = "https://w3id.org/gdi-graph/def#"
# The report's plate knows two states; finer nuance is a dated note in the data, not a status.
BESCHIKBAAR, NIET = "Beschikbaar", "NietBeschikbaar"
STATUS_LABEL = {BESCHIKBAAR: "beschikbaar", NIET: "niet beschikbaar"}
_RANK = {NIET: 0, BESCHIKBAAR: 1}
DEFAULT_PEILDATUM = date(2017, 12, 31)

# Path weights: a verbinding costs far more than stepping between two objects of the same
# basisregistratie, so shortest paths minimise verbindingen first, then such steps.
_HOP, _STAP = 100, 1


class StelselError(ValueError):
    """Bad input from a user (a date or a name); the message says what is wrong."""


class Onbekend(StelselError, LookupError):
    """A registratie or object name that is not in the stelsel on the peildatum."""

    def __init__(self, name: str, known: list[str], what: str, peildatum: date):
        self.name, self.known = name, known
        super().__init__(f"unknown {what} {name!r}; known on {peildatum.isoformat()}: {', '.join(known)}"
                         + ("" if what == "basisregistratie" else " (or an object as AFK/object, e.g. BAG/pand)"))


def parse_peildatum(text: str | date | None) -> date:
    """A date like 2017-12-31; anything else is a StelselError naming the value."""
    if text is None or text == "":
        return DEFAULT_PEILDATUM
    if isinstance(text, date):
        return text
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        raise StelselError(f"invalid date {text!r}: use YYYY-MM-DD, e.g. 2017-12-31")
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise StelselError(f"invalid date {text!r}: no such day") from None


Select = Callable[[str, dict], list[dict]]  # (query text, {variable: term}) -> rows of {variable: term}


def _queries(queries: Path | Mapping[str, NamedQuery]) -> Mapping[str, NamedQuery]:
    return load_queries(queries) if isinstance(queries, Path) else queries


class _Row(dict):
    """A result row; an unbound variable reads as None."""

    def __missing__(self, key):
        return None


def _value(term):
    if getattr(term, "datatype", None) is not None and term.datatype.value.endswith("#boolean"):
        return term.value == "true"
    return term.value


def select(run_select: Select, name: str, params: dict[str, str],
           queries: Path | Mapping[str, NamedQuery]) -> list[dict]:
    """Run a named query through a backend's `select` (embedded or remote); rows as
    {variable: python value} (IRIs and literals as str, booleans as bool, unbound as None)."""
    query = _queries(queries)[name]
    bindings = {var.value: term for var, term in query.bind(params).items()}
    return [_Row({k: _value(t) for k, t in row.items()}) for row in run_select(query.text, bindings)]


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1]


def load(run_select: Select, peildatum: date | str | None, queries: Path | Mapping[str, NamedQuery]) -> nx.DiGraph:
    """The stelsel on the peildatum, read through `run_select`: a backend's `select`, so the
    same code reads the embedded store and a remote one (query.backends; `store_select`
    for a pyoxigraph store)."""
    day = parse_peildatum(peildatum)
    params = {"peildatum": day.isoformat()}
    g = nx.DiGraph(peildatum=day, registraties={})
    for row in select(run_select, "stelsel-objecten", params, queries):
        reg = g.graph["registraties"].setdefault(row["registratie"], {
            "iri": row["registratie"], "afkorting": row["afkorting"], "label": row["registratieLabel"],
            "beschikbaar": row["beschikbaar"], "geometrie": row["geometrie"]})
        if row["object"]:
            g.add_node(row["object"], iri=row["object"], label=row["label"], broader=row["broader"],
                       registratie=reg["iri"], afkorting=reg["afkorting"], registratie_label=reg["label"],
                       beschikbaar=reg["beschikbaar"], geometrie=reg["geometrie"])
    for row in select(run_select, "stelsel-verbindingen", params, queries):
        g.add_edge(row["van"], row["naar"], iri=row["verbinding"], label=row["label"], sleutel=row["sleutel"],
                   status=_local(row["statusIri"]), vastgesteld=_local(row["vastgesteldIri"]),
                   beschikbaar_vanaf=row["beschikbaarVanaf"], afgeleid=bool(row["afgeleid"]),
                   bronnen=tuple(sorted((row["bronIris"] or "").split())),
                   bron_titels=tuple((row["bronnen"] or "").split(" | ")) if row["bronnen"] else ())
    return g


# ---------------------------------------------------------------- names

def registraties(g: nx.DiGraph) -> dict[str, dict]:
    """Basisregistraties in the stelsel, by afkorting, sorted."""
    return {r["afkorting"]: r for r in sorted(g.graph["registraties"].values(), key=lambda r: r["afkorting"])}


def objects_of(g: nx.DiGraph, afkorting: str) -> list[str]:
    return sorted(n for n, d in g.nodes(data=True) if d["afkorting"] == afkorting)


def object_name(iri: str) -> str:
    """AFK/slug, the short name of an object used on the command line."""
    return "/".join(iri.rstrip("/").rsplit("/", 2)[-2:])


@dataclass(frozen=True)
class Ref:
    """A resolved name: a basisregistratie (objects = all its objects) or one object."""
    name: str
    kind: str  # "registratie" or "object"
    iri: str
    objects: tuple[str, ...]


def resolve(g: nx.DiGraph, name: str, only_registratie: bool = False) -> Ref:
    """Find a registratie (afkorting or IRI) or object (AFK/slug, IRI or unique label), case-insensitively."""
    wanted = name.strip().casefold()
    regs = registraties(g)
    for afk, reg in regs.items():
        if wanted in (afk.casefold(), reg["iri"].casefold()):
            return Ref(afk, "registratie", reg["iri"], tuple(objects_of(g, afk)))
    if not only_registratie:
        hits = [n for n, d in g.nodes(data=True)
                if wanted in (n.casefold(), object_name(n).casefold())]
        if not hits:
            hits = [n for n, d in g.nodes(data=True) if d["label"].casefold() == wanted]
        if len(hits) == 1:
            return Ref(object_name(hits[0]), "object", hits[0], (hits[0],))
    what = "basisregistratie" if only_registratie else "basisregistratie or registratieobject"
    raise Onbekend(name, list(regs), what, g.graph["peildatum"])


# ---------------------------------------------------------------- analyses

def _edge(g: nx.DiGraph, van: str, naar: str) -> dict:
    d = g.edges[van, naar]
    return {"verbinding": d["iri"], "label": d["label"], "van": van, "naar": naar,
            "van_label": g.nodes[van]["label"], "naar_label": g.nodes[naar]["label"],
            "van_registratie": g.nodes[van]["afkorting"], "naar_registratie": g.nodes[naar]["afkorting"],
            "sleutel": d["sleutel"], "status": d["status"], "beschikbaar_vanaf": d["beschikbaar_vanaf"],
            "bronnen": list(d["bronnen"])}


def _path_graph(g: nx.DiGraph) -> nx.Graph:
    """Undirected: objects joined by verbindingen; each object also joined to its registratie."""
    h = nx.Graph()
    for n, d in g.nodes(data=True):
        h.add_edge(n, ("registratie", d["afkorting"]), weight=_STAP)
    for van, naar in g.edges:
        h.add_edge(van, naar, weight=_HOP)
    return h


@dataclass
class Pad:
    """One shortest path: the verbindingen in order, each with the direction it is walked."""
    stappen: list[dict] = field(default_factory=list)

    @property
    def registraties(self) -> list[str]:
        out = [self.stappen[0]["uit"]] if self.stappen else []
        for s in self.stappen:
            out.append(s["in"])
        return out


def paden(g: nx.DiGraph, van: str, naar: str) -> list[Pad]:
    """All shortest paths between two registraties or objects, over verbindingen in either direction.

    Between two verbindingen a path may step from one object to another of the same
    basisregistratie (the registratie holds both). Shortest = fewest verbindingen.
    """
    a, b = resolve(g, van), resolve(g, naar)
    h = _path_graph(g)
    source = ("registratie", a.name) if a.kind == "registratie" else a.iri
    target = ("registratie", b.name) if b.kind == "registratie" else b.iri
    if source == target or source not in h or target not in h:
        return []
    try:
        nodes_lists = list(nx.all_shortest_paths(h, source, target, weight="weight"))
    except nx.NetworkXNoPath:
        return []
    result = []
    for nodes in nodes_lists:
        stappen = []
        for x, y in zip(nodes, nodes[1:]):
            if isinstance(x, tuple) or isinstance(y, tuple):
                continue  # stepping into or out of a registratie
            forward = g.has_edge(x, y)
            step = _edge(g, x, y) if forward else _edge(g, y, x)
            step["richting"] = "→" if forward else "←"
            step["uit"], step["in"] = g.nodes[x]["afkorting"], g.nodes[y]["afkorting"]
            stappen.append(step)
        result.append(Pad(stappen))
    result.sort(key=lambda p: [(s["van"], s["naar"]) for s in p.stappen])
    return result


REGEL = ("een basisregistratie houdt al haar objecten: een pad mag tussen twee verbindingen van het ene "
         "object naar een ander object van dezelfde basisregistratie overstappen; een verbinding telt als stap")


def afhankelijk(g: nx.DiGraph, registratie: str) -> list[dict]:
    """Objects of other registraties that refer to this one, directly or through other registraties.

    The impact if the registratie were unavailable. The same rule as `paden` (REGEL): an
    object that refers to any object of registratie B depends on everything B depends on,
    so between two verbindingen the way may step from one object of B to another.
    `afstand` is the fewest verbindingen on the way; `direct` says whether the object
    refers to the registratie itself.
    """
    ref = resolve(g, registratie, only_registratie=True)
    h = nx.DiGraph()  # object -> registratie it refers to (1 verbinding); registratie -> its objects (free)
    for van, naar in g.edges:
        h.add_edge(van, ("registratie", g.nodes[naar]["afkorting"]), weight=1)
    for n, d in g.nodes(data=True):
        h.add_edge(("registratie", d["afkorting"]), n, weight=0)
    target = ("registratie", ref.name)
    if target not in h:
        return []
    distance = nx.single_source_dijkstra_path_length(h.reverse(copy=False), target, weight="weight")
    rows = [{"object": n, "label": g.nodes[n]["label"], "registratie": g.nodes[n]["afkorting"], "afstand": d,
             "direct": d == 1}
            for n, d in distance.items() if not isinstance(n, tuple) and g.nodes[n]["afkorting"] != ref.name]
    return sorted(rows, key=lambda r: (r["afstand"], r["registratie"], r["label"]))


def _registratie_graph(g: nx.DiGraph) -> nx.DiGraph:
    r = nx.DiGraph()
    r.add_nodes_from(registraties(g))
    for van, naar in g.edges:
        a, b = g.nodes[van]["afkorting"], g.nodes[naar]["afkorting"]
        r.add_edge(a, b, verbindingen=r.edges[a, b]["verbindingen"] + 1 if r.has_edge(a, b) else 1)
    return r


def centraal(g: nx.DiGraph) -> dict[str, list[dict]]:
    """Registraties and objects ranked by betweenness (undirected, normalised) and then in-degree.

    In-degree counts the verbindingen pointing at the registratie's objects (or the object).
    """
    r = _registratie_graph(g)
    rb = nx.betweenness_centrality(r.to_undirected(as_view=True), normalized=True)
    regs = registraties(g)
    reg_rows = [{"registratie": a, "iri": regs[a]["iri"], "label": regs[a]["label"], "tussenligging": round(rb[a], 4),
                 "verwijzingen": sum(d["verbindingen"] for _, _, d in r.in_edges(a, data=True)),
                 "verwijst": sum(d["verbindingen"] for _, _, d in r.out_edges(a, data=True))} for a in r]
    ob = nx.betweenness_centrality(g.to_undirected(as_view=True), normalized=True)
    obj_rows = [{"object": n, "label": d["label"], "registratie": d["afkorting"], "tussenligging": round(ob[n], 4),
                 "verwijzingen": g.in_degree(n), "verwijst": g.out_degree(n)} for n, d in g.nodes(data=True)]
    key = lambda row: (-row["tussenligging"], -row["verwijzingen"], row["registratie"], row.get("label", ""))
    return {"registraties": sorted(reg_rows, key=key), "objecten": sorted(obj_rows, key=key)}


def niet_beschikbaar(g: nx.DiGraph) -> list[dict]:
    """Verbindingen that are not available on the peildatum."""
    rows = [_edge(g, u, v) for u, v, d in g.edges(data=True) if d["status"] != BESCHIKBAAR]
    return sorted(rows, key=lambda e: (e["status"], e["verbinding"]))


# ---------------------------------------------------------------- difference

VERSCHENEN, VERDWENEN, ONGEWIJZIGD = "verschenen", "verdwenen", "ongewijzigd"


def verschil(oud: nx.DiGraph, nieuw: nx.DiGraph) -> nx.DiGraph:
    """The union of two stelsels, each node, edge and registratie marked with `verschil`.

    verschenen: new, or (more) available than before; verdwenen: gone, or less available;
    ongewijzigd: otherwise. Attributes come from the newest graph that has the element.
    """
    u = nx.DiGraph(peildatum=nieuw.graph["peildatum"], van=oud.graph["peildatum"], registraties={})
    for iri in sorted(set(oud.graph["registraties"]) | set(nieuw.graph["registraties"])):
        before, after = oud.graph["registraties"].get(iri), nieuw.graph["registraties"].get(iri)
        kind = _kind(before, after, lambda r: int(r["beschikbaar"]))
        u.graph["registraties"][iri] = dict(after or before, verschil=kind)
    for n in sorted(set(oud) | set(nieuw)):
        reg = u.graph["registraties"][(nieuw.nodes[n] if n in nieuw else oud.nodes[n])["registratie"]]
        kind = VERSCHENEN if n not in oud else VERDWENEN if n not in nieuw else reg["verschil"]
        u.add_node(n, **dict(nieuw.nodes[n] if n in nieuw else oud.nodes[n], verschil=kind))
    for e in sorted(set(oud.edges) | set(nieuw.edges)):
        before = oud.edges[e] if oud.has_edge(*e) else None
        after = nieuw.edges[e] if nieuw.has_edge(*e) else None
        u.add_edge(*e, **dict(after or before, verschil=_kind(before, after, lambda d: _RANK[d["status"]])))
    return u


def _kind(before, after, rank) -> str:
    if before is None:
        return VERSCHENEN
    if after is None:
        return VERDWENEN
    if rank(after) > rank(before):
        return VERSCHENEN
    if rank(after) < rank(before):
        return VERDWENEN
    return ONGEWIJZIGD


# ---------------------------------------------------------------- answers (JSON-ready, for the CLI and the API)

def _pad_json(p: Pad) -> dict:
    return {"registraties": p.registraties, "verbindingen": len(p.stappen), "stappen": p.stappen}


def _for_people(g: nx.DiGraph, step: dict) -> dict:
    """A verbinding as answered: its status as a label and its sources by title; the IRIs beside them."""
    d = g.edges[step["van"], step["naar"]]
    return step | {"status": STATUS_LABEL.get(step["status"], step["status"]), "status_iri": GDI + step["status"],
                   "bronnen": list(d.get("bron_titels", ())), "bron_iris": list(d["bronnen"])}


def antwoord(g: nx.DiGraph, vraag: str, **args: str) -> dict:
    """The answer to one of the questions as plain data: pad, afhankelijk, centraal, niet-beschikbaar.

    Where a person reads it, a verbinding's status is its label ("niet beschikbaar") and its
    sources are titles; `status_iri` and `bron_iris` keep the IRIs for machines.
    """
    head = {"peildatum": g.graph["peildatum"].isoformat()}
    if vraag == "pad":
        van, naar = resolve(g, args["van"]), resolve(g, args["naar"])
        found = paden(g, van.name, naar.name)
        paths = [_pad_json(p) for p in found]
        for path in paths:
            path["stappen"] = [_for_people(g, s) for s in path["stappen"]]
        return head | {"van": van.name, "naar": naar.name, "regel": REGEL, "paden": paths}
    if vraag == "afhankelijk":
        ref = resolve(g, args["registratie"], only_registratie=True)
        return head | {"registratie": ref.name, "regel": REGEL, "objecten": afhankelijk(g, ref.name)}
    if vraag == "centraal":
        return head | centraal(g)
    if vraag == "niet-beschikbaar":
        return head | {"verbindingen": [_for_people(g, e) for e in niet_beschikbaar(g)]}
    raise ValueError(f"unknown question {vraag!r}")
