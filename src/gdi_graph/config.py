"""Where the project's folders are: the sources (ontology/, data/, shapes/, queries/) and dist/.

The sources are not package data: they are the project, reviewed in git. A command finds
them from `--root`, else from the working directory, else — for an editable install — from
the checkout the package was installed from. A non-editable install has no checkout, so it
asks for `--root` instead of guessing.
"""

from __future__ import annotations

from pathlib import Path

SOURCE_FOLDERS = ("ontology", "data", "shapes", "queries")


class ProjectNotFound(LookupError):
    """No project folder could be found; the message says how to name one."""


def is_project(folder: Path) -> bool:
    return (folder / "ontology").is_dir() and (folder / "data").is_dir()


def project_root(given: str | Path | None = None) -> Path:
    """The folder with ontology/, data/, shapes/ and queries/."""
    if given:
        root = Path(given)
        if not is_project(root):
            raise ProjectNotFound(f"{root} has no ontology/ and data/ folders; pass the project folder as --root")
        return root
    cwd = Path.cwd()
    if is_project(cwd):
        return cwd
    checkout = Path(__file__).resolve().parents[2]  # src/gdi_graph/config.py in a checkout
    if is_project(checkout):
        return checkout
    raise ProjectNotFound("no project folder here: run from a clone of gdi-graph or pass --root FOLDER "
                          "(the folder with ontology/, data/, shapes/ and queries/)")


def queries_folder(root: Path) -> Path:
    return root / "queries"
