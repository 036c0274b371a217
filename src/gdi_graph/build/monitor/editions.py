"""Editions of the monitor as one time series: their order, and which indicator each row prints.

The monitor is yearly and each edition prints four years, so editions overlap. An indicator
(a gdi:Indicator) is a quantity with an identity across editions; a row of an edition's
table (a gdi:Tabelregel) is one printing of it. Editions are read oldest first, and the same
`tabel/indicator` slug in a later edition prints the indicator it printed in the edition
before, unless the row's `vervolg_van` says otherwise: the slug of an earlier row it
continues (a row renamed or moved to another table), or `nieuw` (a new quantity under a slug
that was used before). Without this, the same row in two editions would be two unrelated
indicators and nothing could tell a revised figure from a different one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from gdi_graph.build.errors import SourceError
from gdi_graph.rdf.namespaces import GDI, ID

NEW = "nieuw"  # `vervolg_van` for a new quantity under a slug an earlier edition used
RESERVED = {"nieuwste", "alle"}  # selections of cells (gdi:weergave) beside the editions' codes


def rapport_iri(folder: Path) -> URIRef:
    """The report an edition folder holds, as its editie.ttl names it."""
    return ID[f"rapport/{folder.name}"]


def in_order(folders: list[Path], data: Graph) -> list[Path]:
    """The edition folders oldest first, by their report's gdi:peildatum (from editie.ttl).

    The order decides which printing of a figure is the newest, so two editions with the
    same peildatum, or one without, are an error rather than an arbitrary choice.
    """
    dated: dict[Path, str] = {}
    for folder in folders:
        if folder.name in RESERVED:
            raise SourceError(folder, f"an edition cannot be called {folder.name!r}: queries use that word to select "
                              "cells (build.monitor.materialise); name the folder after the report, e.g. monitor-gdi-2019")
        peildatum = data.value(rapport_iri(folder), GDI.peildatum)
        if peildatum is None:
            raise SourceError(folder / "editie.ttl", f"the edition's report <{rapport_iri(folder)}> has no gdi:peildatum; "
                              "editions are ordered by it")
        dated[folder] = str(peildatum)
    seen: dict[str, Path] = {}
    for folder, peildatum in sorted(dated.items(), key=lambda kv: kv[0].name):
        if peildatum in seen:
            raise SourceError(folder / "editie.ttl", f"peildatum {peildatum} is also that of edition {seen[peildatum].name}; "
                              "each edition needs its own, to say which is newer")
        seen[peildatum] = folder
    return sorted(folders, key=lambda f: dated[f])


@dataclass
class Printing:
    """One row of one edition: what it prints and where."""

    edition: str
    slug: str  # tabel/indicator as in that edition
    indicator: URIRef
    regel: URIRef  # the gdi:Tabelregel
    facts: dict[str, URIRef | str]  # eenheid, voorziening, onderwerp: the same in every printing
    path: Path
    line: int


@dataclass
class Identities:
    """Resolves each row to its indicator, across the editions read so far (oldest first)."""

    latest: dict[str, Printing] = field(default_factory=dict)  # slug -> its newest printing
    used: set[URIRef] = field(default_factory=set)  # indicator IRIs given out
    _edition: str | None = None
    _current: dict[URIRef, Printing] = field(default_factory=dict)  # this edition's rows by indicator

    def begin(self, edition: str) -> None:
        self._edition = edition
        self._current = {}

    def resolve(self, path: Path, line: int, slug: str, vervolg_van: str,
                facts: dict[str, URIRef | str]) -> tuple[URIRef, URIRef, URIRef | None]:
        """(indicator, the row's gdi:Tabelregel, the earlier printing it continues or None)."""
        assert self._edition is not None, "begin(edition) first"
        tabel, _, indicator_slug = slug.partition("/")
        earlier: Printing | None
        if vervolg_van == NEW:
            earlier = None
        elif vervolg_van:
            earlier = self.latest.get(vervolg_van)
            if earlier is None:
                raise SourceError(path, f"vervolg_van {vervolg_van!r}: no earlier edition prints a row tabel/indicator "
                                  f"{vervolg_van!r}" + self._known_hint(), line=line, column="vervolg_van")
        else:
            earlier = self.latest.get(slug)
        if earlier is not None:
            indicator = earlier.indicator
            for key, value in facts.items():
                if earlier.facts.get(key) != value:
                    raise SourceError(
                        path, f"row {slug} continues {earlier.slug} of {earlier.edition}, printed there with {key} "
                        f"{_show(earlier.facts.get(key))}, here with {_show(value)}; a different {key} is another "
                        f"quantity: give vervolg_van '{NEW}' (or correct the earlier edition)",
                        line=line, column="vervolg_van" if vervolg_van else "indicator")
        else:
            indicator = ID[f"indicator/{tabel}/{indicator_slug}"]
            if indicator in self.used:
                indicator = ID[f"indicator/{tabel}/{indicator_slug}/{self._edition}"]
            self.used.add(indicator)
        twin = self._current.get(indicator)
        if twin is not None:
            raise SourceError(path, f"rows {twin.slug} (line {twin.line}) and {slug} both print indicator <{indicator}> "
                              f"in this edition; give one of them vervolg_van '{NEW}' or the slug it continues",
                              line=line, column="vervolg_van" if vervolg_van else "indicator")
        regel = ID[f"tabelregel/{self._edition}/{slug}"]
        self._current[indicator] = Printing(self._edition, slug, indicator, regel, dict(facts), path, line)
        return indicator, regel, earlier.regel if earlier else None

    def end(self) -> None:
        """The edition's rows become what the next edition's slugs refer to.

        A slug whose indicator a row of this edition continues under another slug is freed:
        in the next edition it names a new indicator unless it says which one it continues.
        """
        continued = set(self._current)
        self.latest = {s: p for s, p in self.latest.items() if p.indicator not in continued}
        for printing in self._current.values():
            self.latest[printing.slug] = printing
        self._edition = None

    def _known_hint(self) -> str:
        return "; earlier rows are named as in their edition's indicatoren.csv, e.g. " + \
            ", ".join(sorted(self.latest)[:3]) if self.latest else "; this is the first edition read"


def _show(value) -> str:
    return f"<{value}>" if isinstance(value, URIRef) else repr(value)
