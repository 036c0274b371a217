"""Ready-to-paste NORA wiki text (MediaWiki External Data) for one named query and values.

External Data fetches a URL and cannot set request headers, so the URL carries
`format=csv`; `csv with header` maps the SPARQL CSV header row (the variable names) to
wiki variables. Two forms: `#get_web_data` + `#for_external_table` builds a wikitable in
place; `#display_external_table` calls a row template per result row.
"""

from __future__ import annotations

import re

_SAFE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _data(columns: list[str]) -> str:
    return ",".join(f"{c}={c}" for c in columns if _SAFE.match(c))


def table(url: str, columns: list[str]) -> str:
    cols = [c for c in columns if _SAFE.match(c)]
    head = " !! ".join(cols)
    cells = " {{!}}{{!}} ".join("{{{" + c + "}}}" for c in cols)
    return (
        "{{#get_web_data:\n"
        f" url={url}\n"
        " |format=csv with header\n"
        f" |data={_data(cols)}\n"
        "}}\n"
        '{| class="wikitable sortable"\n'
        f"! {head}\n"
        "{{#for_external_table:<nowiki/>\n"
        "{{!}}-\n"
        f"{{{{!}}}} {cells}\n"
        "}}\n"
        "|}\n"
    )


def template_call(url: str, columns: list[str], template: str) -> str:
    return (
        "{{#display_external_table:\n"
        f" url={url}\n"
        " |format=csv with header\n"
        f" |data={_data(columns)}\n"
        f" |template={template}\n"
        "}}\n"
    )


def row_template(columns: list[str]) -> str:
    cols = [c for c in columns if _SAFE.match(c)]
    return "|-\n| " + " || ".join("{{{" + c + "|}}}" for c in cols) + "\n"
