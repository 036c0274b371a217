"""Finding things by name: voorzieningen, basisregistraties, registratieobjecten, organisations,
indicators (and functionele groepen, koppelnetwerken) by label, abbreviation or former name
(for an indicator also the label of its row in an earlier edition).

The index is built once per build from the store (two queries) and kept in memory; a query
is matched against every name, Dutch and English, with case and accents ignored, and the
hits are ranked: an exact abbreviation first, then an exact name, a name that starts with
the query, names whose words start with the query's words, and last a name that merely
contains it. "brp" finds the Basisregistratie Personen, "bv bsn" the Beheervoorziening BSN.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from gdi_graph.web.facts import DCT, ORG, RDFS, SKOS, gdi
from gdi_graph.web.state import state

# kind (local name or IRI) -> (rank among kinds, Dutch name)
KINDS = {
    "Basisregistratie": (0, "basisregistratie"),
    "Voorziening": (1, "voorziening"),
    "Koppelnetwerk": (2, "koppelnetwerk"),
    "FunctioneleGroep": (2, "functionele groep"),
    "Registratieobject": (3, "registratieobject"),
    ORG + "Organization": (4, "organisatie"),
    "Indicator": (5, "indicator"),
}
NAME_PREDICATES = {  # predicate -> what kind of name it is
    "afkorting": "abbr", SKOS + "prefLabel": "label", RDFS + "label": "label", DCT + "title": "label",
    SKOS + "altLabel": "alt", SKOS + "hiddenLabel": "hidden",
}
MAX_ROWS = 50000

Q_NAMES = """SELECT DISTINCT ?s ?kind ?p ?name WHERE {
  VALUES ?kind { %(kinds)s } VALUES ?p { %(predicates)s }
  ?s a ?kind ; ?p ?name . FILTER(isLiteral(?name))
} LIMIT %(limit)d"""
# An indicator is also found by the labels its rows carried in each edition (a row renamed in a
# later edition keeps its earlier name as a way in).
Q_PRINTED = """SELECT DISTINCT ?s ?name WHERE {
  ?regel a <%(regel)s> ; <%(indicator)s> ?s ; <%(label)s> ?name . FILTER(isLiteral(?name))
} LIMIT %(limit)d"""
# DISTINCT pairs first: an indicator's type and voorziening are stated once per edition, and the
# union default graph keeps every statement, so the plain join grows with the square of the editions.
Q_CONTEXT = """SELECT DISTINCT ?s ?p ?cname WHERE {
  { SELECT DISTINCT ?s ?context WHERE {
      { ?s a <%(indicator)s> ; <%(voorziening)s> ?context } UNION { ?s a <%(object)s> ; <%(registratie)s> ?context } } }
  VALUES ?p { <%(pref)s> <%(afkorting)s> }
  ?context ?p ?cname . FILTER(isLiteral(?cname))
} LIMIT %(limit)d"""


def normalise(text: str) -> str:
    """Lower case, accents and punctuation gone, single spaces: 'Beheervoorziening BSN’s' -> 'beheervoorziening bsn s'."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.split(r"[^0-9a-z]+", plain)).strip()


@dataclass
class Entry:
    iri: str
    kind: str  # Dutch name of the kind
    rank: int  # of the kind
    label: str
    names: list[tuple[str, str, str]] = field(default_factory=list)  # (normalised, kind of name, as written)
    context: str = ""  # the voorziening of an indicator, the registratie of an object
    context_names: list[str] = field(default_factory=list)  # normalised


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: int
    matched: str  # the name that matched, as written

    def as_json(self, href: str) -> dict:
        e = self.entry
        return {"iri": e.iri, "href": href, "label": e.label, "kind": e.kind, "context": e.context or None,
                "matched": self.matched, "score": self.score}


