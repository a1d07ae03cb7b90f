"""The layout reader on flattened certificates, and on words the way OCR hands them over."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from coverwatch.parsing.document import parse_document
from coverwatch.parsing.errors import ParseError
from coverwatch.parsing.layout.reader import edition, read_words
from coverwatch.parsing.pdf_text import PDFIUM_LOCK, page_words
from coverwatch.parsing.words import PageWords, Word
from tests.parsing.accuracy import compare
from tests.parsing.corpus import BLANK, generate
from tests.samples import sample


def words_of(pdf: bytes, index: int = 0) -> PageWords:
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(pdf)
        try:
            return page_words(document[index], index=index)
        finally:
            document.close()


def as_ocr(page: PageWords, words: list[Word]) -> PageWords:
    return PageWords(index=0, width=page.width, height=page.height, source="ocr", words=words)


def label_words(page: PageWords) -> set[int]:
    """Indexes of the words printed by the form itself (found on the blank at the same place)."""
    blank = {(w.text, round(w.x0), round(w.y0)) for w in words_of(sample(BLANK)).words}
    return {i for i, w in enumerate(page.words) if (w.text, round(w.x0), round(w.y0)) in blank}


@pytest.mark.parametrize("seed", [0, 3, 6, 9, 12, 15, 18, 21, 24, 27])
def test_generated_flattened_certificates_read_exactly(seed: int) -> None:
    pdf, truth = generate(seed, "flattened")
    certificate = parse_document(pdf)
    assert compare(certificate, truth).misses == []
    assert certificate.source.method == "text"
    assert certificate.needs_review == []


def test_scaled_and_shifted_words_still_read() -> None:
    # A scan of a page printed "fit to page", in another unit: everything moves and shrinks.
    pdf, truth = generate(3, "flattened")
    page = words_of(pdf)
    moved = [
        Word(w.text, w.x0 * 0.9 + 14, w.y0 * 0.92 + 9, w.x1 * 0.9 + 14, w.y1 * 0.92 + 9)
        for w in page.words
    ]
    certificate = read_words([as_ocr(page, moved)])
    assert compare(certificate, truth, label="scaled ").misses == []


def test_missing_split_and_merged_labels() -> None:
    pdf, truth = generate(7, "flattened")
    page = words_of(pdf)
    labels = label_words(page)
    rng = random.Random(7)
    words: list[Word] = []
    for i, word in enumerate(page.words):
        if i in labels and word.y0 < 740 and rng.random() < 0.3:
            continue  # OCR missed it (but read the footer that names the edition)
        if i in labels and len(word.text) > 6 and rng.random() < 0.3:
            middle = (word.x0 + word.x1) / 2
            cut = len(word.text) // 2
            words.append(replace(word, text=word.text[:cut], x1=middle - 0.5))
            words.append(replace(word, text=word.text[cut:], x0=middle + 0.5))
            continue
        words.append(word)
    certificate = read_words([as_ocr(page, words)])
    assert compare(certificate, truth).misses == []


def test_ocr_look_alikes_in_amounts_and_dates_are_corrected() -> None:
    pdf, truth = generate(10, "flattened")
    page = words_of(pdf)
    labels = label_words(page)
    words = [
        w
        if i in labels or not any(c.isdigit() for c in w.text)
        else replace(w, text=w.text.replace("0", "O"), confidence=0.93)
        for i, w in enumerate(page.words)
    ]
    certificate = read_words([as_ocr(page, words)])
    for policy, expected in zip(certificate.policies, truth.policies, strict=True):
        assert policy.limits == expected.limits
        assert policy.effective_date == expected.effective_date


def test_low_confidence_words_go_to_review_but_keep_their_value() -> None:
    pdf, truth = generate(12, "flattened")
    page = words_of(pdf)
    name_words = set(truth.insured.name.split()) if truth.insured.name else set()
    words = [
        replace(w, confidence=0.4) if w.text in name_words and 180 < w.y0 < 215 else w
        for w in page.words
    ]
    certificate = read_words([as_ocr(page, words)])
    assert certificate.insured.name == truth.insured.name
    assert "/insured/name" in certificate.needs_review
    assert certificate.confidence < 0.5


def test_ruling_lines_read_as_characters_are_ignored() -> None:
    pdf, truth = generate(15, "flattened")
    page = words_of(pdf)
    rules = [
        Word("|", x, y, x + 0.8, y + 9, 0.3)
        for x in (36.5, 175.5, 212.5, 330, 378)
        for y in range(300, 560, 13)
    ]
    certificate = read_words([as_ocr(page, [*page.words, *rules])])
    assert compare(certificate, truth).misses == []


def test_several_policies_on_one_row() -> None:
    pdf, truth = generate(18, "flattened")
    page = words_of(pdf)
    auto = next(p for p in truth.policies if p.type == "auto_liability")
    # A second auto policy written on the next line of the auto row.
    extra = [
        Word("B", 24, 426, 29, 434),
        Word("BA-7733", 222, 426, 260, 434),
        Word("02/01/2024", 333, 426, 372, 434),
        Word("02/01/2025", 380, 426, 419, 434),
    ]
    certificate = read_words([replace(page, words=[*page.words, *extra])])
    autos = [p for p in certificate.policies if p.type == "auto_liability"]
    assert [p.policy_number for p in autos] == [auto.policy_number, "BA-7733"]
    assert autos[0].limits == auto.limits
    index = certificate.policies.index(autos[0])
    # Whose limits they are is not written: the reader keeps them on the first and asks.
    assert any(path.startswith(f"/policies/{index}/limits") for path in certificate.needs_review)


def test_ticks_not_found_as_text_are_doubted() -> None:
    pdf, _ = generate(18, "flattened")
    page = words_of(pdf)
    words = [w for w in page.words if w.text not in ("X", "\u2718", "8")]
    certificate = read_words([replace(page, words=words)])
    general = next(i for i, p in enumerate(certificate.policies) if p.type == "general_liability")
    assert f"/policies/{general}/claims_made" in certificate.needs_review


def test_editions_from_the_footer(samples_dir: Path) -> None:
    assert edition("ACORD 25 (2016/03) The ACORD name") == "2016/03"
    assert edition("ACORD 25(2014/01)") == "2014/01"
    assert edition("ACORD 101 (2008/01)") is None
    blank = samples_dir / "blank_acord25_2025-12_flattened_hawksoft_altech.pdf"
    with pytest.raises(ParseError) as caught:
        parse_document(blank.read_bytes())
    assert caught.value.code == "not_a_certificate"


def test_the_2025_edition_printed_smaller_is_registered(samples_dir: Path) -> None:
    # The HawkSoft 2025/12 print is scaled to ~94% with a longer certification paragraph;
    # values placed where that print puts its boxes must land in the right fields.
    blank = words_of(
        (samples_dir / "blank_acord25_2025-12_flattened_hawksoft_altech.pdf").read_bytes()
    )
    occurrence = next(w for w in blank.words if w.text == "EACH" and w.x0 > 400)
    insured = next(w for w in blank.words if w.text == "INSURED" and w.x0 < 60)
    values = [
        Word("Summit", insured.x0 + 10, insured.y1 + 3, insured.x0 + 40, insured.y1 + 11),
        Word("Roofing", insured.x0 + 42, insured.y1 + 3, insured.x0 + 75, insured.y1 + 11),
        Word("LLC", insured.x0 + 77, insured.y1 + 3, insured.x0 + 95, insured.y1 + 11),
        Word("1,000,000", 540, occurrence.y0, 580, occurrence.y1),
        Word("GL-1", 250, occurrence.y0 + 20, 270, occurrence.y1 + 20),
        Word("01/01/2026", 335, occurrence.y0 + 20, 372, occurrence.y1 + 20),
    ]
    certificate = read_words([replace(blank, words=[*blank.words, *values])])
    assert certificate.form.edition == "2025/12"
    assert certificate.insured.name == "Summit Roofing LLC"
    general = certificate.policies[0]
    assert (general.type, general.policy_number) == ("general_liability", "GL-1")
    assert general.limits == {"each_occurrence": 1_000_000}


def test_words_that_are_not_a_form_are_refused() -> None:
    page = PageWords(
        index=0, width=612, height=792, source="text", words=[Word("Hello", 1, 1, 9, 9)]
    )
    with pytest.raises(ParseError) as caught:
        read_words([page])
    assert caught.value.code == "not_a_certificate"
