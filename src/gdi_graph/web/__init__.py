"""The web app: SPARQL endpoint, named-query API, linked data, pages and the stelselplaat.

`create_app()` is the factory for any WSGI server; `gdi-graph serve` runs
`create_server_app()` under Granian. See docs/serving.md for the architecture.
"""

from gdi_graph.web.app import create_app, create_server_app
from gdi_graph.web.state import GraphState, Settings

__all__ = ["create_app", "create_server_app", "GraphState", "Settings"]
