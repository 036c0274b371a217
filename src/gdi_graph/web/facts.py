"""The statements about one resource, ready for a page made for reading.

Two bounded queries (what the resource says, what points at it) and one for the labels of
everything they mention; the reading pages pick from these by predicate instead of asking
the store once per field. Runs through the backend's `select`, so embedded and remote
stores answer alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pyoxigraph import Literal, NamedNode

from gdi_graph.web import describe, urls
from gdi_graph.web.state import state

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
QB = "http://purl.org/linked-data/cube#"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
FOAF = "http://xmlns.com/foaf/0.1/"
XSD = "http://www.w3.org/2001/XMLSchema#"

MAX_ROWS = 3000

Q_OWN = f"SELECT ?p ?o WHERE {{ ?s ?p ?o }} LIMIT {MAX_ROWS}"
# What points here, leaving out the monitor's cells and rows: the figures are read by figures.py.
Q_IN = """SELECT ?x ?p WHERE {
  ?x ?p ?s . FILTER(isIRI(?x))
  FILTER NOT EXISTS { ?x a ?kind VALUES ?kind { <%(qb)sObservation> <%(gdi)sIndicator> <%(gdi)sVerandering> } }
} LIMIT %(limit)d"""


def gdi(name: str = "") -> str:
    """An IRI in the graph's vocabulary (under the configured base)."""
    return f"{state().settings.base}/def#{name}"


@dataclass(frozen=True)
class Link:
    iri: str
    label: str

    @property
    def href(self) -> str:
        return urls.for_iri(self.iri)


@dataclass
class Facts:
    iri: str
    out: dict[str, list] = field(default_factory=dict)  # predicate -> objects (pyoxigraph terms)
    incoming: dict[str, list[str]] = field(default_factory=dict)  # predicate -> subject IRIs
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def types(self) -> set[str]:
        return {t.value for t in self.out.get(RDF_TYPE, [])}

    @property
    def label(self) -> str:
        return self.labels.get(self.iri) or self.iri.rstrip("/").rsplit("/", 1)[-1]

    def text(self, *predicates: str) -> str | None:
        """The first literal of the first predicate that has one, Dutch before untagged before other languages."""
        for p in predicates:
            lits = [o for o in self.out.get(p, []) if isinstance(o, Literal)]
            if lits:
                lits.sort(key=lambda lit: {"nl": 0, None: 1}.get(lit.language, 2))
                return lits[0].value
        return None

    def texts(self, predicate: str) -> list[str]:
        return sorted({o.value for o in self.out.get(predicate, []) if isinstance(o, Literal)})

    def flag(self, predicate: str) -> bool | None:
        value = self.text(predicate)
        return None if value is None else value in ("true", "1")

    def day(self, predicate: str) -> str | None:
        return dutch_date(self.text(predicate))

    def links(self, predicate: str) -> list[Link]:
        return sorted({self.link(o.value) for o in self.out.get(predicate, []) if isinstance(o, NamedNode)},
                      key=lambda lk: lk.label.casefold())

    def linked_from(self, predicate: str) -> list[Link]:
        return sorted({self.link(x) for x in self.incoming.get(predicate, [])}, key=lambda lk: lk.label.casefold())

    def link(self, iri: str) -> Link:
        return Link(iri, self.labels.get(iri) or iri.rstrip("/").rsplit("/", 1)[-1])


def load(iri: str) -> Facts:
    st = state()
    s = NamedNode(iri)
    f = Facts(iri)
    for r in st.select(Q_OWN, {"s": s}):
        f.out.setdefault(r["p"].value, []).append(r["o"])
    for r in st.select(Q_IN % {"qb": QB, "gdi": gdi(), "limit": MAX_ROWS}, {"s": s}):
        f.incoming.setdefault(r["p"].value, []).append(r["x"].value)
    mentioned = {iri} | {o.value for objs in f.out.values() for o in objs if isinstance(o, NamedNode)}
    mentioned |= {x for xs in f.incoming.values() for x in xs}
    f.labels = describe.labels_for(mentioned)
    return f


def labels(iris) -> dict[str, str]:
    return describe.labels_for(set(iris))


def dutch_date(value: str | None) -> str | None:
    """2017-12-31 -> 31-12-2017, as the report writes dates."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10]).strftime("%d-%m-%Y")
    except ValueError:
        return value
