"""gdi-graph: a knowledge graph of the Dutch Generieke Digitale Infrastructuur."""

__version__ = "0.1.0"
