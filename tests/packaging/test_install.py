"""A non-editable install works from any directory, given --root.

The sources (ontology/, data/, shapes/, queries/) are the project, not package data, so an
installed package must find them from --root and say so when it cannot; templates and
static files must travel inside the wheel.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The package built as a wheel (offline: no build isolation) and installed into a folder."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(work / "dist"), str(REPO)], check=True, capture_output=True, timeout=300)
    wheel = next((work / "dist").glob("gdi_graph-*.whl"))
    target = work / "site"
    with zipfile.ZipFile(wheel) as z:
        z.extractall(target)
    return target


def run(target: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GDI_GRAPH_")}
    env["PYTHONPATH"] = str(target)
    return subprocess.run([sys.executable, "-m", "gdi_graph.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def test_the_wheel_carries_every_template(installed):
    shipped = {p.name for p in (installed / "gdi_graph" / "web" / "templates").glob("*.html")}
    in_tree = {p.name for p in (REPO / "src" / "gdi_graph" / "web" / "templates").glob("*.html")}
    assert in_tree and shipped == in_tree


def test_installed_package_runs_from_elsewhere_with_root(installed, built, tmp_path):
    _, dist = built
    done = run(installed, tmp_path, "--root", str(REPO), "--dist", str(dist), "query", "aantal-basisregistraties",
               "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].split(",")[:2] == ["peildatum", "aantal"]
    # The code that ran is the installed copy, not the checkout.
    env = {**os.environ, "PYTHONPATH": str(installed)}
    where = subprocess.run([sys.executable, "-c", "import gdi_graph; print(gdi_graph.__file__)"], cwd=tmp_path,
                           env=env, capture_output=True, text=True, timeout=60)
    assert Path(where.stdout.strip()).is_relative_to(installed)


def test_installed_package_without_root_says_what_to_do(installed, tmp_path):
    done = run(installed, tmp_path, "validate")
    assert done.returncode == 2
    assert "--root" in done.stderr
