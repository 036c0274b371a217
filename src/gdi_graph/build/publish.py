"""Publish a build into a SPARQL 1.1 Graph Store (the Graph Store HTTP Protocol).

Each named graph of the build (one per source file, plus the validation report) is sent
with one `PUT <store>?graph=<iri>`, which replaces that graph whole: a source edited since
the last publish never leaves old triples behind. A graph the store holds but the build
no longer has (a source file deleted) is left alone: the store may hold other data, and
the protocol cannot list graphs. For queries to see what the embedded server sees, the
store's default graph must be the union of its named graphs (Oxigraph:
`oxigraph serve --union-default-graph`; Jena Fuseki: `tdb2:unionDefaultGraph true`).

The graphs are replaced one by one, so a reader can see some new graphs beside old ones
for the second or so a publish takes.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, Store

from gdi_graph.build.lease import Lease
from gdi_graph.build.pipeline import read_manifest


class PublishError(Exception):
    """The build cannot be published, or the store refused a graph; the message says which."""


@dataclass(frozen=True)
class Published:
    graph: str
    triples: int
    status: int


def graph_url(store_url: str, graph: str) -> str:
    """The Graph Store Protocol's indirect graph identification: `?graph=<iri>`."""
    joiner = "&" if urllib.parse.urlsplit(store_url).query else "?"
    return f"{store_url}{joiner}{urllib.parse.urlencode({'graph': graph})}"


def publish(dist: Path, store_url: str, headers: dict[str, str] | None = None,
            timeout: float = 120.0) -> list[Published]:
    """Replace every named graph of the build `dist` points at in the store; returns what was sent."""
    with Lease.take(dist) as lease:  # no prune removes the build while it is being read
        manifest = read_manifest(lease.path)
        if manifest is None:
            raise PublishError(f"the build at {lease.path} has no readable manifest.json")
        if manifest.get("violations", 0):
            raise PublishError(f"the build at {lease.path} has {manifest['violations']} violation(s); not published")
        store = Store()
        store.bulk_load(path=str(lease.path / "gdi.nq"), format=RdfFormat.N_QUADS)
    graphs = sorted({g.value for g in store.named_graphs()} | set(manifest.get("graphs", {})))
    done = []
    for iri in graphs:
        body = store.dump(format=RdfFormat.N_TRIPLES, from_graph=NamedNode(iri)) or b""
        request = urllib.request.Request(graph_url(store_url, iri), data=body, method="PUT",
                                         headers={"Content-Type": "application/n-triples", **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            message = exc.read(2000).decode("utf-8", "replace").strip()
            raise PublishError(f"the store refused graph <{iri}>: {exc.code} {exc.reason}"
                               + (f": {message}" if message else "")) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise PublishError(f"cannot reach the graph store at {store_url}: {reason} "
                               f"({len(done)} of {len(graphs)} graphs were replaced)") from None
        done.append(Published(iri, body.count(b"\n"), status))
    return done
