"""Query executor: a bounded pool of worker processes, each with its own Oxigraph store.

Why processes: neither pyoxigraph nor rdflib can cancel a running query from Python, and
Python threads cannot be killed. So every user query runs in a separate process, and a
query that overruns its time limit is stopped the only way that always works: the process
is killed and a fresh one (loading the same build) takes its place. The other workers keep
answering meanwhile, and the web process never blocks on a query it cannot stop.

The web process sends a `Job` (query text, parameters as N-Triples terms, formats, dataset)
over a pipe and gets back bytes already serialised by pyoxigraph's own writers; results
never pass through rdflib or through per-row Python objects. Pool size and the wait for a
free worker are both bounded, so overload gives a quick 503 instead of a growing queue.

This module imports only pyoxigraph (and the format table): it is what a worker imports.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from gdi_graph.query.store import bound_query

KIND_SOLUTIONS, KIND_BOOLEAN, KIND_GRAPH = "solutions", "boolean", "graph"


@dataclass(frozen=True)
class Job:
    text: str
    substitutions: tuple[tuple[str, str], ...] = ()  # (variable name, N-Triples term)
    results_format: str = "json"  # formats.RESULTS key used for SELECT and ASK
    graph_format: str = "ttl"  # formats.GRAPHS key used for CONSTRUCT and DESCRIBE
    default_graphs: tuple[str, ...] | None = None  # protocol default-graph-uri
    named_graphs: tuple[str, ...] | None = None  # protocol named-graph-uri
    union_default: bool = True  # default graph = union of the named graphs (unless the above or FROM)


@dataclass(frozen=True)
class Result:
    body: bytes
    media_type: str
    kind: str  # solutions, boolean or graph
    format: str  # the format key actually used


class QueryFailed(Exception):
    """A query could not be answered; `status` is the HTTP status that fits."""

    status = 500

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


class QuerySyntaxError(QueryFailed):
    status = 400


class QueryEvaluationError(QueryFailed):
    status = 400


class ResultTooLarge(QueryFailed):
    status = 422


class QueryTimeout(QueryFailed):
    status = 503


class ExecutorBusy(QueryFailed):
    status = 503


class ExecutorFailed(QueryFailed):
    status = 503


# ------------------------------------------------------------------------------------ worker side


class _Capped:
    """A binary sink that stops a serialisation once it passes the result limit."""

    def __init__(self, limit: int):
        self.parts: list[bytes] = []
        self.size = 0
        self.limit = limit
        self.overflow = False

    def write(self, data) -> int:
        self.size += len(data)
        if self.size > self.limit:
            self.overflow = True
            raise OSError("result size limit reached")
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def _term(nt: str):
    from pyoxigraph import RdfFormat, parse

    triple = next(iter(parse(f"<urn:x:s> <urn:x:p> {nt} .", format=RdfFormat.N_TRIPLES)))
    return triple.object


def execute(store, job: Job, max_result_bytes: int) -> tuple[tuple, bytes]:
    """Run one job on a store; returns (header, body). Also used in-process by tests."""
    from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions, Variable

    from gdi_graph.rdf.formats import BY_KEY

    kwargs = {}
    if job.default_graphs is not None or job.named_graphs is not None:
        kwargs["default_graph"] = [NamedNode(g) for g in job.default_graphs or ()]
        if job.named_graphs is not None:
            kwargs["named_graphs"] = [NamedNode(g) for g in job.named_graphs]
    elif job.union_default:
        kwargs["use_default_graph_as_union"] = True
    try:
        subs = {Variable(name): _term(nt) for name, nt in job.substitutions}
        result = bound_query(store, job.text, subs, **kwargs)
    except SyntaxError as exc:
        return ("error", "syntax", str(exc)), b""
    except (OSError, ValueError, TypeError, RuntimeError) as exc:
        return ("error", "evaluation", str(exc)), b""
    if isinstance(result, QuerySolutions):
        kind, fmt = KIND_SOLUTIONS, BY_KEY[job.results_format]
    elif isinstance(result, QueryBoolean):
        kind, fmt = KIND_BOOLEAN, BY_KEY[job.results_format]
    else:
        kind, fmt = KIND_GRAPH, BY_KEY[job.graph_format]
    sink = _Capped(max_result_bytes)
    try:
        result.serialize(sink, format=fmt.engine())
    except (OSError, ValueError, TypeError, SyntaxError) as exc:
        if sink.overflow:
            return ("error", "too-large", f"the result is larger than {max_result_bytes} bytes"), b""
        return ("error", "evaluation", str(exc)), b""
    return ("ok", kind, fmt.key, fmt.media_type), b"".join(sink.parts)


def _serve(conn, nq_path: str, max_result_bytes: int) -> None:
    """Worker main loop: load the build, then answer jobs until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when this process ends
    try:
        from pyoxigraph import RdfFormat, Store

        store = Store()
        store.bulk_load(path=nq_path, format=RdfFormat.N_QUADS)
        conn.send(("ready", len(store), os.getpid()))
    except BaseException as exc:  # report why, then stop: the parent turns this into a 503
        conn.send(("failed", f"{type(exc).__name__}: {exc}", os.getpid()))
        return
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            header, body = execute(store, job, max_result_bytes)
        except BaseException as exc:  # never leave the parent waiting without an answer
            header, body = ("error", "internal", f"{type(exc).__name__}: {exc}"), b""
        try:
            conn.send(header)
            if header[0] == "ok":
                conn.send_bytes(body)
        except (EOFError, OSError):
            return


