"""Sources -> validated graph -> dist/: parsing, the monitor editions, the SHACL gate, publication."""

from .errors import SourceError
from .pipeline import BuildFailed, BuiltGraph, build, is_current, load, read_manifest

__all__ = ["BuildFailed", "BuiltGraph", "SourceError", "build", "is_current", "load", "read_manifest"]
