"""rdflib-endpoint on a build's N-Quads, for the benchmark (bench/run.py starts it).

Same as `rdflib-endpoint serve FILE` (a `Dataset` with the union of the named graphs as
default graph, served by uvicorn), but through the Python API so the per-request access
log is off: gdi-graph and Oxigraph server write no access log either, and printing one
line per request would cost rdflib-endpoint CPU the others do not spend.

    python bench/rdflib_server.py dist/gdi.nq PORT
"""

from __future__ import annotations

import sys


def main() -> int:
    path, port = sys.argv[1], int(sys.argv[2])
    import uvicorn
    from rdflib import Dataset
    from rdflib_endpoint import SparqlEndpoint

    dataset = Dataset(default_union=True)
    dataset.parse(path, format="nquads")
    sys.stderr.write(f"rdflib-endpoint: {len(dataset)} triples in the union graph from {path}\n")
    app = SparqlEndpoint(graph=dataset, path="/sparql")
    uvicorn.run(app, host="127.0.0.1", port=port, access_log=False, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
