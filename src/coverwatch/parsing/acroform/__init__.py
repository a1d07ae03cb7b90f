"""The fillable-PDF reader: ACORD 25 form fields (AcroForm) into a certificate reading.

`reader.read_fields` takes a pypdf document and gives the readings `assemble` turns into data.
"""
