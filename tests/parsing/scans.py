"""Synthetic scans and phone photos of a certificate PDF, for the OCR tests and the scan bench.

Each scan is a deterministic function of (pdf, seed): the page is rendered at 150-300 dpi, then
degraded the way office scanners and phones degrade paper (skew, blur, noise, specks, uneven
light, JPEG artefacts, now and then a page fed sideways or upside down) and saved as a PDF of
images, a JPEG or a PNG.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np
import pypdfium2 as pdfium
from PIL import Image

ScanFormat = Literal["pdf", "jpeg", "png"]


@dataclass(frozen=True)
class ScanRecipe:
    """Every random choice behind one scan, so a failing case can be described and replayed."""

    dpi: int
    output: ScanFormat
    colour: bool
    skew_degrees: float
    quarter_turns: int  # counter-clockwise turns of 90 degrees
    blur_sigma: float
    noise_sigma: float
    specks: int
    uneven_light: float  # 0 = flat; up to ~0.35 = one side clearly darker
    jpeg_quality: int | None


def recipe(seed: int, *, dpi: int | None = None) -> ScanRecipe:
    """The degradations that `make_scan` applies for this seed."""
    rng = np.random.default_rng(seed)
    # Drawn even when `dpi` is given, so that a fixed dpi leaves every other choice as it was.
    drawn_dpi = int(rng.choice([150, 200, 200, 240, 300]))
    chosen_dpi = dpi or drawn_dpi
    output: ScanFormat = ("pdf", "jpeg", "png")[int(rng.choice(3, p=[0.5, 0.3, 0.2]))]
    turn = float(rng.random())
    quarter_turns = 1 if turn < 0.05 else 2 if turn < 0.10 else 3 if turn < 0.12 else 0
    jpeg_quality = None if output == "png" and rng.random() < 0.5 else int(rng.integers(35, 92))
    return ScanRecipe(
        dpi=chosen_dpi,
        output=output,
        colour=bool(rng.random() < 0.4),
        skew_degrees=round(float(rng.uniform(-3.0, 3.0)), 2),
        quarter_turns=quarter_turns,
        blur_sigma=round(float(rng.uniform(0.0, 1.0)), 2),
        noise_sigma=round(float(rng.uniform(1.0, 12.0)), 1),
        specks=int(rng.integers(0, 400)) if rng.random() < 0.4 else 0,
        uneven_light=round(float(rng.uniform(0.0, 0.35)), 2) if rng.random() < 0.3 else 0.0,
        jpeg_quality=jpeg_quality,
    )


def make_scan(pdf_bytes: bytes, *, seed: int, dpi: int | None = None) -> bytes:
    """A degraded raster copy of every page of `pdf_bytes` (a PDF of images, a JPEG or a PNG)."""
    plan = recipe(seed, dpi=dpi)
    rng = np.random.default_rng(seed + 1_000_003)
    document = pdfium.PdfDocument(pdf_bytes)
    try:
        pages = [_degrade(_render(document[i], plan.dpi), plan, rng) for i in range(len(document))]
    finally:
        document.close()
    return _save(pages, plan)


def scan_kind(data: bytes) -> Literal["pdf", "image"]:
    """Which `ocr_pages` kind a `make_scan` result is."""
    return "pdf" if data.startswith(b"%PDF") else "image"


def _render(page: pdfium.PdfPage, dpi: int) -> np.ndarray:
    bitmap = page.render(scale=dpi / 72)
    return np.asarray(bitmap.to_pil().convert("RGB"), dtype=np.uint8).copy()


def _degrade(rgb: np.ndarray, plan: ScanRecipe, rng: np.random.Generator) -> np.ndarray:
    image = rgb.astype(np.float32)
    height, width = image.shape[:2]
    # Scanner glass and phone lighting: a tinted sheet, darker towards one corner.
    if plan.colour:
        image *= np.array([1.0, 0.97, 0.9], dtype=np.float32) * float(rng.uniform(0.9, 1.0))
    if plan.uneven_light:
        ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
        angle = float(rng.uniform(0, 2 * np.pi))
        ramp = (np.cos(angle) * xs / width + np.sin(angle) * ys / height + 1.0) / 2.0
        image *= (1.0 - plan.uneven_light * ramp)[..., None]
    if plan.blur_sigma > 0.05:
        sigma = plan.blur_sigma * plan.dpi / 200
        image = cv2.GaussianBlur(image, (0, 0), sigmaX=sigma)
    image += rng.normal(0.0, plan.noise_sigma, size=image.shape[:2])[..., None].astype(np.float32)
    if plan.specks:
        ys = rng.integers(0, height, plan.specks)
        xs = rng.integers(0, width, plan.specks)
        image[ys, xs] = float(rng.uniform(0, 80))
    image = np.clip(image, 0, 255).astype(np.uint8)
    image = _rotate(image, plan.skew_degrees)
    if plan.quarter_turns:
        image = np.ascontiguousarray(np.rot90(image, plan.quarter_turns))
    return image if plan.colour else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)


def _rotate(image: np.ndarray, degrees: float) -> np.ndarray:
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    # Keep the canvas size, as a scanner does: a skewed sheet just loses its outer margin.
    return cv2.warpAffine(
        image,
        matrix,
        (width, height),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=(245, 245, 245),
    )


def _save(pages: list[np.ndarray], plan: ScanRecipe) -> bytes:
    images = [Image.fromarray(page) for page in pages]
    if plan.jpeg_quality is not None:
        images = [_jpeg_round_trip(image, plan.jpeg_quality) for image in images]
    buffer = io.BytesIO()
    if plan.output == "pdf":
        images[0].save(
            buffer,
            "PDF",
            resolution=float(plan.dpi),
            save_all=True,
            append_images=images[1:],
        )
    elif plan.output == "jpeg":
        images[0].save(buffer, "JPEG", quality=plan.jpeg_quality or 85, dpi=(plan.dpi, plan.dpi))
    else:
        images[0].save(buffer, "PNG", dpi=(plan.dpi, plan.dpi))
    return buffer.getvalue()


def _jpeg_round_trip(image: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    decoded = Image.open(buffer)
    decoded.load()
    return decoded
