"""Content negotiation: `?format=` first, then the Accept header with q-values.

The Accept header is parsed by werkzeug (`request.accept_mimetypes`, a MIMEAccept). The
ranking follows RFC 9110 §12.5.1 — a format's quality is the q of the *most specific*
media range that matches it — with two refinements werkzeug's `best_match` lacks and
Oxigraph's server tests expect: `charset=utf-8` matches our UTF-8 output (so
`text/csv;charset=utf-8;q=0` excludes CSV, while `charset=iso-8859-1` matches nothing),
and an unknown parameter such as `text/csv;header=absent` makes a range not match.
Ties go to the earlier offer, so the order of offers is the server's preference.
"""

from __future__ import annotations

from typing import Sequence

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_options_header

from gdi_graph.rdf.formats import Format, by_name

_PARAMS_IGNORED = {"q"}
_PARAMS_FREE = {"application/ld+json": {"profile"}}


def _range_score(item: str, f: Format) -> int | None:
    """Specificity with which one Accept range matches a format, or None when it does not."""
    mime, params = parse_options_header(item)
    mime = mime.lower()
    if "/" not in mime:
        return None
    kind, _, sub = mime.partition("/")
    extra = 0
    for name, value in params.items():
        name = name.lower()
        if name in _PARAMS_IGNORED:
            continue
        if name == "charset":
            if value.strip('"').lower() not in ("utf-8", "utf8"):
                return None
            extra += 1
        elif name in _PARAMS_FREE.get(f.mime, ()):
            extra += 1
        else:
            return None
    if kind == "*" and sub == "*":
        return 0 + extra
    own_kind = f.mime.split("/")[0]
    if sub == "*":
        return 1 + extra if kind == own_kind else None
    if mime == f.mime or mime in f.aliases:
        return 2 + extra
    return None


def quality(accept: MIMEAccept, f: Format) -> float:
    best: tuple[int, float] | None = None
    for item, q in accept:
        spec = _range_score(item, f)
        if spec is None:
            continue
        if best is None or spec > best[0] or (spec == best[0] and q > best[1]):
            best = (spec, q)
    return best[1] if best else 0.0


def best(accept: MIMEAccept, offers: Sequence[Format]) -> Format | None:
    """The preferred offer, the first offer when the client states no preference, or None (406)."""
    if not accept:
        return offers[0] if offers else None
    chosen, chosen_q = None, 0.0
    for f in offers:
        q = quality(accept, f)
        if q > chosen_q:
            chosen, chosen_q = f, q
    return chosen


def from_parameter(values: Sequence[str], offers: Sequence[Format]) -> Format | None:
    """The first `?format=` value that names an offer (clients such as SPARQLWrapper send several)."""
    for value in values:
        f = by_name(value, tuple(offers))
        if f is not None:
            return f
    return None
