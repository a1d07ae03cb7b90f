"""Where things are on an ACORD 25: printed labels (anchors) and value zones, in 2016/03 points.

Coordinates are PDF points from the page's top-left corner, measured on the blank 2016/03 form.
A page is registered against the anchors found on it (layout.anchors), which carries the zones
to other editions (2010/05, 2014/01 and 2025/12 keep the grid and move blocks by a few points),
to agency prints that scale the page, and to scans.
"""

from __future__ import annotations

from dataclasses import dataclass

from coverwatch.parsing.fields import Section


@dataclass(frozen=True)
class Anchor:
    """A printed label: its words (alternatives per edition) and its left edge and middle."""

    phrases: tuple[str, ...]
    x: float
    y: float


@dataclass(frozen=True)
class Zone:
    """Where the value of one role is written: a section's role and its box (x0, y0, x1, y1)."""

    section: Section
    role: str
    box: tuple[float, float, float, float]
    checkbox: bool = False


def _a(phrase: str, x: float, y: float) -> Anchor:
    return Anchor(tuple(phrase.split("|")), x, y)


# Labels, top to bottom. Alternatives are separated by "|" (older editions, OCR-friendly forms,
# carriers' redrawn copies of the form: "NAMED INSURED", "AGENCY", "HOLDER").
ANCHORS: tuple[Anchor, ...] = (
    _a("DATE (MM/DD/YYYY)", 521.3, 29.9),
    _a("CERTIFICATE OF LIABILITY INSURANCE", 162.4, 35.5),
    _a("CONTACT|AGENT", 309.6, 123.2),
    _a("PRODUCER|AGENCY", 21.6, 125.8),
    _a("NAME:", 309.6, 128.8),
    _a("PHONE", 309.6, 135.7),
    _a("FAX", 486.4, 135.3),
    _a("(A/C, No, Ext):|(A/C, No, Ext)", 309.6, 141.3),
    _a("(A/C, No):|(A/C, No)", 486.0, 140.8),
    _a("E-MAIL", 309.6, 147.4),
    _a("ADDRESS:", 309.6, 152.9),
    _a("INSURER(S) AFFORDING COVERAGE|COMPANIES AFFORDING COVERAGE", 369.1, 164.2),
    _a("NAIC #", 557.3, 164.2),
    _a("INSURER A :|INSURER A", 309.6, 176.3),
    _a("INSURED|NAMED INSURED", 21.6, 185.8),
    _a("INSURER B :|INSURER B", 309.6, 188.3),
    _a("INSURER C :|INSURER C", 309.6, 200.3),
    _a("INSURER D :|INSURER D", 309.6, 212.3),
    _a("INSURER E :|INSURER E", 309.6, 224.3),
    _a("INSURER F :|INSURER F", 309.6, 236.3),
    _a("COVERAGES|COVERAGE SUMMARY", 21.6, 246.6),
    _a("CERTIFICATE NUMBER:", 158.4, 246.6),
    _a("REVISION NUMBER:", 424.8, 246.6),
    _a("INSR", 20.1, 291.3),
    _a("ADDL", 177.4, 290.9),
    _a("SUBR", 195.2, 290.9),
    _a("POLICY EFF|EFFECTIVE|EFF DATE", 337.3, 291.2),
    _a("POLICY EXP|EXPIRATION|EXP DATE", 383.7, 291.2),
    _a("TYPE OF INSURANCE|COVERAGE TYPE|TYPE OF COVERAGE", 75.4, 295.3),
    _a("LIMITS", 499.7, 295.3),
    _a("POLICY NUMBER", 247.2, 296.3),
    _a("LTR", 21.4, 296.8),
    _a("INSD", 178.5, 297.3),
    _a("WVD", 196.6, 297.3),
    _a("COMMERCIAL GENERAL LIABILITY", 54.0, 305.8),
    _a("EACH OCCURRENCE", 428.4, 307.8),
    _a("DAMAGE TO RENTED", 428.4, 314.8),
    _a("CLAIMS-MADE|CLAIMS - MADE", 68.4, 319.8),
    _a("OCCUR", 133.2, 319.8),
    _a("PREMISES (Ea occurrence)", 428.4, 320.9),
    _a("MED EXP (Any one person)", 428.4, 331.9),
    _a("PERSONAL & ADV INJURY", 428.4, 343.8),
    _a("GEN'L AGGREGATE LIMIT APPLIES PER:", 39.6, 355.8),
    _a("GENERAL AGGREGATE", 428.4, 355.8),
    _a("POLICY", 54.0, 367.8),
    _a("PRO-JECT|PROJECT|PRO- JECT", 97.2, 366.5),
    _a("LOC", 140.4, 367.8),
    _a("PRODUCTS - COMP/OP AGG", 428.4, 367.8),
    _a("OTHER:", 54.0, 380.2),
    _a("COMBINED SINGLE LIMIT", 428.4, 387.3),
    _a("AUTOMOBILE LIABILITY", 39.6, 389.8),
    _a("(Ea accident)", 428.4, 392.9),
    _a("ANY AUTO", 54.0, 401.4),
    _a("BODILY INJURY (Per person)", 428.4, 401.9),
    _a("OWNED|ALL OWNED", 54.0, 411.3),
    _a("SCHEDULED", 122.4, 411.3),
    _a("BODILY INJURY (Per accident)", 428.4, 413.9),
    _a("HIRED|HIRED AUTOS", 54.0, 423.3),
    _a("NON-OWNED", 122.4, 423.1),
    _a("PROPERTY DAMAGE", 428.4, 423.3),
    _a("(Per accident)", 428.4, 428.9),
    _a("UMBRELLA LIAB", 54.0, 449.8),
    _a("EACH OCCURRENCE", 428.4, 451.8),
    _a("OCCUR", 133.2, 452.2),
    _a("EXCESS LIAB", 54.0, 461.8),
    _a("CLAIMS-MADE|CLAIMS - MADE", 133.2, 463.8),
    _a("AGGREGATE", 428.4, 463.8),
    _a("DED", 54.0, 476.2),
    _a("RETENTION $|RETENTION", 90.0, 476.2),
    _a("PER", 442.8, 483.3),
    _a("WORKERS COMPENSATION", 37.8, 484.6),
    _a("STATUTE", 442.8, 488.8),
    _a("AND EMPLOYERS' LIABILITY", 37.8, 491.5),
    _a("Y / N|Y/N", 158.9, 494.1),
    _a("ANY PROPRIETOR/PARTNER/EXECUTIVE|ANYPROPRIETOR/PARTNER/EXECUTIVE", 37.8, 499.3),
    _a("E.L. EACH ACCIDENT", 428.4, 499.8),
    _a("N / A|N/A", 178.6, 503.8),
    _a("OFFICER/MEMBER EXCLUDED?", 37.8, 505.4),
    _a("(Mandatory in NH)", 37.8, 511.4),
    _a("E.L. DISEASE - EA EMPLOYEE", 428.4, 511.8),
    _a("If yes, describe under", 37.8, 518.4),
    _a("E.L. DISEASE - POLICY LIMIT", 428.4, 523.8),
    _a("DESCRIPTION OF OPERATIONS below", 37.8, 524.2),
    _a("DESCRIPTION OF OPERATIONS / LOCATIONS / VEHICLES", 21.6, 569.8),
    _a("CERTIFICATE HOLDER|HOLDER", 21.6, 654.9),
    _a("CANCELLATION", 309.6, 654.9),
    _a("AUTHORIZED REPRESENTATIVE|AUTHORIZED SIGNATURE", 309.6, 713.8),
    _a("ACORD 25", 21.6, 761.8),
)

