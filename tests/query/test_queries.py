"""Every named query runs its documented example, and parameters are bound safely."""

from __future__ import annotations

import pytest
from pyoxigraph import QueryBoolean, QuerySolutions
from query_support import QUERIES, rows

from gdi_graph.query.named import ParameterError
from gdi_graph.query.store import run


# Queries whose answer on the shipped data is rightly empty, and where they are tested with rows.
EMPTY_ON_THE_SHIPPED_DATA = {
    "revisies": "one edition revises nothing; tests/build/test_editions.py runs it on two",
}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_has_a_title_description_and_runnable_example(real_store, name):
    q = QUERIES[name]
    assert q.title and q.description, f"{name}: header needs title and description"
    result = run(real_store, q.text, q.bind(q.example))
    if isinstance(result, QueryBoolean):
        assert bool(result), f"{name}: its example should show a case where the answer is yes"
        return
    if isinstance(result, QuerySolutions):
        variables = [v.value for v in result.variables]
        found = [{v: s[v] for v in variables} for s in result]
        assert found or name in EMPTY_ON_THE_SHIPPED_DATA, f"{name}: its example returns no rows"
        # A parameter that is also a result column restricts that column to its value.
        for param, value in q.example.items():
            if param in variables:
                assert {r[param].value for r in found if r[param] is not None} == {value}, (name, param)
    else:
        assert list(result), f"{name}: its example returns no triples"


def test_monitor_observations_lists_every_table_cell(real_store, built):
    graph, _ = built
    from gdi_graph.rdf.namespaces import DCTERMS, GDI, QB, RDF

    all_rows = rows(real_store, "monitor-observations")
    expected = sum(
        1 for obs in graph.data.subjects(RDF.type, QB.Observation)
        if str(graph.data.value(graph.data.value(obs, DCTERMS.source), GDI.soort)) in ("cijfers", "tabel"))
    assert len(all_rows) == expected
    assert set(all_rows[0]) == {"voorziening", "tabel", "indicator", "jaar", "waarde", "ruw", "eenheid", "bron"}
    assert all(r["bron"].startswith("Monitor Generieke Digitale Infrastructuur 2018, §") for r in all_rows)


def test_monitor_observations_filters_by_voorziening_and_year(real_store):
    found = rows(real_store, "monitor-observations", voorziening="MijnOverheid Berichtenbox", jaar="2017")
    assert {(r["indicator"], r["ruw"]) for r in found} == {
        ("Aantal aangesloten organisaties*", "341"),
        ("Aantal verstuurde berichten naar de Berichtenbox", "75.441.443"),
    }


def test_not_available_cells_have_no_value_but_keep_the_printed_cell(real_store):
    found = rows(real_store, "monitor-observations", voorziening="DigiD", jaar="2014")
    by_indicator = {r["indicator"]: r for r in found}
    assert by_indicator["Aantal accounts op Basis"]["waarde"] is None
    assert by_indicator["Aantal accounts op Basis"]["ruw"] == "--"
    assert by_indicator["Totaal aantal authenticaties"]["waarde"] == "158300000"


def test_there_are_eleven_basisregistraties_at_the_end_of_2017(real_store):
    (row,) = rows(real_store, "aantal-basisregistraties", peildatum="2017-12-31")
    assert (row["aantal"], row["beschikbaar_aantal"]) == ("11", "10")


def test_bro_is_not_available_and_blau_has_left_at_the_end_of_2017(real_store):
    regs = {r["afkorting"]: r for r in rows(real_store, "basisregistraties", peildatum="2017-12-31")}
    assert regs["BRO"]["beschikbaar"] == "false"
    assert regs["BGT"]["beschikbaar"] == "true"
    assert "BLAU" not in regs
    earlier = {r["afkorting"]: r for r in rows(real_store, "basisregistraties", peildatum="2016-12-31")}
    assert earlier["BGT"]["beschikbaar"] == "false" and "BLAU" in earlier


def test_what_refers_to_brp(real_store):
    found = rows(real_store, "verbindingen", naar="BRP")
    assert found and {r["naar"] for r in found} == {"BRP"}
    assert {"WOZ", "BRI", "BRV"} <= {r["van"] for r in found}
    assert all(r["bron"] and r["sleutel"] for r in found)


def test_voorzieningen_are_ordered_in_the_four_groups(real_store):
    groups = [r["groep"] for r in rows(real_store, "voorzieningen")]
    assert list(dict.fromkeys(groups)) == ["Identificeren en authenticeren", "Dienstverlening en informatie verstrekken",
                                           "Gegevens en registreren", "Dienstverlening en verbinden"]


def test_releases_filter_by_status(real_store):
    every = rows(real_store, "releases")
    vervallen = rows(real_store, "releases", status="vervallen")
    assert vervallen and {r["releasestatus"] for r in vervallen} == {"vervallen"}
    assert len(vervallen) == sum(1 for r in every if r["releasestatus"] == "vervallen") < len(every)


def test_contradictions_query_lists_the_validation_warnings(real_store, built):
    graph, _ = built
    assert len(rows(real_store, "tegenstrijdigheden")) == len(graph.outcome.warnings)


@pytest.mark.parametrize("params, name", [
    ({"jaar": "twintig"}, "jaar"),
    ({"jaar": "2017\" } ; DROP ALL ; #"}, "jaar"),
    ({"soort": "roddel"}, "soort"),
    ({"onbekend": "x"}, "onbekend"),
])
def test_bad_parameters_are_refused_naming_the_parameter(params, name):
    with pytest.raises(ParameterError) as err:
        QUERIES["monitor-observations"].bind(params)
    assert err.value.name == name and repr(name) in str(err.value)


def test_parameter_values_are_bound_as_terms_not_pasted_into_the_query(real_store):
    hostile = 'DigiD"@nl } UNION { ?obs ?p ?o } #'
    assert rows(real_store, "monitor-observations", voorziening=hostile) == []
