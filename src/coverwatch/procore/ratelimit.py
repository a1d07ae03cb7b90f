"""Procore's request budget, shared by every worker that talks to the same company.

Procore reports the window it is closest to exhausting in `X-Rate-Limit-Limit`, `-Remaining`
and `-Reset` (Unix seconds); the numbers change over time, so the headers are the only truth.
Each request first takes one unit from the budget; when none is left it waits for the reset.
One process (the embedded deployment: web, workers and scheduler together) shares a budget in
memory; at scale the workers share it through Redis, the queue they already use.
"""

from __future__ import annotations

import threading
import time
from functools import lru_cache
from typing import Protocol

from coverwatch.settings import get_settings

# When the window is unknown after a reset, assume a short one until headers tell the truth.
PROVISIONAL_WINDOW = 1.0


class RateBudget(Protocol):
    """Where the remaining budget of each Procore bucket is kept."""

    def reserve(self, key: str) -> float:
        """Take one request from the budget: 0 to go now, else seconds to wait and ask again."""
        ...

    def observe(self, key: str, *, limit: int, remaining: int, reset_at: float) -> None:
        """Record what Procore's headers say about the bucket."""
        ...

    def block(self, key: str, *, until: float) -> None:
        """Send nothing in this bucket before `until` (after a 429 or 503)."""
        ...


def reserve_from(state: dict[str, float], now: float) -> tuple[float, dict[str, float]]:
    """The wait before the next request, and the new state (pure; every backend uses it)."""
    state = dict(state)
    blocked = state.get("blocked_until", 0.0)
    if blocked > now:
        return blocked - now, state
    if "limit" not in state:
        return 0.0, state  # nothing known yet: the first answer will say
    if state.get("reset_at", 0.0) <= now:
        state["remaining"] = state["limit"]
        state["reset_at"] = now + PROVISIONAL_WINDOW
    if state.get("remaining", 0.0) > 0:
        state["remaining"] = state["remaining"] - 1
        return 0.0, state
    return max(state["reset_at"] - now, 0.01), state


def observe_into(
    state: dict[str, float], *, limit: int, remaining: int, reset_at: float
) -> dict[str, float]:
    """The state after Procore's headers (pure)."""
    state = dict(state)
    same_window = state.get("reset_at") == reset_at and state.get("limit") == limit
    if same_window and "remaining" in state:
        # Requests still in flight were already taken here but not yet counted there.
        state["remaining"] = min(state["remaining"], remaining)
    else:
        state["remaining"] = remaining
    state["limit"], state["reset_at"] = limit, reset_at
    return state


def block_into(state: dict[str, float], *, until: float) -> dict[str, float]:
    """The state after a refusal (pure)."""
    state = dict(state)
    state["blocked_until"] = max(state.get("blocked_until", 0.0), until)
    return state


class MemoryBudget:
    """A budget shared by the threads of one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._states: dict[str, dict[str, float]] = {}

    def reserve(self, key: str) -> float:
        with self._lock:
            wait, self._states[key] = reserve_from(self._states.get(key, {}), time.time())
            return wait

    def observe(self, key: str, *, limit: int, remaining: int, reset_at: float) -> None:
        with self._lock:
            self._states[key] = observe_into(
                self._states.get(key, {}), limit=limit, remaining=remaining, reset_at=reset_at
            )

    def block(self, key: str, *, until: float) -> None:
        with self._lock:
            self._states[key] = block_into(self._states.get(key, {}), until=until)

    def clear(self) -> None:
        """Forget every bucket (tests)."""
        with self._lock:
            self._states.clear()


class RedisBudget:
    """A budget shared by every worker process through Redis (optimistic transactions)."""

    def __init__(self, url: str, *, prefix: str = "coverwatch:procore:rate:") -> None:
        import redis

        self._redis = redis.Redis.from_url(url)
        self._prefix = prefix

    def _update(self, key: str, change: object) -> float:
        import redis

        name = self._prefix + key
        with self._redis.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(name)
                    raw = pipe.hgetall(name)
                    state = {_text(k): float(v) for k, v in raw.items()}
                    wait, new = change(state)  # type: ignore[operator]
                    pipe.multi()
                    if new:
                        pipe.hset(name, mapping=new)
                        pipe.expire(name, 7200)
                    pipe.execute()
                    return float(wait)
                except redis.WatchError:
                    continue

    def reserve(self, key: str) -> float:
        return self._update(key, lambda state: reserve_from(state, time.time()))

    def observe(self, key: str, *, limit: int, remaining: int, reset_at: float) -> None:
        self._update(
            key,
            lambda state: (
                0.0,
                observe_into(state, limit=limit, remaining=remaining, reset_at=reset_at),
            ),
        )

    def block(self, key: str, *, until: float) -> None:
        self._update(key, lambda state: (0.0, block_into(state, until=until)))


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


_memory = MemoryBudget()


@lru_cache
def default_budget() -> RateBudget:
    """Redis when the queue is Redis (workers on many machines), else this process's memory."""
    url = get_settings().queue_url or ""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisBudget(url)
    return _memory
