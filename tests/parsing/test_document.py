"""parse_document: picking the reader, packages, endorsement pages, and every way to fail."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from coverwatch.errors import InvalidCertificate
from coverwatch.parsing import detect
from coverwatch.parsing.document import parse_document
from coverwatch.parsing.errors import ParseError
from tests.parsing import pdfs
from tests.parsing.accuracy import compare
from tests.parsing.corpus import generate, package
from tests.samples import drawn_certificate


def failure(content: bytes, **options: object) -> ParseError:
    with pytest.raises(ParseError) as caught:
        parse_document(content, **options)  # type: ignore[arg-type]
    error = caught.value
    assert isinstance(error, InvalidCertificate)
    assert "\n" not in error.message and error.message
    return error


def test_a_package_with_endorsement_pages() -> None:
    pdf, truth = package(5, pages=6)
    certificate = parse_document(pdf)
    assert certificate.source.pages == 6
    assert compare(certificate, truth).misses == []
    assert {e.page for e in certificate.endorsements} >= {2, 3, 4, 5, 6}


def test_the_certificate_need_not_be_page_one() -> None:
    pdf, truth = generate(9, "flattened")
    cover = pdfs.text_pages("Cover letter\nPlease find attached our certificate of insurance.")
    endorsement = pdfs.text_pages(
        "ADDITIONAL INSURED - OWNERS, LESSEES OR CONTRACTORS\nCG 20 10 04 13 (c) ISO Properties"
    )
    certificate = parse_document(pdfs.join(cover, pdf, endorsement))
    truth.endorsements = [e.model_copy(update={"page": 2}) for e in truth.endorsements]
    wanted = {(e.form, e.edition, e.page) for e in truth.endorsements} | {("CG 20 10", "04 13", 3)}
    assert {(e.form, e.edition, e.page) for e in certificate.endorsements} == wanted
    truth.endorsements = certificate.endorsements
    assert compare(certificate, truth).misses == []


def test_two_certificates_in_one_file_are_reported() -> None:
    first, _ = drawn_certificate()
    second, _ = drawn_certificate(insured="Bayside Drywall Inc")
    certificate = parse_document(pdfs.join(first, second))
    assert any("also hold a certificate" in w for w in certificate.warnings)


def test_scanned_pages_left_unread_are_reported() -> None:
    pdf, _ = drawn_certificate()
    certificate = parse_document(pdfs.join(pdf, pdfs.image_pdf()), ocr=False)
    assert any("not searched for endorsements" in w for w in certificate.warnings)


def test_a_text_layer_over_a_scan_is_trusted_less() -> None:
    pdf, truth = generate(8, "flattened")
    certificate = parse_document(pdfs.under_a_scan(pdf), ocr=False)
    assert compare(certificate, truth).misses == []
    assert any("OCR layer" in w for w in certificate.warnings)
    assert certificate.confidence <= 0.85


@pytest.mark.parametrize(
    ("content", "code", "status"),
    [
        (b"", "empty_file", 422),
        (b"GIF89a not a certificate", "unsupported_file_type", 415),
        (b"hello world", "unsupported_file_type", 415),
        (b"%PDF-1.7\n" + bytes(range(256)) * 40, "corrupt_file", 422),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "corrupt_file", 422),
    ],
)
def test_unreadable_files(content: bytes, code: str, status: int) -> None:
    error = failure(content)
    assert (error.code, error.status_code) == (code, status)


def test_size_is_checked_first() -> None:
    error = failure(b"x" * 2000, max_bytes=1000)
    assert (error.code, error.status_code) == ("file_too_large", 413)


def test_a_pdf_that_is_not_a_certificate() -> None:
    invoice = pdfs.text_pages("Invoice 42 for roofing work on the Summit project\nTotal due: $100")
    assert failure(invoice).code == "not_a_certificate"
    # A page with almost no text and no image is blank, not a scan to OCR.
    assert failure(pdfs.text_pages("Page 2")).code == "not_a_certificate"


def test_an_encrypted_pdf() -> None:
    pdf, truth = generate(4, "flattened")
    assert failure(pdfs.encrypted(pdf, user_password="secret")).code == "encrypted_file"
    # Encrypted with an owner password only: readable by anyone, so it is read.
    certificate = parse_document(pdfs.encrypted(pdf, user_password=""))
    assert compare(certificate, truth).misses == []


def test_too_many_pages() -> None:
    assert failure(pdfs.many_pages(61)).code == "too_many_pages"
    assert failure(pdfs.many_pages(12), max_pages=10).code == "too_many_pages"


def test_a_huge_page_tree_is_a_bomb() -> None:
    assert failure(pdfs.many_pages(detect.MAX_PAGE_TREE + 5)).code == "resource_limit"


def test_a_giant_image_is_refused_before_rendering() -> None:
    assert failure(pdfs.giant_image()).code == "resource_limit"


def test_a_decompression_bomb(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(detect, "MAX_EXPANDED_BYTES", 8 << 20)
    assert failure(pdfs.flate_bomb(16 << 20)).code == "resource_limit"


def test_deep_nesting_is_a_clear_error() -> None:
    assert failure(pdfs.deep_nesting(100_000)).code in ("not_a_certificate", "resource_limit")


def test_images_need_ocr(samples_dir: Path) -> None:
    png = (samples_dir / "sample_acord25_2016-03_sensible.png").read_bytes()
    assert failure(png, ocr=False).code == "ocr_unavailable"
    scan = samples_dir / "sample_acord25_2014-01_image-only-scan_sensible.pdf"
    assert failure(scan.read_bytes(), ocr=False).code == "ocr_unavailable"


def test_a_giant_image_file_is_refused() -> None:
    # A PNG whose header claims 60000 x 60000 pixels; nothing is decoded.
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 60_000, 60_000, 8, 0, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b""))
    assert failure(png + chunk(b"IEND", b"")).code == "resource_limit"


def test_the_sha256_and_page_count() -> None:
    pdf, _ = drawn_certificate()
    certificate = parse_document(pdf, filename="coi.pdf")
    assert certificate.source.pages == 1
    assert certificate.source.sha256 is not None and len(certificate.source.sha256) == 64
