"""Real-world print patterns on text-layer certificates: each pattern alone, a small corpus."""

from __future__ import annotations

import pytest

from coverwatch.parsing.document import parse_document
from tests.parsing.accuracy import Score, compare
from tests.parsing.corpus import PATTERNS, generate, generate_corpus

SEEDS = 12


def _score(pattern: str) -> tuple[Score, list[list[str]]]:
    score, flagged = Score(), []
    for seed, pdf, truth in generate_corpus(SEEDS, "flattened", start=500, pattern=pattern):
        parsed = parse_document(pdf)
        assert parsed.source.method == "text", seed
        score.add(compare(parsed, truth, label=f"{pattern} seed {seed}: "))
        flagged.append(parsed.needs_review)
    return score, flagged


@pytest.mark.parametrize("pattern", PATTERNS)
def test_each_print_pattern_reads_right_and_is_never_sure_of_a_wrong_value(pattern: str) -> None:
    score, _ = _score(pattern)
    assert score.accuracy >= 0.995, score.misses[:10]
    assert score.sure_wrong == 0, score.misses[:10]
    assert score.extra == 0, score.misses[:10]  # no invented insurer, policy or value


def test_drawn_check_marks_are_read_without_sending_the_marks_to_review() -> None:
    _, flagged = _score("vector_ticks")
    assert not any(p.endswith(("/claims_made", "/autos")) for paths in flagged for p in paths)


def test_values_under_a_watermark_are_read_but_flagged() -> None:
    _, flagged = _score("watermark")
    assert any("/limits/" in path for paths in flagged for path in paths)


def test_a_contact_line_above_a_name_is_left_out_of_it() -> None:
    pdf, truth = generate(3, "flattened", pattern="line_above")
    parsed = parse_document(pdf)
    assert parsed.certificate_holder.name == truth.certificate_holder.name
    assert parsed.producer.name == truth.producer.name
    assert "@" not in (parsed.certificate_holder.name or "")


def test_a_redrawn_form_has_no_edition() -> None:
    pdf, truth = generate(3, "flattened", pattern="redraw")
    parsed = parse_document(pdf)
    assert truth.form.edition is None
    assert parsed.form.edition is None


def test_the_mixed_corpus_holds_every_pattern() -> None:
    from tests.parsing.corpus_patterns import choose

    seen = set().union(*(choose(seed).on for seed in range(400)))
    assert seen == set(PATTERNS)


def test_an_insurer_row_with_only_its_letter_is_no_insurer_and_junk_is_no_policy() -> None:
    from coverwatch.parsing.assemble import assemble
    from coverwatch.parsing.readings import CertificateReading, Reading, RowReading

    reading = CertificateReading(method="text")
    reading.values = {
        "insurer_name_A": Reading("A : Granite Peak Casualty Company"),
        "insurer_name_B": Reading("B"),
        "insurer_name_C": Reading("C:"),
        "insurer_name_D": Reading("INSURER D :"),
    }
    reading.rows = [
        RowReading(section="other", values={"number": Reading("N/A")}),
        RowReading(section="auto_liability", values={"number": Reading("xX")}),
        RowReading(
            section="workers_comp",
            values={"number": Reading("xX"), "effective": Reading("01/02/2025")},
        ),
    ]
    certificate = assemble(reading)
    assert [(i.letter, i.name) for i in certificate.insurers] == [
        ("A", "Granite Peak Casualty Company")
    ]
    assert len(certificate.policies) == 1
    assert certificate.policies[0].policy_number is None
    assert "/policies/0/policy_number" in certificate.needs_review
