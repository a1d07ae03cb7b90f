"""Failure kinds of a bulk import, each with the HTTP status the API answers."""

from __future__ import annotations

from coverwatch.errors import Conflict, InvalidInput, PayloadTooLarge, UnsupportedMediaType


class UnreadableSpreadsheet(InvalidInput):
    """A vendor list that is not a CSV or XLSX we can read, or that holds no rows."""

    code = "unreadable_spreadsheet"


class NotASpreadsheet(UnsupportedMediaType):
    """A vendor list of another type (a PDF, an image, an old .xls)."""

    code = "not_a_spreadsheet"


class NoNameColumn(InvalidInput):
    """No column of the vendor list holds the vendor's name, and none was chosen."""

    code = "no_name_column"


class InvalidMapping(InvalidInput):
    """A column mapping naming a field or a column that does not exist."""

    code = "invalid_mapping"


class UnsafeArchive(InvalidInput):
    """A ZIP with names that climb out of it, or too many entries: refused whole."""

    code = "unsafe_archive"


class ArchiveTooLarge(PayloadTooLarge):
    """A ZIP whose files expand beyond the limit (a ZIP bomb, or simply too much at once)."""

    code = "archive_too_large"


class NotAnArchive(UnsupportedMediaType):
    """Certificates sent as something other than a ZIP."""

    code = "not_an_archive"


class ImportNotReady(Conflict):
    """The import is still reading its files, or was never run."""

    code = "import_not_ready"


class ImportAlreadyStarted(Conflict):
    """Tracking has started: the import can no longer be changed."""

    code = "import_already_started"
