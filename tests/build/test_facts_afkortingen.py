"""Every abbreviation in the report's list is findable in the graph, or the graph says why not.

The list is read from the report's own text (its appendix "Lijst van afkortingen"), so a
new edition's list is checked the same way.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import BNode

from gdi_graph.rdf.namespaces import GDI, RDFS, SKOS

REPO = Path(__file__).resolve().parents[2]
REPORT = REPO / "data" / "monitor-gdi-2018" / "bron" / "rapport.txt"
LABELS = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, RDFS.label, GDI.afkorting)


def abbreviation_list() -> list[tuple[str, str]]:
    """(abbreviation, full form) from the appendix: one entry a line, abbreviation first."""
    text = REPORT.read_text(encoding="utf-8")
    entries = []
    for line in text[text.index("Lijst van afkortingen"):].splitlines()[1:]:
        line = line.strip()
        if line:
            m = re.match(r"(\S+(?: – \S+)?) (.+)", line)
            assert m, line
            entries.append((m[1], m[2]))
    return entries


@pytest.fixture(scope="module")
def data(built):
    return built[0].data


def findable(data) -> set[str]:
    """Every name of an entity, case-folded; the report's own notes on absences excluded."""
    return {str(o).casefold() for p in LABELS for s, o in data.subject_objects(p) if not isinstance(s, BNode)}


def test_the_list_is_read():
    entries = abbreviation_list()
    assert len(entries) > 60
    assert ("BRP", "Basisregistratie Personen") in entries
    assert ("OSB", "Overheidsservicebus") in entries


def test_every_abbreviation_is_findable_or_its_absence_is_explained(data):
    names = findable(data)
    explained = {str(data.value(b, SKOS.notation)): data.value(b, RDFS.comment)
                 for b in data.objects(None, GDI.afkortingZonderEntiteit)}
    missing = [(a, full) for a, full in abbreviation_list() if a.casefold() not in names and a not in explained]
    assert not missing, f"not findable and not explained: {missing}"
    for a, reason in explained.items():
        assert reason is not None and len(str(reason)) > 20, a
        assert a.casefold() not in names, f"{a} is findable after all; drop its explanation"


@pytest.mark.parametrize("former, current", [("OSB", "Digikoppeling"), ("OTP", "Digipoort"), ("GBA", "Basisregistratie Personen")])
def test_former_names_lead_to_the_current_entity(data, former, current):
    holders = {s for p in LABELS for s, o in data.subject_objects(p) if str(o) == former}
    assert any(current in {str(o) for o in data.objects(h, SKOS.prefLabel)} for h in holders), holders