# The "$" printed before every limit amount: a label, not part of a value.
DOLLAR_X = (516.0, 523.0)

# Grid columns and rows (template x and y ranges).
COLUMNS = {
    "letter": (14.0, 37.0),
    "addl": (175.0, 194.0),
    "subr": (194.0, 213.5),
    "number": (213.5, 330.0),
    "effective": (330.0, 378.0),
    "expiration": (378.0, 426.0),
}
ROWS: dict[Section, tuple[float, float]] = {
    "general_liability": (299.5, 384.0),
    "auto_liability": (384.0, 444.0),
    "excess_umbrella": (444.0, 480.0),
    "workers_comp": (480.0, 528.0),
    "other": (528.0, 566.0),
}
LIMIT_LABEL_X = (426.0, 516.0)
LIMIT_AMOUNT_X = (516.0, 604.0)
TYPE_X = (37.0, 175.0)


def _z(section: Section, role: str, box: tuple[float, float, float, float]) -> Zone:
    return Zone(section, role, box)


def _box(section: Section, role: str, box: tuple[float, float, float, float]) -> Zone:
    # Marks are small and often off-centre in scans: a box is read with a margin around it.
    x0, y0, x1, y1 = box
    return Zone(section, role, (x0 - 1.5, y0 - 1.0, x1 + 1.5, y1 + 1.0), checkbox=True)


def _amount(section: Section, role: str, y0: float, y1: float) -> Zone:
    return Zone(section, role, (LIMIT_AMOUNT_X[0], y0, LIMIT_AMOUNT_X[1], y1))


_C: Section = "certificate"
_GL: Section = "general_liability"
_AU: Section = "auto_liability"
_UM: Section = "excess_umbrella"
_WC: Section = "workers_comp"

