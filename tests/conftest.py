"""Shared fixtures: the real project built once per session into a temporary dist/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest_plugins = ["web_support"]  # the web fixtures: built graph, Flask apps, a real server

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """(BuiltGraph, dist path) of the repository's real sources."""
    from gdi_graph.build import build

    dist = tmp_path_factory.mktemp("real-build") / "dist"
    graph, _ = build(REPO, dist)
    return graph, dist


@pytest.fixture(scope="session")
def real_store(built):
    from gdi_graph.query.store import open_store

    return open_store(built[1])


@pytest.fixture()
def project_copy(tmp_path):
    """A writable copy of the project's sources, for tests that break them on purpose."""
    root = tmp_path / "project"
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(REPO / folder, root / folder)
    return root