# ------------------------------------------------------------------------------------ web side


class _Worker:
    def __init__(self, ctx, nq_path: Path, max_result_bytes: int):
        parent, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=_serve, args=(child, str(nq_path), max_result_bytes),
                                   name="gdi-graph-query", daemon=True)
        self.process.start()
        child.close()
        self.conn = parent
        self.ready = False
        self.failure: str | None = None
        self.started = time.monotonic()

    def wait_ready(self, timeout: float) -> None:
        if self.ready:
            return
        if self.failure:
            raise ExecutorFailed(f"the query worker could not load the build: {self.failure}",
                                 "the operator should check the server log")
        if not self.conn.poll(timeout):
            raise ExecutorFailed(f"the query worker did not start within {timeout:g} s",
                                 "try again shortly; if it persists, check the server log")
        msg = self.conn.recv()
        if msg[0] != "ready":
            self.failure = msg[1]
            raise ExecutorFailed(f"the query worker could not load the build: {msg[1]}",
                                 "the operator should check the server log")
        self.ready = True

    def kill(self) -> None:
        try:
            self.process.kill()
            self.process.join(5)
        finally:
            self.conn.close()

    @property
    def alive(self) -> bool:
        return self.process.is_alive()


class Executor:
    """A fixed number of query worker processes behind a bounded wait."""

    def __init__(self, nq_path: Path, size: int = 2, timeout: float = 10.0, queue_wait: float = 10.0,
                 max_result_bytes: int = 64 * 2**20, start_method: str = "spawn", start_timeout: float = 120.0):
        if size < 1:
            raise ValueError("the executor needs at least one worker")
        self.nq_path = Path(nq_path)
        self.size = size
        self.timeout = timeout
        self.queue_wait = queue_wait
        self.max_result_bytes = max_result_bytes
        self.start_timeout = start_timeout
        self._ctx = multiprocessing.get_context(start_method)
        self._idle: queue.Queue[_Worker] = queue.Queue()  # FIFO: a fresh replacement goes last
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.restarts = 0
        self.timeouts = 0  # queries stopped at the time limit (for /metrics)
        self.problem: str | None = None  # why the last worker could not start; None once one did
        for _ in range(size):
            self._idle.put(self._spawn())

    def wait_ready(self, timeout: float | None = None) -> list[str]:
        """Wait until every worker has loaded the build; returns why some could not (empty: all ready).

        For a pool nobody uses yet (a server starting, or a new build loaded beside the old).
        """
        deadline = time.monotonic() + (self.start_timeout if timeout is None else timeout)
        with self._lock:
            workers = list(self._workers)
        failures = []
        for worker in workers:
            try:
                worker.wait_ready(max(0.0, deadline - time.monotonic()))
            except ExecutorFailed as exc:
                failures.append(exc.message)
            except (EOFError, OSError) as exc:
                failures.append(f"the query worker stopped while loading the build ({type(exc).__name__})")
        self.problem = failures[0] if failures else None
        return failures

    def heal(self, retry_failed_after: float = 10.0) -> int:
        """Look at the idle workers: note why one could not start, replace one that died
        (killed from outside, out of memory), and retry one that failed to start after
        `retry_failed_after` seconds. Returns how many were replaced.

        Without this a dead worker would be noticed only by the next query sent to it, and
        /health could not tell.
        """
        replaced = 0
        for _ in range(self._idle.qsize()):
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            try:
                if not worker.ready and not worker.failure and worker.conn.poll(0):
                    try:
                        worker.wait_ready(0)
                    except ExecutorFailed as exc:
                        self.problem = exc.message
                    except (EOFError, OSError):
                        pass  # it died before saying anything: replaced below
                    else:
                        self.problem = None
                retry = worker.failure and time.monotonic() - worker.started > retry_failed_after
                if not self._closed and ((not worker.alive and not worker.failure) or retry):
                    worker = self._replace(worker)
                    replaced += 1
            finally:
                self._idle.put(worker)
        return replaced

    def problems(self) -> list[str]:
        """What keeps the pool from answering queries now (empty: nothing)."""
        if self._closed:
            return ["the query workers are stopped"]
        found = []
        if self.problem:
            found.append(f"a query worker could not start: {self.problem}")
        with self._lock:
            alive = sum(1 for w in self._workers if w.alive)
        if alive == 0:
            found.append("no query worker is running")
        return found

    def _spawn(self) -> _Worker:
        worker = _Worker(self._ctx, self.nq_path, self.max_result_bytes)
        with self._lock:
            self._workers.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> _Worker:
        worker.kill()
        with self._lock:
            self._workers.discard(worker)
            self.restarts += 1
        return self._spawn()

    def run(self, job: Job, timeout: float | None = None) -> Result:
        limit = self.timeout if timeout is None else timeout
        if self._closed:
            raise ExecutorFailed("the server is shutting down", "try again in a moment")
        try:
            worker = self._idle.get(timeout=self.queue_wait)
        except queue.Empty:
            raise ExecutorBusy(
                f"all {self.size} query workers stayed busy for {self.queue_wait:g} s",
                "try again in a few seconds; long-running queries occupy the workers") from None
        try:
            if worker.failure or not worker.alive:
                worker = self._replace(worker)
            try:
                worker.wait_ready(self.start_timeout)
            except ExecutorFailed as exc:
                self.problem = exc.message
                raise
            self.problem = None
            worker.conn.send(job)
            if not worker.conn.poll(limit):
                self.timeouts += 1
                worker = self._replace(worker)
                raise QueryTimeout(
                    f"the query ran longer than the limit of {limit:g} s and was stopped",
                    "add a LIMIT, narrow the patterns or run it on a copy of the data from /download; "
                    "the operator sets the limit with GDI_GRAPH_QUERY_TIMEOUT")
            header = worker.conn.recv()
            body = worker.conn.recv_bytes() if header[0] == "ok" else b""
        except (EOFError, OSError) as exc:
            worker = self._replace(worker)
            raise ExecutorFailed(f"the query worker stopped unexpectedly ({type(exc).__name__})",
                                 "the query may need more memory than the server has; simplify it") from None
        finally:
            if self._closed:
                worker.kill()
            else:
                self._idle.put(worker)
        if header[0] == "ok":
            _, kind, fmt, media_type = header
            return Result(body, media_type, kind, fmt)
        _, code, message = header
        if code == "syntax":
            raise QuerySyntaxError(message, "fix the query at the position given; see https://www.w3.org/TR/sparql11-query/")
        if code == "too-large":
            raise ResultTooLarge(message, "add a LIMIT or select fewer variables; the dumps at /download have everything")
        if code == "evaluation":
            raise QueryEvaluationError(f"the query could not be evaluated: {message}", "check the query")
        raise QueryFailed(f"internal error in the query worker: {message}", "report this with the query")

    def stats(self) -> dict:
        with self._lock:
            alive = sum(1 for w in self._workers if w.alive)
        return {"workers": self.size, "alive": alive, "idle": self._idle.qsize(), "restarts": self.restarts,
                "timeouts": self.timeouts, "timeout_s": self.timeout}

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._workers)
            self._workers.clear()
        for w in workers:
            try:
                w.kill()
            except OSError:
                pass
