"""Paths and dependence follow one rule: a basisregistratie holds all its objects.

"How is BRV connected to BAG?" (pad) and "what breaks if BAG is unavailable?" (afhankelijk)
must not contradict each other: a path walked only in the direction of reference is a
dependence, and every dependence has such a path of at most its `afstand` verbindingen.
"""

from __future__ import annotations

from datetime import date

import pytest

from gdi_graph.query.backends import store_select
from gdi_graph.stelsel import graph as stelsel

PEILDATA = (date(2012, 12, 31), date(2016, 12, 31), date(2017, 12, 31))


@pytest.fixture(scope="module")
def plates(real_store):
    from query_support import REPO

    return {day: stelsel.load(store_select(real_store), day, REPO / "queries") for day in PEILDATA}


def _forward_paths(g, van: str, naar: str) -> list:
    return [p for p in stelsel.paden(g, van, naar) if all(s["richting"] == "→" for s in p.stappen)]


@pytest.mark.parametrize("day", PEILDATA)
def test_a_path_in_the_direction_of_reference_is_a_dependence(plates, day):
    g = plates[day]
    regs = list(stelsel.registraties(g))
    checked = 0
    for van in regs:
        for naar in regs:
            if van == naar or not _forward_paths(g, van, naar):
                continue
            dependent = {r["registratie"] for r in stelsel.afhankelijk(g, naar)}
            assert van in dependent, f"{van} reaches {naar} in the direction of reference but does not depend on it"
            checked += 1
    assert checked, "the plate has directed paths to check"


@pytest.mark.parametrize("day", PEILDATA)
def test_every_dependence_has_a_path_of_at_most_its_distance(plates, day):
    g = plates[day]
    for naar in stelsel.registraties(g):
        for row in stelsel.afhankelijk(g, naar):
            paths = stelsel.paden(g, stelsel.object_name(row["object"]), naar)
            assert paths, (row["object"], naar)
            assert len(paths[0].stappen) <= row["afstand"], (row["object"], naar)


def test_brv_depends_on_bag_through_the_brp(plates):
    """The issue's case: BRV reaches BAG, so BRV depends on BAG."""
    g = plates[date(2017, 12, 31)]
    assert _forward_paths(g, "BRV", "BAG")
    rows = [r for r in stelsel.afhankelijk(g, "BAG") if r["registratie"] == "BRV"]
    assert rows and all(not r["direct"] and r["afstand"] >= 2 for r in rows)


def test_both_answers_name_the_rule(plates):
    g = plates[date(2017, 12, 31)]
    pad = stelsel.antwoord(g, "pad", van="BRV", naar="BAG")
    afh = stelsel.antwoord(g, "afhankelijk", registratie="BAG")
    assert pad["regel"] == afh["regel"] == stelsel.REGEL
