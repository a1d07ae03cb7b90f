"""Certificate files for tests: the ACORD sample folder, or a certificate coverwatch draws itself.

The samples (real certificates and the blank forms the corpus fills in) live outside the
repository, in COVERWATCH_SAMPLES_DIR (default: `../shared/acord-samples` beside it). A lone clone
has none: the tests that read them skip, saying why. CI sets COVERWATCH_REQUIRE_SAMPLES=1, so
there a missing folder fails those tests instead of hiding them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from coverwatch.certificates.schemas import CertificateData
from coverwatch.demo.drawing import certificate_pdf
from tests.certificates.factories import current_certificate

REPO = Path(__file__).resolve().parent.parent
SAMPLES_DIR = Path(
    os.environ.get("COVERWATCH_SAMPLES_DIR") or REPO.parent / "shared" / "acord-samples"
)
REQUIRED = os.environ.get("COVERWATCH_REQUIRE_SAMPLES") == "1"
MISSING = f"no ACORD samples in {SAMPLES_DIR} (set COVERWATCH_SAMPLES_DIR to the folder)"


def require_samples() -> Path:
    """The samples folder; the calling test is skipped without it (failed where required)."""
    if not (SAMPLES_DIR.is_dir() and any(SAMPLES_DIR.iterdir())):
        if REQUIRED:
            pytest.fail(f"{MISSING}; COVERWATCH_REQUIRE_SAMPLES=1 requires them", pytrace=False)
        pytest.skip(MISSING)
    return SAMPLES_DIR


def sample(name: str) -> bytes:
    """The bytes of one sample file (skips the calling test without the samples folder)."""
    return (require_samples() / name).read_bytes()


def drawn_certificate(**fields: Any) -> tuple[bytes, CertificateData]:
    """A flattened certificate coverwatch draws itself (needs no samples), and what it shows."""
    data = current_certificate(**fields)
    return certificate_pdf(data), data
