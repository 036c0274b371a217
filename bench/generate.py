"""A larger project in this model, for measuring how the build scales: N editions and more organisations.

    .venv/bin/python bench/generate.py --copies 10 --out ../gdi-x10

writes a project folder (ontology/, shapes/, queries/, data/) that `gdi-graph --root` builds.
It holds the real sources plus, for k = 1 .. copies-1:

- `data/monitor-gdi-<2018+k>/`: the 2018 edition as if published k years later. Its
  identifiers and years move by k (edition 2019 prints 2015-2018, peildatum 31-12-2018);
  a year the real edition printed keeps the real cell, so editions agree where they
  overlap, and a later year repeats the cell of 2017, so totals, parts and twin figures
  stay consistent with each other. A printed change is recomputed from the two years it
  spans, or '--' where they are no plain numbers. One figure per edition is revised slightly (DigiD's connected
  organisations of the year before the peildatum, plus 5), as a real next edition might.
- `data/bench/organisaties-<k>.ttl`: a copy of every organisation and aansluiting of
  data/organisaties.ttl under new identifiers, sourced to edition k's report.

Registraties, voorzieningen and verbindingen are not multiplied: the stelsel does not grow
with the number of editions. Nothing generated is real data; it exists to be measured.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import shutil
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import ORG, RDF

from gdi_graph.build.monitor.cells import CellError, parse_cell
from gdi_graph.rdf.namespaces import GDI, ID

REPO = Path(__file__).resolve().parents[1]
BASE_EDITION = "monitor-gdi-2018"
BASE_YEARS = (2014, 2015, 2016, 2017)
FOLDERS = ("ontology", "shapes", "queries", "data")
YEAR = re.compile(r"(?<![\d.])20(1[4-8])(?!\d)")
REVISED = ("digid", "aangesloten-organisaties")  # (table, indicator) revised in every copy
SPAN = 2099 - BASE_YEARS[-1] + 1  # four-year windows that end by 2099


def base_year(year: int) -> int:
    """The real year whose printed cell a generated year repeats: itself, or the last real one."""
    return min(year, BASE_YEARS[-1])


def shift_text(text: str, k: int) -> str:
    """Edition identifiers and the years 2014-2018 in a Turtle file, moved k years on."""
    return YEAR.sub(lambda m: str(int(m[0]) + k), text)


def read_csv(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_csv(path: Path, header: list[str], rows: list[dict]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def shift_kolommen(kolommen: str, k: int) -> str:
    parts = []
    for part in kolommen.split(";"):
        year, sep, printed = part.partition("=")
        parts.append(f"{int(year) + k}{sep}{printed}")
    return ";".join(parts)


def exact(raw: str) -> Decimal | None:
    """The value of a cell that is a plain, exact number; None otherwise."""
    try:
        cell = parse_cell(raw)
    except CellError:
        return None
    if cell.value is None or cell.unit or cell.status or cell.lower != cell.upper:
        return None
    return cell.value


def change(before: str, after: str) -> str:
    a, b = exact(before), exact(after)
    if a is None or b is None or a <= 0:
        return "--"
    pct = round((b / a - 1) * 100)
    return f"{pct:+d}" if pct else "0"


def revise(raw: str) -> str:
    value = exact(raw)
    if value is None or value != value.to_integral_value():
        return raw
    text = f"{int(value) + 5:,}".replace(",", ".")
    return text


def shifted_table(rows: list[dict], years: list[int], k: int, revise_year: int | None) -> list[dict]:
    """A cijfers table of the real edition as printed k years later."""
    cells = {(r["indicator"], r["jaar"]): r for r in rows}
    indicators = list(dict.fromkeys(r["indicator"] for r in rows))
    out = []
    for indicator in indicators:
        for year in years:
            real = cells[(indicator, str(base_year(year + k)))]
            row = dict(real, jaar=str(year + k))
            if revise_year == year + k and indicator == REVISED[1] and not row.get("waarde"):
                row["ruw"] = revise(row["ruw"])
            out.append(row)
        if (indicator, "%") in cells:
            van, tot = (dict((r["jaar"], r["ruw"]) for r in out if r["indicator"] == indicator)[str(y + k)]
                        for y in years[-2:])
            row = dict(cells[(indicator, "%")], ruw=change(van, tot), waarde="", noot="")
            out.append(row)
    return out


def edition(k: int) -> tuple[str, int, int]:
    """(name, years moved, round) of copy k.

    The build reads years up to 2099 and the monitor starts in 2014, so there are 83
    distinct four-year windows; copy 83 and on start again from 2014 with a peildatum
    half a year earlier (30 June) and a name of their own (monitor-gdi-2018-2, ...).
    """
    moved, round_ = k % SPAN, k // SPAN
    return f"monitor-gdi-{2018 + moved}" + (f"-{round_ + 1}" if round_ else ""), moved, round_


def copy_edition(root: Path, k: int) -> None:
    source = REPO / "data" / BASE_EDITION
    name, moved, round_ = edition(k)
    target = root / "data" / name
    target.mkdir(parents=True)
    tabellen_header, tabellen = read_csv(source / "tabellen.csv")
    years_of = {}
    for row in tabellen:
        years_of[row["tabel"]] = [int(part.partition("=")[0]) for part in row["kolommen"].split(";")]
        row["kolommen"] = shift_kolommen(row["kolommen"], moved)
    write_csv(target / "tabellen.csv", tabellen_header, tabellen)
    for path in sorted(source.iterdir()):
        if path.suffix == ".ttl":
            text = path.read_text(encoding="utf-8").replace(BASE_EDITION, "{edition}")
            text = shift_text(text, moved).replace("{edition}", name)
            if round_:
                text = text.replace("-12-31\"^^xsd:date", "-06-30\"^^xsd:date")
            (target / path.name).write_text(text, encoding="utf-8")
        elif path.is_file() and path.name != "tabellen.csv":
            shutil.copy(path, target / path.name)
    (target / "cijfers").mkdir()
    for path in sorted((source / "cijfers").glob("*.csv")):
        header, rows = read_csv(path)
        years = years_of[path.stem]
        revise_year = 2016 + moved if path.stem == REVISED[0] else None
        write_csv(target / "cijfers" / path.name, header, shifted_table(rows, years, moved, revise_year))


def copy_organisations(root: Path, k: int) -> None:
    """Every organisation and aansluiting of data/organisaties.ttl again, under new identifiers."""
    source = Graph().parse(REPO / "data" / "organisaties.ttl", format="turtle")
    organisations = set(source.subjects(RDF.type, ORG.Organization))
    aansluitingen = set(source.subjects(RDF.type, GDI.Aansluiting))
    rapport = ID[f"rapport/{BASE_EDITION}"]
    new_rapport = ID[f"rapport/{edition(k)[0]}"]

    def renamed(node):
        if node in organisations or node in aansluitingen:
            return URIRef(f"{node}-x{k}")
        return new_rapport if node == rapport else node

    out = Graph()
    for s in sorted(organisations | aansluitingen):
        for p, o in source.predicate_objects(s):
            if p in (GDI.oin, URIRef("http://www.w3.org/2000/01/rdf-schema#seeAlso")):
                continue  # identifiers belong to the real organisation only
            if isinstance(o, Literal) and o.language and p.lower().endswith(("label", "title")):
                o = Literal(f"{o} ({k})", lang=o.language)
            out.add((renamed(s), p, renamed(o)))
    folder = root / "data" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    out.serialize(folder / f"organisaties-{k}.ttl", format="turtle")


def generate(copies: int, out: Path) -> Path:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for folder in FOLDERS:
        shutil.copytree(REPO / folder, out / folder, ignore=shutil.ignore_patterns("bron"))
    for k in range(1, copies):
        copy_edition(out, k)
        copy_organisations(out, k)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=10, help="editions in all, the real one included")
    parser.add_argument("--out", type=Path, required=True, help="project folder to write (replaced)")
    args = parser.parse_args()
    root = generate(args.copies, args.out)
    print(f"{root}: {args.copies} edition(s)")


if __name__ == "__main__":
    main()
