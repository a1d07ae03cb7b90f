"""When the Procore client tries a call again, and how long it waits in between."""

from __future__ import annotations

import random
from dataclasses import dataclass

import httpx

# Methods whose repetition changes nothing more than the first call did (RFC 9110, 9.2.2).
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# Failures raised before any byte of the request left: Procore cannot have acted on it.
NEVER_SENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.UnsupportedProtocol,
)


@dataclass(frozen=True)
class RetryPolicy:
    """How hard the client tries before giving up (jobs retry later on top of this)."""

    attempts: int = 5
    backoff_base: float = 0.5
    backoff_cap: float = 30.0
    timeout: float = 20.0
    rate_limit_retries: int = 20
    max_rate_wait: float = 3700.0
    jitter: float = 0.25

    def backoff(self, attempt: int) -> float:
        """Seconds before retry number `attempt` (1-based), with full jitter on top."""
        base = min(self.backoff_cap, self.backoff_base * 2 ** (attempt - 1))
        return base + random.uniform(0, self.jitter)
