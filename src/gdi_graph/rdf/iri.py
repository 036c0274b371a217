"""The one IRI check: is a text an absolute IRI that a store can hold?

Oxigraph's own parser decides (RFC 3987, the same rules the store applies), so what passes
here never fails later as a term; its message says what is wrong (`Invalid IRI percent
encoding '%zz'`). `PATTERN` is the coarse regular expression published in OpenAPI, for
clients that validate before they send; the parser remains the judge.
"""

from __future__ import annotations

from pyoxigraph import NamedNode

PATTERN = r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+$"


def iri_problem(text: str) -> str | None:
    """Why `text` is not an absolute IRI, or None when it is one."""
    if not text:
        return "it is empty"
    try:
        NamedNode(text)
    except ValueError as exc:
        return str(exc)
    return None