# Header zones. Name-and-address blocks are read whole (agents let lines run over).
HEADER_ZONES: tuple[Zone, ...] = (
    _z(_C, "date", (500.0, 33.5, 604.0, 50.0)),
    _z(_C, "producer_block", (14.0, 130.5, 305.0, 182.0)),
    _z(_C, "producer_contact", (340.0, 118.5, 604.0, 132.0)),
    _z(_C, "producer_phone", (351.0, 132.0, 484.0, 144.0)),
    _z(_C, "producer_fax", (514.0, 132.0, 604.0, 144.0)),
    _z(_C, "producer_email", (342.0, 144.0, 604.0, 157.5)),
    *(
        zone
        for i, letter in enumerate("ABCDEF")
        for zone in (
            _z(_C, f"insurer_name_{letter}", (346.0, 168.5 + 12 * i, 540.0, 180.5 + 12 * i)),
            _z(_C, f"insurer_naic_{letter}", (540.0, 168.5 + 12 * i, 604.0, 180.5 + 12 * i)),
        )
    ),
    _z(_C, "insured_block", (14.0, 190.0, 305.0, 241.0)),
    _z(_C, "certificate_number", (258.0, 240.0, 420.0, 253.0)),
    _z(_C, "revision_number", (508.0, 240.0, 604.0, 253.0)),
    _z(_C, "description", (14.0, 574.5, 604.0, 648.0)),
    _z(_C, "holder_block", (14.0, 661.0, 305.0, 746.0)),
)

# Zones inside the rows that are not whole columns: checkboxes, limits, descriptions.
ROW_ZONES: tuple[Zone, ...] = (
    _box(_GL, "covered", (36, 300, 50, 312)),
    _box(_GL, "claims_made", (50, 312, 65, 324)),
    _box(_GL, "occurrence", (115, 312, 130, 324)),
    _box(_GL, "other_coverage_a", (36, 324, 50, 336)),
    _z(_GL, "other_coverage_a_text", (53.0, 324.0, 175.0, 336.0)),
    _box(_GL, "other_coverage_b", (36, 336, 50, 348)),
    _z(_GL, "other_coverage_b_text", (53.0, 336.0, 175.0, 348.0)),
    _box(_GL, "per_policy", (36, 360, 50, 372)),
    _box(_GL, "per_project", (79, 360, 94, 372)),
    _box(_GL, "per_location", (122, 360, 137, 372)),
    _box(_GL, "per_other", (36, 372, 50, 384)),
    _z(_GL, "per_other_text", (78.0, 372.0, 175.0, 384.0)),
    _amount(_GL, "each_occurrence", 300.0, 312.0),
    _amount(_GL, "damage_to_rented_premises", 312.0, 324.0),
    _amount(_GL, "medical_expense", 324.0, 336.0),
    _amount(_GL, "personal_advertising_injury", 336.0, 348.0),
    _amount(_GL, "general_aggregate", 348.0, 360.0),
    _amount(_GL, "products_completed_operations_aggregate", 360.0, 372.0),
    _z(_GL, "extra_limit_label", (426.0, 372.0, 516.0, 384.0)),
    _amount(_GL, "extra_limit_amount", 372.0, 384.0),
    _box(_AU, "any", (36, 396, 50, 408)),
    _box(_AU, "owned", (36, 408, 50, 420)),
    _box(_AU, "scheduled", (104, 408, 119, 420)),
    _box(_AU, "hired", (36, 420, 50, 432)),
    _box(_AU, "non_owned", (104, 420, 119, 432)),
    _box(_AU, "other_auto_a", (36, 432, 50, 444)),
    _z(_AU, "other_auto_a_text", (53.0, 432.0, 102.0, 444.0)),
    _box(_AU, "other_auto_b", (104, 432, 119, 444)),
    _z(_AU, "other_auto_b_text", (121.0, 432.0, 175.0, 444.0)),
    _amount(_AU, "combined_single_limit", 384.0, 396.0),
    _amount(_AU, "bodily_injury_per_person", 396.0, 408.0),
    _amount(_AU, "bodily_injury_per_accident", 408.0, 420.0),
    _amount(_AU, "property_damage", 420.0, 432.0),
    _z(_AU, "extra_limit_label", (426.0, 432.0, 516.0, 444.0)),
    _amount(_AU, "extra_limit_amount", 432.0, 444.0),
    _box(_UM, "umbrella", (36, 444, 50, 456)),
    _box(_UM, "occurrence", (115, 444, 130, 456)),
    _box(_UM, "excess", (36, 456, 50, 468)),
    _box(_UM, "claims_made", (115, 456, 130, 468)),
    _box(_UM, "deductible", (36, 468, 50, 480)),
    _box(_UM, "retention_box", (72, 468, 86, 480)),
    _z(_UM, "retention_amount", (130.5, 468.0, 175.0, 480.0)),
    _amount(_UM, "each_occurrence", 444.0, 456.0),
    _amount(_UM, "aggregate", 456.0, 468.0),
    _z(_UM, "extra_limit_label", (426.0, 468.0, 516.0, 480.0)),
    _amount(_UM, "extra_limit_amount", 468.0, 480.0),
    _box(_WC, "statutory", (425, 480, 439, 492)),
    _box(_WC, "other_box", (475, 480, 490, 492)),
    _z(_WC, "other_text", (508.0, 480.0, 604.0, 492.0)),
    _z(_WC, "excluded", (155.0, 497.0, 175.0, 511.0)),
    _amount(_WC, "el_each_accident", 492.0, 504.0),
    _amount(_WC, "el_disease_each_employee", 504.0, 516.0),
    _amount(_WC, "el_disease_policy_limit", 516.0, 528.0),
)
