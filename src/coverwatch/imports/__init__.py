"""Bulk import: a GC's vendor spreadsheet and its folder or ZIP of certificates."""
