"""Settings and the shared server state (`app.extensions["gdi_graph"]`).

Settings come, later ones winning, from defaults, the Flask instance file
`instance/gdi_graph.cfg`, `GDI_GRAPH_*` environment variables and the mapping given to
`create_app`. The state holds what every request needs: the build's manifest and digest,
the backend (embedded store plus executor pool, or a remote endpoint), the named queries
and the response cache.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from flask import current_app

from gdi_graph.build import read_manifest
from gdi_graph.config import project_root, queries_folder
from gdi_graph.query.backends import EmbeddedBackend, RemoteBackend
from gdi_graph.query.cache import ResponseCache
from gdi_graph.query.executor import Executor, Job, Result
from gdi_graph.query.named import NamedQuery, QueryFileError, parse_query_file
from gdi_graph.rdf.namespaces import BASE

log = logging.getLogger("gdi_graph.web")


def state() -> "GraphState":
    """The state of the app handling the current request."""
    return current_app.extensions["gdi_graph"]


@dataclass
class Settings:
    dist: Path = field(default_factory=lambda: project_root() / "dist")
    queries: Path = field(default_factory=lambda: queries_folder(project_root()))
    base: str = BASE
    query_timeout: float = 10.0
    max_query_bytes: int = 16 * 1024  # encoded for GET it stays below the HTTP layer's 64 KiB URI limit
    max_result_bytes: int = 64 * 2**20
    executors: int = max(2, min(4, os.cpu_count() or 2))
    queue_wait: float = 10.0
    cache_entries: int = 512
    cache_bytes: int = 64 * 2**20
    max_age: int = 300
    remote_endpoint: str | None = None
    service_allowlist: tuple[str, ...] = ()
    start_method: str = "spawn"
    public_url: str | None = None  # absolute URL for wiki text; default: the request's host

    @classmethod
    def load(cls, *sources: Mapping) -> "Settings":
        """Merge `GDI_GRAPH_<FIELD>` keys from each source in turn and convert their types."""
        values: dict = {}
        for source in sources:
            for f in dataclasses.fields(cls):
                key = f"GDI_GRAPH_{f.name.upper()}"
                if source and key in source and source[key] not in (None, ""):
                    values[f.name] = source[key]
        converted = {}
        for f in dataclasses.fields(cls):
            if f.name not in values:
                continue
            raw = values[f.name]
            kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
            try:
                if kind == "Path":
                    converted[f.name] = Path(raw)
                elif kind == "float":
                    converted[f.name] = float(raw)
                elif kind == "int":
                    converted[f.name] = int(raw)
                elif kind.startswith("tuple"):
                    items = raw.replace(",", " ").split() if isinstance(raw, str) else list(raw)
                    converted[f.name] = tuple(str(i) for i in items)
                else:
                    converted[f.name] = str(raw).rstrip("/") if f.name in ("base", "public_url") else str(raw)
            except ValueError:
                raise ValueError(f"setting GDI_GRAPH_{f.name.upper()}={raw!r} is not a valid {kind}") from None
        return cls(**converted)


class GraphState:
    """What the blueprints share. `.store` is the in-process pyoxigraph Store (None when remote)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        dist = settings.dist.resolve()  # pin this build even if dist/ is re-pointed later
        manifest = read_manifest(dist)
        if manifest is None:
            raise RuntimeError(f"no build found at {settings.dist}; run `gdi-graph build` (or `gdi-graph serve`, "
                               f"which builds first)")
        self.dist = dist
        self.manifest = manifest
        self.digest: str = manifest["digest"]
        if settings.remote_endpoint:
            self.backend = RemoteBackend(settings.remote_endpoint, settings.query_timeout, settings.max_result_bytes)
        else:
            executor = Executor(dist / "gdi.nq", size=settings.executors, timeout=settings.query_timeout,
                                queue_wait=settings.queue_wait, max_result_bytes=settings.max_result_bytes,
                                start_method=settings.start_method)
            self.backend = EmbeddedBackend(dist / "gdi.nq", executor)
        self.cache = ResponseCache(settings.cache_entries, settings.cache_bytes)
        self.queries, self.query_errors = load_named_queries(settings.queries)

    @property
    def store(self):
        return self.backend.store

    def run_query(self, job: Job) -> tuple[Result, bool]:
        """Run user SPARQL through the backend (time-limited), with the response cache in front.

        Returns the result and whether it came from the cache.
        """
        key = (job, self.digest)
        hit = self.cache.get(key)
        if hit is not None:
            return hit, True
        result = self.backend.run(job)
        self.cache.put(key, result, len(result.body))
        return result, False

    def select(self, text: str, bindings: dict | None = None) -> list[dict]:
        return self.backend.select(text, bindings)

    def construct(self, text: str, bindings: dict | None = None) -> list:
        return self.backend.construct(text, bindings)

    def close(self) -> None:
        self.backend.close()


def load_named_queries(folder: Path) -> tuple[dict[str, NamedQuery], dict[str, str]]:
    """Every readable `.rq` file; a broken header skips that file (and is reported) only."""
    queries, errors = {}, {}
    for path in sorted(folder.glob("*.rq")) if folder.is_dir() else ():
        try:
            q = parse_query_file(path)
        except (QueryFileError, OSError, UnicodeDecodeError) as exc:
            errors[path.stem] = str(exc)
            log.warning("skipping named query %s: %s", path, exc)
            continue
        queries[q.name] = q
    return queries, errors
