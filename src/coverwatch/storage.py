"""The document store: files kept by their SHA-256, written once and never overwritten."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from coverwatch.errors import NotFound
from coverwatch.settings import get_settings


def sha256_of(content: bytes) -> str:
    """The hex SHA-256 of `content`, the document's address."""
    return hashlib.sha256(content).hexdigest()


class LocalStore:
    """Documents in a folder, fanned out by the first hash characters."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, sha256: str) -> Path:
        """Where a document with this hash lives."""
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise NotFound("not a document address")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, content: bytes) -> str:
        """Store `content` once; storing the same bytes again changes nothing."""
        digest = sha256_of(content)
        target = self.path_of(digest)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write to a temporary file and rename: a crash never leaves a half-written document
        # under a valid address, and concurrent writers of the same bytes both succeed.
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, target)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        return digest

    def get(self, sha256: str) -> bytes:
        """The bytes of a stored document."""
        path = self.path_of(sha256)
        if not path.exists():
            raise NotFound(f"document {sha256} is not in the store")
        return path.read_bytes()

    def exists(self, sha256: str) -> bool:
        """Whether the store holds this document."""
        return self.path_of(sha256).exists()


def get_store() -> LocalStore:
    """The configured document store."""
    return LocalStore(get_settings().resolved_storage_path)
