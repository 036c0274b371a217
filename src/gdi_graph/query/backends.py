"""The graph behind the web layer: the embedded store or a remote SPARQL 1.1 endpoint.

Both offer the same small interface, so the web layer does not know which it talks to:
`run(job)` for user queries (bytes in the requested format, with a limit that holds),
`select(text, bindings)` and `construct(text, bindings)` for the server's own bounded
lookups (entity pages, the home page), returning pyoxigraph terms.

- `EmbeddedBackend`: user queries go to the executor's worker processes; lookups run on
  an in-process pyoxigraph store (`.store`), which is fast and safe for known-cheap queries.
- `RemoteBackend`: everything goes over the SPARQL 1.1 Protocol through SPARQLWrapper, so
  the same app can sit in front of Oxigraph server, Fuseki, GraphDB, Virtuoso or QLever.
  Remote stores have no substitution API, so parameters are bound with a VALUES block
  (never pasted into the text as strings). The remote's default graph is its own choice:
  configure it as the union of the named graphs (Oxigraph: `--union-default-graph`) to
  match the embedded store. A store that cannot be reached, breaks off or fails answers
  502 with its message, one that does not answer within the limit 504; every request
  opens its own connection, so the service is back as soon as the store is.
"""

from __future__ import annotations

import http.client
import urllib.error
from math import ceil
from pathlib import Path

from pyoxigraph import (
    QueryResultsFormat,
    RdfFormat,
    Store,
    Variable,
    parse,
    parse_query_results,
    serialize,
)

from gdi_graph.query.executor import (
    KIND_BOOLEAN,
    KIND_GRAPH,
    KIND_SOLUTIONS,
    Executor,
    ExecutorFailed,
    Job,
    QueryFailed,
    QuerySyntaxError,
    QueryTimeout,
    Result,
    ResultTooLarge,
)
from gdi_graph.query.sparqltext import analyse, with_values
from gdi_graph.query.store import bound_query
from gdi_graph.rdf.formats import BY_KEY


def _rows(solutions) -> list[dict]:
    names = [v.value for v in solutions.variables]
    return [{n: s[n] for n in names if s[n] is not None} for s in solutions]


def store_select(store: Store):
    """`select(text, bindings)` on a pyoxigraph store, as the backends offer it (for the CLI)."""

    def select(text: str, bindings: dict | None = None) -> list[dict]:
        subs = {Variable(k): v for k, v in (bindings or {}).items()}
        return _rows(bound_query(store, text, subs, use_default_graph_as_union=True))

    return select


class EmbeddedBackend:
    mode = "embedded"

    def __init__(self, nq_path: Path, executor: Executor):
        self.store = Store()
        self.store.bulk_load(path=str(nq_path), format=RdfFormat.N_QUADS)
        self.executor = executor

    def run(self, job: Job, timeout: float | None = None) -> Result:
        return self.executor.run(job, timeout)

    def select(self, text: str, bindings: dict | None = None) -> list[dict]:
        return store_select(self.store)(text, bindings)

    def construct(self, text: str, bindings: dict | None = None) -> list:
        subs = {Variable(k): v for k, v in (bindings or {}).items()}
        return list(bound_query(self.store, text, subs, use_default_graph_as_union=True))

    def stats(self) -> dict:
        return {"mode": self.mode, "executor": self.executor.stats()}

    def close(self) -> None:
        self.executor.close()


