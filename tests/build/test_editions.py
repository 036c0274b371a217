"""Editions as one time series: identity across editions, the newest edition by default,
the edition parameters of the queries, and the rules of shapes/edities.ttl.

The worked example is `fixtures/editie-2019/`, a made-up second edition (its README says
what it does); the tests add it to a copy of the project. The shipped data stays the real
2018 report alone.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from gdi_graph.build import SourceError, build, load
from gdi_graph.build.validate import validate
from gdi_graph.query.store import open_store
from gdi_graph.rdf.namespaces import DCTERMS, GDI, ID, QB, RDF, RDFS, SH, SKOS
from query_support import rows

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EDITIE_2019 = FIXTURES / "editie-2019" / "monitor-gdi-2019"
VALID = FIXTURES / "shapes" / "valid.ttl"
GDIS = "https://w3id.org/gdi-graph/def/shapes#"

ORGANISATIES = ID["indicator/digid/aangesloten-organisaties"]
WEBDIENSTEN = ID["indicator/digid/aangesloten-webdiensten"]


def copy_project(root: Path) -> Path:
    """The project's sources, as the `project_copy` fixture copies them."""
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def add_edition(root: Path, folder: Path = EDITIE_2019) -> Path:
    """Adding an edition is adding its folder under data/ (data/README.md, "Adding an edition")."""
    shutil.copytree(folder, root / "data" / folder.name)
    return root


@pytest.fixture(scope="module")
def two_editions(tmp_path_factory):
    """(BuiltGraph, store, project folder) of the real project plus the made-up 2019 edition."""
    root = add_edition(copy_project(tmp_path_factory.mktemp("editions") / "project"))
    built, target = build(root, root / "dist")
    return built, open_store(root / "dist"), root


@pytest.fixture(scope="module")
def data(two_editions) -> Graph:
    return two_editions[0].data


@pytest.fixture(scope="module")
def store(two_editions):
    return two_editions[1]


def observations(data: Graph, indicator: URIRef, jaar: str) -> dict[str, URIRef]:
    """edition code -> observation of `indicator` in `jaar`."""
    found = {}
    for obs in data.subjects(GDI.indicator, indicator):
        if (obs, RDF.type, QB.Observation) in data and str(data.value(obs, GDI.jaar)) == jaar:
            found[str(data.value(data.value(obs, GDI.editie), SKOS.notation))] = obs
    return found


# ---------------------------------------------------------------- identity across editions


def test_the_same_row_in_two_editions_is_one_indicator(data):
    printed = observations(data, ORGANISATIES, "2016")
    assert set(printed) == {"monitor-gdi-2018", "monitor-gdi-2019"}
    assert {str(data.value(o, GDI.ruw)) for o in printed.values()} == {"570", "575"}
    # one indicator, one printing per edition; the 2019 row continues the 2018 row
    regels = {data.value(o, GDI.tabelregel) for o in printed.values()}
    assert set(data.subjects(GDI.indicator, ORGANISATIES)) >= regels and len(regels) == 2
    newer = data.value(printed["monitor-gdi-2019"], GDI.tabelregel)
    assert data.value(newer, GDI.vervolgVan) == data.value(printed["monitor-gdi-2018"], GDI.tabelregel)
    # each cell keeps its edition, the cell as printed and its table
    for code, obs in printed.items():
        assert data.value(obs, GDI.editie) == ID[f"rapport/{code}"]
        assert data.value(obs, DCTERMS.source) == ID[f"tabel/{code}/digid"]


def test_a_renamed_row_continues_the_indicator_it_names(data):
    printed = observations(data, WEBDIENSTEN, "2017")
    assert set(printed) == {"monitor-gdi-2018", "monitor-gdi-2019"}
    labels = {code: str(data.value(data.value(o, GDI.tabelregel), RDFS.label)) for code, o in printed.items()}
    assert labels == {"monitor-gdi-2018": "Totaal aantal aangesloten webdiensten",
                      "monitor-gdi-2019": "Aantal aangesloten webdiensten"}
    # the indicator is named as its newest printing names it
    assert list(data.objects(WEBDIENSTEN, SKOS.prefLabel)) == [Literal("Aantal aangesloten webdiensten", lang="nl")]
    assert (None, GDI.indicator, ID["indicator/digid/webdiensten"]) not in data


