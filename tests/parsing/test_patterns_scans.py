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
from coverwatch.parsing.ocr.watermark import watermark_mask
from tests.parsing.accuracy import Score, compare
from tests.parsing.scan_patterns import PATTERNS, printed, scan
from tests.parsing.scans import scan_kind

SEEDS = {pattern: (1, 4) for pattern in PATTERNS} | {"redrawn": (3, 4)}


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