class Index:
    def __init__(self, entries: list[Entry]):
        self.entries = entries

    def __len__(self) -> int:
        return len(self.entries)

    def find(self, query: str, limit: int = 20) -> list[Hit]:
        q = normalise(query)
        if not q:
            return []
        words = q.split()
        hits = []
        for e in self.entries:
            best: tuple[int, str] | None = None
            for norm, how, written in e.names:
                score = _score(q, words, norm, how)
                if score and (best is None or score > best[0]):
                    best = (score, written)
            if best is None and e.context_names:
                # words of the query found in the name together with the context ("digid authenticaties")
                tokens = [t for norm, _, _ in e.names for t in norm.split()] + \
                         [t for c in e.context_names for t in c.split()]
                if len(words) > 1 and all(any(t.startswith(w) for t in tokens) for w in words):
                    best = (35, e.label)
            if best:
                hits.append(Hit(e, best[0], best[1]))
        hits.sort(key=lambda h: (-h.score, h.entry.rank, len(h.entry.label), h.entry.label.casefold(), h.entry.iri))
        return hits[:limit]


def _score(q: str, words: list[str], norm: str, how: str) -> int:
    if norm == q:
        return 100 if how == "abbr" else 90 if how == "label" else 85
    if norm.startswith(q + " ") or (norm.startswith(q) and len(q) >= 2):
        return 70 if how in ("label", "abbr") else 65
    tokens = norm.split()
    if all(any(t.startswith(w) for t in tokens) for w in words):
        return 50 if how in ("label", "abbr") else 45
    if len(q) >= 3 and q in norm:
        return 20
    return 0


def index() -> Index:
    """The index of the build this request is served from, made on its first search."""
    st = state()
    return st.build().memo(("search index", st.settings.base), build)


def build() -> Index:
    st = state()
    g = gdi()
    kinds = {(k if k.startswith("http") else g + k): v for k, v in KINDS.items()}
    predicates = {(p if p.startswith("http") else g + p): how for p, how in NAME_PREDICATES.items()}
    rows = st.select(Q_NAMES % {"kinds": " ".join(f"<{k}>" for k in kinds),
                                "predicates": " ".join(f"<{p}>" for p in predicates), "limit": MAX_ROWS})
    entries: dict[str, Entry] = {}
    labels: dict[str, tuple[int, str]] = {}
    for r in rows:
        iri, kind = r["s"].value, r["kind"].value
        rank, kind_name = kinds[kind]
        e = entries.get(iri)
        if e is None or rank < e.rank:
            entries[iri] = e = Entry(iri, kind_name, rank, "", e.names if e else [])
        name = r["name"]
        how = predicates[r["p"].value]
        norm = normalise(name.value)
        if norm and (norm, how, name.value) not in e.names:
            e.names.append((norm, how, name.value))
        if how == "label":
            pref = (0 if r["p"].value == SKOS + "prefLabel" else 1) * 3 + \
                   {"nl": 0, None: 1}.get(getattr(name, "language", None), 2)
            if iri not in labels or pref < labels[iri][0]:
                labels[iri] = (pref, name.value)
    for r in st.select(Q_PRINTED % {"regel": g + "Tabelregel", "indicator": g + "indicator", "label": RDFS + "label",
                                    "limit": MAX_ROWS}):
        e = entries.get(r["s"].value)
        norm = normalise(r["name"].value)
        if e is not None and norm and not any(n == norm for n, _, _ in e.names):
            e.names.append((norm, "hidden", r["name"].value))
    for iri, e in entries.items():
        e.label = labels.get(iri, (0, next((w for _, _, w in e.names), iri.rsplit("/", 1)[-1])))[1]
        e.names.sort()
    contexts = st.select(Q_CONTEXT % {"indicator": g + "Indicator", "voorziening": g + "voorziening",
                                      "object": g + "Registratieobject", "registratie": g + "registratie",
                                      "pref": SKOS + "prefLabel", "afkorting": g + "afkorting", "limit": MAX_ROWS})
    for r in contexts:
        e = entries.get(r["s"].value)
        if e is None:
            continue
        written = r["cname"].value
        if r["p"].value == SKOS + "prefLabel" and getattr(r["cname"], "language", None) in ("nl", None):
            e.context = written
        norm = normalise(written)
        if norm not in e.context_names:
            e.context_names.append(norm)
    return Index(sorted(entries.values(), key=lambda e: e.iri))
