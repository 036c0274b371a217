"""The NORA wiki text of every named query renders the full, exact table in a real MediaWiki.

MediaWiki 1.39 (Debian's `mediawiki` package) renders the texts that each query's page
offers with `maintenance/parse.php`, once with External Data 3.1 (the extension's
MediaWiki 1.39 branch) and once with 3.4, both vendored in tests/wiki/ExternalData. External
Data fetches the CSV from a real `gdi-graph serve` on loopback; every cell of the rendered
table is compared with the CSV that the same URL serves. A query whose cells hold `|`, `||`,
`{{`, `}}`, `[[`, `<` and more (tests/web/queries/web-lastige-tekens.rq) is among them, and a
value the query does not know must show the server's 400, not an empty table.

One deviation is External Data's, not the wiki text's: since 3.3 its CSV reader turns a
cell holding exactly "0" into an empty one (`$cell ? … : ''` in EDParserCSV::parseCSV), so
with 3.4 such cells render empty; the test expects exactly that and nothing else.

Installs nothing: .ci/run installs the Debian packages; without them the test is skipped.
"""

from __future__ import annotations

import csv
import html
import io
import os
import re
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
from web_support import GDI, free_port, stop, wait_until

MEDIAWIKI = Path("/usr/share/mediawiki")  # Debian's package
EXTERNAL_DATA = Path(__file__).resolve().parents[1] / "wiki" / "ExternalData"
VERSIONS = ("3.1", "3.4")
PHP_LIMIT_S = 120

pytestmark = pytest.mark.skipif(
    shutil.which("php") is None or not (MEDIAWIKI / "maintenance" / "parse.php").exists(),
    reason="MediaWiki 1.39 is not installed (apt-get install mediawiki php-cli php-sqlite3; .ci/run does)")


# ---------------------------------------------------------------- a wiki in a temporary folder

class Wiki:
    """A MediaWiki on SQLite in a folder, with one LocalSettings per External Data version."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        self.env["no_proxy"] = self.env["NO_PROXY"] = "127.0.0.1,localhost"

    def php(self, script: str, *args: str, stdin: str | None = None, settings: str | None = None) -> str:
        command = ["php", str(MEDIAWIKI / "maintenance" / script), *args]
        if settings:
            command += ["--conf", str(self.folder / settings)]
        done = subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=PHP_LIMIT_S,
                              env=self.env, cwd=self.folder)
        assert done.returncode == 0, f"{script} failed: {done.stdout[-2000:]}{done.stderr[-2000:]}"
        return done.stdout

    def install(self) -> None:
        (self.folder / "db").mkdir()
        self.php("install.php", "--dbtype", "sqlite", "--dbpath", str(self.folder / "db"), "--dbname", "wiki",
                 "--confpath", str(self.folder), "--server", "http://localhost", "--scriptpath", "/w",
                 "--lang", "nl", "--pass", "Een-wachtwoord-voor-de-test-1", "GDI-wiki", "Beheerder")
        for version in VERSIONS:
            # External Data keeps no cache here (its cache table is not installed): every
            # parse fetches from the server. ParserFunctions' string functions decode the
            # row template's values.
            (self.folder / f"LocalSettings-{version}.php").write_text(
                "<?php\n"
                "require __DIR__ . '/LocalSettings.php';\n"
                "wfLoadExtension( 'ParserFunctions' );\n"
                "$wgPFEnableStringFunctions = true;\n"
                f"wfLoadExtension( 'ExternalData', '{EXTERNAL_DATA / version / 'extension.json'}' );\n"
                "$wgShowExceptionDetails = true;\n")

    def save_templates(self, pages: dict[str, str]) -> None:
        folder = self.folder / "templates"
        folder.mkdir()
        for name, text in pages.items():
            (folder / f"{name}.wiki").write_text(text)
        self.php("importTextFiles.php", "--prefix", "Template:", "--overwrite", "-u", "Beheerder",
                 *sorted(str(p) for p in folder.glob("*.wiki")), settings=f"LocalSettings-{VERSIONS[0]}.php")

    def render(self, version: str, text: str) -> str:
        return self.php("parse.php", "--title", "GDI-test", stdin=text, settings=f"LocalSettings-{version}.php")


class Blocks(HTMLParser):
    """Per <div id="…"> of the rendered page: its table rows (cell texts) and its error texts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: dict[str, dict] = {}
        self.current = None
        self.cell: list[str] | None = None
        self.error_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div" and attrs.get("id", "").startswith("gdi-"):
            self.current = self.blocks.setdefault(attrs["id"][4:], {"rows": [], "errors": []})
        elif self.current is None:
            return
        elif tag == "tr":
            self.current["rows"].append([])
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "span" and "error" in attrs.get("class", "").split():
            self.error_depth = 1
            self.current["errors"].append("")
        elif tag == "span" and self.error_depth:
            self.error_depth += 1

    def handle_endtag(self, tag):
        if self.current is None:
            return
        if tag in ("td", "th") and self.cell is not None:
            self.current["rows"][-1].append("".join(self.cell))
            self.cell = None
        elif tag == "span" and self.error_depth:
            self.error_depth -= 1
        elif tag == "div" and self.cell is None and not self.error_depth:
            self.current = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)
        if self.error_depth and self.current is not None:
            self.current["errors"][-1] += data


