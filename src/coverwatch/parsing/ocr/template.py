"""The value cells of an ACORD 25 that OCR reads one by one, in 2016/03 form points.

Points from the top-left of the 612 x 792 sheet, measured on the blank 2016/03 form: the grid's
cells between its printed rules, the checkbox rectangles of the fillable form, and the frames
that hold names, addresses and the description. The layout
reader's registration (`layout.anchors`) carries them to the page at hand, whatever its edition
or scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

Rect = tuple[float, float, float, float]  # x0, y0, x1, y1

CellKind = Literal["checkbox", "mark", "letter", "date", "amount", "digits", "text", "printed"]


@dataclass(frozen=True)
class Cell:
    """A place on the form that holds one kind of value, read on its own once aligned."""

    name: str
    kind: CellKind
    rect: Rect


# The coverage grid's row blocks (top, bottom) and value columns (left, right), between rules.
_BLOCKS: dict[str, tuple[float, float]] = {
    "general_liability": (299.8, 383.8),
    "auto_liability": (383.8, 443.8),
    "excess_umbrella": (443.8, 479.8),
    "workers_comp": (479.8, 527.8),
    "other": (527.8, 563.8),
}
_LETTER = (17.5, 35.8)
_ADDL = (176.2, 194.2)
_SUBR = (194.2, 212.2)
_EFFECTIVE = (331.0, 377.8)
_EXPIRATION = (377.8, 424.6)
# The amount half of the LIMITS column, right of the printed "$" (at ~516-520).
_AMOUNT = (521.0, 593.5)
_DOLLAR = (514.8, 521.0)
_LIMIT_ROWS: dict[str, tuple[float, ...]] = {
    "general_liability": (299.8, 312.0, 324.0, 336.0, 348.0, 360.0, 372.0, 383.8),
    "auto_liability": (383.8, 396.0, 408.0, 420.0, 432.0, 443.8),
    "excess_umbrella": (443.8, 456.0, 468.0, 479.8),
    "workers_comp": (492.0, 504.0, 516.0, 527.8),
}
# Free text: names, addresses, contact details, policy numbers, the description; each inside
# its printed frame and clear of the labels.
_TEXT: dict[str, Rect] = {
    "producer.block": (18.0, 130.5, 305.0, 179.5),
    "producer.contact": (340.0, 119.8, 593.5, 131.8),
    "producer.phone": (351.0, 132.2, 484.0, 143.6),
    "producer.fax": (517.0, 132.2, 593.5, 143.6),
    "producer.email": (345.0, 144.0, 593.5, 155.6),
    "insurer.names": (346.0, 168.2, 539.5, 239.3),
    "insured.block": (18.0, 190.0, 305.0, 239.3),
    "other.description": (36.0, 528.0, 176.0, 563.6),
    "other.limits": (425.0, 528.0, 593.5, 563.6),
    "description": (18.0, 573.0, 593.5, 647.5),
    "holder.block": (18.0, 660.5, 305.0, 743.5),
}
_POLICY_NUMBER = (212.5, 330.8)
# Checkboxes (the field rectangles of the fillable form).
_CHECKBOXES: dict[str, Rect] = {
    "general_liability.covered": (36.0, 300.0, 50.9, 312.0),
    "general_liability.claims_made": (50.2, 312.0, 65.3, 324.0),
    "general_liability.occurrence": (115.2, 312.0, 130.1, 324.0),
    "general_liability.other_coverage_a": (36.0, 324.0, 50.9, 336.0),
    "general_liability.other_coverage_b": (36.0, 336.0, 50.9, 348.0),
    "general_liability.per_policy": (36.0, 360.0, 50.9, 372.0),
    "general_liability.per_project": (79.2, 360.0, 94.1, 372.0),
    "general_liability.per_location": (122.4, 360.0, 137.3, 372.0),
    "general_liability.per_other": (36.0, 372.0, 50.9, 384.0),
    "auto_liability.any": (36.0, 396.0, 50.9, 408.0),
    "auto_liability.owned": (36.0, 408.0, 50.9, 420.0),
    "auto_liability.scheduled": (104.4, 408.0, 119.3, 420.0),
    "auto_liability.hired": (36.0, 420.0, 50.9, 432.0),
    "auto_liability.non_owned": (104.4, 420.0, 119.3, 432.0),
    "auto_liability.other_auto_a": (36.0, 432.0, 50.9, 444.0),
    "auto_liability.other_auto_b": (104.4, 432.0, 119.3, 444.0),
    "excess_umbrella.umbrella": (36.0, 444.0, 50.9, 456.0),
    "excess_umbrella.occurrence": (115.2, 444.0, 130.1, 456.0),
    "excess_umbrella.excess": (36.0, 456.0, 50.9, 468.0),
    "excess_umbrella.claims_made": (115.2, 456.0, 130.1, 468.0),
    "excess_umbrella.deductible": (36.0, 468.0, 50.9, 480.0),
    "excess_umbrella.retention_box": (72.0, 468.0, 86.0, 480.0),
    "workers_comp.statutory": (424.8, 480.0, 439.0, 492.0),
    "workers_comp.other_box": (475.0, 480.0, 490.0, 492.0),
}


def _cells() -> tuple[Cell, ...]:
    cells: list[Cell] = [
        Cell("certificate.date", "date", (507.1, 34.0, 593.5, 47.5)),
        *(
            Cell(f"insurer.{letter}.naic", "digits", (539.8, top, 593.5, top + 12.0))
            for letter, top in zip(
                "ABCDEF", (168.0, 179.8, 192.0, 204.0, 216.0, 228.0), strict=True
            )
        ),
    ]
    for section, (top, bottom) in _BLOCKS.items():
        cells.append(Cell(f"{section}.letter", "letter", (_LETTER[0], top, _LETTER[1], bottom)))
        if section != "workers_comp":  # its ADDL INSD cell is printed "N/A"
            cells.append(Cell(f"{section}.addl", "mark", (_ADDL[0], top, _ADDL[1], bottom)))
        cells.append(Cell(f"{section}.subr", "mark", (_SUBR[0], top, _SUBR[1], bottom)))
        cells.append(
            Cell(f"{section}.number", "text", (_POLICY_NUMBER[0], top, _POLICY_NUMBER[1], bottom))
        )
        cells.append(
            Cell(f"{section}.effective", "date", (_EFFECTIVE[0], top, _EFFECTIVE[1], bottom))
        )
        cells.append(
            Cell(f"{section}.expiration", "date", (_EXPIRATION[0], top, _EXPIRATION[1], bottom))
        )
    for section, rows in _LIMIT_ROWS.items():
        for number, (top, bottom) in enumerate(pairwise(rows)):
            cells.append(
                Cell(f"{section}.limit{number}", "amount", (_AMOUNT[0], top, _AMOUNT[1], bottom))
            )
            cells.append(
                Cell(f"{section}.dollar{number}", "printed", (_DOLLAR[0], top, _DOLLAR[1], bottom))
            )
    cells.append(Cell("workers_comp.excluded", "mark", (158.4, 498.0, 173.3, 510.0)))
    # The umbrella's DED / RETENTION amount, right of its printed "$".
    cells.append(Cell("excess_umbrella.retention", "amount", (130.5, 468.0, 176.2, 479.8)))
    cells.extend(Cell(name, "checkbox", rect) for name, rect in _CHECKBOXES.items())
    cells.extend(Cell(name, "text", rect) for name, rect in _TEXT.items())
    return tuple(cells)


CELLS: tuple[Cell, ...] = _cells()
