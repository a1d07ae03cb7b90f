"""An upload is refused for its type exactly when the parser would refuse it for its type."""

from __future__ import annotations

import pytest

from coverwatch.certificates.uploads import check_upload
from coverwatch.errors import UnsupportedMediaType
from coverwatch.parsing.document import parse_document
from coverwatch.parsing.errors import ParseError
from tests.parsing.pdfs import text_pages

PNG = b"\x89PNG\r\n\x1a\n"
BOM = b"\xef\xbb\xbf"
PDF = text_pages("A page that is not a certificate")


CASES = {
    "pdf": PDF,
    "pdf after a BOM": BOM + PDF,
    "pdf after blank lines": b"\r\n\r\n" + PDF,
    "pdf after a BOM and 1000 bytes of junk": BOM + b"\x00" * 1000 + PDF,
    "pdf header past the first kilobyte": b"\x00" * 1100 + PDF,
    "png after spaces": b"  " + PNG + b"\x00" * 64,
    "png": PNG + b"\x00" * 64,
    "heic": b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64,
    "word": b"PK\x03\x04 word/document.xml",
    "text with a BOM": BOM + b"certificate of insurance",
}


def _parser_refuses_type(content: bytes) -> bool:
    try:
        parse_document(content, ocr=False)
    except ParseError as error:
        return error.code == "unsupported_file_type"
    return False


@pytest.mark.parametrize("name", CASES)
def test_uploads_and_the_parser_tell_file_types_alike(name: str) -> None:
    content = CASES[name]
    try:
        check_upload(content, filename=name, max_bytes=1 << 20)
        refused = False
    except UnsupportedMediaType:
        refused = True
    assert refused == _parser_refuses_type(content)


def test_a_refusal_says_what_the_file_is_not_and_names_a_heic_photo() -> None:
    with pytest.raises(UnsupportedMediaType, match="HEIC photo; send it as JPEG or PDF"):
        check_upload(CASES["heic"], filename="IMG_0001.HEIC", max_bytes=1 << 20)
    with pytest.raises(UnsupportedMediaType, match=r"notes\.txt is not a PDF or an image"):
        check_upload(CASES["text with a BOM"], filename="notes.txt", max_bytes=1 << 20)
    assert check_upload(CASES["pdf after a BOM"], filename="a.pdf", max_bytes=1 << 20) == (
        "application/pdf"
    )
