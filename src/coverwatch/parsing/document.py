"""The entry point: any uploaded file to one certificate (`parse_document`).

Order of work, cheapest first: size and type; for a PDF the page tree, the page texts and the
stream budget; then the reader that fits (form fields when the form is filled, the text layout
of a flattened page, OCR for a scan or photo); then endorsement forms in the certificate's text
and on every other page. Whatever goes wrong comes out as one `ParseError`.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass, replace
from typing import Any, Literal

import pypdfium2 as pdfium

from coverwatch.certificates.schemas import CertificateData, Source
from coverwatch.parsing import detect
from coverwatch.parsing.assemble import assemble
from coverwatch.parsing.endorsements import endorsements, free_text
from coverwatch.parsing.errors import MESSAGES, ParseError
from coverwatch.parsing.layout.anchors import register
from coverwatch.parsing.layout.reader import edition, read_page
from coverwatch.parsing.pdf_text import PDFIUM_LOCK, page_words
from coverwatch.parsing.readings import CertificateReading
from coverwatch.parsing.words import PageWords

logger = logging.getLogger(__name__)

MAX_BYTES = 25 * 1024 * 1024
# Words of a text layer laid over a scanned image came from someone's OCR, not from the
# system that wrote the certificate: they are taken with this confidence.
SCANNED_TEXT_CONFIDENCE = 0.85
# Scanned pages OCR'd per document (certificate search and endorsement pages together); each
# costs seconds, and a 40-page scanned package must not take minutes.
MAX_OCR_PAGES = 12
# A scanned page is taken for the certificate when this many printed labels are found on it.
_MIN_OCR_LABELS = 20


def parse_document(
    content: bytes,
    *,
    filename: str | None = None,
    max_pages: int = 60,
    ocr: bool = True,
    max_bytes: int = MAX_BYTES,
    max_ocr_pages: int = MAX_OCR_PAGES,
) -> CertificateData:
    """The certificate in a PDF or image file; a `ParseError` when there is none to read."""
    if not content:
        raise ParseError("empty_file")
    if len(content) > max_bytes:
        raise ParseError(
            "file_too_large", f"{MESSAGES['file_too_large']} (limit {max_bytes:,} bytes)"
        )
    kind = detect.sniff(content)
    if kind is None:
        raise ParseError("unsupported_file_type")
    try:
        if kind == "pdf":
            certificate = _parse_pdf(content, max_pages=max_pages, ocr=ocr, max_ocr=max_ocr_pages)
        else:
            certificate = _parse_image(content, max_pages=max_pages, ocr=ocr, max_ocr=max_ocr_pages)
    except ParseError:
        raise
    except (RecursionError, MemoryError) as error:
        raise ParseError("resource_limit") from error
    except pdfium.PdfiumError as error:
        raise ParseError("corrupt_file") from error
    except Exception as error:
        # A file that trips up a PDF library in a way we did not foresee is still a bad file
        # for the caller; the log keeps the trace for us.
        logger.exception("unexpected error reading %s", filename or "an upload")
        raise ParseError("corrupt_file") from error
    certificate.source.sha256 = hashlib.sha256(content).hexdigest()
    return certificate


# ---------------------------------------------------------------- PDF


@dataclass
class _Survey:
    """What the PDF holds, page by page."""

    count: int
    texts: dict[int, str]
    has_form: bool
    scans: list[int]  # pages without a text layer, for OCR
    candidates: list[int]  # text pages that look like an ACORD 25, best first
    broken: list[int]  # pages pdfium cannot load


def _parse_pdf(content: bytes, *, max_pages: int, ocr: bool, max_ocr: int) -> CertificateData:
    detect.check_streams(content)
    survey = _survey(content, max_pages=max_pages, max_ocr=max_ocr)
    reading = _acroform_reading(content, max_pages=max_pages) if survey.has_form else None
    layout = _layout_reading(content, survey, ocr=ocr) if survey.candidates else None
    if reading is None:
        reading = layout
    elif layout is not None:
        # Some systems also print the values on the page: fields win where they are filled,
        # the printed copy fills the rest (on a plain fillable it adds nothing).
        _fill_gaps(reading, layout)
    ocr_done: dict[int, PageWords] = {}
    if reading is None:
        reading = _ocr_certificate(content, survey.scans, ocr=ocr, max_ocr=max_ocr, done=ocr_done)
    texts = survey.texts
    if reading.edition is None:
        reading.edition = edition(texts.get(reading.page - 1, ""))
    certificate = _assembled(reading, pages=survey.count)
    if survey.broken:
        listed = ", ".join(str(i + 1) for i in survey.broken[:10])
        certificate.warnings.append(f"page(s) {listed} are damaged and were not read")
    others = [i + 1 for i in survey.candidates if i != reading.page - 1]
    if others:
        certificate.warnings.append(
            f"page(s) {', '.join(map(str, others))} also hold a certificate; "
            f"page {reading.page} was read"
        )
    # Endorsement pages: OCR the scanned ones still within the budget.
    remaining = [i for i in survey.scans if i not in ocr_done and i != reading.page - 1]
    budget = max(0, max_ocr - len(ocr_done))
    if remaining and ocr and budget:
        for page in _run_ocr(content, "pdf", remaining[:budget]):
            ocr_done[page.index] = page
    skipped = [i for i in remaining if i not in ocr_done]
    if skipped:
        listed = ", ".join(str(i + 1) for i in skipped[:10]) + ("..." if len(skipped) > 10 else "")
        certificate.warnings.append(
            f"{len(skipped)} scanned page(s) were not searched for endorsements (pages {listed})"
        )
    for index, page in ocr_done.items():
        texts[index] = page.text()
    _add_endorsements(certificate, reading, texts)
    return certificate


def _survey(content: bytes, *, max_pages: int, max_ocr: int) -> _Survey:
    with PDFIUM_LOCK:
        document = detect.open_pdf(content)
        try:
            count = len(document)
            if count > max(detect.MAX_PAGE_TREE, max_pages):
                raise ParseError("resource_limit", f"the PDF claims {count:,} pages")
            if count > max_pages:
                raise ParseError(
                    "too_many_pages", f"the document has {count} pages (limit {max_pages})"
                )
            if count == 0:
                raise ParseError("corrupt_file", "the PDF has no pages")
            pages = [detect.survey_page(document, index=i) for i in range(count)]
            scans = [page.index for page in pages if page.is_image]
            for index in scans[:max_ocr]:
                detect.check_renderable(document, index=index)
            has_form = document.get_formtype() != 0
        finally:
            document.close()
    if all(page.broken for page in pages):
        raise ParseError("corrupt_file", "no page of the PDF can be read")
    scores = {p.index: detect.certificate_score(p.text) for p in pages if not p.is_image}
    candidates = sorted((i for i, score in scores.items() if score > 0), key=lambda i: -scores[i])
    texts = {page.index: page.text for page in pages}
    broken = [page.index for page in pages if page.broken]
    return _Survey(count, texts, has_form, scans, candidates, broken)


def _layout_reading(content: bytes, survey: _Survey, *, ocr: bool) -> CertificateReading | None:
    index = survey.candidates[0]
    words, scanned = _text_words(content, index)
    try:
        reading = read_page(words)
    except ParseError:
        if not (scanned and ocr):
            raise
        # The labels are in the text but cannot be placed: a poor OCR layer over a scan.
        # The image itself is read instead.
        survey.scans.insert(0, index)
        return None
    if scanned:
        reading.warnings.append(
            f"the text of page {index + 1} lies over a scanned image (an OCR layer): "
            "it is read with less confidence"
        )
    return reading


def _text_words(content: bytes, index: int) -> tuple[PageWords, bool]:
    """The page's words, and whether they lie over a scan (then with lower confidence)."""
    with PDFIUM_LOCK:
        document = detect.open_pdf(content)
        try:
            page = document[index]
            try:
                words = page_words(page, index=index)
                scanned = detect.image_cover(page) > 0.5
            finally:
                page.close()
        finally:
            document.close()
    if scanned:
        words.words = [
            replace(w, confidence=min(w.confidence, SCANNED_TEXT_CONFIDENCE)) for w in words.words
        ]
    return words, scanned


