"""Settings and the shared server state (`app.extensions["gdi_graph"]`).

Settings come, later ones winning, from defaults, the Flask instance file
`instance/gdi_graph.cfg`, `GDI_GRAPH_*` environment variables and the mapping given to
`create_app`. The state holds the build being served (a `Build`: manifest and digest, the
backend — embedded store plus executor pool, or a remote endpoint —, the named queries and
the caches of its answers) and follows `dist` to newer builds without a restart.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import signal
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from flask import current_app, g, has_app_context

from gdi_graph.build import read_manifest
from gdi_graph.build.lease import Lease, LeaseError
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
    reload_interval: float = 2.0  # seconds between looks at the dist link; 0: only on SIGHUP (remote default)

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
        if converted.get("remote_endpoint") and "reload_interval" not in converted:
            # The store changes by `gdi-graph publish`, not with the local dist link: follow the
            # link only when told to (SIGHUP after publishing), so no ETag names a build the
            # store does not hold yet.
            converted["reload_interval"] = 0.0
        return cls(**converted)


class Build:
    """One build as the server uses it: directory (leased), manifest, digest, backend, named
    queries and the caches of its answers. Never changed once made; a newer build replaces
    it whole (GraphState.reload), and it is closed when the last request using it is done."""

    MEMO_ENTRIES = 64

    def __init__(self, settings: Settings, dist: Path, manifest: dict, backend, lease: Lease | None):
        self.dist = dist
        self.manifest = manifest
        self.digest: str = manifest["digest"]
        self.backend = backend
        self.lease = lease
        self.queries, self.query_errors = load_named_queries(settings.queries)
        self.cache = ResponseCache(settings.cache_entries, settings.cache_bytes)
        self._memo: OrderedDict = OrderedDict()
        self._pending: dict = {}
        self._lock = threading.Lock()
        self._users = 0
        self._retired = False
        self.closed = False

    @classmethod
    def load(cls, settings: Settings) -> "Build":
        """Lease the build `settings.dist` points at and start its backend, ready to answer.

        Raises BuildUnavailable when there is no build or it cannot be served."""
        try:
            lease = Lease.take(settings.dist)
        except LeaseError as exc:
            raise BuildUnavailable(f"no build found at {settings.dist} ({exc.strerror}); run `gdi-graph build` "
                                   f"(or `gdi-graph serve`, which builds first)") from None
        try:
            manifest = read_manifest(lease.path)
            if manifest is None or "digest" not in manifest:
                raise BuildUnavailable(f"the build at {lease.path} has no readable manifest.json")
            if settings.remote_endpoint:
                backend = RemoteBackend(settings.remote_endpoint, settings.query_timeout, settings.max_result_bytes)
            else:
                executor = Executor(lease.path / "gdi.nq", size=settings.executors, timeout=settings.query_timeout,
                                    queue_wait=settings.queue_wait, max_result_bytes=settings.max_result_bytes,
                                    start_method=settings.start_method)
                try:
                    backend = EmbeddedBackend(lease.path / "gdi.nq", executor)
                except BaseException:
                    executor.close()
                    raise
                failures = executor.wait_ready()
                if failures:
                    log.warning("query workers for %s could not start: %s", lease.path, failures[0])
            return cls(settings, lease.path, manifest, backend, lease)
        except BuildUnavailable:
            lease.release()
            raise
        except (OSError, ValueError, RuntimeError, SyntaxError) as exc:  # pyoxigraph reports bad dumps as these
            lease.release()
            raise BuildUnavailable(f"the build at {lease.path} cannot be loaded: {type(exc).__name__}: {exc}") from None

    @property
    def store(self):
        return self.backend.store

    def memo(self, key, make):
        """A value derived from this build only (a drawing, a graph), computed once; bounded.

        Requests that ask for the same value while it is being made wait for that one
        computation instead of each making it again (a new plate asked by many at once).
        """
        with self._lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
            pending = self._pending.get(key)
            if pending is None:
                pending = self._pending[key] = Future()
                mine = True
            else:
                mine = False
        if not mine:
            return pending.result()  # the maker's exception, if it failed
        try:
            value = make()
        except BaseException as exc:
            with self._lock:
                self._pending.pop(key, None)
            pending.set_exception(exc)
            raise
        with self._lock:
            self._memo[key] = value
            while len(self._memo) > self.MEMO_ENTRIES:
                self._memo.popitem(last=False)
            self._pending.pop(key, None)
        pending.set_result(value)
        return value

    def problems(self) -> list[str]:
        """What keeps this build from being served fully (empty: nothing)."""
        found = []
        if not (self.dist / "manifest.json").exists():
            found.append(f"the build directory {self.dist.name} has been removed")
        executor = getattr(self.backend, "executor", None)
        if executor is not None:
            found += executor.problems()
        ping = getattr(self.backend, "ping", None)
        if ping is not None:
            problem = ping()
            if problem:
                found.append(problem)
        return found

    # A build is in use by every request that started on it; retired, it closes after the last.

    def enter(self) -> bool:
        with self._lock:
            if self.closed:
                return False
            self._users += 1
            return True

    def leave(self) -> None:
        with self._lock:
            self._users -= 1
            done = self._retired and self._users == 0 and not self.closed
            if done:
                self.closed = True
        if done:
            self._close()

    def retire(self) -> None:
        with self._lock:
            self._retired = True
            done = self._users == 0 and not self.closed
            if done:
                self.closed = True
        if done:
            self._close()

    def close(self) -> None:
        with self._lock:
            if self.closed:
                return
            self.closed = True
        self._close()

    def _close(self) -> None:
        try:
            self.backend.close()
        finally:
            if self.lease is not None:
                self.lease.release()
            self._memo.clear()
            log.info("closed build %s", self.dist.name)


class BuildUnavailable(RuntimeError):
    """No build, or one that cannot be served; the message says which and why."""


class GraphState:
    """What the blueprints share: the build being served (see Build) and the settings.

    A request uses one build from start to end (`pin`, set up by `install`), whichever build
    becomes current meanwhile. A background thread follows the `dist` link: when it points
    at a new build, that build is loaded beside the current one (its query workers started
    and ready), then made current in one reference swap; the old one closes when its last
    request is done. `.store` is the in-process pyoxigraph Store (None when remote).
    """

    RETRY_FAILED_S = 30.0

    def __init__(self, settings: Settings):
        self.settings = settings
        self.current: Build = Build.load(settings)
        self.reloads = 0
        self.reload_problem: str | None = None  # why the newest build is not served
        self._failed: tuple[Path, float] | None = None
        self._reload_lock = threading.Lock()
        self._listeners: list = []
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="gdi-graph-reload", daemon=True)
        self._watcher.start()

    # ------------------------------------------------------------ the build of this request

    def build(self) -> Build:
        """The build the current request pinned, or the current build outside a request."""
        pinned = g.get("gdi_build") if has_app_context() else None
        return pinned if pinned is not None else self.current

    def pin(self) -> Build:
        while True:
            build = self.current
            if build.enter():
                return build

    @property
    def dist(self) -> Path:
        return self.build().dist

    @property
    def manifest(self) -> dict:
        return self.build().manifest

    @property
    def digest(self) -> str:
        return self.build().digest

    @property
    def backend(self):
        return self.build().backend

    @property
    def store(self):
        return self.build().store

    @property
    def queries(self) -> dict[str, NamedQuery]:
        return self.build().queries

    @property
    def query_errors(self) -> dict[str, str]:
        return self.build().query_errors

    @property
    def cache(self) -> ResponseCache:
        return self.build().cache

    def run_query(self, job: Job) -> tuple[Result, bool]:
        """Run user SPARQL through the backend (time-limited), with the response cache in front.

        Returns the result and whether it came from the cache.
        """
        build = self.build()
        key = (job, build.digest)
        hit = build.cache.get(key)
        if hit is not None:
            return hit, True
        result = build.backend.run(job)
        build.cache.put(key, result, len(result.body))
        return result, False

    def select(self, text: str, bindings: dict | None = None) -> list[dict]:
        return self.build().backend.select(text, bindings)

    def construct(self, text: str, bindings: dict | None = None) -> list:
        return self.build().backend.construct(text, bindings)

    # ------------------------------------------------------------ following the dist link

    def on_swap(self, listener) -> None:
        """Call `listener(new_build)` after each switch to a newer build."""
        self._listeners.append(listener)

    def request_reload(self, *_signal) -> None:
        """Check the dist link now (safe to call from a signal handler)."""
        self._wake.set()

    def reload(self, force: bool = False) -> bool:
        """Serve the build `dist` points at, if it is not the one served; True when switched.

        A build that fails to load is retried after RETRY_FAILED_S, or at once when forced.
        """
        with self._reload_lock:
            target = Path(os.path.realpath(self.settings.dist))
            current = self.current
            if target == current.dist and not (force and current.problems()):
                self.reload_problem = None
                return False
            if not force and self._failed and self._failed[0] == target \
                    and time.monotonic() - self._failed[1] < self.RETRY_FAILED_S:
                return False
            try:
                new = Build.load(self.settings)
                problems = new.problems()
                if problems:
                    new.close()
                    raise BuildUnavailable(f"the build at {new.dist} cannot be served: {problems[0]}")
            except BuildUnavailable as exc:
                self._failed = (target, time.monotonic())
                self.reload_problem = f"a newer build is not served: {exc}"
                log.error("%s", self.reload_problem)
                return False
            if self._stop.is_set():  # closed meanwhile: nobody will serve it
                new.close()
                return False
            self.current = new  # the switch: one reference, read once per request
            self.reloads += 1
            self.reload_problem = None
            self._failed = None
        log.info("serving build %s (digest %s); was %s", new.dist.name, new.digest[:12], current.dist.name)
        for listener in self._listeners:
            try:
                listener(new)
            except Exception:
                log.exception("after switching builds")
        current.retire()
        return True

    def _watch(self) -> None:
        interval = self.settings.reload_interval
        while not self._stop.is_set():
            forced = self._wake.wait(interval if interval > 0 else None)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                if forced or interval > 0:
                    self.reload(force=forced)
                executor = getattr(self.current.backend, "executor", None)
                if executor is not None:
                    executor.heal()
            except Exception:  # the watcher must outlive any one failed attempt
                log.exception("checking %s for a new build", self.settings.dist)

    # ------------------------------------------------------------ health

    def problems(self) -> list[str]:
        """Why the server cannot fully do its job now (empty: it can)."""
        found = list(self.current.problems())
        if self.reload_problem:
            found.append(self.reload_problem)
        if not self._watcher.is_alive() and not self._stop.is_set():
            found.append("the thread that follows the dist link has stopped; new builds are not picked up")
        return found

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        with self._reload_lock:  # not while a reload is between loading and switching
            self.current.close()


def install(app, st: GraphState) -> None:
    """Pin one build per request (see GraphState) and release it when the request is done."""

    @app.before_request
    def _pin():
        g.gdi_build = st.pin()

    @app.teardown_request
    def _unpin(_exc=None):
        build = g.pop("gdi_build", None)
        if build is not None:
            build.leave()


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


def reload_on_sighup(st: GraphState) -> None:
    """SIGHUP: look for a new build now (`gdi-graph serve` forwards its SIGHUP to each worker)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGHUP, st.request_reload)
