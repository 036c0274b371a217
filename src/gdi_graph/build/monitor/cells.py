"""Read a table cell as printed into a value with the bounds its rounding allows.

The report prints counts exactly ("1.922.747"), rounded ("2,1 miljard"), as bounds
("> 5.000", "minder dan 3.000", "bijna 143 miljoen") or not at all ("--"). Keeping the interval lets the
consistency rules tell a contradiction from rounding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

MULTIPLIERS = {"duizend": Decimal(1_000), "miljoen": Decimal(1_000_000), "miljard": Decimal(1_000_000_000)}
WORDS = {"nul": 0, "een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6,
         "zeven": 7, "acht": 8, "negen": 9, "tien": 10, "elf": 11, "twaalf": 12}

_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_PLAIN = re.compile(rf"^(?P<num>{_NUMBER})$")
_SCALED = re.compile(rf"^(?P<num>{_NUMBER})\s+(?P<mult>duizend|miljoen|miljard)$")
_PERCENT = re.compile(rf"^(?P<num>{_NUMBER})\s*%(?P<rest>.*)$")
_LOWER = re.compile(rf"^(?:>|meer dan|ruim)\s*(?P<num>{_NUMBER})(?:\s+(?P<mult>duizend|miljoen|miljard))?$")
_UPPER = re.compile(rf"^(?:<|minder dan|bijna)\s*(?P<num>{_NUMBER})(?:\s+(?P<mult>duizend|miljoen|miljard))?$")
_CHANGE = re.compile(r"^(?P<sign>[+-]?)\s*(?P<num>\d+(?:,\d+)?)\s*%?$")
NOT_AVAILABLE = {"--", "-", "–"}


class CellError(ValueError):
    """The cell is in no form the build knows; the message says which forms exist."""


@dataclass(frozen=True)
class Cell:
    value: Decimal | None
    lower: Decimal | None
    upper: Decimal | None
    status: str | None = None  # NietBeschikbaar, Ondergrens, Bovengrens, Onleesbaar
    unit: str | None = None  # set when the cell itself fixes the unit ("95%")


def _number(text: str) -> tuple[Decimal, Decimal]:
    """Dutch number -> (value, half of the last printed digit)."""
    text = text.replace(".", "").replace(",", ".")
    value = Decimal(text)
    exponent = value.as_tuple().exponent
    return value, Decimal(5) * Decimal(10) ** (exponent - 1)


def parse_cell(raw: str) -> Cell:
    text = " ".join(raw.split())
    if text in NOT_AVAILABLE:
        return Cell(None, Decimal(0), None, "NietBeschikbaar")
    if text.lower() in WORDS:
        value = Decimal(WORDS[text.lower()])
        return Cell(value, value, value)
    if m := _PLAIN.match(text):
        value, _ = _number(m["num"])
        return Cell(value, value, value)
    if m := _SCALED.match(text):
        value, half = _number(m["num"])
        mult = MULTIPLIERS[m["mult"]]
        return Cell(value * mult, (value - half) * mult, (value + half) * mult)
    if m := _PERCENT.match(text):
        value, _ = _number(m["num"])
        rest = m["rest"].strip()
        return Cell(value, value, value, unit="procent" + (f" {rest}" if rest else ""))
    if m := _LOWER.match(text):
        value, _ = _number(m["num"])
        value *= MULTIPLIERS.get(m["mult"] or "", Decimal(1))
        return Cell(value, value, None, "Ondergrens")
    if m := _UPPER.match(text):
        value, _ = _number(m["num"])
        value *= MULTIPLIERS.get(m["mult"] or "", Decimal(1))
        return Cell(value, Decimal(0), value, "Bovengrens")
    raise CellError(
        f"cannot read {raw!r} as a figure; expected a number like '1.922.747' or '2,1 miljard', "
        "a percentage like '95%', a bound like '> 5.000', 'minder dan 3.000' or 'bijna 143 miljoen', or '--'"
    )


def parse_change(raw: str) -> Cell:
    """A cell of the '%' column: a signed whole percentage, printed rounded."""
    text = " ".join(raw.split())
    if text in NOT_AVAILABLE:
        return Cell(None, None, None, "NietBeschikbaar")
    m = _CHANGE.match(text)
    if not m:
        raise CellError(f"cannot read {raw!r} as a change; expected '+9', '-100', '- 0', '0%' or '--'")
    value, half = _number(m["num"])
    if m["sign"] == "-":
        value = -value
    return Cell(value, value - half, value + half, unit="procent")
