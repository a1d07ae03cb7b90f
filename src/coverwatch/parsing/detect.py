"""What a file is before it is read: its type, and for a PDF what each page holds.

Everything here is checked before anything expensive happens (rendering, OCR, decompressing a
stream in full), so that a hostile file fails fast with a clear `ParseError`: a PDF bomb's page
count is read from its page tree, its images' pixel sizes from their headers, and the sum of
what its compressed streams expand to is counted, not stored.
"""

from __future__ import annotations

import io
import re
import warnings
import zlib
from dataclasses import dataclass
from typing import Literal

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from coverwatch.parsing.errors import ParseError
from coverwatch.parsing.layout.anchors import normalise

FileKind = Literal["pdf", "png", "jpeg", "tiff"]

# Beyond these a document is refused as a bomb rather than read.
MAX_PAGE_TREE = 10_000
MAX_IMAGE_PIXELS = 120_000_000  # one image; a 300 dpi Letter page is 8.4 MP
MAX_EXPANDED_BYTES = 400_000_000  # all compressed non-image streams, decompressed
MAX_PAGE_POINTS = 200 * 72  # a page side longer than 200 inches
# A page with fewer text characters than this is treated as an image (a stamp or a page number
# printed over a scan is not a text layer).
MIN_TEXT_CHARS = 40

# The one test of what a file is, for uploads as for the parser: the bytes decide, not a
# declared Content-Type (phones say application/octet-stream). An image's magic number is its
# first bytes; a PDF's header may come after a byte-order mark, blank lines or other junk, as
# long as it is within the first kilobyte, which is how far pdfium looks for it.
PDF_HEADER = b"%PDF-"
PDF_HEADER_WITHIN = 1024
_MAGIC: tuple[tuple[bytes, FileKind], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
)
MEDIA_TYPES: dict[FileKind, str] = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "tiff": "image/tiff",
}
# HEIC/HEIF (an iPhone's photos) is not read, but is worth naming when refused.
_HEIC_BRANDS = (b"ftypheic", b"ftypheix", b"ftypmif1")


def sniff(content: bytes) -> FileKind | None:
    """The file type from its first bytes, or None for a file that is not read."""
    if PDF_HEADER in content[:PDF_HEADER_WITHIN]:
        return "pdf"
    return next((kind for magic, kind in _MAGIC if content.startswith(magic)), None)


def is_heic(content: bytes) -> bool:
    """Whether the file is a HEIC/HEIF photo."""
    return content[4:12] in _HEIC_BRANDS


def image_frames(content: bytes) -> int:
    """How many pages (frames) an image file holds, after checking its pixel size."""
    # Imported here: a PDF with a text layer is read without Pillow.
    from PIL import Image, UnidentifiedImageError

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(content)) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise ParseError("resource_limit", f"the image is {width}x{height} pixels")
                if width < 1 or height < 1:
                    raise ParseError("corrupt_file")
                return int(getattr(image, "n_frames", 1))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ParseError("resource_limit") from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
            raise ParseError("corrupt_file") from error


def check_streams(content: bytes) -> None:
    """Refuse a PDF whose compressed streams expand past the budget (a decompression bomb)."""
    budget = MAX_EXPANDED_BYTES
    for match in _STREAM.finditer(content):
        header = content[max(0, match.start() - 600) : match.start()]
        header = header[header.rfind(b"<<") :]
        if b"/Image" in header:
            _check_image_header(header)
            continue
        if b"/FlateDecode" not in header and b"/Fl " not in header and b"/Fl/" not in header:
            continue
        end = content.find(b"endstream", match.end())
        data = content[match.end() : end if end >= 0 else len(content)]
        budget -= _expanded_size(data, budget)
        if budget < 0:
            raise ParseError("resource_limit", "the PDF's compressed content expands too far")


_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_DIMENSION = re.compile(rb"/(Width|Height)\s+(\d{1,12})")


def _check_image_header(header: bytes) -> None:
    sizes = {name: int(value) for name, value in _DIMENSION.findall(header)}
    if sizes.get(b"Width", 0) * sizes.get(b"Height", 0) > MAX_IMAGE_PIXELS:
        raise ParseError("resource_limit", "the PDF holds an image too large to read")


