"""Each consistency rule fires on a small edition made to contradict itself, and only there."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gdi_graph.build import load

REPO = Path(__file__).resolve().parents[2]

TABELLEN = """tabel,voorziening,titel,sectie,soort,kolommen,verandering,noot
proef,digid,Proef,4.1,cijfers,2016;2017,ja,
tekst,digid,Toelichting,4.1,toelichting,2017,,
"""
INDICATOREN = """tabel,indicator,label,eenheid,deel_van,zelfde_als,noot
proef,totaal,Totaal,aantal,,,
proef,deel-a,Deel A,aantal,totaal,,
proef,deel-b,Deel B,aantal,totaal,,
proef,afgerond,Afgerond,aantal,,,
tekst,totaal,Totaal volgens de tekst,aantal,,proef/totaal,
"""


def edition(tmp_path: Path, cells: str, text_total: str = "100") -> Path:
    root = tmp_path / "project"
    shutil.copytree(REPO / "ontology", root / "ontology")
    shutil.copytree(REPO / "shapes", root / "shapes")
    folder = root / "data" / "monitor-proef"
    (folder / "cijfers").mkdir(parents=True)
    for name in ("voorzieningen.ttl", "organisaties.ttl"):
        shutil.copy(REPO / "data" / name, root / "data" / name)
    (folder / "editie.ttl").write_text(
        (REPO / "data" / "monitor-gdi-2018" / "editie.ttl").read_text().replace("monitor-gdi-2018", "monitor-proef"))
    (folder / "tabellen.csv").write_text(TABELLEN)
    (folder / "indicatoren.csv").write_text(INDICATOREN)
    (folder / "cijfers" / "proef.csv").write_text("indicator,jaar,ruw,waarde,noot\n" + cells)
    (folder / "cijfers" / "tekst.csv").write_text(f"indicator,jaar,ruw,waarde,noot\ntotaal,2017,{text_total},,\n")
    return root


CONSISTENT = """totaal,2016,80,,
totaal,2017,100,,
totaal,%,+25,,
deel-a,2016,30,,
deel-a,2017,60,,
deel-a,%,+100,,
deel-b,2016,50,,
deel-b,2017,40,,
deel-b,%,-20,,
afgerond,2016,"2,1 miljard",,
afgerond,2017,2.145.000.000,,
afgerond,%,+2,,
"""


def warnings(root: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for w in load(root).outcome.warnings:
        found.setdefault(w.shape.rsplit("#", 1)[-1], []).append(w.message)
    return found


def test_a_consistent_edition_has_no_warnings(tmp_path):
    assert warnings(edition(tmp_path, CONSISTENT)) == {}


def test_parts_that_do_not_add_up_are_named(tmp_path):
    found = warnings(edition(tmp_path, CONSISTENT.replace("deel-b,2017,40,,", "deel-b,2017,45,,")))
    (message,) = found["DelenTotaalShape"]
    assert "Totaal 2017" in message and "100" in message and "45" in message and "section 4.1" in message


def test_open_parts_only_bound_the_total_from_below(tmp_path):
    cells = CONSISTENT.replace("deel-b,2017,40,,", 'deel-b,2017,"> 30",,')
    assert "DelenTotaalShape" not in warnings(edition(tmp_path / "a", cells))
    cells = CONSISTENT.replace("deel-b,2017,40,,", 'deel-b,2017,"> 50",,')
    assert "DelenTotaalShape" in warnings(edition(tmp_path / "b", cells))


def test_a_printed_change_that_does_not_follow_is_named(tmp_path):
    found = warnings(edition(tmp_path, CONSISTENT.replace("totaal,%,+25,,", "totaal,%,+52,,")))
    (message,) = found["VeranderingShape"]
    assert "+52" in message and "80" in message and "100" in message


@pytest.mark.parametrize("printed", ["+2", "+7", "0"])
def test_rounded_values_allow_every_change_their_rounding_allows(tmp_path, printed):
    # 2,1 miljard is 2,05–2,15 miljard, so 2.145.000.000 is anywhere from -0.2% to +4.6%.
    found = warnings(edition(tmp_path, CONSISTENT.replace("afgerond,%,+2,,", f"afgerond,%,{printed},,")))
    assert ("VeranderingShape" in found) == (printed == "+7")


def test_one_quantity_with_two_values_is_named_with_both_sources(tmp_path):
    found = warnings(edition(tmp_path, CONSISTENT, text_total="101"))
    (message,) = found["ZelfdeGrootheidShape"]
    assert "101" in message and "100" in message and "Toelichting" in message and "Proef" in message


def test_each_edition_is_checked_against_itself_only(tmp_path):
    """A later edition contradicting itself is named once, for its own data set; its other
    value for a figure of the first edition is no contradiction within a report (it is a
    revision, named by its own rule)."""
    root = edition(tmp_path, CONSISTENT)
    later = root / "data" / "monitor-proef-2"
    shutil.copytree(root / "data" / "monitor-proef", later)
    editie = later / "editie.ttl"
    editie.write_text(editie.read_text().replace("monitor-proef", "monitor-proef-2")
                      .replace('"2017-12-31"', '"2018-12-31"'))
    (later / "cijfers" / "tekst.csv").write_text("indicator,jaar,ruw,waarde,noot\ntotaal,2017,101,,\n")
    found = [w for w in load(root).outcome.warnings if w.shape.endswith("#ZelfdeGrootheidShape")]
    assert len(found) == 1, [w.message for w in found]
    assert "dataset/monitor-proef-2>" in found[0].focus and "101" in found[0].message
