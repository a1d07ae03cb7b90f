"""DKIM for the tests: a key per sending domain, messages signed with it, and the DNS answer.

The signature and its check are dkimpy's own; only the DNS lookup of the public key is
answered here, from the keys made below (the tests have no resolver to ask).
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from functools import cache

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from coverwatch.outreach import authentication

SELECTOR = "mail"


@cache
def _key(domain: str) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def as_sent(message: EmailMessage) -> bytes:
    """The message's bytes on the wire (CRLF line ends, as SMTP and IMAP carry them)."""
    return message.as_bytes(policy=policy.SMTP)


def signed(message: EmailMessage, *, domain: str) -> bytes:
    """The message as sent by `domain`'s mail server: with its DKIM-Signature on top."""
    raw = as_sent(message)
    pem = _key(domain).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    signature = dkim.sign(
        raw,
        SELECTOR.encode(),
        domain.encode(),
        pem,
        include_headers=[b"from", b"to", b"subject"],
    )
    return signature + raw


def _txt(name: bytes | str, timeout: int = 5) -> bytes | None:
    label = name.decode() if isinstance(name, bytes) else name
    prefix = f"{SELECTOR}._domainkey."
    if not label.startswith(prefix):
        return None
    domain = label.removeprefix(prefix).rstrip(".")
    public = (
        _key(domain)
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)


@pytest.fixture
def dkim_dns(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """DNS that publishes the tests' DKIM keys (every domain signs with `_key(domain)`)."""
    monkeypatch.setattr(authentication, "dns_lookup", _txt)
    yield
