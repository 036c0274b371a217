"""Pre-binding of variables in SHACL-SPARQL queries (SHACL 1.0, appendix "Pre-binding").

SHACL defines pre-binding as Replace(E, μ): every basic graph pattern, path and GRAPH
pattern of the query is joined with a one-row table of the bound values, so `$this` is
bound everywhere — in FILTER and BIND, in inner groups and in sub-selects. Oxigraph's
`substitutions` bind the outer scope only, so the query text is rewritten instead: a
`VALUES` block opens every group graph pattern. Each group then starts from the table,
which is the spec's join at each of its patterns (an empty group is the empty pattern,
joined too).

The same rewrite binds many rows at once. Under the spec's restrictions (checked here:
no MINUS, VALUES or SERVICE, no `AS ?var` for a pre-bound variable, every sub-select
projects the pre-bound variables) every intermediate solution carries the bound
variables, so joins, OPTIONAL, EXISTS, grouping and DISTINCT never mix two rows, and
the solutions for a table of n rows are the union of the n single-row evaluations —
unless a LIMIT or OFFSET cuts across rows, which `Query.batchable` reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gdi_graph.query.sparqltext import Token, tokens

# Pre-bound variables a sub-select may leave out (SHACL 1.0 §5.3.1).
OPTIONAL_IN_SUBSELECTS = {"shapesGraph", "currentShape"}


class QueryRefused(ValueError):
    """The query breaks a rule of SHACL-SPARQL; the message names the construct."""


@dataclass(frozen=True)
class Query:
    text: str  # prologue and body, $PATH substituted
    form: str  # SELECT or ASK
    projected: tuple[str, ...]  # the outer SELECT's variables (empty for ASK)
    mentions: frozenset[str]  # every variable name used
    batchable: bool  # no LIMIT/OFFSET (nor, for ASK, solution modifiers): rows may be bound together
    groups: tuple[int, ...] = field(repr=False)  # offsets just after each `{` opening a group pattern
    form_span: tuple[int, int] = field(repr=False)  # the form keyword, for ASK -> SELECT


def _var(tok: Token) -> str:
    return tok.text[1:]


def _word(tok: Token, *words: str) -> bool:
    return tok.kind == "word" and tok.text.upper() in words


def _matches(toks: list[Token]) -> dict[int, int]:
    """Index of each opening bracket -> index of its closing one."""
    pairs, stack = {}, []
    for i, tok in enumerate(toks):
        if tok.text in ("{", "("):
            stack.append(i)
        elif tok.text in ("}", ")"):
            if not stack or toks[stack[-1]].text != {"}": "{", ")": "("}[tok.text]:
                raise QueryRefused(f"unbalanced {tok.text!r} at offset {tok.start}")
            pairs[stack.pop()] = i
    if stack:
        raise QueryRefused(f"unclosed {toks[stack[-1]].text!r} at offset {toks[stack[-1]].start}")
    return pairs


class _Reader:
    """Structure of a tokenized query: sub-selects, their projections, in-scope variables."""

    def __init__(self, toks: list[Token]):
        self.toks = toks
        self.match = _matches(toks)

    def wraps_select(self, k: int) -> bool:
        """Is the `{` at k a sub-select's braces, or a group holding nothing but one sub-select?

        Neither gets a table of its own: the first is no group, and the second is, after
        the algebra's simplification of Join(Z, A) to A, the sub-select itself — whose
        groups are bound and which projects the bound variables. Binding it again would
        only add a join, and a join may reorder what an ordered sub-select feeds to
        GROUP_CONCAT.
        """
        toks = self.toks
        if k + 1 < len(toks) and _word(toks[k + 1], "SELECT"):
            return True
        return (k + 2 < len(toks) and toks[k + 1].text == "{" and _word(toks[k + 2], "SELECT")
                and self.match[k + 1] + 1 == self.match[k])

    def bound_groups(self, start: int, prebound: set[str]) -> list[int]:
        """Indexes of the `{` of the groups that get the pre-binding table.

        The spec joins the table with every pattern. In a group that mentions no pre-bound
        variable at any depth that join is a cross product whose copies the enclosing
        group's join on the bound variables removes again (it has the table, as the WHERE
        group of every query and sub-select does), so those groups are left as they are:
        the same solutions, without a product the size of the table times the pattern.
        """
        toks = self.toks
        roots = {self.where_group(start)}
        roots.update(self.where_group(self.projection(k)[1]) for k, t in enumerate(toks)
                     if k > start and _word(t, "SELECT"))
        found = []
        for k, tok in enumerate(toks):
            if tok.text != "{" or self.wraps_select(k):
                continue
            if k in roots or any(t.kind == "var" and _var(t) in prebound for t in toks[k + 1:self.match[k]]):
                found.append(k)
        return found

    def projection(self, i: int) -> tuple[list[str] | None, int]:
        """Variables projected by the SELECT at index i (None for `*`), and the index after them."""
        toks, j = self.toks, i + 1
        if j < len(toks) and _word(toks[j], "DISTINCT", "REDUCED"):
            j += 1
        if j < len(toks) and toks[j].text == "*":
            return None, j + 1
        names = []
        while j < len(toks) and not _word(toks[j], "WHERE", "FROM") and toks[j].text != "{":
            if toks[j].kind == "var":
                names.append(_var(toks[j]))
                j += 1
            elif toks[j].text == "(":
                end = self.match[j]
                if end - 2 > j and _word(toks[end - 2], "AS") and toks[end - 1].kind == "var":
                    names.append(_var(toks[end - 1]))
                j = end + 1
            else:
                j += 1
        return names, j

    def where_group(self, j: int) -> int:
        """Index of the `{` of the WHERE clause at or after j."""
        while self.toks[j].text != "{":
            j += 1
        return j

    def select_variables(self, i: int) -> list[str]:
        names, j = self.projection(i)
        if names is not None:
            return names
        start = self.where_group(j)
        return sorted(self.in_scope(start + 1, self.match[start]))

    def in_scope(self, i: int, end: int) -> set[str]:
        """Variables in scope in a group (SPARQL 1.1 §18.2.1): not those only in FILTER or BIND expressions."""
        toks, found = self.toks, set()
        while i < end:
            tok = toks[i]
            if _word(tok, "FILTER"):
                i = self._after_constraint(i + 1)
                continue
            if _word(tok, "BIND") and i + 1 < end and toks[i + 1].text == "(":
                close = self.match[i + 1]
                if toks[close - 1].kind == "var":
                    found.add(_var(toks[close - 1]))
                i = close + 1
                continue
            if tok.text == "{" and i + 1 < end and _word(toks[i + 1], "SELECT"):
                found.update(self.select_variables(i + 1))
                i = self.match[i] + 1
                continue
            if tok.kind == "var":
                found.add(_var(tok))
            i += 1
        return found

    def _after_constraint(self, i: int) -> int:
        toks = self.toks
        if _word(toks[i], "NOT"):
            i += 1
        if _word(toks[i], "EXISTS"):
            return self.match[i + 1] + 1
        if toks[i].text == "(":
            return self.match[i] + 1
        if i + 1 < len(toks) and toks[i + 1].text == "(":  # a function call: bound(...), <f>(...)
            return self.match[i + 1] + 1
        return i + 1


def _prologue_end(toks: list[Token]) -> int:
    i = 0
    while i < len(toks) and _word(toks[i], "BASE", "PREFIX"):
        i += 2 if _word(toks[i], "BASE") else 3
    return i


def _substitute_path(text: str, path: str | None) -> str:
    """Replace $PATH (or ?PATH) by the property path; only the predicate position is legal."""
    toks = list(tokens(text))
    out, last = [], 0
    for k, tok in enumerate(toks):
        if tok.kind != "var" or _var(tok) != "PATH":
            continue
        if path is None:
            raise QueryRefused("$PATH is used, but the shape is not a property shape (it has no sh:path)")
        before = toks[k - 1] if k > 0 else None
        before2 = toks[k - 2] if k > 1 else None
        subject_first = (before is not None and before.kind in ("var", "iri", "pname") or
                         before is not None and before.text in ("]", ")"))
        predicate = (before is not None and before.text == ";") or (
            subject_first and (before2 is None or before2.text in ("{", "}", ".", ")") or _word(before2, "WHERE")))
        if not predicate:
            raise QueryRefused(f"$PATH at offset {tok.start} is not in the predicate position of a triple pattern")
        out.append(text[last:tok.start])
        out.append(path)
        last = tok.start + len(tok.text)
    return "".join(out) + text[last:] if out else text


def prepare(text: str, form: str, prebound: set[str], path: str | None = None) -> Query:
    """Check a query against SHACL's pre-binding restrictions and find where to bind.

    `prebound` are the potentially pre-bound variables (this, shapesGraph, currentShape,
    value for ASK, the component's parameters); `path` is the SPARQL form of sh:path
    for a property shape. Raises QueryRefused naming the offending construct.
    """
    text = _substitute_path(text, path)
    toks = list(tokens(text))
    start = _prologue_end(toks)
    if start >= len(toks) or not _word(toks[start], form):
        found = toks[start].text if start < len(toks) else "nothing"
        raise QueryRefused(f"expected a {form} query, found {found!r}")
    reader = _Reader(toks)
    batchable = True
    for k, tok in enumerate(toks):
        if _word(tok, "MINUS", "VALUES", "SERVICE"):
            raise QueryRefused(f"{tok.text.upper()} is not allowed in a query with pre-bound variables "
                               f"(SHACL 1.0, appendix on pre-binding)")
        if tok.kind == "word" and tok.text.upper() in ("LIMIT", "OFFSET"):
            batchable = False
        if _word(tok, "AS") and k + 1 < len(toks) and toks[k + 1].kind == "var" and _var(toks[k + 1]) in prebound:
            raise QueryRefused(f"'AS {toks[k + 1].text}' assigns the pre-bound variable {toks[k + 1].text}")
        if _word(tok, "SELECT") and k != start:
            projected = set(reader.select_variables(k))
            missing = sorted(prebound - OPTIONAL_IN_SUBSELECTS - projected)
            if missing:
                raise QueryRefused(f"a sub-select at offset {tok.start} does not project the pre-bound "
                                   f"variable(s) {', '.join('$' + m for m in missing)}")
    projected: tuple[str, ...] = ()
    if form == "SELECT":
        projected = tuple(reader.select_variables(start))
        if "this" not in projected:
            raise QueryRefused("the SELECT query does not project $this")
    elif any(_word(t, "GROUP", "HAVING", "ORDER") for t in toks[reader.match[reader.where_group(start)]:]):
        batchable = False  # ASK with solution modifiers: evaluate one binding at a time
    groups = tuple(toks[k].start + 1 for k in reader.bound_groups(start, prebound))
    form_tok = toks[start]
    return Query(text, form, projected, frozenset(_var(t) for t in toks if t.kind == "var"), batchable,
                 groups, (form_tok.start, form_tok.start + len(form_tok.text)))


def _insert(query: Query, block: str, variables: list[str], ask_as_select: bool) -> str:
    """`block` at the start of every group; an ASK query optionally turned into SELECT DISTINCT
    over the pre-bound variables, which lists the rows for which the ASK is true."""
    text, out, last = query.text, [], 0
    for offset in query.groups:
        out.append(text[last:offset])
        out.append(f" {block} ")
        last = offset
    text = "".join(out) + text[last:]
    if ask_as_select:
        a, b = query.form_span  # before every group, so the insertions did not move it
        text = text[:a] + "SELECT DISTINCT " + " ".join(f"?{v}" for v in variables) + text[b:]
    return text


def with_values(query: Query, variables: list[str], rows: list[tuple[str, ...]], ask_as_select: bool = False) -> str:
    """The query with `VALUES` binding `variables` to `rows` (SPARQL terms) in every group.

    Terms must be IRIs or literals: VALUES cannot hold a blank node (see `with_graph`).
    """
    block = ("VALUES (" + " ".join(f"?{v}" for v in variables) + ") { "
             + " ".join("(" + " ".join(row) + ")" for row in rows) + " }")
    return _insert(query, block, variables, ask_as_select)


ROW = "__prebound_row"


def with_graph(query: Query, variables: list[str], graph: str, ask_as_select: bool = False) -> str:
    """The query binding `variables` from rows stored in named graph `graph` (for blank nodes).

    Row r binds variable v where the graph holds `<row r> <graph#v> term`; the rows
    enter every group as the VALUES table would.
    """
    pattern = "GRAPH <" + graph + "> { " + " ".join(f"?{ROW} <{graph}#{v}> ?{v} ." for v in variables) + " }"
    return _insert(query, pattern, variables, ask_as_select)