def blocks(rendered: str) -> dict[str, dict]:
    parser = Blocks()
    parser.feed(rendered)
    return parser.blocks


def shown(text: str) -> str:
    """A cell as a reader sees it: MediaWiki puts a no-break space before !, ?, :, ; and %
    (French spacing) and External Data trims each CSV value."""
    return text.replace("\xa0", " ").strip()


# ---------------------------------------------------------------- the texts each query page offers

def offered(server: str, name: str, params: dict) -> dict[str, str]:
    """The wiki texts on the query's page, exactly as a wiki editor copies them."""
    url = f"{server}/queries/{name}?" + urllib.parse.urlencode(params)
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "text/html"}), timeout=30) as r:
            page = r.read().decode()
    except urllib.error.HTTPError as exc:
        pytest.fail(f"{url}: {exc.code} {exc.read().decode(errors='replace')[:1000]}")
    texts = {key: html.unescape(m.group(1)) for key, m in (
        (key, re.search(rf'<textarea id="{key}"[^>]*>(.*?)</textarea>', page, re.S))
        for key in ("wikitext", "wikitext-template", "wikitext-row")) if m}
    assert set(texts) == {"wikitext", "wikitext-template", "wikitext-row"}, f"{name}: the page offers {set(texts)}"
    return texts


def csv_url(text: str) -> str:
    return re.search(r"^ url=(\S+)$", text, re.M).group(1)


def fetch_csv(url: str) -> list[list[str]]:
    with urllib.request.urlopen(url, timeout=30) as r:
        return list(csv.reader(io.StringIO(r.read().decode())))


@pytest.fixture(scope="module")
def wiki_server(web_project):
    """A real `gdi-graph serve` on loopback for External Data to fetch from, with a query time
    limit that a loaded test machine does not hit (the session's server has 2 s)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GDI_GRAPH_")}
    with open(web_project / "serve-wiki.log", "wb") as log:
        proc = subprocess.Popen([GDI, "--root", str(web_project), "--dist", str(web_project / "dist"), "serve",
                                 "--host", "127.0.0.1", "--port", str(port), "--timeout", "30", "--executors", "2"],
                                env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            def healthy():
                assert proc.poll() is None, (web_project / "serve-wiki.log").read_text(errors="replace")[-2000:]
                with urllib.request.urlopen(url + "/health", timeout=2) as r:
                    return r.status == 200

            wait_until(healthy, 60, "gdi-graph serve to answer /health")
            yield url
        finally:
            stop(proc, grace=15)


@pytest.fixture(scope="module")
def rendered(wiki_server, web_project, tmp_path_factory):
    """Every SELECT query's example (and a value it does not know), rendered in both versions."""
    from gdi_graph.query.named import load_queries

    queries = {n: q for n, q in load_queries(web_project / "queries").items() if q.form == "SELECT"}
    texts = {name: offered(wiki_server, name, q.example) for name, q in queries.items()}
    # a value the query does not know, written by hand into a copied text
    texts["onbekend"] = {key: text.replace("/queries/verbindingen?naar=BRP", "/queries/verbindingen?naar=brq")
                         for key, text in offered(wiki_server, "verbindingen", {"naar": "BRP"}).items()}
    assert "naar=brq" in texts["onbekend"]["wikitext"]
    wiki = Wiki(tmp_path_factory.mktemp("mediawiki"))
    wiki.install()
    templates = {}
    for texts_of in texts.values():
        template = re.search(r"template=(\S+)", texts_of["wikitext-template"]).group(1)
        templates[template] = texts_of["wikitext-row"]
    wiki.save_templates(templates)
    pages = {}
    for version in VERSIONS:
        for form in ("wikitext", "wikitext-template"):
            page = "\n".join(f'<div id="gdi-{name}">\n{t[form]}\n</div>' for name, t in texts.items())
            pages[version, form] = blocks(wiki.render(version, page))
    return {"texts": texts, "pages": pages}


