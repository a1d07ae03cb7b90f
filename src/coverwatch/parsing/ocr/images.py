"""Page images for OCR: PDF pages rendered with pypdfium2, image files read with Pillow.

Every page comes out as an 8-bit grayscale array at about 300 dpi, whatever the input, so that
Tesseract sees glyphs of a predictable size and time and memory stay bounded:

- a PDF page is rendered at 300 dpi, or lower when the page is so large that 300 dpi would go
  past `WORKING_PIXELS`;
- an image is refused beyond `MAX_SOURCE_PIXELS` (decompression bombs), then resized so that its
  short side is 2550 px (8.5 inches at 300 dpi): an image carries no trustworthy page size (phones
  write 72 dpi), so it is treated as a US-Letter-wide page, 612 points across its short side.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageOps, UnidentifiedImageError

from coverwatch.parsing.errors import ParseError
from coverwatch.parsing.pdf_text import PDFIUM_LOCK

MAX_SOURCE_PIXELS = 60_000_000  # one image frame; larger is refused, not downscaled
WORKING_PIXELS = 12_000_000  # what OCR works on; 300 dpi Letter is 8.4 MP
MAX_PAGES = 50  # pages (PDF) or frames (TIFF) read in one call
RENDER_DPI = 300
LETTER_SHORT_SIDE_POINTS = 612.0
_TARGET_SHORT_SIDE_PX = round(LETTER_SHORT_SIDE_POINTS / 72 * RENDER_DPI)  # 2550
_MAX_UPSCALE = 4.0  # beyond this an image is too small to read anyway

T = TypeVar("T")


@dataclass(frozen=True)
class PageImage:
    """One page as grayscale pixels, with the factor that turns pixels into PDF points."""

    index: int
    gray: np.ndarray  # uint8, shape (height, width)
    points_per_pixel: float


def pdf_page_images(
    content: bytes, *, page_indexes: list[int] | None = None
) -> Iterator[PageImage]:
    """Render the chosen pages (all when None) of a PDF to grayscale, one at a time."""
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(content)
        except pdfium.PdfiumError as error:
            raise ParseError("corrupt_file", f"the PDF cannot be opened: {error}") from error
    try:
        with PDFIUM_LOCK:
            indexes = _chosen(page_indexes, len(document))
        for index in indexes:
            # Rendered lazily: a page's pixels are freed before the next page is drawn.
            with PDFIUM_LOCK:
                image = _render(document, index)
            yield image
    finally:
        with PDFIUM_LOCK:
            document.close()


def image_page_images(
    content: bytes, *, page_indexes: list[int] | None = None
) -> Iterator[PageImage]:
    """Decode a PNG, JPEG or (multi-frame) TIFF, honouring EXIF orientation, one page per frame."""
    image = _guarded(lambda: Image.open(io.BytesIO(content)))
    indexes = _chosen(page_indexes, _frame_count(image))
    for index in indexes:
        yield _guarded(partial(_frame_page, image, index))


def _guarded(step: Callable[[], T]) -> T:
    """Run one Pillow step, turning its refusals and decoding errors into ParseErrors."""
    with warnings.catch_warnings():
        # Pillow warns before it refuses; a warning-sized image is already past our budget.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return step()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ParseError("resource_limit", f"the image is too large: {error}") from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
            raise ParseError("corrupt_file", f"the image cannot be read: {error}") from error


def _chosen(page_indexes: list[int] | None, count: int) -> list[int]:
    indexes = list(range(count)) if page_indexes is None else list(page_indexes)
    outside = [index for index in indexes if not 0 <= index < count]
    if outside:
        raise ValueError(f"page index {outside[0]} is outside 0..{count - 1}")
    if len(indexes) > MAX_PAGES:
        raise ParseError("too_many_pages", f"{len(indexes)} pages to read, more than {MAX_PAGES}")
    return indexes


def _render(document: pdfium.PdfDocument, index: int) -> PageImage:
    page = document[index]
    width_pt, height_pt = page.get_size()
    if width_pt <= 0 or height_pt <= 0:
        raise ParseError("corrupt_file", f"page {index + 1} has no area")
    # pdfium rounds the bitmap up to whole pixels: aim a little under the budget.
    dpi = min(float(RENDER_DPI), 0.998 * 72 * (WORKING_PIXELS / (width_pt * height_pt)) ** 0.5)
    bitmap = page.render(scale=dpi / 72, grayscale=True)
    try:
        pixels = np.array(bitmap.to_numpy(), dtype=np.uint8)
    finally:
        bitmap.close()
        page.close()
    # pdfium hands back a 3-channel array for some grayscale bitmaps; keep one channel.
    gray = pixels if pixels.ndim == 2 else np.ascontiguousarray(pixels[..., 0])
    return PageImage(index=index, gray=gray, points_per_pixel=72 / dpi)


def _frame_count(image: Image.Image) -> int:
    return int(getattr(image, "n_frames", 1))


def _frame_page(image: Image.Image, index: int) -> PageImage:
    frame = _seek(image, index)
    width, height = frame.size
    if width * height > MAX_SOURCE_PIXELS:
        raise ParseError(
            "resource_limit",
            f"image frame {index + 1} is {width}x{height} pixels, "
            f"more than {MAX_SOURCE_PIXELS // 1_000_000} megapixels",
        )
    if width < 16 or height < 16:
        raise ParseError("corrupt_file", f"image frame {index + 1} is only {width}x{height} pixels")
    scale = _scale(width, height)
    if frame.format == "JPEG" and scale < 1:
        # JPEG can decode straight to a smaller grayscale size: far less memory for photos.
        frame.draft("L", (max(1, round(width * scale)), max(1, round(height * scale))))
    upright = ImageOps.exif_transpose(frame) or frame
    gray = _to_gray(upright)
    target = _target_size(upright.size, _scale(*upright.size))
    if gray.size != target:
        resample = (
            Image.Resampling.LANCZOS if target[0] < gray.size[0] else Image.Resampling.BICUBIC
        )
        gray = gray.resize(target, resample=resample)
    pixels = np.asarray(gray, dtype=np.uint8).copy()
    return PageImage(
        index=index,
        gray=pixels,
        points_per_pixel=LETTER_SHORT_SIDE_POINTS / min(pixels.shape),
    )


def _seek(image: Image.Image, index: int) -> Image.Image:
    image.seek(index)
    return image


def _scale(width: int, height: int) -> float:
    by_side = _TARGET_SHORT_SIDE_PX / min(width, height)
    by_budget = (WORKING_PIXELS / (width * height)) ** 0.5
    return min(by_side, by_budget, _MAX_UPSCALE)


def _target_size(size: tuple[int, int], scale: float) -> tuple[int, int]:
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def _to_gray(image: Image.Image) -> Image.Image:
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        values = np.asarray(image, dtype=np.float64)
        top = float(values.max()) or 1.0
        return Image.fromarray((values * (255.0 / top)).clip(0, 255).astype(np.uint8))
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # Transparent pixels often hold black: lay the image on white paper first.
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(paper, rgba).convert("L")
    return image.convert("L")
