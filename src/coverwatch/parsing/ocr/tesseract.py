"""Tesseract through pytesseract: one call per image, words with pixel boxes, bounded in time."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pytesseract

from coverwatch.parsing.errors import ParseError

# Tesseract's OpenMP threads make one page ~6x slower on a 2-core machine (they spin against
# each other and against the other workers); one thread per process is the fast setting.
THREAD_LIMIT = "1"


@dataclass(frozen=True)
class TesseractWord:
    """One word as Tesseract reports it: pixel box, confidence 0..1 and its line's id."""

    text: str
    left: int
    top: int
    width: int
    height: int
    confidence: float
    line: tuple[int, int, int]  # (block, paragraph, line) numbers, unique within one call


def recognise(
    image: np.ndarray,
    *,
    psm: int,
    dpi: float,
    timeout: float,
    whitelist: str | None = None,
) -> list[TesseractWord]:
    """The words Tesseract finds in a grayscale or 0/255 image, in reading order."""
    # pytesseract passes os.environ to the tesseract process; an operator's value wins.
    os.environ.setdefault("OMP_THREAD_LIMIT", THREAD_LIMIT)
    config = f"--psm {psm} --dpi {round(dpi)} -c tessedit_do_invert=0"
    if whitelist:
        config += f" -c tessedit_char_whitelist={whitelist}"
    with tempfile.TemporaryDirectory(prefix="coverwatch-ocr-") as folder:
        # An uncompressed BMP costs ~5 ms to write where pytesseract's PNG costs ~90 ms.
        path = Path(folder) / "page.bmp"
        if not cv2.imwrite(str(path), image):
            raise ParseError("resource_limit", "the page image could not be prepared for OCR")
        data = _run(str(path), config=config, timeout=timeout)
    return _words(data)


def _run(path: str, *, config: str, timeout: float) -> dict[str, list[object]]:
    try:
        result: dict[str, list[object]] = pytesseract.image_to_data(
            path, lang="eng", config=config, timeout=timeout, output_type=pytesseract.Output.DICT
        )
        return result
    except pytesseract.TesseractNotFoundError as error:
        raise ParseError("ocr_unavailable", "Tesseract is not installed") from error
    except pytesseract.TesseractError as error:
        raise ParseError("ocr_unavailable", f"Tesseract failed: {error.message}") from error
    except RuntimeError as error:
        # pytesseract's way of saying it killed a call that ran past its timeout.
        if "timeout" in str(error).lower():
            raise ParseError(
                "resource_limit", f"OCR of a page took longer than {timeout:.0f} s"
            ) from error
        raise


def _words(data: dict[str, list[object]]) -> list[TesseractWord]:
    words: list[TesseractWord] = []
    for i, raw in enumerate(data["text"]):
        text = str(raw).strip()
        confidence = float(str(data["conf"][i]))
        if not text or confidence < 0:
            continue
        words.append(
            TesseractWord(
                text=text,
                left=int(str(data["left"][i])),
                top=int(str(data["top"][i])),
                width=int(str(data["width"][i])),
                height=int(str(data["height"][i])),
                confidence=max(0.0, min(1.0, confidence / 100)),
                line=(
                    int(str(data["block_num"][i])),
                    int(str(data["par_num"][i])),
                    int(str(data["line_num"][i])),
                ),
            )
        )
    return words
