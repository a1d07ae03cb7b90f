"""The files of a ZIP or a folder of certificates, with ZIP bombs and odd names refused; pure.

A ZIP is refused whole when it would be unsafe to open (names climbing out of it, too many
entries, more bytes expanded than the limit, an entry expanding far beyond its compressed size);
otherwise every entry is listed, and those that cannot be certificates (a spreadsheet, a ZIP
inside the ZIP, an encrypted entry, macOS resource forks) are kept with the reason.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from coverwatch.imports.errors import ArchiveTooLarge, NotAnArchive, UnsafeArchive

MAX_ENTRIES = 5_000
# An entry expanding more than this many times its compressed size, past 1 MB, is a bomb.
MAX_RATIO = 200
# Files that are never certificates, skipped without reading them.
_JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}


@dataclass(frozen=True)
class Entry:
    """One file of the archive or folder: its path inside, and its bytes or why it is skipped."""

    path: str
    content: bytes
    skipped: str | None = None


def zip_entries(content: bytes, *, max_entry_bytes: int, max_total_bytes: int) -> list[Entry]:
    """The files of a ZIP, in name order; raises when the ZIP is unsafe or not a ZIP."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise NotAnArchive("the certificates must be sent as a ZIP file") from exc
    with archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        if len(infos) > MAX_ENTRIES:
            raise UnsafeArchive(
                f"the ZIP holds {len(infos):,} files; the limit is {MAX_ENTRIES:,} per import"
            )
        for info in infos:
            if not safe_name(info.filename):
                raise UnsafeArchive(
                    f"the ZIP holds a file named {info.filename[:200]!r}, outside the folder it "
                    "unpacks to; it was refused whole (nothing was read)"
                )
        declared = sum(info.file_size for info in infos)
        if declared > max_total_bytes:
            raise ArchiveTooLarge(
                f"the ZIP expands to {declared:,} bytes; the limit is {max_total_bytes:,}"
            )
        entries, total = [], 0
        for info in sorted(infos, key=lambda i: i.filename):
            if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                ratio = info.file_size // max(info.compress_size, 1)
                raise ArchiveTooLarge(
                    f"{info.filename[:200]} expands {ratio:,} times its size in the ZIP: "
                    "refused as a ZIP bomb"
                )
            reason = _skip_reason(info.filename)
            if reason is None and info.flag_bits & 0x1:
                reason = "encrypted inside the ZIP"
            if reason is None and info.file_size > max_entry_bytes:
                reason = f"{info.file_size:,} bytes; the limit per file is {max_entry_bytes:,}"
            if reason is not None:
                entries.append(Entry(path=info.filename, content=b"", skipped=reason))
                continue
            data = _read_capped(archive, info, cap=max_entry_bytes)
            total += len(data) if data is not None else 0
            if data is None or total > max_total_bytes:
                # The sizes in the ZIP's directory lied: stop before memory does.
                raise ArchiveTooLarge(
                    f"the ZIP expands beyond {max_total_bytes:,} bytes: refused as a ZIP bomb"
                )
            entries.append(Entry(path=info.filename, content=data))
        return entries


def folder_entries(folder: Path, *, max_entry_bytes: int) -> Iterator[Entry]:
    """The files under a folder, in path order (symbolic links are not followed)."""
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
        relative = path.relative_to(folder).as_posix()
        reason = _skip_reason(relative)
        size = path.stat().st_size
        if reason is None and size > max_entry_bytes:
            reason = f"{size:,} bytes; the limit per file is {max_entry_bytes:,}"
        if reason is not None:
            yield Entry(path=relative, content=b"", skipped=reason)
        else:
            yield Entry(path=relative, content=path.read_bytes())


def safe_name(name: str) -> bool:
    """Whether an entry name stays inside the folder it unpacks to."""
    if not name or "\x00" in name:
        return False
    normal = name.replace("\\", "/")
    if normal.startswith("/") or (len(normal) > 1 and normal[1] == ":"):
        return False
    return ".." not in PurePosixPath(normal).parts


def _skip_reason(path: str) -> str | None:
    parts = PurePosixPath(path.replace("\\", "/")).parts
    base = parts[-1] if parts else path
    if "__MACOSX" in parts or base.startswith("._") or base.lower() in _JUNK_NAMES:
        return "a system file, not a certificate"
    extension = os.path.splitext(base)[1].lower()
    if extension in {".zip", ".7z", ".rar", ".tar", ".gz"}:
        return "an archive inside the archive is not opened; add its files instead"
    if extension in {".xlsx", ".xls", ".csv", ".doc", ".docx", ".txt", ".eml", ".msg"}:
        return f"a {extension[1:].upper()} file, not a certificate"
    return None


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, cap: int) -> bytes | None:
    """The entry's bytes, or None when it expands past `cap` whatever its header said."""
    with archive.open(info) as stream:
        data = stream.read(cap + 1)
    return None if len(data) > cap else data