def _expanded_size(data: bytes, budget: int) -> int:
    # Decompressed in slices and thrown away: only the size is wanted.
    inflater = zlib.decompressobj()
    size = 0
    chunk = data
    try:
        while chunk and size <= budget:
            out = inflater.decompress(chunk, 1 << 20)
            size += len(out)
            chunk = inflater.unconsumed_tail
            if not out:
                break
    except zlib.error:
        pass  # a damaged stream; pdfium decides what to make of it
    return size


def open_pdf(content: bytes) -> pdfium.PdfDocument:
    """The document opened with pdfium (caller holds PDFIUM_LOCK), errors as ParseError."""
    try:
        document = pdfium.PdfDocument(content)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise ParseError("encrypted_file") from error
        raise ParseError("corrupt_file") from error
    return document


@dataclass(frozen=True)
class PageSurvey:
    """What one PDF page holds, enough to choose its reader."""

    index: int
    chars: int
    text: str
    width: float
    height: float
    images: bool = False

    @property
    def is_image(self) -> bool:
        """Whether the page must be read by OCR (an image and no text layer worth the name)."""
        return 0 <= self.chars < MIN_TEXT_CHARS and self.images

    @property
    def broken(self) -> bool:
        """Whether pdfium could not load the page at all."""
        return self.chars < 0


def survey_page(document: pdfium.PdfDocument, *, index: int) -> PageSurvey:
    """Text and size of one page (caller holds PDFIUM_LOCK); a damaged page reads as broken."""
    try:
        page = document[index]
    except pdfium.PdfiumError:
        return PageSurvey(index=index, chars=-1, text="", width=0.0, height=0.0)
    try:
        width, height = page.get_size()
        textpage = page.get_textpage()
        try:
            chars = textpage.count_chars()
            text = textpage.get_text_range() if chars > 0 else ""
        finally:
            textpage.close()
        # Only a page with (almost) no text is a candidate for OCR: does it show an image?
        images = chars < MIN_TEXT_CHARS and any(
            True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=4)
        )
    finally:
        page.close()
    return PageSurvey(index, chars, text, width, height, images)


def check_renderable(document: pdfium.PdfDocument, *, index: int) -> None:
    """Refuse a page that would take too much memory to render (giant page or image)."""
    page = document[index]
    try:
        width, height = page.get_size()
        if max(width, height) > MAX_PAGE_POINTS or min(width, height) <= 0:
            raise ParseError("resource_limit", f"page {index + 1} is {width:.0f}x{height:.0f} pt")
        for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=4):
            px_width, px_height = image.get_px_size()
            if px_width * px_height > MAX_IMAGE_PIXELS:
                raise ParseError(
                    "resource_limit", f"page {index + 1} holds a {px_width}x{px_height} image"
                )
    finally:
        page.close()


def image_cover(page: pdfium.PdfPage) -> float:
    """The share of the page (0..1) under its largest image (caller holds PDFIUM_LOCK)."""
    width, height = page.get_size()
    largest = 0.0
    for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=4):
        left, bottom, right, top = image.get_bounds()
        largest = max(largest, max(0.0, right - left) * max(0.0, top - bottom))
    return min(1.0, largest / max(width * height, 1.0))


_TITLE = normalise("CERTIFICATE OF LIABILITY INSURANCE")
_LABELS = tuple(
    normalise(label)
    for label in (
        "PRODUCER",
        "INSURED",
        "INSURER A",
        "NAIC",
        "COVERAGES",
        "TYPE OF INSURANCE",
        "POLICY NUMBER",
        "EACH OCCURRENCE",
        "GENERAL AGGREGATE",
        "AUTOMOBILE LIABILITY",
        "WORKERS COMPENSATION",
        "DESCRIPTION OF OPERATIONS",
        "CERTIFICATE HOLDER",
        "CANCELLATION",
        "AUTHORIZED REPRESENTATIVE",
    )
)


def certificate_score(text: str) -> int:
    """How much a page's text looks like an ACORD 25 (0 when it does not)."""
    letters = normalise(text)
    labels = sum(1 for label in _LABELS if label in letters)
    title = _TITLE in letters
    # An ACORD 101 (additional remarks) names the ACORD 25 by title but lacks its labels.
    if labels >= 9 or (title and labels >= 6):
        return labels + (5 if title else 0) + (2 if "ACORD25" in letters else 0)
    return 0
