"""Password hashes: one argon2 hasher for making them and checking them.

The hasher's parameters are argon2-cffi's defaults, which follow the current recommendation and
rise with new releases; a hash made with weaker ones is remade at the next sign-in
(`needs_rehash`), the only moment the password is known.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

HASHER = PasswordHasher()


def hash_password(password: str) -> str:
    """A new hash of `password`."""
    return HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches the hash (False without a hash, a password, or a valid hash)."""
    if not password_hash or not password:
        return False
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether a hash was made with other (weaker) parameters than the hasher's."""
    try:
        return HASHER.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True
