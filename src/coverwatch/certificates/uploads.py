"""Checking an uploaded file before it is stored: size and type, told apart by content."""

from __future__ import annotations

from coverwatch.errors import InvalidCertificate, PayloadTooLarge, UnsupportedMediaType
from coverwatch.parsing.detect import MEDIA_TYPES, is_heic, sniff


def check_upload(content: bytes, *, filename: str, max_bytes: int) -> str:
    """The media type of an acceptable upload, or the error that says what is wrong with it.

    The type is the parser's own reading of the bytes (`parsing.detect.sniff`), so a file is
    refused here exactly when the parser could not read it for its type.
    """
    if not content:
        raise InvalidCertificate(f"{filename or 'the upload'} is empty (0 bytes)")
    if len(content) > max_bytes:
        raise PayloadTooLarge(
            f"{filename or 'the upload'} is {len(content):,} bytes; the limit is {max_bytes:,}"
        )
    kind = sniff(content)
    if kind is None:
        if is_heic(content):
            raise UnsupportedMediaType(
                f"{filename or 'the upload'} is a HEIC photo; send it as JPEG or PDF"
            )
        raise UnsupportedMediaType(
            f"{filename or 'the upload'} is not a PDF or an image (PNG, JPEG, TIFF)"
        )
    return MEDIA_TYPES[kind]
