"""Generated ACORD 25 certificates with their ground truth, for the parsing tests and the bench.

`generate(seed, kind)` fills the blank fillable ACORD 25 (2016/03) from the ACORD samples folder
(tests/samples.py: without it, the calling test is skipped) with random but realistic values
(company names with suffixes and punctuation, several insurers with NAIC codes, all coverage rows
or some missing, Y/N/X marks, odd date and amount formats, descriptions that name endorsements)
and returns the PDF with the `CertificateData` a perfect reader would return.

- "fillable": the values live in the form fields (either blank distribution: plain or XFA hybrid).
- "flattened": the same certificate printed the way agency systems print it: the values drawn
  into the page content in Arial/Helvetica, no form fields left, text extractable by pdfium;
  with seeded agency quirks (values shifted by a few points, a page scaled to fit, text drawn
  before or after the form, ticks drawn as text X or ZapfDingbats crosses, a second OTHER
  policy on its own line). The OCR tests render these into scans.

The ground truth is written from the generator's own decisions, never from the product's
parsing code.
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterator
from typing import Literal

from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from coverwatch.certificates.schemas import CertificateData, Endorsement, Form, Source
from tests.parsing.corpus_patterns import PATTERNS, apply_to_spec, choose
from tests.parsing.corpus_print import BLANK, encode, fill, print_flat
from tests.parsing.corpus_spec import EDITION, FORMS, Spec, make_spec

Kind = Literal["fillable", "flattened"]
__all__ = ["BLANK", "PATTERNS", "Kind", "generate", "generate_corpus", "make_spec", "package"]


def generate(seed: int, kind: Kind, *, pattern: str | None = None) -> tuple[bytes, CertificateData]:
    """A certificate PDF of the given kind and what it says.

    Flattened prints show the real-world patterns of corpus_patterns.py with seeded
    probabilities, or, with `pattern`, that one pattern alone on every print.
    """
    spec = make_spec(seed)
    if kind == "fillable":
        pdf = fill(spec, xfa=seed % 3 == 2)
        truth = spec.truth.model_copy(deep=True)
        truth.source = Source(method="acroform", pages=1)
        return pdf, truth
    rng = random.Random(seed * 31 + 7)
    # One print in five is on the 2025/12 edition, from another agency system (HawkSoft's blank,
    # which prints the page at ~94% with a longer certification paragraph).
    edition: str | None = "2025/12" if rng.random() < 0.2 else EDITION
    quirks = choose(seed, pattern)
    apply_to_spec(spec, quirks)
    if "redraw" in quirks:
        # A carrier's own copy of the 2016/03 grid, without ACORD's edition stamp.
        pdf = print_flat(spec, rng=rng, quirks=quirks)
        edition = None
    else:
        pdf = print_flat(spec, rng=rng, edition=edition or EDITION, quirks=quirks)
    truth = spec.truth.model_copy(deep=True)
    truth.form = Form(edition=edition)
    truth.policies.extend(policy for policy, _ in spec.extra_other)
    truth.source = Source(method="text", pages=1)
    return pdf, truth


def generate_corpus(
    n: int, kind: Kind, *, start: int = 0, pattern: str | None = None
) -> Iterator[tuple[int, bytes, CertificateData]]:
    """`n` certificates (seed, pdf, truth) from seed `start` on (one pattern, or the mix)."""
    for seed in range(start, start + n):
        pdf, truth = generate(seed, kind, pattern=pattern)
        yield seed, pdf, truth


def fillable_with_printed_copy(seed: int, *, empty: set[str]) -> tuple[bytes, CertificateData]:
    """A filled form whose `empty` fields were left blank but whose page prints every value."""
    spec = make_spec(seed)
    spec.extra_other = []
    kept = Spec(fields={k: v for k, v in spec.fields.items() if k not in empty}, truth=spec.truth)
    filled = fill(kept)
    pdf = print_flat(spec, rng=random.Random(seed), onto=filled)
    truth = spec.truth.model_copy(deep=True)
    truth.source = Source(method="acroform", pages=1)
    return pdf, truth


# ---------------------------------------------------------------- packages


def package(seed: int, *, pages: int = 40) -> tuple[bytes, CertificateData]:
    """A certificate (flattened) followed by endorsement pages, as agencies send them."""
    pdf, truth = generate(seed, "flattened")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    rng = random.Random(seed)
    for number in range(2, pages + 1):
        form, edition, meaning = rng.choice(FORMS)
        page = writer.add_blank_page(612, 792)
        lines = [
            f"POLICY NUMBER: {rng.randrange(10**6, 10**8)}",
            f"THIS ENDORSEMENT CHANGES THE POLICY. PLEASE READ IT CAREFULLY. ({meaning.upper()})",
            *(
                "This endorsement modifies insurance provided under the following coverage part."
                for _ in range(30)
            ),
            f"{form} {edition}   (c) Insurance Services Office, Inc., 2012   Page 1 of 1",
        ]
        ops = [b"BT /F1 9 Tf 0 g 54 740 Td 12 TL"]
        for line in lines:
            ops.append(b"(%s) Tj T*" % encode(line))
        ops.append(b"ET")
        stream = DecodedStreamObject()
        stream.set_data(b"\n".join(ops))
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject(
            {
                NameObject("/Font"): DictionaryObject(
                    {
                        NameObject("/F1"): DictionaryObject(
                            {
                                NameObject("/Type"): NameObject("/Font"),
                                NameObject("/Subtype"): NameObject("/Type1"),
                                NameObject("/BaseFont"): NameObject("/Helvetica"),
                            }
                        )
                    }
                )
            }
        )
        truth.endorsements.append(Endorsement(form=form, edition=edition, page=number))
    out = io.BytesIO()
    writer.write(out)
    truth.source = Source(method="text", pages=pages)
    return out.getvalue(), truth
