"""The sandbox's records and knobs, and what every part of `SandboxState` shares.

Everything lives in plain dicts behind one lock, so the data can be dumped to (and loaded from)
a JSON file and inspected by tests.
"""

from __future__ import annotations

import json
import random
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass
class SandboxConfig:
    """Knobs of the fake: limits, injected faults, webhook delivery behaviour."""

    rate_limit: int = 3600
    rate_window: float = 3600.0
    fail_429_rate: float = 0.0
    fail_500_rate: float = 0.0
    fault_retry_after: int = 1
    slow_rate: float = 0.0
    slow_seconds: float = 0.0
    # A lost answer: the next `late_answers` writes (not GETs) whose path contains `late_path`
    # take effect at once, but are answered only `late_seconds` later (past a client's timeout).
    late_answers: int = 0
    late_seconds: float = 0.0
    late_path: str = ""
    duplicate_rate: float = 0.0
    shuffle: bool = False
    retry_base: float = 1.0
    retry_cap: float = 3600.0
    discard_after: float = 12 * 3600.0
    delivery_timeout: float = 5.0
    # Whether setting a contract's vendor also adds it to the project directory.
    commitment_joins_directory: bool = False
    # A service account without permission on the Commitments tool: its contract calls get 403.
    commitments_forbidden: bool = False
    # Seeds the fault and delivery-order dice, so a test sees the same faults on every run.
    seed: int | None = None


@dataclass
class SandboxStats:
    """What happened, for tests and the admin page."""

    requests: int = 0
    over_limit: int = 0
    injected_429: int = 0
    injected_500: int = 0
    slow: int = 0
    late: int = 0
    deliveries_sent: int = 0
    deliveries_failed: int = 0
    duplicates_sent: int = 0


@dataclass
class SandboxData:
    """Every record of the fake Procore, in JSON-friendly shapes."""

    next_id: int = 1000
    clients: dict[str, dict[str, Any]] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    access_tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    refresh_tokens: dict[str, str] = field(default_factory=dict)
    companies: dict[str, dict[str, Any]] = field(default_factory=dict)
    projects: dict[str, dict[str, Any]] = field(default_factory=dict)
    vendors: dict[str, dict[str, Any]] = field(default_factory=dict)
    project_vendors: dict[str, list[int]] = field(default_factory=dict)
    work_order_contracts: dict[str, dict[str, Any]] = field(default_factory=dict)
    purchase_order_contracts: dict[str, dict[str, Any]] = field(default_factory=dict)
    insurances: dict[str, dict[str, Any]] = field(default_factory=dict)
    contract_compliance: dict[str, dict[str, Any]] = field(default_factory=dict)
    hooks: dict[str, dict[str, Any]] = field(default_factory=dict)
    triggers: dict[str, dict[str, Any]] = field(default_factory=dict)
    deliveries: list[dict[str, Any]] = field(default_factory=list)
    # Per "client_id|company_id": {"installed": bool, "permitted": [project ids] or None (all)}.
    installs: dict[str, dict[str, Any]] = field(default_factory=dict)


class StatePart:
    """The base of each part of `SandboxState`: the attributes it sets, ids, and saving."""

    lock: threading.RLock
    config: SandboxConfig
    rng: random.Random
    stats: SandboxStats
    data: SandboxData
    state_file: Path | None

    def new_id(self) -> int:
        with self.lock:
            self.data.next_id += 1
            return self.data.next_id

    def save(self) -> None:
        """Write the data to the state file, if there is one."""
        if self.state_file:
            with self.lock:
                text = json.dumps(asdict(self.data), default=str)
            self.state_file.write_text(text)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