def test_a_row_new_in_an_edition_is_a_new_indicator(data):
    assert set(observations(data, ID["indicator/digid/machtigingen"], "2018")) == {"monitor-gdi-2019"}


def test_every_indicator_has_one_name_per_language(data):
    for indicator in set(data.subjects(RDF.type, GDI.Indicator)):
        labels = [label.language for label in data.objects(indicator, SKOS.prefLabel)]
        assert labels == ["nl"], (indicator, labels)


def test_the_newest_printing_is_marked_once_per_indicator_and_year(data):
    newest: dict[tuple, list] = {}
    for obs in data.subjects(RDF.type, QB.Observation):
        key = (data.value(obs, GDI.indicator), str(data.value(obs, GDI.jaar)))
        flag = data.value(obs, GDI.nieuwste)
        assert flag is not None, obs
        if flag.toPython():
            newest.setdefault(key, []).append(obs)
    keys = {(data.value(o, GDI.indicator), str(data.value(o, GDI.jaar))) for o in data.subjects(RDF.type, QB.Observation)}
    assert set(newest) == keys and all(len(v) == 1 for v in newest.values())
    (winner,) = newest[ORGANISATIES, "2016"]
    assert data.value(winner, GDI.editie) == ID["rapport/monitor-gdi-2019"]


# ---------------------------------------------------------------- queries: newest by default, parameters


def test_monitor_observations_gives_the_newest_edition_by_default(store, data):
    found = rows(store, "monitor-observations", voorziening="DigiD", jaar="2016")
    by_label = {}
    for r in found:
        assert r["indicator"] not in by_label, f"two values for {r['indicator']} 2016: {found}"
        by_label[r["indicator"]] = r
    revised = by_label["Totaal aantal aangesloten organisaties"]
    assert (revised["ruw"], revised["waarde"]) == ("575", "575")
    assert revised["bron"].startswith("Testmonitor GDI 2019, §4.1")
    # a row the newer edition does not print keeps its last printing, with that edition as source
    assert by_label["Aantal accounts op Basis"]["bron"].startswith("Monitor Generieke Digitale Infrastructuur 2018")
    # one row per (indicator, year) that DigiD's tables print, in whichever edition
    digid_tables = {ID["tabel/monitor-gdi-2018/digid"], ID["tabel/monitor-gdi-2019/digid"]}
    expected = {data.value(o, GDI.indicator) for o in data.subjects(RDF.type, QB.Observation)
                if data.value(o, DCTERMS.source) in digid_tables and str(data.value(o, GDI.jaar)) == "2016"}
    assert len(found) == len(expected)


def test_monitor_observations_for_one_edition(store):
    found = rows(store, "monitor-observations", voorziening="DigiD", jaar="2016", editie="monitor-gdi-2018")
    assert {r["bron"].split(",")[0] for r in found} == {"Monitor Generieke Digitale Infrastructuur 2018"}
    by_label = {r["indicator"]: r["ruw"] for r in found}
    assert by_label["Totaal aantal aangesloten organisaties"] == "570"
    assert by_label["Totaal aantal aangesloten webdiensten"] == "771"  # the label as 2018 printed it
    assert rows(store, "monitor-observations", voorziening="DigiD", editie="monitor-gdi-2005") == []


def test_monitor_observations_with_every_printing(store):
    found = rows(store, "monitor-observations", voorziening="DigiD", jaar="2016", alle_edities="true")
    printed = sorted((r["ruw"], r["bron"].split(",")[0]) for r in found if r["indicator"] == "Totaal aantal aangesloten organisaties")
    assert printed == [("570", "Monitor Generieke Digitale Infrastructuur 2018"), ("575", "Testmonitor GDI 2019")]
    default = rows(store, "monitor-observations", voorziening="DigiD", jaar="2016")
    assert rows(store, "monitor-observations", voorziening="DigiD", jaar="2016", alle_edities="false") == default
    assert len(found) > len(default)


