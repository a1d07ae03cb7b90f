"""Words with their boxes: what every reader of a page produces and the layout reader consumes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Word:
    """One word on a page, in PDF points from the page's top-left corner (y grows downward)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    # 1.0 for a text layer; Tesseract's word confidence scaled to 0..1 for OCR.
    confidence: float = 1.0


@dataclass
class PageWords:
    """All words of one page, with the page size in points and where they came from."""

    index: int  # 0-based page number in the document
    width: float
    height: float
    source: Literal["text", "ocr"]
    words: list[Word] = field(default_factory=list)
    # Small drawn marks (an X or a tick stroked as lines): a text layer's check marks that are
    # not text. Boxes in the same points as the words.
    marks: list[Box] = field(default_factory=list)
    # Where text far larger than the form's, or turned, was left out (a SAMPLE watermark):
    # values under it may be hidden from a reader's eye.
    covered: list[Box] = field(default_factory=list)

    def text(self) -> str:
        """The words joined in storage order (for searching, not for reading order)."""
        return " ".join(word.text for word in self.words)
