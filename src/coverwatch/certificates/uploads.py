"""Checking an uploaded file before it is stored: size and type, told apart by content."""

from __future__ import annotations

from coverwatch.errors import InvalidCertificate, PayloadTooLarge, UnsupportedMediaType

# Magic numbers: the declared Content-Type of an upload is often wrong (phones say
# application/octet-stream), so the bytes decide.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)


def sniff_type(content: bytes) -> str | None:
    """The media type of a certificate file from its first bytes, or None."""
    head = content[:1024].lstrip()
    for signature, media_type in SIGNATURES:
        if head.startswith(signature):
            return media_type
    return None


def check_upload(content: bytes, *, filename: str, max_bytes: int) -> str:
    """The media type of an acceptable upload, or the error that says what is wrong with it."""
    if not content:
        raise InvalidCertificate(f"{filename or 'the upload'} is empty (0 bytes)")
    if len(content) > max_bytes:
        raise PayloadTooLarge(
            f"{filename or 'the upload'} is {len(content):,} bytes; the limit is {max_bytes:,}"
        )
    media_type = sniff_type(content)
    if media_type is None:
        if content[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
            raise UnsupportedMediaType(
                f"{filename or 'the upload'} is a HEIC photo; send it as JPEG or PDF"
            )
        raise UnsupportedMediaType(
            f"{filename or 'the upload'} is not a PDF or an image (PNG, JPEG, TIFF)"
        )
    return media_type
