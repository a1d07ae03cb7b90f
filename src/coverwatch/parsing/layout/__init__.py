"""The flattened-PDF reader: words with positions, anchored on the printed ACORD 25 labels.

`reader.read_page` takes a page's words (pdf_text) and gives a reading; `anchors` registers an
edition's labels, `template` holds where each field sits relative to them.
"""
