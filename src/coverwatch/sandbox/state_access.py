"""The sandbox's OAuth clients, codes and tokens, and the rate limit on every client's calls."""

from __future__ import annotations

import secrets
import time
from typing import Any

from coverwatch.sandbox.state_records import StatePart

TOKEN_LIFETIME = 5400


class AccessPart(StatePart):
    """Who may call (OAuth 2.0, refresh tokens rotating) and how often (a fixed window)."""

    _windows: dict[str, tuple[float, int]]

    def add_client(self, client_id: str, secret: str, *, application_id: str) -> None:
        with self.lock:
            self.data.clients[client_id] = {"secret": secret, "application_id": application_id}

    def client_ok(self, client_id: str, secret: str) -> bool:
        client = self.data.clients.get(client_id)
        return client is not None and secrets.compare_digest(client["secret"], secret)

    def issue_code(self, client_id: str) -> str:
        code = secrets.token_urlsafe(16)
        with self.lock:
            self.data.codes[code] = client_id
        return code

    def take_code(self, code: str) -> str | None:
        with self.lock:
            return self.data.codes.pop(code, None)

    def issue_tokens(self, client_id: str, *, refresh: bool) -> dict[str, Any]:
        access = secrets.token_urlsafe(24)
        body: dict[str, Any] = {
            "access_token": access,
            "token_type": "bearer",
            "expires_in": TOKEN_LIFETIME,
            "created_at": int(time.time()),
        }
        with self.lock:
            self.data.access_tokens[access] = {
                "client_id": client_id,
                "expires_at": time.time() + TOKEN_LIFETIME,
            }
            if refresh:
                token = secrets.token_urlsafe(24)
                self.data.refresh_tokens[token] = client_id
                body["refresh_token"] = token
        return body

    def rotate_refresh(self, token: str) -> str | None:
        """The client of a refresh token, which dies now (Procore rotates on every use)."""
        with self.lock:
            return self.data.refresh_tokens.pop(token, None)

    def token_client(self, token: str) -> dict[str, Any] | None:
        info = self.data.access_tokens.get(token)
        if info is None or info["expires_at"] < time.time():
            return None
        return {**info, **self.data.clients.get(info["client_id"], {})}

    def expire_tokens(self) -> None:
        """Make every access token expired (to exercise refresh)."""
        with self.lock:
            for info in self.data.access_tokens.values():
                info["expires_at"] = 0

    # -- installs and permitted projects ----------------------------------------------------

    def _install(self, client_id: str, company_id: int) -> dict[str, Any]:
        return self.data.installs.setdefault(
            f"{client_id}|{company_id}", {"installed": True, "permitted": None}
        )

    def set_permitted(self, client_id: str, company_id: int, project_ids: list[int]) -> None:
        """The projects a service account may see in a company (as its admin sets them)."""
        with self.lock:
            self._install(client_id, company_id)["permitted"] = [int(p) for p in project_ids]

    def app_update(self, client_id: str, company_id: int) -> None:
        """An app update or reinstall: Procore resets the permitted projects to none."""
        self.set_permitted(client_id, company_id, [])

    def uninstall(self, client_id: str, company_id: int) -> None:
        with self.lock:
            self._install(client_id, company_id)["installed"] = False

    def installed(self, client_id: str, company_id: int) -> bool:
        found = self.data.installs.get(f"{client_id}|{company_id}")
        return found is None or bool(found["installed"])

    def permitted(self, client_id: str, company_id: int, project_id: int) -> bool:
        """Whether the client may see the project; every project until an admin says otherwise."""
        found = self.data.installs.get(f"{client_id}|{company_id}")
        return found is None or found["permitted"] is None or project_id in found["permitted"]

    # -- rate limits ----------------------------------------------------------------------

    def count_request(self, bucket: str) -> tuple[int, int, int, bool]:
        """Count one request: (limit, remaining, reset, over the limit?) in a fixed window."""
        with self.lock:
            now = time.time()
            window = self.config.rate_window
            start = now - (now % window)
            current, count = self._windows.get(bucket, (start, 0))
            if current != start:
                current, count = start, 0
            count += 1
            self._windows[bucket] = (current, count)
            limit = self.config.rate_limit
            reset = int(-(-(current + window) // 1))  # ceil: never earlier than the real reset
            over = count > limit
            self.stats.requests += 1
            if over:
                self.stats.over_limit += 1
            return limit, max(limit - count, 0), reset, over
