"""Lexical facts about a SPARQL request, found without a full parser.

The web process must decide some things before a query reaches an executor: is this an
update (refused: the server is read-only), which `SERVICE` targets does it call (refused
unless allow-listed), which result forms can it produce (for content negotiation and a
406 before any work), does it carry its own dataset (`FROM`), and where does its outer
group start (to bind parameters with a `VALUES` block for a remote store). A tokenizer
answers all of these in microseconds and, unlike rdflib's parser, is thread-safe
(RDFLib/rdflib#1282). Syntax errors are left to the engine, which reports the position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<var>[?$][\w\u00b7-\uffff]+)
  | (?P<pname>(?:[A-Za-z\u00c0-\uffff][\w.\-\u00b7-\uffff]*)?:(?:[\w\-:%\u00b7-\uffff]|\\.|\.(?=[\w\-:%]))*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int


@dataclass
class QueryFacts:
    form: str | None = None  # SELECT, CONSTRUCT, DESCRIBE, ASK, UPDATE or None when unknown
    prefixes: dict[str, str] = field(default_factory=dict)
    base: str | None = None
    has_dataset: bool = False  # FROM / FROM NAMED in the query itself
    services: list[str | None] = field(default_factory=list)  # targets; None for a variable
    group_start: int | None = None  # offset just after the `{` that opens the WHERE group
    construct_where: bool = False  # `CONSTRUCT WHERE { … }`: no room for a VALUES block inside

    @property
    def is_update(self) -> bool:
        return self.form == "UPDATE"

    @property
    def gives_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


def tokens(text: str):
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind in ("ws", "comment"):
            continue
        yield Token(kind, m.group(), m.start())


# What matters after the prologue, found without a Python step per token: IRIs, strings and
# comments are matched whole (so the braces and words inside them are skipped), braces, and
# the letters of FROM, WHERE, SERVICE and CONSTRUCT. Those are the keyword only between
# token boundaries (_APART); anywhere else (`?where`, `ex:fromDate`) the token path decides.
_STRUCTURE = re.compile(r"""
    <[^<>"{}|^`\\\x00-\x20]*>
  | '''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
  | '(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*"
  | \#[^\n]*
  | (?P<brace>[{}])
  | (?P<word>(?i:FROM|WHERE|SERVICE|CONSTRUCT))
""", re.VERBOSE | re.DOTALL)
_BLANK = re.compile(r"(?:\s|\#[^\n]*)*")
_APART_BEFORE, _APART_AFTER = frozenset(" \t\r\n{}()>"), frozenset(" \t\r\n{}(<")


def analyse(text: str) -> QueryFacts:
    """The facts of a query text, in a few tens of microseconds for a 1 KB query.

    The prologue and the query form come from the first tokens; the rest from a scan that
    stops only at braces and the few keywords that matter. A text with SERVICE (whose target
    must be read as a token), a backslash (an escape can put a quote or `#` inside a
    prefixed name) or one of those keywords' letters inside a longer word takes the token
    path, `analyse_tokens`, which this must always agree with (tests/query/test_sparqltext.py).
    """
    if "\\" in text:
        return analyse_tokens(text)
    facts = QueryFacts()
    head: list[Token] = []
    found = _TOKEN.finditer(text)

    def tok(k: int) -> Token | None:
        while len(head) <= k:
            for m in found:
                kind = m.lastgroup
                if kind not in ("ws", "comment"):
                    head.append(Token(kind, m.group(), m.start()))
                    break
            else:
                return None
        return head[k]

    first = tok(_prologue_and_form(facts, tok))
    if first is None:
        return facts
    depth = 0
    seen_where = False
    construct_end = None  # where a CONSTRUCT keyword ends, for `CONSTRUCT WHERE`
    for m in _STRUCTURE.finditer(text, first.start):
        if m.lastgroup == "brace":
            if m.group() == "{":
                if depth == 0 and facts.group_start is None and not (facts.form == "CONSTRUCT" and not seen_where):
                    facts.group_start = m.start() + 1
                depth += 1
            else:
                depth = max(0, depth - 1)
        elif m.lastgroup == "word":
            start, end = m.span()
            if ((start > 0 and text[start - 1] not in _APART_BEFORE) or (end < len(text) and text[end] not in _APART_AFTER)
                    or (word := m.group().upper()) == "SERVICE"):
                return analyse_tokens(text)
            if word == "FROM" and depth == 0:
                facts.has_dataset = True
            elif word == "WHERE" and depth == 0:
                seen_where = True
                if (facts.form == "CONSTRUCT" and construct_end is not None
                        and _BLANK.fullmatch(text, construct_end, m.start())):
                    facts.construct_where = True
            construct_end = m.end() if word == "CONSTRUCT" else None
            continue
        construct_end = None
    return facts


def analyse_tokens(text: str) -> QueryFacts:
    """The facts from every token: the reference `analyse` must agree with, and its path for
    texts with SERVICE or a backslash."""
    facts = QueryFacts()
    toks = list(tokens(text))
    n = len(toks)
    i = _prologue_and_form(facts, lambda k: toks[k] if k < n else None)
    depth = 0
    seen_where = False
    for j in range(i, n):
        tok = toks[j]
        if tok.kind == "word":
            word = tok.text.upper()
            if word == "FROM" and depth == 0:
                facts.has_dataset = True
            elif word == "WHERE" and depth == 0:
                seen_where = True
                if facts.form == "CONSTRUCT" and j > 0 and toks[j - 1].text.upper() == "CONSTRUCT":
                    facts.construct_where = True
            elif word == "SERVICE":
                facts.services.append(_service_target(toks, j + 1, facts))
        elif tok.text == "{":
            if depth == 0 and facts.group_start is None:
                template = facts.form == "CONSTRUCT" and not seen_where
                if not template:
                    facts.group_start = tok.start + 1
            depth += 1
        elif tok.text == "}":
            depth = max(0, depth - 1)
    return facts


def _prologue_and_form(facts: QueryFacts, tok) -> int:
    """Read BASE and PREFIX declarations and the query form from the tokens `tok(k)` gives
    (None past the end) into `facts`; returns the index of the first token after the prologue."""
    i = 0
    while (t := tok(i)) is not None and t.kind == "word" and t.text.upper() in ("BASE", "PREFIX"):
        nxt, iri = tok(i + 1), tok(i + 2)
        if t.text.upper() == "BASE" and nxt is not None and nxt.kind == "iri":
            facts.base = _resolve(facts.base, nxt.text[1:-1])
            i += 2
        elif nxt is not None and iri is not None and nxt.kind == "pname" and iri.kind == "iri":
            facts.prefixes[nxt.text.rstrip(":")] = _resolve(facts.base, iri.text[1:-1])
            i += 3
        else:
            break
    first = tok(i)
    if first is not None and first.kind == "word":
        word = first.text.upper()
        if word in QUERY_FORMS:
            facts.form = word
        elif word in UPDATE_KEYWORDS:
            facts.form = "UPDATE"
    return i


def _service_target(toks: list[Token], k: int, facts: QueryFacts) -> str | None:
    if k < len(toks) and toks[k].kind == "word" and toks[k].text.upper() == "SILENT":
        k += 1
    if k >= len(toks):
        return None
    tok = toks[k]
    if tok.kind == "iri":
        return _resolve(facts.base, tok.text[1:-1])
    if tok.kind == "pname":
        prefix, _, local = tok.text.partition(":")
        if prefix in facts.prefixes:
            return facts.prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
        return tok.text
    return None  # a variable, or something the engine will reject anyway


def _resolve(base: str | None, iri: str) -> str:
    return urljoin(base, iri) if base else iri


def service_refusal(facts: QueryFacts, allowlist: tuple[str, ...]) -> str | None:
    """Why the query's SERVICE calls are refused, or None when all targets are allowed."""
    for target in facts.services:
        if target is None:
            return ("SERVICE with a variable endpoint is not allowed on this server: federation is limited to "
                    "the allow-list (GDI_GRAPH_SERVICE_ALLOWLIST)")
        if not any(target.startswith(prefix) for prefix in allowlist):
            allowed = ", ".join(allowlist) if allowlist else "none configured"
            return (f"SERVICE <{target}> is not on this server's federation allow-list ({allowed}); "
                    f"query that endpoint directly, or ask the operator to add it to GDI_GRAPH_SERVICE_ALLOWLIST")
    return None


def with_values(text: str, facts: QueryFacts, bindings: dict[str, str]) -> str:
    """The query with a VALUES block binding each variable to an N-Triples term.

    For remote stores, which have no substitution API. The block opens the WHERE group, so
    the bound values restrict the pattern before any aggregation, as substitution would.
    """
    if not bindings:
        return text
    names = sorted(bindings)
    block = "VALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + " ".join(bindings[n] for n in names) + ") }"
    if facts.group_start is not None and not facts.construct_where:
        return text[:facts.group_start] + " " + block + " " + text[facts.group_start:]
    return text + "\n" + block + "\n"