# ---------------------------------------------------------------- the tests

@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("form", ["wikitext", "wikitext-template"])
def test_every_query_renders_its_full_exact_table(rendered, version, form):
    page = rendered["pages"][version, form]
    compared = []
    for name, texts in rendered["texts"].items():
        if name == "onbekend":
            continue
        block = page[name]
        assert not block["errors"], (name, block["errors"])
        want = fetch_csv(csv_url(texts[form]))
        got = [[shown(c) for c in row] for row in block["rows"]]
        assert got[0] == want[0], f"{name}: header {got[0]} != {want[0]}"
        assert len(got) == len(want), f"{name}: {len(got) - 1} rows rendered, {len(want) - 1} in the CSV"
        for i, (row, expected) in enumerate(zip(got[1:], want[1:]), 1):
            if form == "wikitext":
                # nowiki keeps a valid character reference (&lt;), which the reader sees as its character
                expected = [html.unescape(v) for v in expected]
            if version != "3.1":
                expected = ["" if v == "0" else v for v in expected]  # External Data's reader, see above
            assert row == [v.strip() for v in expected], f"{name}, row {i}"
        compared.append(name)
    assert len(compared) == len(rendered["texts"]) - 1 and "web-lastige-tekens" in compared


def test_the_hard_cells_are_there_and_shown_as_text(rendered):
    """The cells that break naive wiki text: a pipe, braces, brackets, a tag, an equals sign."""
    cells = {row[2] for row in rendered["pages"]["3.1", "wikitext-template"]["web-lastige-tekens"]["rows"][1:]}
    for hard in ("a | b", "a || b", "{{Hoofdpagina}}", "}}", "[[Hoofdpagina]]", "<b>vet</b>", "x = y", "&lt;"):
        assert hard in cells, hard


@pytest.mark.parametrize("version", VERSIONS)
def test_a_value_the_query_does_not_know_shows_the_error_not_an_empty_table(rendered, version):
    for form in ("wikitext", "wikitext-template"):
        block = rendered["pages"][version, form]["onbekend"]
        assert len(block["rows"]) == 1, "only the header row"  # no data rows
        error = " ".join(block["errors"])
        assert "naar=brq" in error and "400" in error, error
        if version == "3.4":  # 3.4 shows the server's own message too; 3.1 only the status line
            assert "parameter 'naar': 'brq' is geen bekende waarde; bedoelde u" in error, error
        else:
            assert "bekende waarde" not in error


def test_the_texts_are_complete_and_say_what_they_need(rendered):
    for name, texts in rendered["texts"].items():
        for form in ("wikitext", "wikitext-template"):
            text = texts[form]
            assert text.count("{|") == 1 and text.rstrip().endswith("|}"), (name, form)
            assert re.search(r"^! \w+( !! \w+)*$", text, re.M), (name, form)
            assert "External Data 3.1" in text and "{{#clear_external_data:}}" in text
        assert "ParserFunctions" in texts["wikitext-template"] and "ParserFunctions" in texts["wikitext-row"]