def test_an_abbreviation_finds_the_same_figures_in_either_binding_mode(store):
    # `editie` is not a result column, so the store binds every parameter with a VALUES block
    # then (as for a remote store) instead of substituting: the answer must not change.
    by_name = rows(store, "monitor-observations", voorziening="BRP", jaar="2017")
    with_values = rows(store, "monitor-observations", voorziening="BRP", jaar="2017", editie="monitor-gdi-2018")
    assert by_name and by_name == with_values
    assert any(r["tabel"] != "BRP" for r in by_name)  # found by subject in a table filed elsewhere


def test_monitor_veranderingen_newest_and_per_edition(store):
    default = rows(store, "monitor-veranderingen", voorziening="DigiD")
    spans = [(r["indicator"], r["vanJaar"], r["totJaar"]) for r in default]
    assert len(spans) == len(set(spans))
    assert ("Totaal aantal aangesloten organisaties", "2017", "2018") in spans
    assert ("Totaal aantal aangesloten organisaties", "2016", "2017") in spans  # only 2018 prints that span
    only_2019 = rows(store, "monitor-veranderingen", voorziening="DigiD", editie="monitor-gdi-2019")
    assert {r["bron"].split(",")[0] for r in only_2019} == {"Testmonitor GDI 2019"} and len(only_2019) == 4
    every = rows(store, "monitor-veranderingen", voorziening="DigiD", alle_edities="true")
    assert len(every) == len(default)  # no span is printed twice in these two editions


def test_edities_lists_the_editions_newest_first(store, data):
    found = rows(store, "edities")
    assert [r["editie"] for r in found] == ["monitor-gdi-2019", "monitor-gdi-2018"]
    for r in found:
        rapport = ID[f"rapport/{r['editie']}"]
        cells = [o for o in data.subjects(GDI.editie, rapport) if (o, RDF.type, QB.Observation) in data]
        assert int(r["cijfers"]) == len(cells)
        assert int(r["nieuwste"]) == sum(1 for o in cells if data.value(o, GDI.nieuwste).toPython())
    assert found[0]["nieuwste"] == found[0]["cijfers"]  # the newest edition's figures are all newest


@pytest.fixture(scope="module")
def api(two_editions):
    """The named-query API of a server on the two editions (a Flask test client)."""
    from gdi_graph.web import create_app

    root = two_editions[2]
    app = create_app({"GDI_GRAPH_DIST": str(root / "dist"), "GDI_GRAPH_QUERIES": str(root / "queries"),
                      "GDI_GRAPH_EXECUTORS": 1, "TESTING": True})
    yield app.test_client()
    app.extensions["gdi_graph"].close()


