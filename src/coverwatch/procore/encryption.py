"""Tokens and secrets encrypted at rest with a key derived from the deployment's secret key."""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from coverwatch.errors import CoverwatchError
from coverwatch.settings import get_settings


class SecretUnreadable(CoverwatchError):
    """A stored secret cannot be decrypted: the secret key changed since it was written."""

    code = "secret_unreadable"


@lru_cache(maxsize=4)
def _fernet(secret_key: str) -> Fernet:
    # A separate key per purpose, so the link-signing secret is never used as-is to encrypt.
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"coverwatch/procore-tokens/v1"
    ).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt(plain: str) -> str:
    """The ciphertext of `plain`, as text for a column."""
    return _fernet(get_settings().resolved_secret_key).encrypt(plain.encode()).decode()


def decrypt(cipher: str) -> str:
    """The plain text of a value written by `encrypt`."""
    try:
        return _fernet(get_settings().resolved_secret_key).decrypt(cipher.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadable(
            "a stored Procore secret cannot be decrypted; was COVERWATCH_SECRET_KEY changed?"
        ) from exc
