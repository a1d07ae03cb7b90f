"""The corpus generator itself: fillable copies have filled fields, flattened ones have none."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
from pypdf import PdfReader

from coverwatch.parsing.pdf_text import PDFIUM_LOCK
from tests.parsing.corpus import generate, generate_corpus, make_spec


def test_the_same_seed_is_the_same_certificate() -> None:
    assert generate(21, "fillable") == generate(21, "fillable")
    assert make_spec(21).truth == make_spec(21).truth


def test_fillable_copies_carry_their_values_in_fields() -> None:
    for seed in (0, 2):  # plain and XFA-hybrid blanks
        pdf, truth = generate(seed, "fillable")
        fields = PdfReader(io.BytesIO(pdf)).get_fields() or {}
        values = {str(f.get("/V")) for f in fields.values() if f.get("/V")}
        assert truth.insured.name in values


def test_flattened_copies_have_no_fields_and_extractable_text() -> None:
    for seed, pdf, truth in generate_corpus(4, "flattened", start=30):
        reader = PdfReader(io.BytesIO(pdf))
        assert reader.get_fields() is None, seed
        assert "/Annots" not in reader.pages[0]
        with PDFIUM_LOCK:
            document = pdfium.PdfDocument(pdf)
            try:
                assert document.get_formtype() == 0
                textpage = document[0].get_textpage()
                text = textpage.get_text_range()
                textpage.close()
            finally:
                document.close()
        assert truth.insured.name is not None
        assert " ".join(truth.insured.name.split()[:2]) in " ".join(text.split())
