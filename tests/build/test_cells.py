from decimal import Decimal

import pytest

from gdi_graph.build.monitor.cells import CellError, parse_cell, parse_change


@pytest.mark.parametrize("raw, value, lower, upper, status, unit", [
    ("1.922.747", "1922747", "1922747", "1922747", None, None),
    ("0", "0", "0", "0", None, None),
    ("2,1 miljard", "2100000000", "2050000000", "2150000000", None, None),
    ("406 miljoen", "406000000", "405500000", "406500000", None, None),
    ("38,4 miljoen", "38400000", "38350000", "38450000", None, None),
    ("100%", "100", "100", "100", None, "procent"),
    ("0,5% van het aantal bevragingen", "0.5", "0.5", "0.5", None, "procent van het aantal bevragingen"),
    ("> 5.000", "5000", "5000", None, "Ondergrens", None),
    (">5.000", "5000", "5000", None, "Ondergrens", None),
    ("minder dan 3.000", "3000", "0", "3000", "Bovengrens", None),
    ("--", None, "0", None, "NietBeschikbaar", None),
    ("negen", "9", "9", "9", None, None),
])
def test_cells_read_as_printed(raw, value, lower, upper, status, unit):
    cell = parse_cell(raw)
    as_dec = lambda s: None if s is None else Decimal(s)
    assert (cell.value, cell.lower, cell.upper, cell.status, cell.unit) == \
        (as_dec(value), as_dec(lower), as_dec(upper), status, unit)


@pytest.mark.parametrize("raw", ["1.92.747", "12 appels", "ca. 500", "", "1,2,3"])
def test_unknown_cell_forms_are_refused_with_the_forms_that_exist(raw):
    with pytest.raises(CellError, match="expected a number like"):
        parse_cell(raw)


@pytest.mark.parametrize("raw, value, lower, upper", [
    ("+9", "9", "8.5", "9.5"), ("-100", "-100", "-100.5", "-99.5"), ("- 0", "0", "-0.5", "0.5"),
    ("0%", "0", "-0.5", "0.5"), ("+371", "371", "370.5", "371.5"),
])
def test_changes_carry_their_rounding(raw, value, lower, upper):
    cell = parse_change(raw)
    assert (cell.value, cell.lower, cell.upper) == (Decimal(value), Decimal(lower), Decimal(upper))


def test_change_column_refuses_non_percentages():
    with pytest.raises(CellError):
        parse_change("veel")
    assert parse_change("--").value is None
