"""The real data builds cleanly; bad sources are refused precisely and leave dist/ alone."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from gdi_graph.build import BuildFailed, build, load
from gdi_graph.cli import main
from gdi_graph.build.errors import SourceError
from gdi_graph.rdf.namespaces import GDI, QB, RDF, SH
from rdflib import Graph

REPO = Path(__file__).resolve().parents[2]

EDITION = Path("data/monitor-gdi-2018")


def test_real_data_builds_without_violations(built):
    graph, dist = built
    assert graph.outcome.violations == [], graph.outcome.text()
    for name in ("gdi.nq", "gdi.ttl", "report.ttl", "report.txt", "manifest.json"):
        assert (dist / name).stat().st_size > 0, name
    manifest = json.loads((dist / "manifest.json").read_text())
    assert manifest["digest"] == graph.digest
    assert manifest["counts"]["observations"] == sum(1 for _ in graph.data.subjects(RDF.type, QB.Observation))
    assert manifest["violations"] == 0


def test_every_source_file_is_its_own_named_graph(built):
    graph, _ = built
    names = set(graph.graphs)
    for path in ["ontology/gdi.ttl", "data/voorzieningen.ttl", f"{EDITION}/tabellen.csv", f"{EDITION}/cijfers/digid.csv"]:
        assert f"https://w3id.org/gdi-graph/graph/{path}" in names
    assert "https://w3id.org/gdi-graph/graph/validatie" in names


def test_every_cell_of_every_table_file_is_an_observation(built):
    graph, _ = built
    import csv

    expected = 0
    for path in (Path(__file__).parents[2] / EDITION / "cijfers").glob("*.csv"):
        with path.open(encoding="utf-8") as handle:
            expected += sum(1 for row in csv.DictReader(handle) if row["jaar"] != "%")
    assert sum(1 for _ in graph.data.subjects(RDF.type, QB.Observation)) == expected


# The report's own contradictions: each must be named, with both printed values.
CONTRADICTIONS = [
    ("275", "257"),               # eHerkenning 2016: toelichting against table (4.2)
    ("284.546", "294.546"),       # DKD: chart against table (5.1)
    ("773", "772"),               # Overheid.nl 2017: toelichting against table (5.4)
    ("4.500", "4.309"),           # BGT terugmeldingen 2017: 6.1 table against 6.1.5 table
    ("7.580.662", "2.635.539"),   # HR berichten to Digilevering 2017: 6.2 against 6.1.2
    ("1.977.360", "1.789.436"),   # same, 2016
    ("961", "870"),               # BRP via Digimelding 2017: 6.3 against 6.1.1
    ("1.277", "1.258"),           # same, 2016
    ("30", "38"),                 # HR via Digimelding 2014: 6.3 against 6.1.2
    ("705", "648"),               # same, 2015
    ("15", "13"),                 # BAG via Digimelding 2015: 6.3 against 6.1.3
    ("31", "26"),                 # same, 2016
    ("8.212.134", "902.897"),     # Digilevering 2014: total against its parts (6.2)
]


@pytest.mark.parametrize("first, second", CONTRADICTIONS)
def test_known_contradictions_are_warnings_with_both_values(built, first, second):
    graph, _ = built
    messages = [w.message for w in graph.outcome.warnings]
    assert any(first in m and second in m and "section" in m for m in messages), messages


def test_contradictions_are_warnings_not_violations(built):
    graph, _ = built
    assert len(graph.outcome.warnings) >= len(CONTRADICTIONS)
    consistency = {str(s) for s in Graph().parse(REPO / "shapes" / "consistentie.ttl").subjects(RDF.type, SH.NodeShape)}
    from_consistency_rules = [f for f in graph.outcome.findings if f.shape in consistency]
    assert len(from_consistency_rules) >= len(CONTRADICTIONS)
    assert {f.severity for f in from_consistency_rules} == {"Warning"}


# ---------------------------------------------------------------- bad input

def _dist_state(dist: Path):
    return os.readlink(dist), (dist / "manifest.json").read_text()


@pytest.fixture(scope="module")
def good_project(tmp_path_factory):
    """The project with one good build; tests work on copies of it."""
    import shutil

    root = tmp_path_factory.mktemp("good") / "project"
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(Path(__file__).parents[2] / folder, root / folder)
    build(root, root / "dist")
    return root


@pytest.fixture()
def good_dist(good_project, tmp_path):
    """A copy of the good project (its dist symlink still points inside the copy)."""
    import shutil

    root = tmp_path / "project"
    shutil.copytree(good_project, root, symlinks=True)
    return root, root / "dist"


def test_turtle_syntax_error_names_file_and_line_and_keeps_dist(good_dist):
    root, dist = good_dist
    before = _dist_state(dist)
    path = root / "data" / "voorzieningen.ttl"
    lines = path.read_text().splitlines()
    lines.insert(20, "this is not turtle ;")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(SourceError) as err:
        build(root, dist)
    assert err.value.path == path and err.value.line is not None and 19 <= err.value.line <= 23
    assert "voorzieningen.ttl:" in str(err.value)
    assert _dist_state(dist) == before


def _rewrite_cell(path: Path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def test_bad_csv_cell_names_file_line_and_column(good_dist):
    root, dist = good_dist
    before = _dist_state(dist)
    path = root / EDITION / "cijfers" / "digid.csv"
    line = _rewrite_cell(path, ",280.199.084,", ",ongeveer 280 miljoen,")
    with pytest.raises(SourceError) as err:
        build(root, dist)
    assert (err.value.path, err.value.line, err.value.column) == (path, line, "ruw")
    assert "ongeveer 280 miljoen" in str(err.value)
    assert _dist_state(dist) == before


def test_unknown_indicator_is_an_error_not_a_new_entity(good_dist):
    root, dist = good_dist
    path = root / EDITION / "cijfers" / "digid.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("nieuwe-indicator,2017,12,,\n")
    with pytest.raises(SourceError, match="unknown indicator 'nieuwe-indicator'") as err:
        build(root, dist)
    assert err.value.column == "indicator"


def test_unknown_voorziening_is_an_error(good_dist):
    root, dist = good_dist
    path = root / EDITION / "tabellen.csv"
    line = _rewrite_cell(path, "digid,digid,DigiD,", "digid,digi-d,DigiD,")
    with pytest.raises(SourceError, match="unknown voorziening 'digi-d'") as err:
        build(root, dist)
    assert (err.value.line, err.value.column) == (line, "voorziening")


def test_missing_cell_is_an_error(good_dist):
    root, dist = good_dist
    path = root / EDITION / "cijfers" / "pkioverheid.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")
    with pytest.raises(SourceError, match="missing"):
        build(root, dist)


def test_a_violation_refuses_the_build_and_keeps_dist(good_dist):
    root, dist = good_dist
    before = _dist_state(dist)
    with (root / "data" / "voorzieningen.ttl").open("a", encoding="utf-8") as handle:
        # A verbinding within one basisregistratie and without a source breaks the shapes.
        handle.write("\n<https://w3id.org/gdi-graph/id/verbinding/fout> a <https://w3id.org/gdi-graph/def#Verbinding> ;\n"
                     "  <https://w3id.org/gdi-graph/def#sleutel> 12 .\n")
    with pytest.raises(BuildFailed) as failed:
        build(root, dist)
    assert failed.value.outcome.violations
    assert any("verbinding/fout" in v.focus for v in failed.value.outcome.violations)
    assert _dist_state(dist) == before


# ---------------------------------------------------------------- the CLI on bad input

def test_cli_build_reports_the_place_and_exits_nonzero(good_dist, capsys):
    root, dist = good_dist
    before = _dist_state(dist)
    _rewrite_cell(root / EDITION / "cijfers" / "digid.csv", ",623,", ",zeshonderd,")
    assert main(["--root", str(root), "--dist", str(dist), "build"]) == 2
    err = capsys.readouterr().err
    assert "digid.csv:" in err and "column ruw" in err and "zeshonderd" in err
    assert _dist_state(dist) == before


def test_cli_validate_exits_1_on_violations(good_dist, capsys):
    root, _ = good_dist
    with (root / "data" / "voorzieningen.ttl").open("a", encoding="utf-8") as handle:
        handle.write("\n<https://w3id.org/gdi-graph/id/organisatie/x> a <http://www.w3.org/ns/org#Organization> ;\n"
                     "  <https://w3id.org/gdi-graph/def#oin> \"123\" .\n")
    assert main(["--root", str(root), "validate"]) == 1
    out = capsys.readouterr().out
    assert "Violation" in out and "organisatie/x" in out


def test_cli_validate_passes_on_real_data(capsys):
    assert main(["validate"]) == 0
    assert "0 violation(s)" in capsys.readouterr().out


def test_cli_build_shows_steps_with_durations(good_dist, capsys):
    root, dist = good_dist
    assert main(["--root", str(root), "build"]) == 0
    err = capsys.readouterr().err
    assert "validating" in err and " s\n" in err and "built " in err


def test_unchanged_sources_are_current_and_changed_ones_not(good_dist):
    from gdi_graph.build import is_current

    root, dist = good_dist
    assert is_current(root, dist)
    (root / "data" / "voorzieningen.ttl").write_text((root / "data" / "voorzieningen.ttl").read_text() + "\n# edit\n")
    assert not is_current(root, dist)
