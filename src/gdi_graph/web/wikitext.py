r"""Ready-to-paste NORA wiki text (MediaWiki External Data) for one named query and values.

External Data fetches a URL and cannot set request headers, so the URL carries
`format=csv`; `csv with header` maps the SPARQL CSV header row (the variable names) to
wiki variables. The CSV comes from the graph, so a cell may hold anything — `|`, `||`,
`{{`, `}}`, `[[`, `<`, `=` — and the wiki text, not the data, must keep such a cell from
breaking a table row or a template call:

- As a table: `#get_web_data` fetches; `#for_external_table` in its second form (an empty
  first argument) expands its body once per row with the values as template arguments,
  after MediaWiki has split the body at its `|`s, and `{{#tag:nowiki|…}}` shows each value
  as text. A value is never read as wiki syntax.
- With a row template: `#display_external_table` pastes values into a template call as
  text, where a `|` or `}}` would cut the call. So the values are passed URL-encoded
  (External Data's `.urlencode`, which leaves only letters, digits and `%+-._`) and the
  template decodes them inside `{{#tag:nowiki|…}}` with `{{#urldecode:…}}` (ParserFunctions'
  string functions: MediaWiki's core has no decoder), escaping `&` so that a character
  reference in the data stays text.

Both forms fetch with `#get_web_data` first: External Data 3.1 (the MediaWiki 1.39 branch)
has no `url=` on `#display_external_table`; 3.4 has, but then maps the columns itself and
drops `.urlencode`. `delimiter=,` is explicit because External Data otherwise tries `;`,
`,`, tab and `|` and keeps whichever splits every line evenly into the most columns.

Limits that the wiki text cannot lift: in the table form a cell holding an HTML character
reference (`&lt;`) shows as its character (nowiki keeps valid references); External Data's
CSV reader takes `\` as an escape character, so a cell with `\"` does not arrive whole,
and 3.1 reads the CSV line by line, so neither does a cell with a line break. The graph's
data has none of these: tests/web/test_wiki.py renders every named query's example in
MediaWiki 1.39 with External Data 3.1 and 3.4 and compares every cell with the CSV.

A value the query does not know is an HTTP 400: External Data shows "could not fetch
URL" with the status, and from 3.4 on the server's message too.
"""

from __future__ import annotations

import re

_SAFE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
NEEDS = "External Data 3.1 of nieuwer (MediaWiki 1.39 of nieuwer); getest met External Data 3.1 en 3.4"
NEEDS_TEMPLATE = NEEDS + "; en ParserFunctions met $wgPFEnableStringFunctions = true (voor #urldecode en #replace)"


def columns_for_wiki(columns: list[str]) -> list[str]:
    """The columns a wiki variable can be named after (SPARQL variable names all qualify)."""
    return [c for c in columns if _SAFE.match(c)]


def _fetch(url: str, cols: list[str]) -> str:
    # Values from an earlier table on the same page would otherwise count in this one's rows.
    return (
        "{{#clear_external_data:}}\n"
        "{{#get_web_data:\n"
        f" url={url}\n"
        " |format=csv with header\n"
        " |delimiter=,\n"
        f" |data={','.join(f'{c}={c}' for c in cols)}\n"
        "}}\n"
    )


def _header(cols: list[str]) -> str:
    return '{| class="wikitable sortable"\n! ' + " !! ".join(cols) + "\n"


def table(url: str, columns: list[str], title: str = "") -> str:
    """A wikitable built in place: one row per result row, every cell shown as text."""
    cols = columns_for_wiki(columns)
    cells = " {{!}}{{!}} ".join("{{#tag:nowiki|{{{" + c + "}}}}}" for c in cols)
    return (
        f"<!-- {title + ': ' if title else ''}gegevens uit GDI-graph. Vereist {NEEDS}. -->\n"
        + _fetch(url, cols)
        + _header(cols)
        + "{{#for_external_table:|\n"
        "{{!}}-\n"
        f"{{{{!}}}} {cells}\n"
        "}}\n"
        "|}\n"
    )


def template_call(url: str, columns: list[str], template: str, title: str = "") -> str:
    """A wikitable whose rows come from `template` (see `row_template`), one call per result row."""
    cols = columns_for_wiki(columns)
    return (
        f"<!-- {title + ': ' if title else ''}gegevens uit GDI-graph, een rij per aanroep van het sjabloon "
        f"{template}. Vereist {NEEDS_TEMPLATE}. -->\n"
        + _fetch(url, cols)
        + _header(cols)
        + "{{#display_external_table:\n"
        f" template={template}\n"
        f" |data={','.join(f'{c}={c}.urlencode' for c in cols)}\n"
        "}}\n"
        "|}\n"
    )


def row_template(columns: list[str]) -> str:
    """The row template's page text: one table row, each URL-encoded value decoded and shown as text."""
    cols = columns_for_wiki(columns)
    cells = " || ".join("{{#tag:nowiki|{{#replace:{{#urldecode:{{{" + c + "|}}}}}|&|&amp;}}}}" for c in cols)
    return (
        f"|-\n| {cells}<noinclude>\n"
        f"Eén tabelrij voor #display_external_table; de waarden komen URL-gecodeerd binnen (.urlencode). "
        f"Vereist {NEEDS_TEMPLATE}.</noinclude>"
    )
