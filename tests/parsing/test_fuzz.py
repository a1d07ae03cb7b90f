"""Mutated certificates (flipped bytes, truncation, splices): a certificate or a ParseError, fast.

The examples are few and fixed per run (the suite must stay quick); `COVERWATCH_FUZZ_EXAMPLES`
asks for that many fresh ones, for a longer hunt.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coverwatch.certificates.schemas import CertificateData
from coverwatch.parsing.document import parse_document
from coverwatch.parsing.errors import ParseError
from tests.parsing.corpus import generate, package
from tests.samples import SAMPLES_DIR, drawn_certificate, sample

# A failing example is a whole PDF; its repr is long and that is fine.
pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")
EXAMPLES = int(os.environ.get("COVERWATCH_FUZZ_EXAMPLES", "40"))
# The default run is the same every time; a longer hunt draws new examples.
HUNT = "COVERWATCH_FUZZ_EXAMPLES" in os.environ
TIME_LIMIT = 10.0


@cache
def seeds() -> tuple[bytes, ...]:
    """Real and generated files to mutate."""
    files = [
        generate(1, "fillable")[0],
        generate(2, "flattened")[0],
        generate(5, "fillable")[0],  # the XFA hybrid
        package(3, pages=3)[0],
        sample("sample_acord25_2016-03_flattened-vector_sensible.pdf"),
    ]
    return tuple(files)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    content = bytearray(draw(st.sampled_from(seeds())))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(st.sampled_from(["flip", "truncate", "splice", "insert", "zero"]))
        if not content:
            break
        at = draw(st.integers(min_value=0, max_value=len(content) - 1))
        if kind == "flip":
            for offset in range(draw(st.integers(min_value=1, max_value=64))):
                position = (at + offset * 997) % len(content)
                content[position] ^= draw(st.integers(min_value=1, max_value=255))
        elif kind == "truncate":
            del content[at:]
        elif kind == "splice":
            other = draw(st.sampled_from(seeds()))
            start = draw(st.integers(min_value=0, max_value=len(other) - 1))
            content[at:at] = other[start : start + draw(st.integers(min_value=1, max_value=4096))]
        elif kind == "insert":
            content[at:at] = draw(st.binary(min_size=1, max_size=256))
        else:
            content[at : at + draw(st.integers(min_value=1, max_value=2048))] = b""
    return bytes(content)


# The files to mutate come from the samples folder (the blank forms and a real certificate).
@pytest.mark.usefixtures("samples_dir")
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not HUNT,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(content=mutated())
def test_mutated_files_parse_or_fail_cleanly(content: bytes) -> None:
    handler = _Unexpected()
    logging.getLogger("coverwatch.parsing").addHandler(handler)
    started = time.perf_counter()
    try:
        result = parse_document(content, ocr=False)
        assert isinstance(result, CertificateData)
    except ParseError as error:
        assert error.message
    finally:
        logging.getLogger("coverwatch.parsing").removeHandler(handler)
    assert time.perf_counter() - started < TIME_LIMIT
    # The catch-all turned a foreign exception into corrupt_file: a case worth a real answer.
    assert handler.records == [], handler.records[0].getMessage()


class _Unexpected(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


# A certificate coverwatch draws runs without the samples folder; each sample PDF, with it.
@pytest.mark.parametrize("name", ["drawn", *sorted(p.name for p in SAMPLES_DIR.glob("*.pdf"))])
def test_every_sample_truncated_anywhere(name: str) -> None:
    content = drawn_certificate()[0] if name == "drawn" else sample(name)
    for cut in range(0, len(content), max(1, len(content) // 12)):
        with contextlib.suppress(ParseError):
            parse_document(content[:cut], ocr=False)


def test_samples_folder_is_there(samples_dir: Path) -> None:
    # Without this, the truncation test above would quietly run on the drawn certificate only.
    assert list(samples_dir.glob("*.pdf"))