class RemoteBackend:
    mode = "remote"
    store = None

    def __init__(self, endpoint: str, timeout: float = 10.0, max_result_bytes: int = 64 * 2**20):
        self.endpoint = endpoint
        self.timeout = timeout
        self.max_result_bytes = max_result_bytes

    def run(self, job: Job, timeout: float | None = None) -> Result:
        kind, fmt, body, limit = self._fetch(job, timeout)

        def rewrite() -> bytes:
            if kind == KIND_GRAPH:
                return serialize(parse(body, format=RdfFormat.N_TRIPLES), format=fmt.engine()) or b""
            return parse_query_results(body, format=QueryResultsFormat.JSON).serialize(format=fmt.engine())

        return Result(self._whole(rewrite, body, limit), fmt.media_type, kind, fmt.key)

    def _fetch(self, job: Job, timeout: float | None):
        """(kind, requested format, the store's answer in JSON results or N-Triples, time limit)."""
        from SPARQLWrapper import POST, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import (
            QueryBadFormed,
            SPARQLWrapperException,
        )

        limit = self.timeout if timeout is None else timeout
        facts = analyse(job.text)
        kind = {"SELECT": KIND_SOLUTIONS, "ASK": KIND_BOOLEAN}.get(facts.form or "", KIND_GRAPH)
        fmt = BY_KEY[job.results_format if kind != KIND_GRAPH else job.graph_format]
        wire = BY_KEY["nt" if kind == KIND_GRAPH else "json"]
        sw = SPARQLWrapper(self.endpoint)
        sw.setMethod(POST)
        sw.setOnlyConneg(True)
        sw.setTimeout(max(1, ceil(limit)))
        sw.setQuery(with_values(job.text, facts, dict(job.substitutions)))
        sw.addCustomHttpHeader("Accept", wire.mime)
        for g in job.default_graphs or ():
            sw.addParameter("default-graph-uri", g)
        for g in job.named_graphs or ():
            sw.addParameter("named-graph-uri", g)
        try:
            response = sw.query().response
            body = response.read(self.max_result_bytes + 1)
        except QueryBadFormed as exc:
            raise QuerySyntaxError(f"the store rejected the query: {_remote_message(exc)}", "fix the query") from None
        except TimeoutError:
            raise _timeout(limit, self.endpoint) from None
        except urllib.error.HTTPError as exc:  # a status SPARQLWrapper has no class for (502, 503, …)
            raise StoreFailed(f"the SPARQL store at {self.endpoint} answered {exc.code} {exc.reason}: "
                              f"{_http_body(exc)}", "try again later; the operator should check the store") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise _timeout(limit, self.endpoint) from None
            raise StoreUnavailable(f"the SPARQL store at {self.endpoint} cannot be reached: {exc.reason}",
                                   "try again later; the operator should check the store") from None
        except (http.client.HTTPException, ConnectionError) as exc:  # the store went away mid-answer
            raise StoreUnavailable(f"the SPARQL store at {self.endpoint} broke off its answer: "
                                   f"{type(exc).__name__}: {exc}", "try again later") from None
        except SPARQLWrapperException as exc:
            message = _remote_message(exc)
            if "timeout" in message.lower() or "timed out" in message.lower():
                raise _timeout(limit, self.endpoint, message) from None
            raise StoreFailed(f"the SPARQL store at {self.endpoint} failed: {message}", "try again later") from None
        if len(body) > self.max_result_bytes:
            raise ResultTooLarge(f"the result is larger than {self.max_result_bytes} bytes",
                                 "add a LIMIT or select fewer variables")
        return kind, fmt, body, limit

    def _whole(self, read, body: bytes, limit: float):
        """`read()` of the store's answer, which parses it to the end.

        A store that stops a query after it began streaming cannot change the status any
        more: Oxigraph server sends 200 and appends its error text to the body. Asking for
        self-delimiting formats (JSON results, N-Triples) and parsing them whole turns that
        into an error instead of a truncated table passed on as an answer (in CSV, the
        error text would even read as one more row).
        """
        try:
            return read()
        except (SyntaxError, ValueError) as exc:
            tail = body[-300:].decode("utf-8", "replace").strip()
            if "cancel" in tail.lower() or "timeout" in tail.lower():
                raise _timeout(limit, self.endpoint, tail.rsplit("}", 1)[-1].strip()) from None
            raise StoreFailed(f"the SPARQL store at {self.endpoint} broke off its answer ({exc}); it ended with: "
                              f"{tail!r}", "try again later; the operator should check the store") from None

    def select(self, text: str, bindings: dict | None = None) -> list[dict]:
        job = Job(text, tuple((k, str(v)) for k, v in (bindings or {}).items()), results_format="json")
        _, _, body, limit = self._fetch(job, None)
        return self._whole(lambda: _rows(parse_query_results(body, format=QueryResultsFormat.JSON)), body, limit)

    def construct(self, text: str, bindings: dict | None = None) -> list:
        job = Job(text, tuple((k, str(v)) for k, v in (bindings or {}).items()), graph_format="nt")
        _, _, body, limit = self._fetch(job, None)
        return self._whole(lambda: list(parse(body, format=RdfFormat.N_TRIPLES)), body, limit)

    def ping(self, timeout: float = 2.0) -> str | None:
        """None when the store answers a trivial query within `timeout`; else why not."""
        try:
            self.run(Job("ASK {}"), timeout=min(timeout, self.timeout))
        except QueryFailed as exc:
            return exc.message
        return None

    def stats(self) -> dict:
        return {"mode": self.mode, "endpoint": self.endpoint}

    def close(self) -> None:
        pass


class StoreUnavailable(ExecutorFailed):
    """The remote store cannot be reached or broke off: 502 Bad Gateway."""

    status = 502


class StoreFailed(QueryFailed):
    """The remote store answered with an error of its own: 502 Bad Gateway, with its message."""

    status = 502


class StoreTimeout(QueryTimeout):
    """The remote store did not answer within the time limit: 504 Gateway Timeout."""

    status = 504


def _timeout(limit: float, endpoint: str, message: str = "") -> StoreTimeout:
    said = f" (the store said: {message})" if message else ""
    return StoreTimeout(f"the query ran longer than the limit of {limit:g} s at the SPARQL store {endpoint} "
                        f"and was stopped{said}",
                        "add a LIMIT or narrow the patterns; the operator sets the limit with GDI_GRAPH_QUERY_TIMEOUT "
                        "(and the store's own)")


def _http_body(exc: urllib.error.HTTPError) -> str:
    try:
        return exc.read(2000).decode("utf-8", "replace").strip() or "(no message)"
    except (OSError, http.client.HTTPException):
        return "(no message)"


def _remote_message(exc: Exception) -> str:
    text = str(exc)
    return text.split("Response:", 1)[-1].strip().strip("b'\"").replace("\\n", " ")[:2000] or text
