"""Why a document could not be read: one `ParseError` with a `code` per failure kind.

The API maps a ParseError to JSON through `CoverwatchError.to_json` (its `code` and `message`)
with the status of its code; the CLI prints `coverwatch: <message>` and exits 2.
"""

from __future__ import annotations

from typing import Any, Literal

from coverwatch.errors import InvalidCertificate

ParseErrorCode = Literal[
    "unsupported_file_type",
    "empty_file",
    "corrupt_file",
    "encrypted_file",
    "file_too_large",
    "too_many_pages",
    "resource_limit",
    "not_a_certificate",
    "ocr_unavailable",
]

MESSAGES: dict[str, str] = {
    "unsupported_file_type": "the file is not a PDF, PNG, JPEG or TIFF",
    "empty_file": "the file is empty",
    "corrupt_file": "the file is damaged and cannot be read",
    "encrypted_file": "the PDF is protected by a password",
    "file_too_large": "the file is too large",
    "too_many_pages": "the document has too many pages",
    "resource_limit": "the document needs more memory or time than allowed (a PDF bomb?)",
    "not_a_certificate": "no ACORD 25 certificate of liability insurance was found in the file",
    "ocr_unavailable": "the file is a scan or photo and OCR is not available",
}

# Status per code; the rest are 422 like any InvalidCertificate.
STATUS: dict[str, int] = {"unsupported_file_type": 415, "file_too_large": 413}


class ParseError(InvalidCertificate):
    """A document that cannot be read as a certificate; `code` says why."""

    def __init__(self, code: ParseErrorCode, message: str | None = None, *, details: Any = None):
        super().__init__(message or MESSAGES[code], details=details)
        self.code = code
        self.status_code = STATUS.get(code, InvalidCertificate.status_code)
