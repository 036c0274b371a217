"""Answering a query request: pick the format, revalidate, run (cached), respond.

Shared by the SPARQL endpoint and the named-query API so both behave identically:
`?format=` beats Accept, 406 when nothing fits, 304 on a matching If-None-Match before
any query runs, and the body comes straight from the executor's serialiser.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Sequence

from flask import Response, request

from gdi_graph.query.executor import Job, Result
from gdi_graph.rdf.formats import GRAPHS, HTML, RESULTS, Format
from gdi_graph.web import negotiation, urls
from gdi_graph.web.conditional import conditional
from gdi_graph.web.errors import Problem
from gdi_graph.web.state import state


@dataclass(frozen=True)
class Choice:
    results: Format | None  # for SELECT / ASK
    graph: Format | None  # for CONSTRUCT / DESCRIBE

    @property
    def html(self) -> bool:
        return self.results is HTML or self.graph is HTML

    @property
    def key(self) -> str:
        return f"{self.results.key if self.results else '-'}/{self.graph.key if self.graph else '-'}"


def offers_for(form: str | None, html: bool = True) -> tuple[tuple[Format, ...], tuple[Format, ...]]:
    extra = (HTML,) if html else ()
    results = RESULTS + extra if form in ("SELECT", "ASK", None) else ()
    graphs = GRAPHS + extra if form in ("CONSTRUCT", "DESCRIBE", None) else ()
    return results, graphs


def choose(form: str | None, format_values: Sequence[str], html: bool = True) -> Choice:
    """The formats for this query form, from ?format= values or the Accept header."""
    results, graphs = offers_for(form, html)
    values = [v for v in format_values if v]
    if values:
        r = negotiation.from_parameter(values, results) if results else None
        g = negotiation.from_parameter(values, graphs) if graphs else None
        if r is None and g is None:
            names = ", ".join(f.key for f in results + graphs if f is not HTML or html)
            what = f"a {form} query" if form else "this query"
            raise Problem(400, f"format {values[0]!r} does not fit {what}", f"use ?format= with one of: {names}")
        return Choice(r, g)
    accept = request.accept_mimetypes
    r = negotiation.best(accept, results) if results else None
    g = negotiation.best(accept, graphs) if graphs else None
    if r is None and g is None:
        offered = ", ".join(f.mime for f in results + graphs)
        raise Problem(406, f"none of the media types in the Accept header ({request.headers.get('Accept', '')!r}) "
                           f"fits this answer", f"accept one of {offered}, or add ?format= (e.g. ?format=json)")
    return Choice(r, g)


def for_engine(job: Job, choice: Choice) -> Job:
    """The job with the formats the executor should write (HTML pages are built from JSON / N-Triples)."""
    results = "json" if choice.results in (None, HTML) else choice.results.key
    graph = "nt" if choice.graph is HTML else "ttl" if choice.graph is None else choice.graph.key
    return replace(job, results_format=results, graph_format=graph)


def respond(job: Job, choice: Choice, html: Callable[[Result], str] | None = None,
            validator_parts: Sequence[object] = ()) -> Response:
    """Run the job (or answer 304) and build the response."""
    def make() -> Response:
        result, cached = state().run_query(for_engine(job, choice))
        if (result.kind == "graph" and choice.graph is HTML) or (result.kind != "graph" and choice.results is HTML):
            if html is None:
                raise Problem(406, "HTML is not offered here", "add ?format=json or another machine format")
            resp = Response(html(result), mimetype="text/html")
        else:
            resp = Response(result.body, content_type=result.media_type)
        resp.headers["X-Cache"] = "hit" if cached else "miss"
        return resp

    return conditional(_representation(choice.key, validator_parts), make, vary="Accept")


def _representation(format_key: str, validator_parts: Sequence[object]) -> tuple:
    """What a negotiated answer depends on: this server's URL, the request and the format."""
    return (urls.root(), request.path, request.query_string.decode("latin-1"), format_key, *validator_parts)


def respond_document(statements: list, html: Callable[[], str] | None, validator_parts: Sequence[object] = (),
                     prefixes: dict[str, str] | None = None, format_values: Sequence[str] = ()) -> Response:
    """An RDF document (triples, or quads for TriG / N-Quads) in the negotiated format."""
    from pyoxigraph import DefaultGraph, Quad, Triple, serialize

    offers = GRAPHS + ((HTML,) if html else ())
    values = [v for v in format_values if v]
    if values:
        fmt = negotiation.from_parameter(values, offers)
        if fmt is None:
            raise Problem(400, f"format {values[0]!r} is not offered here",
                          f"use ?format= with one of: {', '.join(f.key for f in offers)}")
    else:
        fmt = negotiation.best(request.accept_mimetypes, offers)
        if fmt is None:
            raise Problem(406, f"none of the media types in the Accept header ({request.headers.get('Accept', '')!r}) "
                               f"is offered here", f"accept one of {', '.join(f.mime for f in offers)}, or add ?format=ttl")

    def make() -> Response:
        if fmt is HTML:
            return Response(html(), mimetype="text/html")
        if fmt.quads:
            items = [s if isinstance(s, Quad) else Quad(s.subject, s.predicate, s.object, DefaultGraph())
                     for s in statements]
        else:
            seen, items = set(), []
            for s in statements:
                t = Triple(s.subject, s.predicate, s.object) if isinstance(s, Quad) else s
                if t not in seen:
                    seen.add(t)
                    items.append(t)
        if fmt.key == "jsonld":
            from gdi_graph.web import jsonld

            body = jsonld.compact(items)  # compact, with the context published at /context.jsonld
        else:
            body = serialize(items, format=fmt.engine(), prefixes=prefixes if fmt.key in ("ttl", "trig", "rdf") else None)
        return Response(body, content_type=fmt.media_type)

    return conditional(_representation(fmt.key, validator_parts), make, vary="Accept")
