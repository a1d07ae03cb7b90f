"""A GC's real-world import, generated: a messy vendor list and a ZIP of its certificates.

The list has a title row above its headers, headers in another order and spelling, extra
columns, blank rows, duplicated vendors and misspelt names; the ZIP has nested folders, files
that are not certificates, a corrupt PDF, the same file twice and a certificate of a company
that is not on the list. `Import.expected` says what a right summary counts.
"""

from __future__ import annotations

import csv
import io
import random
import zipfile
from dataclasses import dataclass, field
from typing import Literal

from tests.imports import drawn

Kind = Literal["text", "text_deficient", "fillable", "scan", "none"]
_FIRST = tuple(
    str.split(
        "Acme Apex Atlas Beacon Birch Boulder Canyon Cedar Cobalt Condor "
        "Crescent Delta Dune Eagle Ember Falcon Fjord Forge Garnet Glacier "
        "Granite Harbor Hawk Heron Horizon Ironwood Jasper Juniper Keystone Kestrel "
        "Lakeside Laurel Liberty Lumen Magnolia Maple Marlin Meadow Mesa Monarch "
        "Northway Oakridge Onyx Orchid Osprey Pacific Paragon Pinnacle Prairie Quarry "
        "Raven Redwood Ridgeline Riverbend Sable Sagebrush Sentinel Sequoia Sierra Silverline "
        "Sparrow Summitview Sycamore Talon Thistle Timber Titan Tundra Valley Vanguard "
        "Vista Walnut Willow Zenith Alder Bramble Cypress Driftwood Elmstead Foxglove "
        "Goldcrest Hollow Indigo Larkspur"
    )
)
_TRADES = (
    ("Roofing", "Roofing"),
    ("Electric", "Electrical"),
    ("Plumbing", "Plumbing"),
    ("Concrete", "Concrete"),
    ("Drywall", "Drywall"),
    ("Masonry", "Masonry"),
    ("Mechanical", "HVAC"),
    ("Glazing", "Glass"),
    ("Painting", "Painting"),
    ("Excavation", "Sitework"),
)
_SUFFIXES = (", LLC", ", Inc.", " Co.", " LLC", " Corp.", " Inc")
HEADERS = {
    "vendor_name": "Subcontractor",
    "trade": "Trade / Scope",
    "contact_name": "Primary Contact",
    "contact_email": "E-mail Address",
    "contact_phone": "Phone #",
    "agent_name": "Insurance Agent",
    "agent_email": "Agent Email",
    "tax_id": "FEIN",
    "notes": "Comments",
}
EXTRA_HEADERS = ("Internal ID", "Region", "Last Updated")


@dataclass
class Vendor:
    """One vendor of the generated list, the certificate drawn for it, and its list spelling."""

    name: str
    listed_as: str
    trade: str
    kind: Kind
    email: str
    agent_email: str


@dataclass
class Import:
    """The generated list and ZIP, and what a right summary of them counts."""

    vendors: list[Vendor]
    sheet: bytes
    sheet_name: str
    archive: bytes
    certificate_files: int
    unknown_insured: int
    corrupt: int
    duplicates: int
    not_certificates: int
    duplicate_rows: int
    expected: dict[str, int] = field(default_factory=dict)


