"""The scan and photo reader: Tesseract OCR of a page aligned to the known form.

`reader.ocr_pages` renders and deskews pages (images, cleanup, deskew), reads them with
Tesseract (tesseract, words), aligns them to the form (alignment, template) and votes on each
value cell (cells, cell_votes, fixes); the result goes to the layout reader's words.
"""
