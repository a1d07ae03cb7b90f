"""OAuth 2 with Procore: the authorization code grant (app installs) and client credentials (DMSA).

Procore rotates refresh tokens: each refresh answers a new one and the old one stops working at
once. So a refresh happens under the connection row's write lock and the new pair is committed
before anyone uses it; a second worker waiting on the lock then finds the fresh token and does
not spend the (already dead) old refresh token.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
from sqlalchemy import update

from coverwatch.db import session_scope, utcnow
from coverwatch.procore.encryption import decrypt, encrypt
from coverwatch.procore.errors import ProcoreAuthError, ProcoreNotConnected, ProcoreTransportError
from coverwatch.procore.models import ProcoreConnection

# (API base URL, login base URL) per environment; "local" is the sandbox of `procore-sandbox`.
ENVIRONMENTS: dict[str, tuple[str, str]] = {
    "production": ("https://api.procore.com", "https://login.procore.com"),
    "sandbox": ("https://sandbox.procore.com", "https://login-sandbox.procore.com"),
    "monthly_sandbox": (
        "https://api-monthly.procore.com",
        "https://login-sandbox-monthly.procore.com",
    ),
    "local": ("http://127.0.0.1:8900", "http://127.0.0.1:8900"),
}
# The "installed app" redirect: Procore shows the code for the user to paste.
OOB_REDIRECT_URI = "urn:ietf:wg:oauth:2.0:oob"
# Refresh a little before Procore's expiry, so a token never dies in the middle of a request.
EXPIRY_MARGIN = timedelta(seconds=120)


@dataclass(frozen=True)
class TokenSet:
    """What Procore's token endpoint answered."""

    access_token: str
    refresh_token: str | None
    expires_at: datetime


def authorize_url(*, login_base_url: str, client_id: str, redirect_uri: str, state: str) -> str:
    """Where to send the GC's admin to install the app and get an authorization code."""
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "state": state,
        }
    )
    return f"{login_base_url.rstrip('/')}/oauth/authorize?{query}"


def request_token(*, http: httpx.Client, login_base_url: str, form: dict[str, str]) -> TokenSet:
    """POST to /oauth/token (form fields, as Procore wants) and read the answer."""
    try:
        response = http.post(f"{login_base_url.rstrip('/')}/oauth/token", data=form, timeout=30)
    except httpx.TransportError as exc:
        raise ProcoreTransportError(f"Procore's token endpoint did not answer: {exc}") from exc
    if response.status_code in (400, 401, 403):
        raise ProcoreAuthError(
            f"Procore refused the {form.get('grant_type')} grant: {_error_text(response)}"
        )
    if response.status_code >= 300:
        raise ProcoreTransportError(
            f"Procore's token endpoint answered {response.status_code}: {_error_text(response)}"
        )
    body: dict[str, Any] = response.json()
    return TokenSet(
        access_token=body["access_token"],
        refresh_token=body.get("refresh_token"),
        expires_at=utcnow() + timedelta(seconds=int(body.get("expires_in", 5400))),
    )


def exchange_code(
    *,
    http: httpx.Client,
    login_base_url: str,
    client_id: str,
    client_secret: str,
    code: str,
    redirect_uri: str,
) -> TokenSet:
    """Tokens for an authorization code (single-use, valid 10 minutes)."""
    return request_token(
        http=http,
        login_base_url=login_base_url,
        form={
            "grant_type": "authorization_code",
            "client_id": client_id,
            "client_secret": client_secret,
            "code": code,
            "redirect_uri": redirect_uri,
        },
    )


def client_credentials(
    *, http: httpx.Client, login_base_url: str, client_id: str, client_secret: str
) -> TokenSet:
    """A service-account (DMSA) token; there is no refresh token, ask again when it expires."""
    return request_token(
        http=http,
        login_base_url=login_base_url,
        form={
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
        },
    )


def store_tokens(connection: ProcoreConnection, tokens: TokenSet) -> None:
    """Put a token pair on the connection, encrypted."""
    connection.access_token_encrypted = encrypt(tokens.access_token)
    if tokens.refresh_token:
        connection.refresh_token_encrypted = encrypt(tokens.refresh_token)
    connection.token_expires_at = tokens.expires_at
    connection.token_version += 1


class TokenStore:
    """Valid access tokens for one connection: cached, refreshed when due, rotated atomically."""

    _cache: dict[int, tuple[str, datetime]] = {}
    _locks: dict[int, threading.Lock] = {}
    _guard = threading.Lock()

    def __init__(self, *, connection_id: int, login_base_url: str, http: httpx.Client) -> None:
        self.connection_id = connection_id
        self.login_base_url = login_base_url
        self.http = http

    def access_token(self, *, rejected: str | None = None) -> str:
        """A token that is not expired and is not `rejected` (one Procore just refused)."""
        cached = self._cache.get(self.connection_id)
        if cached and cached[0] != rejected and cached[1] - EXPIRY_MARGIN > utcnow():
            return cached[0]
        with self._lock():
            return self._fetch(rejected=rejected)

    def forget(self) -> None:
        """Drop the cached token of this connection (tests, disconnect)."""
        self._cache.pop(self.connection_id, None)

    def _lock(self) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(self.connection_id, threading.Lock())

    def _fetch(self, *, rejected: str | None) -> str:
        with session_scope() as session:
            # Taking the row's write lock first makes concurrent refreshers (other processes)
            # queue here; the one that goes second re-reads and finds the new token.
            session.execute(
                update(ProcoreConnection)
                .where(ProcoreConnection.id == self.connection_id)
                .values(token_version=ProcoreConnection.token_version)
            )
            connection = session.get(ProcoreConnection, self.connection_id, populate_existing=True)
            if connection is None or not connection.active:
                raise ProcoreNotConnected(f"Procore connection {self.connection_id} is gone")
            if connection.access_token_encrypted and connection.token_expires_at:
                token = decrypt(connection.access_token_encrypted)
                if token != rejected and connection.token_expires_at - EXPIRY_MARGIN > utcnow():
                    self._cache[self.connection_id] = (token, connection.token_expires_at)
                    return token
            secret = decrypt(connection.client_secret_encrypted)
            if connection.grant_type == "client_credentials":
                tokens = client_credentials(
                    http=self.http,
                    login_base_url=self.login_base_url,
                    client_id=connection.client_id,
                    client_secret=secret,
                )
            else:
                if not connection.refresh_token_encrypted:
                    raise ProcoreNotConnected("the Procore connection has no refresh token")
                tokens = request_token(
                    http=self.http,
                    login_base_url=self.login_base_url,
                    form={
                        "grant_type": "refresh_token",
                        "client_id": connection.client_id,
                        "client_secret": secret,
                        "refresh_token": decrypt(connection.refresh_token_encrypted),
                    },
                )
            store_tokens(connection, tokens)
        # Committed: the rotated refresh token is safe before the new access token is used.
        self._cache[self.connection_id] = (tokens.access_token, tokens.expires_at)
        return tokens.access_token


def _error_text(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict):
        return str(body.get("error_description") or body.get("error") or body)[:200]
    return str(body)[:200]