def make_vendors(count: int, *, seed: int, kinds: dict[Kind, int]) -> list[Vendor]:
    """`count` vendors with distinct names; a third listed with one letter wrong."""
    rng = random.Random(seed)
    plan: list[Kind] = [k for k, n in kinds.items() for _ in range(n)]
    plan += ["text"] * (count - len(plan))
    rng.shuffle(plan)
    vendors = []
    for index, kind in enumerate(plan[:count]):
        first = _FIRST[index % len(_FIRST)]
        word, trade = _TRADES[(index // len(_FIRST)) % len(_TRADES)]
        name = f"{first} {word}{rng.choice(_SUFFIXES)}"
        listed_as = misspell(name, rng) if rng.random() < 0.33 else name
        slug = f"{first}{word}".lower()
        vendors.append(
            Vendor(
                name=name,
                listed_as=listed_as,
                trade=trade,
                kind=kind,
                email=f"office@{slug}.example",
                agent_email=f"certs{index % 7}@agency.example",
            )
        )
    return vendors


def misspell(name: str, rng: random.Random) -> str:
    """The name with one letter of its longest word dropped, doubled or swapped."""
    words = name.split(" ")
    at = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[at]
    i = rng.randrange(1, len(word) - 2)
    how = rng.choice(("drop", "double", "swap"))
    if how == "drop":
        word = word[:i] + word[i + 1 :]
    elif how == "double":
        word = word[:i] + word[i] + word[i:]
    else:
        word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    words[at] = word
    return " ".join(words)


def messy_sheet(vendors: list[Vendor], *, seed: int, xlsx: bool = True) -> tuple[bytes, int]:
    """The vendor list as a GC keeps it, and how many rows repeat a vendor."""
    rng = random.Random(seed)
    fields = list(HEADERS)
    rng.shuffle(fields)
    columns = [*fields[:4], EXTRA_HEADERS[0], *fields[4:], *EXTRA_HEADERS[1:]]
    header = [HEADERS.get(c, c) for c in columns]
    rows: list[list[str]] = [["Subcontractor list - exported for insurance"], [], header]
    repeated = 0
    for index, vendor in enumerate(vendors):
        values = {
            "vendor_name": vendor.listed_as,
            "trade": vendor.trade,
            "contact_name": f"Office {index}",
            "contact_email": vendor.email,
            "contact_phone": f"555-01{index:02d}"[:12],
            "agent_name": f"Agent {index % 7}",
            "agent_email": vendor.agent_email,
            "tax_id": f"{10 + index:02d}-{1000000 + index:07d}",
            "notes": "" if index % 3 else "pays late",
            "Internal ID": f"V{index:04d}",
            "Region": rng.choice(("North", "South", "")),
            "Last Updated": "2026-01-15",
        }
        row = [values[c] for c in columns]
        rows.append(row)
        if index % 40 == 5:
            rows.append([])  # blank rows between groups
        if index % 50 == 7:
            rows.append(list(row))  # the same vendor entered twice
            repeated += 1
    if xlsx:
        import openpyxl

        workbook = openpyxl.Workbook()
        sheet = workbook.active
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue(), repeated
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue().encode(), repeated


def certificate_zip(vendors: list[Vendor], *, seed: int) -> tuple[bytes, dict[str, int]]:
    """The ZIP of certificates, with the clutter real folders have; and what it holds."""
    out = io.BytesIO()
    counts = {"certificates": 0, "unknown": 0, "corrupt": 1, "duplicates": 0, "other": 3}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, vendor in enumerate(vendors):
            if vendor.kind == "none":
                continue
            content = _certificate(vendor, seed=seed + index)
            folder = ("2026/", "2026/renewals/", "", "scans/old/")[index % 4]
            path = f"COIs/{folder}{vendor.trade.lower()}-{index:03d}.pdf"
            if content[:4] != b"%PDF":
                path = path.rsplit(".", 1)[0] + (".png" if content[:4] == b"\x89PNG" else ".jpg")
            archive.writestr(path, content)
            counts["certificates"] += 1
            if index % 60 == 3:
                archive.writestr(f"COIs/copies/{index:03d} (1).pdf", content)
                counts["duplicates"] += 1
        archive.writestr(
            "COIs/misc/unknown-co.pdf", drawn.text_pdf("Nobody On The List Carpentry, LLC")
        )
        counts["unknown"] = 1
        archive.writestr("COIs/misc/broken.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")
        archive.writestr("COIs/vendor list.xlsx", b"PK\x03\x04 not looked at")
        archive.writestr("COIs/readme.txt", b"certificates as of January")
        archive.writestr("__MACOSX/COIs/._broken.pdf", b"\x00\x05\x16\x07")
    return out.getvalue(), counts


def make_import(
    count: int = 200, *, seed: int = 7, kinds: dict[Kind, int] | None = None, xlsx: bool = True
) -> Import:
    """A whole generated import with its expected summary."""
    if kinds is None:
        kinds = {"text_deficient": 30, "fillable": 12, "scan": 3, "none": 20}
    vendors = make_vendors(count, seed=seed, kinds=kinds)
    sheet, repeated = messy_sheet(vendors, seed=seed, xlsx=xlsx)
    archive, counts = certificate_zip(vendors, seed=seed)
    generated = Import(
        vendors=vendors,
        sheet=sheet,
        sheet_name="Subcontractors 2026.xlsx" if xlsx else "subs.csv",
        archive=archive,
        certificate_files=counts["certificates"],
        unknown_insured=counts["unknown"],
        corrupt=counts["corrupt"],
        duplicates=counts["duplicates"],
        not_certificates=counts["other"],
        duplicate_rows=repeated,
    )
    generated.expected = {
        "vendors": count,
        "compliant": sum(1 for v in vendors if v.kind == "text"),
        "missing": sum(1 for v in vendors if v.kind == "none"),
        "deficient_text": sum(1 for v in vendors if v.kind == "text_deficient"),
        "fillable": sum(1 for v in vendors if v.kind == "fillable"),
        "scans": sum(1 for v in vendors if v.kind == "scan"),
    }
    return generated


def _certificate(vendor: Vendor, *, seed: int) -> bytes:
    if vendor.kind == "text":
        return drawn.text_pdf(vendor.name)
    if vendor.kind == "text_deficient":
        return drawn.text_pdf(vendor.name, compliant=False)
    if vendor.kind == "fillable":
        return drawn.fillable_pdf(vendor.name, seed=seed)
    return drawn.scan_pdf(vendor.name, seed=seed)