def _assembled(reading: CertificateReading, *, pages: int) -> CertificateData:
    certificate = assemble(reading, source=Source(method=reading.method, pages=pages))
    if not (certificate.insured.name or certificate.insurers or certificate.policies):
        # The form is there but empty: nobody can be checked against it.
        raise ParseError("not_a_certificate", "the ACORD 25 form in the file is blank")
    return certificate


def _acroform_reading(content: bytes, *, max_pages: int) -> CertificateReading | None:
    # Imported here: pypdf reads form fields only, and most certificates have none.
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    from coverwatch.parsing.acroform import reader as acroform

    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return None
        found = acroform.form_page(reader, max_pages=max_pages)
    except RecursionError as error:
        raise ParseError("resource_limit", "the PDF's objects are nested too deep") from error
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as error:
        # pdfium opened the file; a form pypdf cannot read is read from its page layout.
        logger.info("form fields unreadable, reading the layout: %s", error)
        return None
    except Exception as error:  # pypdf's DependencyError (AES without a crypto library)...
        logger.info("form fields unreadable, reading the layout: %s", error)
        return None
    if found is None:
        return None
    index, fields = found
    if acroform.filled_count(fields) == 0:
        return None
    return acroform.read_fields(fields, page=index + 1)


def _fill_gaps(fields: CertificateReading, layout: CertificateReading) -> None:
    for role, value in layout.values.items():
        if role.endswith("_block"):
            party = role.removesuffix("_block")
            if f"{party}_name" in fields.values:
                continue
        fields.values.setdefault(role, value)
    for row in layout.rows:
        same = next((r for r in fields.rows if r.section == row.section and r.values), None)
        if same is None:
            fields.rows.append(row)
            continue
        for role, value in row.values.items():
            same.values.setdefault(role, value)
    fields.warnings.extend(layout.warnings)


