"""The content-addressed document store."""

from __future__ import annotations

from pathlib import Path

import pytest

from coverwatch.errors import NotFound
from coverwatch.storage import LocalStore, sha256_of


def test_documents_are_stored_once_by_hash_and_never_overwritten(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    digest = store.put(b"%PDF-1.7 certificate")
    assert digest == sha256_of(b"%PDF-1.7 certificate")
    path = store.path_of(digest)
    first_mtime = path.stat().st_mtime_ns
    assert store.put(b"%PDF-1.7 certificate") == digest
    assert path.stat().st_mtime_ns == first_mtime
    assert store.get(digest) == b"%PDF-1.7 certificate"
    assert not list(path.parent.glob(".incoming-*"))


def test_unknown_or_malformed_addresses_are_not_found(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    with pytest.raises(NotFound):
        store.get("0" * 64)
    with pytest.raises(NotFound):
        store.get("../../etc/passwd")
