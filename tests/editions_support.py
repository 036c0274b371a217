"""A project of two editions for the page tests: the real 2018 report plus the made-up 2019
edition of tests/build/fixtures/editie-2019, built once per session with `gdi-graph build`,
and what the fixture's CSV files print (the expected values come from there)."""

from __future__ import annotations

import csv
import shutil
from functools import cache
from pathlib import Path

import pytest
from web_support import _build, serving

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "build" / "fixtures" / "editie-2019" / "monitor-gdi-2019"
NEWER, OLDER = FIXTURE.name, "monitor-gdi-2018"
BUILD_LIMIT_S = 180

_built: dict[str, Path] = {}


def two_edition_project(tmp_path_factory) -> Path:
    """A project folder with the two editions built into dist/; made once per session."""
    if "root" not in _built:
        root = tmp_path_factory.mktemp("two-editions")
        for folder in ("ontology", "data", "shapes", "queries"):
            shutil.copytree(REPO / folder, root / folder)
        shutil.copytree(FIXTURE, root / "data" / FIXTURE.name)  # adding an edition is adding its folder
        if not _build(root, root / "dist", BUILD_LIMIT_S):
            pytest.fail("the project with the fixture edition does not build; run `gdi-graph build` on a copy")
        _built["root"] = root
    return _built["root"]


@cache
def printed(edition: str, table: str) -> dict[tuple[str, str], str]:
    """(indicator slug, year) -> the cell as printed, from an edition's CSV (the 2018 one in data/).

    A row that continues another (`vervolg_van` in indicatoren.csv) is keyed by the slug of the
    indicator it continues, as the graph identifies it."""
    folder = FIXTURE if edition == NEWER else REPO / "data" / edition
    with open(folder / "indicatoren.csv", encoding="utf-8", newline="") as f:
        continues = {r["indicator"]: r["vervolg_van"].split("/", 1)[1] for r in csv.DictReader(f)
                     if r["tabel"] == table and r.get("vervolg_van")}
    with open(folder / "cijfers" / f"{table}.csv", encoding="utf-8", newline="") as f:
        return {(continues.get(r["indicator"], r["indicator"]), r["jaar"]): r["ruw"]
                for r in csv.DictReader(f) if r["jaar"].isdigit()}


@cache
def row_labels(edition: str) -> dict[str, str]:
    """table/slug -> the row's label as the edition prints it."""
    folder = FIXTURE if edition == NEWER else REPO / "data" / edition
    with open(folder / "indicatoren.csv", encoding="utf-8", newline="") as f:
        return {f"{r['tabel']}/{r['indicator']}": r["label"] for r in csv.DictReader(f)}


def serve(root: Path):
    """A real `gdi-graph serve` process on the project; yields its URL, stops it after."""
    yield from serving(root, "--executors", "1", "--threads", "4")