# ---------------------------------------------------------------- images and OCR


def _parse_image(content: bytes, *, max_pages: int, ocr: bool, max_ocr: int) -> CertificateData:
    frames = detect.image_frames(content)
    if frames > max_pages:
        raise ParseError("too_many_pages", f"the image has {frames} pages (limit {max_pages})")
    if not ocr:
        raise ParseError("ocr_unavailable", "the file is an image and OCR is turned off")
    indexes = list(range(min(frames, max_ocr)))
    pages = _run_ocr(content, "image", indexes)
    best = _best_certificate(pages)
    if best is None:
        raise ParseError("not_a_certificate")
    reading = read_page(best)
    certificate = _assembled(reading, pages=frames)
    texts = {page.index: page.text() for page in pages}
    if frames > len(indexes):
        certificate.warnings.append(f"only the first {len(indexes)} of {frames} images were read")
    _add_endorsements(certificate, reading, texts)
    return certificate


def _ocr_certificate(
    content: bytes, scans: list[int], *, ocr: bool, max_ocr: int, done: dict[int, PageWords]
) -> CertificateReading:
    if not scans:
        raise ParseError("not_a_certificate")
    if not ocr:
        raise ParseError(
            "ocr_unavailable", "the certificate is a scanned image and OCR is turned off"
        )
    for index in scans[:max_ocr]:
        for page in _run_ocr(content, "pdf", [index]):
            done[page.index] = page
            registration = register(page)
            if registration is not None and registration.matched >= _MIN_OCR_LABELS:
                return read_page(page, registration=registration)
    raise ParseError("not_a_certificate")


def _best_certificate(pages: list[PageWords]) -> PageWords | None:
    best: tuple[int, PageWords] | None = None
    for page in pages:
        registration = register(page)
        if registration is None or registration.matched < _MIN_OCR_LABELS:
            continue
        if best is None or registration.matched > best[0]:
            best = (registration.matched, page)
    return best[1] if best else None


def _run_ocr(content: bytes, kind: Literal["pdf", "image"], indexes: list[int]) -> list[PageWords]:
    try:
        from coverwatch.parsing.ocr.reader import ocr_pages  # the OCR half; optional at import time
    except ImportError as error:
        raise ParseError("ocr_unavailable") from error
    try:
        return list(ocr_pages(content, kind=kind, page_indexes=indexes))
    except ParseError:
        raise
    except Exception as error:
        code = getattr(error, "code", None)
        if code in MESSAGES:
            raise ParseError(code, _message(error, code)) from error
        raise


def _message(error: Exception, code: Any) -> str:
    text = str(error).strip()
    return text if text else MESSAGES[code]


# ---------------------------------------------------------------- endorsements


def _add_endorsements(
    certificate: CertificateData, reading: CertificateReading, texts: dict[int, str]
) -> None:
    # The certificate's own free text, and every other page: in a package those are the
    # endorsements themselves.
    pages = [(reading.page, free_text(reading))]
    pages += [
        (index + 1, text) for index, text in sorted(texts.items()) if index != reading.page - 1
    ]
    certificate.endorsements = endorsements(pages)