def test_the_api_answers_with_the_newest_edition_and_takes_the_edition_parameters(api):
    def cells(**params):
        r = api.get("/queries/monitor-observations", query_string={"voorziening": "DigiD", "jaar": "2016", **params},
                    headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 200, r.data[:300]
        return sorted(b["ruw"]["value"] for b in r.json["results"]["bindings"]
                      if b["indicator"]["value"] == "Totaal aantal aangesloten organisaties")
    assert cells() == ["575"]
    assert cells(editie="monitor-gdi-2018") == ["570"]
    assert cells(alle_edities="true") == ["570", "575"]
    # an edition the graph does not hold is refused, naming the parameter and what it holds
    r = api.get("/queries/monitor-observations", query_string={"editie": "monitor-gdi-2017"},
                headers={"Accept": "application/json"})
    assert r.status_code == 400 and "editie" in r.json["detail"] and "monitor-gdi-2018" in r.json["detail"]


# ---------------------------------------------------------------- revisions


def herzieningen(outcome) -> list:
    return [f for f in outcome.findings if f.shape == GDIS + "Herziening"]


def test_a_revision_is_a_warning_with_both_values_editions_and_tables(two_editions):
    (warning,) = herzieningen(two_editions[0].outcome)
    assert warning.severity == "Warning"
    for part in ("570", "575", "Monitor GDI 2018", "Testmonitor 2019", "Totaal aantal aangesloten organisaties 2016",
                 "table DigiD, section 4.1"):
        assert part in warning.message, (part, warning.message)
    assert "monitor-gdi-2019/digid/aangesloten-organisaties/2016" in warning.value
    # "13,5 miljoen" after 13.463.454 is the same figure rounded: not a revision
    assert "DigiD’s" not in warning.message


def test_revisies_lists_what_the_rule_reports(store, two_editions):
    found = rows(store, "revisies")
    assert len(found) == len(herzieningen(two_editions[0].outcome)) == 1
    (r,) = found
    assert (r["voorziening"], r["indicator"], r["jaar"]) == ("DigiD", "Totaal aantal aangesloten organisaties", "2016")
    assert (r["eerdereEditie"], r["eerder"], r["latereEditie"], r["later"]) == ("monitor-gdi-2018", "570", "monitor-gdi-2019", "575")
    assert r["latereBron"] == "Testmonitor GDI 2019, §4.1, cijfers DigiD"
    assert rows(store, "revisies", editie="monitor-gdi-2018") == []


def test_one_edition_has_nothing_to_revise_and_every_figure_is_newest(real_store, built):
    assert rows(real_store, "revisies") == []
    assert not herzieningen(built[0].outcome)
    flags = set(built[0].data.objects(None, GDI.nieuwste))
    assert flags == {Literal(True)}
    (edition,) = rows(real_store, "edities")
    assert edition["editie"] == "monitor-gdi-2018" and edition["cijfers"] == edition["nieuwste"]


# ---------------------------------------------------------------- reading editions: clear errors


TABELLEN = "tabel,voorziening,titel,sectie,soort,kolommen,verandering,noot\nproef,digid,Proef,4.1,cijfers,{jaren},,\n"


def small_edition(root: Path, name: str, peildatum: str, indicatoren: str, cijfers: str, jaren: str) -> Path:
    folder = root / "data" / name
    (folder / "cijfers").mkdir(parents=True)
    (folder / "editie.ttl").write_text(
        (REPO / "data" / "monitor-gdi-2018" / "editie.ttl").read_text(encoding="utf-8")
        .replace("monitor-gdi-2018", name).replace('"2017-12-31"^^xsd:date', f'"{peildatum}"^^xsd:date'),
        encoding="utf-8")
    (folder / "tabellen.csv").write_text(TABELLEN.format(jaren=jaren))
    (folder / "indicatoren.csv").write_text("tabel,indicator,label,eenheid,vervolg_van,noot\n" + indicatoren)
    (folder / "cijfers" / "proef.csv").write_text("indicator,jaar,ruw,waarde,noot\n" + cijfers)
    return folder


@pytest.fixture()
def two_small(tmp_path):
    """A project of two small editions; returns a function writing the second's rows."""
    root = tmp_path / "project"
    for folder in ("ontology", "shapes"):
        shutil.copytree(REPO / folder, root / folder)
    (root / "data").mkdir()
    for name in ("voorzieningen.ttl", "organisaties.ttl"):
        shutil.copy(REPO / "data" / name, root / "data" / name)
    small_edition(root, "proef-a", "2017-12-31", "proef,totaal,Totaal,aantal,,\nproef,deel,Deel,aantal,,\n",
                  "totaal,2017,2.145.000.000,,\ndeel,2017,10,,\n", "2017")

    def second(indicatoren: str, cijfers: str, peildatum: str = "2018-12-31") -> Path:
        small_edition(root, "proef-b", peildatum, indicatoren, cijfers, "2017;2018")
        return root
    return second


def test_vervolg_van_must_name_a_row_of_an_earlier_edition(two_small):
    root = two_small("proef,nieuw-totaal,Totaal,aantal,proef/bestaat-niet,\n", "nieuw-totaal,2017,100,,\nnieuw-totaal,2018,110,,\n")
    with pytest.raises(SourceError) as err:
        load(root)
    assert str(err.value.path).endswith("proef-b/indicatoren.csv")
    assert (err.value.line, err.value.column) == (2, "vervolg_van")
    assert "proef/bestaat-niet" in err.value.message


def test_two_rows_of_one_edition_cannot_print_one_indicator(two_small):
    root = two_small("proef,totaal,Totaal,aantal,,\nproef,som,Som,aantal,proef/totaal,\n",
                     "totaal,2017,100,,\ntotaal,2018,110,,\nsom,2017,100,,\nsom,2018,110,,\n")
    with pytest.raises(SourceError) as err:
        load(root)
    assert err.value.line == 3 and "proef/totaal" in err.value.message and "nieuw" in err.value.message


def test_a_continued_indicator_keeps_its_unit(two_small):
    root = two_small("proef,totaal,Totaal,procent,,\n", "totaal,2017,100,,\ntotaal,2018,110,,\n")
    with pytest.raises(SourceError) as err:
        load(root)
    assert err.value.line == 2 and "'aantal'" in err.value.message and "'procent'" in err.value.message


def test_two_editions_need_two_peildata(two_small):
    root = two_small("proef,totaal,Totaal,aantal,,\n", "totaal,2017,100,,\ntotaal,2018,110,,\n", peildatum="2017-12-31")
    with pytest.raises(SourceError) as err:
        load(root)
    assert "peildatum 2017-12-31" in err.value.message and str(err.value.path).endswith("editie.ttl")


def test_an_edition_cannot_take_the_name_of_a_selection(two_small):
    root = two_small("proef,totaal,Totaal,aantal,,\n", "totaal,2017,100,,\ntotaal,2018,110,,\n")
    (root / "data" / "proef-b").rename(root / "data" / "alle")
    with pytest.raises(SourceError) as err:
        load(root)
    assert "'alle'" in err.value.message


def test_nieuw_starts_a_new_indicator_under_a_used_slug(two_small):
    root = two_small("proef,totaal,Totaal (nieuwe definitie),aantal,nieuw,\n", "totaal,2017,90,,\ntotaal,2018,110,,\n")
    data = load(root).data
    indicators = {data.value(o, GDI.indicator) for o in data.subjects(RDF.type, QB.Observation)
                  if str(data.value(o, GDI.jaar)) == "2017" and data.value(o, GDI.tabelregel).endswith("/totaal")}
    assert indicators == {ID["indicator/proef/totaal"], ID["indicator/proef/totaal/proef-b"]}


def test_a_figure_printed_again_within_its_rounding_is_no_revision(two_small):
    # 2.145.000.000 printed again as "2,1 miljard" (2,05 to 2,15 miljard): the same figure
    root = two_small("proef,totaal,Totaal,aantal,,\n", 'totaal,2017,"2,1 miljard",,\ntotaal,2018,"2,2 miljard",,\n')
    assert not herzieningen(load(root).outcome)


def test_a_figure_printed_again_beyond_its_rounding_is_a_revision(two_small):
    root = two_small("proef,totaal,Totaal,aantal,,\n", 'totaal,2017,"2,2 miljard",,\ntotaal,2018,"2,3 miljard",,\n')
    (warning,) = herzieningen(load(root).outcome)
    assert "2.145.000.000 in" in warning.message and "2,2 miljard in" in warning.message


# ---------------------------------------------------------------- the structural rules of edities.ttl


@dataclass(frozen=True)
class Case:
    expect: str  # the shape or constraint (gdis:...) that must reject
    focus: str  # the focus node it must name (ex:...)
    update: str  # SPARQL Update applied to fixtures/shapes/valid.ttl
    severity: URIRef = SH.Violation


PREFIXES = """
PREFIX gdi:  <https://w3id.org/gdi-graph/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd:  <http://www.w3.org/2001/XMLSchema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct:  <http://purl.org/dc/terms/>
PREFIX qb:   <http://purl.org/linked-data/cube#>
PREFIX ex:   <https://w3id.org/gdi-graph/id/test/>
"""
# A second edition of the test monitor, for the rules that compare editions.
RAPPORT_2 = """INSERT DATA {
  ex:rapport2 a gdi:Rapport ; dct:title "Testmonitor 2019"@nl ; rdfs:label "Testmonitor 2019"@nl ;
    dct:description "Tweede editie voor de tests."@nl ; gdi:peildatum "2018-12-31"^^xsd:date ; dct:publisher ex:bzk .
  ex:dataset2 a qb:DataSet ; dct:title "Cijfers van de testmonitor 2019"@nl ; dct:description "Cijfers."@nl ;
    qb:structure gdi:monitorStructuur ; dct:source ex:rapport2 ; dct:license <https://creativecommons.org/publicdomain/zero/1.0/> .
  ex:tabel2 a gdi:Tabel ; dct:title "DigiD"@nl ; rdfs:label "DigiD (§4.1, cijfers)"@nl ; gdi:sectie "4.1" ;
    gdi:soort "cijfers" ; gdi:voorziening ex:digid ; dct:isPartOf ex:rapport2 .
  ex:regel2 a gdi:Tabelregel ; gdi:indicator ex:accounts ; rdfs:label "Aantal accounts"@nl ; skos:notation "digid/accounts" ;
    dct:source ex:tabel2 ; gdi:editie ex:rapport2 ; gdi:vervolgVan ex:regel-accounts .
  ex:obs2 a qb:Observation ; qb:dataSet ex:dataset2 ; gdi:editie ex:rapport2 ; gdi:tabelregel ex:regel2 ;
    gdi:voorziening ex:digid ; gdi:onderwerp ex:digid ; gdi:indicator ex:accounts ; gdi:jaar "2016"^^xsd:gYear ;
    gdi:waarde %(w)s ; gdi:ondergrens %(lo)s ; gdi:bovengrens %(hi)s ; gdi:ruw "%(ruw)s" ; gdi:eenheid "aantal" ;
    rdfs:label "DigiD: accounts 2016 (2019)"@nl ; dct:source ex:tabel2 .
}"""
REVISED = RAPPORT_2 % {"w": "105.0", "lo": "105.0", "hi": "105.0", "ruw": "105"}
ROUNDED = RAPPORT_2 % {"w": "100.0", "lo": "50.0", "hi": "150.0", "ruw": "0,1 duizend"}

CASES = [
    Case("gdis:Tabelregel-indicator", "ex:regel-accounts", "DELETE DATA { ex:regel-accounts gdi:indicator ex:accounts }"),
    Case("gdis:Tabelregel-tabel", "ex:regel-accounts", "INSERT DATA { ex:regel-accounts dct:source ex:rapport }"),
    Case("gdis:Tabelregel-editie", "ex:regel-accounts", "DELETE DATA { ex:regel-accounts gdi:editie ex:rapport }"),
    Case("gdis:Tabelregel-vervolgVan", "ex:regel-accounts", "INSERT DATA { ex:regel-accounts gdi:vervolgVan ex:tabel }"),
    Case("gdis:Tabelregel-tabelVanEditie", "ex:regel2",
         REVISED + " ; DELETE DATA { ex:regel2 dct:source ex:tabel2 } ; INSERT DATA { ex:regel2 dct:source ex:tabel }"),
    Case("gdis:Cel-editie", "ex:obs-accounts-2016", "DELETE DATA { ex:obs-accounts-2016 gdi:editie ex:rapport }"),
    Case("gdis:Cel-tabelregel", "ex:verandering", "DELETE DATA { ex:verandering gdi:tabelregel ex:regel-basis }"),
    Case("gdis:Cel-indicatorVanRegel", "ex:obs-accounts-2016",
         "DELETE DATA { ex:obs-accounts-2016 gdi:tabelregel ex:regel-accounts } ; INSERT DATA { ex:obs-accounts-2016 gdi:tabelregel ex:regel-basis }"),
    Case("gdis:Cel-editieVanRegel", "ex:obs2",
         REVISED + " ; DELETE DATA { ex:obs2 gdi:tabelregel ex:regel2 } ; INSERT DATA { ex:obs2 gdi:tabelregel ex:regel-accounts }"),
    Case("gdis:Cel-tabelVanRegel", "ex:obs2",
         REVISED + " ; DELETE DATA { ex:obs2 dct:source ex:tabel2 } ; INSERT DATA { ex:obs2 dct:source ex:tabel }"),
    Case("gdis:DataSet-editieVanWaarneming", "ex:dataset",
         REVISED + " ; DELETE DATA { ex:obs2 qb:dataSet ex:dataset2 } ; INSERT DATA { ex:obs2 qb:dataSet ex:dataset }"),
    Case("gdis:Editie-eenRegelPerIndicator", "ex:rapport",
         'INSERT DATA { ex:regel-nog-een a gdi:Tabelregel ; gdi:indicator ex:accounts ; rdfs:label "Accounts"@nl ; '
         'skos:notation "digid/accounts-2" ; dct:source ex:tabel ; gdi:editie ex:rapport }'),
    Case("gdis:Herziening", "ex:accounts", REVISED, SH.Warning),  # the focus is the indicator revised
]


@lru_cache(maxsize=None)
def shapes_graph() -> Graph:
    g = Graph()
    for path in sorted((REPO / "shapes").glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


@lru_cache(maxsize=None)
def valid_graph() -> Graph:
    g = Graph()
    g.parse(REPO / "ontology" / "gdi.ttl", format="turtle")
    g.parse(VALID, format="turtle")
    return g


def expand(name: str) -> URIRef:
    prefix, local = name.split(":", 1)
    return URIRef({"gdis": GDIS, "ex": "https://w3id.org/gdi-graph/id/test/"}[prefix] + local)


def mutated(update: str) -> Graph:
    g = Graph()
    for triple in valid_graph():
        g.add(triple)
    for operation in re.split(r"(?<=\})\s*;\s*(?=DELETE|INSERT)", update):
        g.update(PREFIXES + operation)
    return g


def findings(graph: Graph) -> list[tuple]:
    """(severity, focus, shape, constraint, message) of each result."""
    report = validate(graph, shapes_graph()).report
    return [(report.value(r, SH.resultSeverity), report.value(r, SH.focusNode), report.value(r, SH.sourceShape),
             report.value(r, SH.sourceConstraint), str(report.value(r, SH.resultMessage)))
            for r in report.subjects(RDF.type, SH.ValidationResult)]


@pytest.mark.parametrize("case", CASES, ids=[c.expect.split(":")[1] for c in CASES])
def test_edition_rule_rejects_its_fixture(case: Case):
    found = findings(mutated(case.update))
    hits = [f for f in found if f[0] == case.severity and expand(case.expect) in (f[2], f[3]) and f[1] == expand(case.focus)]
    assert hits, f"{case.expect} did not reject {case.focus}:\n" + "\n".join(map(str, found))
    assert not [f[4] for f in hits if re.search(r"\{[?$]\w+\}", f[4])], hits


def test_the_valid_example_and_a_rounded_reprint_pass_every_edition_rule():
    own = edition_rules()
    for update in (None, ROUNDED):
        graph = mutated(update) if update else valid_graph()
        assert not [f for f in findings(graph) if f[2] in own or f[3] in own]


def edition_rules() -> set[URIRef]:
    g = Graph().parse(REPO / "shapes" / "edities.ttl", format="turtle")
    rules = {s for p in (SH.targetClass, SH.path, SH.select, SH.sparql) for s in g.subjects(p, None) if isinstance(s, URIRef)}
    for shape in g.subjects(SH.targetClass, None):
        assert not isinstance(shape, BNode), "give every targeted shape an IRI"
    return rules


def test_every_edition_rule_has_a_fixture():
    g = Graph().parse(REPO / "shapes" / "edities.ttl", format="turtle")
    covered = {expand(c.expect) for c in CASES}
    # a node shape is covered when every rule it owns in this file is
    for shape in set(g.subjects(SH.targetClass, None)):
        own = {r for p in (SH.property, SH.sparql) for r in g.objects(shape, p) if (r, None, None) in g}
        if own and own <= covered | {r for r in own if isinstance(r, BNode)} and any(isinstance(r, URIRef) for r in own):
            covered.add(shape)
    assert edition_rules() <= covered, sorted(edition_rules() - covered)
