"""Scans of the real-world print patterns (`scan_patterns`): read well, nothing wrong as sure.

Two scans per pattern (a 200 dpi PNG and a 240 dpi JPEG photo; for the redrawn copy, a 300 dpi
PDF whose glyphs are outlines and the photo); the bench reads more
(`bench/bench_parse_scans.py --pattern NAME`).
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from coverwatch.parsing.document import parse_document
from coverwatch.parsing.layout.anchors import Registration
from coverwatch.parsing.ocr.alignment import Alignment
from coverwatch.parsing.ocr.leaks import without_leaks
from coverwatch.parsing.ocr.tesseract import TesseractWord
from coverwatch.parsing.ocr.watermark import watermark_mask
from tests.parsing.accuracy import Score, compare
from tests.parsing.scan_patterns import PATTERNS, printed, scan
from tests.parsing.scans import scan_kind

# One scan a pattern keeps the suite quick (the bench reads six); the redrawn copies twice,
# with and without outlined glyphs.
SEEDS = {pattern: (1,) for pattern in PATTERNS} | {"redrawn": (3, 4)}


@pytest.mark.parametrize("pattern", PATTERNS)
def test_a_pattern_reads_well_and_says_nothing_wrong_as_sure(pattern: str) -> None:
    total = Score()
    for seed in SEEDS[pattern]:
        data, truth = scan(seed, pattern=pattern)
        parsed = parse_document(data, filename=f"scan.{scan_kind(data)}")
        total.add(compare(parsed, truth, label=f"#{seed} "))
    assert total.sure_wrong == 0, total.misses
    assert total.accuracy >= 0.95, total.misses


def test_pattern_truth_follows_the_generators_decisions() -> None:
    for seed in range(6):
        _, few = printed(seed, pattern="empty_insurers")
        letters = {insurer.letter for insurer in few.insurers}
        assert 1 <= len(letters) <= 3
        assert {policy.insurer_letter for policy in few.policies} <= letters
        _, marked = printed(seed, pattern="marks")
        for policy in marked.policies:
            assert policy.insurer_letter in {insurer.letter for insurer in marked.insurers}
            assert policy.waiver_of_subrogation is not None
            assert (policy.additional_insured is None) == (policy.type == "workers_comp")
        _, redrawn = printed(seed, pattern="redrawn")
        assert redrawn.form.edition is None
    with pytest.raises(ValueError, match="unknown pattern"):
        printed(0, pattern="coffee_stain")


def _page(*, stamp: bool) -> np.ndarray:
    page = np.full((1100, 850), 255, np.uint8)
    for row in range(20):
        cv2.putText(page, "GENERAL AGGREGATE 2,000,000", (40, 60 + 50 * row), 0, 0.9, 0, 2)
    if stamp:
        cv2.putText(page, "SAMPLE", (200, 900), 0, 6.0, 150, 24)
    return page


def test_a_watermark_is_found_by_its_wide_strokes_and_type_is_not() -> None:
    mask = watermark_mask(_page(stamp=True), dpi=100)
    assert mask is not None
    assert mask[700:900, 200:800].mean() > 0.2
    assert not mask[40:70, 40:500].any()
    assert watermark_mask(_page(stamp=False), dpi=100) is None


# ---------------------------------------------------------------- label leaks, without OCR

# Form points as page pixels, one for one.
_IDENTITY = Alignment(
    registration=Registration(ax=1.0, bx=0.0, ay=1.0, by=0.0, knots=[], matched=60, residual=0.1),
    points_per_pixel=1.0,
)


def _word(text: str, x: int, y: int, width: int = 30, confidence: float = 0.95) -> TesseractWord:
    return TesseractWord(text, x, y, width, 8, confidence, (1, 1, y))


def _texts(words: list[TesseractWord]) -> dict[str, float]:
    return {word.text: word.confidence for word in without_leaks(words, _IDENTITY)}


def test_a_label_word_beside_a_value_is_dropped_and_the_value_doubted() -> None:
    read = _texts(
        [_word("CONTACT", 341, 121), _word("CLIENT", 375, 121), _word("CENTER", 410, 121)]
    )
    assert set(read) == {"CLIENT", "CENTER"}
    assert max(read.values()) < 0.8
    # A value in mixed case is no label, and a label word inside a value stays.
    assert _texts([_word("Contact", 341, 121), _word("Desk", 375, 121)]) == {
        "Contact": 0.95,
        "Desk": 0.95,
    }
    read = _texts([_word("NAME:Megan", 341, 121), _word("Jablonski", 385, 121)])
    assert read["Megan"] < 0.8 and "Jablonski" in read


def test_row_letters_are_no_insurer_names_and_a_one_letter_word_is_kept() -> None:
    assert _texts([_word("C:", 342, 196, width=6)]) == {}
    assert _texts([_word("B", 347, 184, width=5)]) == {}
    read = _texts([_word("A:Northbridge", 343, 172, width=60), _word("Indemnity", 410, 172)])
    assert set(read) == {"Northbridge", "Indemnity"} and read["Northbridge"] < 0.8
    read = _texts(
        [_word("F", 350, 208, width=5), _word("re", 358, 208), _word("Insurance", 400, 208)]
    )
    assert set(read) == {"F", "re", "Insurance"}


def test_a_policy_number_column_without_digits_holds_no_policy_number() -> None:
    assert _texts([_word("N/A", 250, 486), _word("xX", 250, 300, width=10)]) == {}
    assert set(_texts([_word("WC-2537797", 250, 486, width=60)])) == {"WC-2537797"}


def test_a_name_on_its_block_labels_line_moves_into_the_block_doubted() -> None:
    words = [_word("INSURED", 22, 182), _word("Ellsworth", 52, 182), _word("Ltd.", 90, 182)]
    moved = {word.text: word for word in without_leaks(words, _IDENTITY)}
    assert moved["Ellsworth"].top >= 190 and moved["Ellsworth"].confidence < 0.8
    # Without the label before it, a line there (the box above reaching in) stays put.
    (kept,) = without_leaks([_word("Madison", 60, 182)], _IDENTITY)
    assert kept.top == 182
