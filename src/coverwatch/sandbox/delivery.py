"""Webhook delivery of the local sandbox, with Procore's semantics.

At least once (a success may be followed by the same delivery again), in no promised order
(with `shuffle`, any ready event of a hook may go first), and on failure (connection error,
non-2xx, or no answer within the timeout) the hook pauses: the failing delivery is retried with
exponential backoff and everything queued behind it waits; after `discard_after` seconds of
failures the queue is flushed and its events are marked discarded.
"""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime
from typing import Any

import httpx

from coverwatch.sandbox.state import SandboxState
from coverwatch.sandbox.state_hooks import payload_for


class SandboxDelivery:
    """A thread that sends queued events to their hooks' destinations."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state
        self.queues: dict[int, list[dict[str, Any]]] = {}
        self.paused_until: dict[int, float] = {}
        self.failing_since: dict[int, float] = {}
        self.attempts: dict[int, int] = {}
        self.in_flight = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sandbox-delivery", daemon=True)
        self._http = httpx.Client()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        with self.state.wakeup:
            self.state.wakeup.notify_all()
        self._thread.join(timeout=5)
        self._http.close()

    def pending(self) -> int:
        """Events not yet delivered (queued, waiting to retry, or in flight)."""
        with self.state.lock:
            return (
                len(self.state.outbox) + sum(len(q) for q in self.queues.values()) + self.in_flight
            )

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until nothing is left to deliver; False on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.pending() == 0:
                return True
            time.sleep(0.02)
        return self.pending() == 0

    def clear(self) -> None:
        with self.state.lock:
            self.queues.clear()
            self.paused_until.clear()
            self.failing_since.clear()
            self.attempts.clear()

    def _run(self) -> None:
        while not self._stop.is_set():
            job = self._next()
            if job is None:
                with self.state.wakeup:
                    self.state.wakeup.wait(timeout=0.05)
                continue
            hook_id, item = job
            try:
                self._deliver(hook_id, item)
            finally:
                with self.state.lock:
                    self.in_flight -= 1

    def _next(self) -> tuple[int, dict[str, Any]] | None:
        with self.state.lock:
            for entry in self.state.outbox:
                self.queues.setdefault(entry["hook_id"], []).append(entry["event"])
            self.state.outbox.clear()
            now = time.monotonic()
            for hook_id, queue in self.queues.items():
                if not queue or self.paused_until.get(hook_id, 0) > now:
                    continue
                if hook_id in self.failing_since:
                    index = 0  # the failing delivery goes first, everything else waits
                elif self.state.config.shuffle:
                    index = self.state.rng.randrange(len(queue))
                else:
                    index = 0
                self.in_flight += 1
                return hook_id, queue.pop(index)
        return None

    def _deliver(self, hook_id: int, event: dict[str, Any]) -> None:
        hook = self.state.data.hooks.get(str(hook_id))
        if hook is None:
            return
        config = self.state.config
        body: dict[str, Any] | str = (
            event["raw"] if "raw" in event else payload_for(event, hook.get("api_version") or "v2")
        )
        ok, status, error = self._post(hook, body, timeout=config.delivery_timeout)
        record = {
            "id": self.state.new_id(),
            "webhook_hook_id": hook_id,
            "event_id": event["id"],
            "event": body
            if isinstance(body, str)
            else {**body, "api_version": hook.get("api_version")},
            "outcome": "ok" if ok else "retried",
            "response_status": status,
            "response_error": error,
            "started_at": datetime.now(UTC).isoformat(),
            "completed_at": datetime.now(UTC).isoformat(),
        }
        with self.state.lock:
            if ok:
                self.state.stats.deliveries_sent += 1
                self.failing_since.pop(hook_id, None)
                self.attempts.pop(hook_id, None)
                self.paused_until.pop(hook_id, None)
            else:
                self.state.stats.deliveries_failed += 1
                now = time.monotonic()
                since = self.failing_since.setdefault(hook_id, now)
                if now - since > config.discard_after:
                    record["outcome"] = "discarded"
                    for dropped in self.queues.pop(hook_id, []):
                        self.state.record_delivery(
                            {**record, "event_id": dropped["id"], "outcome": "discarded"}
                        )
                    self.failing_since.pop(hook_id, None)
                    self.attempts.pop(hook_id, None)
                else:
                    attempt = self.attempts.get(hook_id, 0) + 1
                    self.attempts[hook_id] = attempt
                    delay = min(config.retry_cap, config.retry_base * 2 ** (attempt - 1))
                    self.paused_until[hook_id] = now + delay
                    self.queues.setdefault(hook_id, []).insert(0, event)
        self.state.record_delivery(record)
        if ok and self.state.rng.random() < config.duplicate_rate:
            # At-least-once: the receiver must cope with the same event twice.
            self._post(hook, body, timeout=config.delivery_timeout)
            with self.state.lock:
                self.state.stats.duplicates_sent += 1

    def _post(
        self, hook: dict[str, Any], body: dict[str, Any] | str, *, timeout: float
    ) -> tuple[bool, int | None, str | None]:
        headers = {"Content-Type": "application/json", **(hook.get("destination_headers") or {})}
        content = body if isinstance(body, str) else json.dumps(body)
        try:
            response = self._http.post(
                hook["destination_url"], content=content, headers=headers, timeout=timeout
            )
        except httpx.HTTPError as exc:
            return False, None, f"{exc.__class__.__name__}: {exc}"
        return 200 <= response.status_code < 300, response.status_code, None
