"""Every URL the server writes, built in one place.

Two kinds: links within the site (relative to the host, so they work behind any proxy) and
absolute URLs for text that leaves the site (wiki text, OpenAPI servers, VoID, service
description). Absolute URLs use the configured public URL (`GDI_GRAPH_PUBLIC_URL`) when
there is one, else the host the request came to — so a body that names the server depends
on the Host header unless a public URL is set, and caches must key it that way.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import g, request

from gdi_graph.web.state import state


def root() -> str:
    """This server's absolute URL, without a trailing slash.

    Without a configured public URL it comes from the request's Host, scheme and mount
    point; the answer is then marked (`names_server`) so that it says `Vary: Host`.
    """
    public = state().settings.public_url
    if public:
        return public
    g.names_server = True
    return request.url_root.rstrip("/")


def names_server() -> bool:
    """Whether the current answer was built from the request's Host (see `root`)."""
    return bool(g.get("names_server"))


def site(path: str) -> str:
    """A link within the site: `path` starts with '/'."""
    return request.script_root + path


def absolute(path: str) -> str:
    return root() + path


def for_iri(iri: str) -> str:
    """Where a browser should go for this IRI: here for IRIs under the base, else the IRI itself."""
    base = state().settings.base
    if iri == base or iri.startswith(base + "/") or iri.startswith(base + "#"):
        return site(iri[len(base):] or "/")
    return iri


def named_query(name: str, values: dict[str, str] | None = None, fmt: str | None = None,
                absolute_url: bool = False) -> str:
    args = list((values or {}).items()) + ([("format", fmt)] if fmt else [])
    path = f"/queries/{name}" + ("?" + urlencode(args) if args else "")
    return absolute(path) if absolute_url else site(path)


def sparql(text: str, keep: list[tuple[str, str]], fmt: str) -> str:
    """The GET URL of a SPARQL query in one format (a download link, also after a POST)."""
    return absolute("/sparql?" + urlencode([("query", text), *keep, ("format", fmt)]))


def this_page_as(fmt: str) -> str:
    """The current page in another format (the alternates of a linked-data page), with the same
    other parameters (the editions a page shows: web/editions.py)."""
    kept = [(k, v) for k, v in request.args.items(multi=True) if k != "format"]
    return site(request.path + "?" + urlencode([*kept, ("format", fmt)]))


def download(name: str = "") -> str:
    return absolute("/download" + (f"/{name}" if name else ""))


def chart(indicator_path: str, fmt: str = "svg", absolute_url: bool = False) -> str:
    """The chart of one indicator (the path after /id/indicator/, e.g. `digid/authenticaties`), an image a wiki can embed."""
    path = f"/grafiek/{indicator_path}.{fmt}"
    return absolute(path) if absolute_url else site(path)


def neighbourhood(afkorting: str, fmt: str = "svg") -> str:
    """The stelselplaat of one basisregistratie and the registraties it is connected with."""
    return site(f"/grafiek/stelsel/{afkorting}.{fmt}")


def search(q: str = "", fmt: str | None = None) -> str:
    args = ([("q", q)] if q else []) + ([("format", fmt)] if fmt else [])
    return site("/zoeken" + ("?" + urlencode(args) if args else ""))


def rewrite_base_iris(body: bytes) -> bytes:
    """Links to IRIs under the base in a generated document (the SVG plate) lead to this server's pages."""
    base = state().settings.base
    return body.replace(f'"{base}/'.encode(), f'"{root()}/'.encode())
