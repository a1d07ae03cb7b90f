"""The shared rate budget: pure rules, in memory, and through Redis between workers."""

from __future__ import annotations

import os
import uuid

import pytest

from coverwatch.procore.ratelimit import MemoryBudget, RedisBudget, observe_into, reserve_from

REDIS_URL = os.environ.get("COVERWATCH_TEST_REDIS_URL")


def test_unknown_bucket_lets_the_first_request_go() -> None:
    assert reserve_from({}, 100.0)[0] == 0


def test_an_exhausted_window_waits_for_the_reset() -> None:
    state = observe_into({}, limit=25, remaining=1, reset_at=110.0)
    wait, state = reserve_from(state, 100.0)
    assert wait == 0 and state["remaining"] == 0
    wait, _ = reserve_from(state, 100.0)
    assert wait == pytest.approx(10.0)


def test_in_flight_requests_are_not_given_back_by_a_late_answer() -> None:
    state = observe_into({}, limit=25, remaining=5, reset_at=110.0)
    for _ in range(3):
        _wait, state = reserve_from(state, 100.0)
    state = observe_into(state, limit=25, remaining=4, reset_at=110.0)
    assert state["remaining"] == 2
    state = observe_into(state, limit=25, remaining=24, reset_at=120.0)  # a new window
    assert state["remaining"] == 24


# Redis joins where COVERWATCH_TEST_REDIS_URL is set (CI sets it), as for the other suites.
@pytest.mark.parametrize("backend", ["memory"] + (["redis"] if REDIS_URL else []))
def test_budgets_are_shared(backend: str) -> None:
    key = f"test-{uuid.uuid4().hex}"
    first = MemoryBudget() if backend == "memory" else RedisBudget(REDIS_URL or "")
    second = first if backend == "memory" else RedisBudget(REDIS_URL or "")
    import time

    first.observe(key, limit=10, remaining=2, reset_at=time.time() + 30)
    assert first.reserve(key) == 0
    assert second.reserve(key) == 0
    assert second.reserve(key) > 25  # the two workers used the budget between them
    second.block(key, until=time.time() + 60)
    assert first.reserve(key) > 55
