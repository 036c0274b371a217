"""Parameters with known values: matched to the graph regardless of case, accents and spaces,
and refused with the closest known values when they match nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from query_support import QUERIES

from gdi_graph.query.named import (
    KnownValueCache,
    KnownValues,
    ParameterError,
    QueryFileError,
    normalise,
    parse_query_file,
)
from gdi_graph.query.store import run

WITH_VALUES = sorted((q.name, p.name) for q in QUERIES.values() for p in q.parameters if p.values)


def store_select(store):
    def select(text: str) -> list[dict[str, str]]:
        result = run(store, text)
        names = [v.value for v in result.variables]
        return [{n: s[n].value for n in names if s[n] is not None} for s in result]
    return select


def store_lookup(store) -> KnownValueCache:
    return KnownValueCache(store_select(store))


def rows(store, name: str, params: dict, known=None) -> list[tuple]:
    q = QUERIES[name]
    result = run(store, q.text, q.bind(params, known))
    names = [v.value for v in result.variables]
    return [tuple(s[n].value if s[n] is not None else None for n in names) for s in result]


# ---------------------------------------------------------------- matching, without a store

def test_normalise_ignores_case_accents_and_spacing():
    assert normalise("  Één   Loket ") == normalise("een loket") == "een loket"
    assert normalise("DigiD") == normalise("DIGID") != normalise("DigiD2")


def test_a_value_is_found_by_any_of_its_names():
    known = KnownValues.from_rows([("BRP", "Basisregistratie Personen", None), ("BRP", "GBA", None),
                                   ("BAG", None, "Basisregistraties Adressen en Gebouwen")])
    for given in ("BRP", "brp", " Brp ", "basisregistratie  personen", "gba"):
        assert known.match("registratie", given) == "BRP", given
    assert known.match("registratie", "basisregistraties adressen en gebouwen") == "BAG"  # a label is a name too
    assert known.values == ("BAG", "BRP") and known.labels == {"BAG": "Basisregistraties Adressen en Gebouwen"}


def test_an_unknown_value_names_the_parameter_and_the_closest_known_ones_in_both_languages():
    known = KnownValues.from_rows([(v, None, None) for v in ("DigiD", "eHerkenning", "MijnOverheid Berichtenbox")])
    with pytest.raises(ParameterError) as err:
        known.match("voorziening", "Digidd")
    e = err.value
    assert e.name == "voorziening" and e.suggestions == ("DigiD",)
    assert "'voorziening'" in e.message.nl and "bedoelde u DigiD?" in e.message.nl
    assert "'voorziening'" in e.message.en and "did you mean DigiD?" in e.message.en
    # few known values: all are named; a word of a longer name is found too
    assert "Bekende waarden: DigiD, eHerkenning, MijnOverheid Berichtenbox." in e.message.nl
    with pytest.raises(ParameterError) as err:
        known.match("voorziening", "berichtenbox")
    assert err.value.suggestions == ("MijnOverheid Berichtenbox",)


def test_many_known_values_are_not_all_listed_but_the_closest_are():
    many = KnownValues.from_rows([(f"Voorziening {i:02d}", None, None) for i in range(40)])
    with pytest.raises(ParameterError) as err:
        many.match("voorziening", "voorziening 7")
    assert "Bekende waarden" not in err.value.message.nl and err.value.suggestions
    assert all(s.startswith("Voorziening ") for s in err.value.suggestions)


def test_two_values_with_the_same_name_are_not_guessed_between():
    known = KnownValues.from_rows([("Digipoort", None, None), ("DigiPoort", None, None)])
    assert known.match("v", "DigiPoort") == "DigiPoort"  # exact wins
    with pytest.raises(ParameterError) as err:
        known.match("v", "digipoort")
    assert set(err.value.suggestions) == {"Digipoort", "DigiPoort"}


def test_an_enum_is_matched_the_same_way_and_listed_in_its_own_order():
    status = QUERIES["releases"].parameter("status")
    assert status.enum
    first = status.enum[0]
    assert status.term(first.upper()).value == first
    with pytest.raises(ParameterError) as err:
        status.term(first + "xyz")
    assert ", ".join(status.enum) in err.value.message.nl and err.value.suggestions == (first,)


def test_a_values_header_must_be_a_select_with_waarde(tmp_path: Path):
    bad = tmp_path / "slecht.rq"
    bad.write_text("#+ title: t\n#+ params:\n#+   - name: x\n#+     values: SELECT ?y WHERE {}\nSELECT * {}\n")
    with pytest.raises(QueryFileError, match="'x'.*values"):
        parse_query_file(bad)
    bad.write_text("#+ title: t\n#+ params:\n#+   - name: x\n#+     enum: [a]\n"
                   "#+     values: SELECT ?waarde WHERE {}\nSELECT * {}\n")
    with pytest.raises(QueryFileError, match="both"):
        parse_query_file(bad)


def test_without_a_lookup_values_are_bound_as_given():
    """The store-less path (e.g. a query file checked on its own) binds what it is given."""
    q = QUERIES["verbindingen"]
    assert q.bind({"naar": "bag"})  # no lookup: no check, and no error


# ---------------------------------------------------------------- against the real graph

def test_some_repository_queries_declare_known_values():
    assert ("verbindingen", "naar") in WITH_VALUES and ("afhankelijk", "registratie") in WITH_VALUES


@pytest.mark.parametrize("name, parameter", WITH_VALUES)
def test_known_values_are_looked_up_and_include_the_example(real_store, name, parameter):
    q = QUERIES[name]
    known = store_lookup(real_store)(q, q.parameter(parameter))
    assert known.values, f"{name}: the values of {parameter!r} came back empty"
    if parameter in q.example:
        assert q.example[parameter] in known.values


@pytest.mark.parametrize("name, parameter", [(n, p) for n, p in WITH_VALUES if p in QUERIES[n].example])
def test_a_value_in_other_case_gives_the_same_rows_and_a_typo_is_refused(real_store, name, parameter):
    q = QUERIES[name]
    lookup = store_lookup(real_store)
    example = q.example[parameter]
    expected = rows(real_store, name, q.example, lookup)
    assert expected, f"{name}: its example returns no rows"
    for variant in (example.lower(), example.upper(), f"  {example.swapcase()} "):
        assert rows(real_store, name, {**q.example, parameter: variant}, lookup) == expected, variant
    with pytest.raises(ParameterError) as err:
        q.bind({**q.example, parameter: example + "qq"}, lookup)
    assert err.value.name == parameter and example in err.value.suggestions


def test_the_issue_cases(real_store):
    """registratie=bag finds BAG, voorziening=Digid finds DigiD: the same rows as the exact names."""
    lookup = store_lookup(real_store)
    assert rows(real_store, "afhankelijk", {"registratie": "bag"}, lookup) == \
        rows(real_store, "afhankelijk", {"registratie": "BAG"}, lookup) != []
    assert rows(real_store, "verbindingen", {"naar": "Basisregistratie Personen"}, lookup) == \
        rows(real_store, "verbindingen", {"naar": "BRP"}, lookup) != []
    assert rows(real_store, "monitor-observations", {"voorziening": "Digid", "jaar": "2017"}, lookup) == \
        rows(real_store, "monitor-observations", {"voorziening": "DigiD", "jaar": "2017"}, lookup) != []
    with pytest.raises(ParameterError) as err:
        QUERIES["monitor-observations"].bind({"voorziening": "Digidd"}, lookup)
    assert "bedoelde u DigiD" in err.value.message.nl


def test_the_lookup_runs_once_per_parameter(real_store):
    calls = []
    select = store_select(real_store)

    def counting(text):
        calls.append(text)
        return select(text)

    lookup = KnownValueCache(counting)
    q = QUERIES["verbindingen"]
    for value in ("BRP", "brp", "BAG"):
        q.bind({"naar": value, "van": "WOZ"}, lookup)
    assert len(calls) == 2  # naar and van, each once
