"""The local Procore sandbox's memory: companies, projects, vendors, insurances, hooks, events.

`SandboxState` is assembled from one part a resource (`state_access`, `state_directory`,
`state_commitments`, `state_insurances`, `state_compliance`, `state_hooks`) over the records of
`state_records`.
Changes made as a GC would (admin API) or through the REST API emit webhook events, which
`SandboxDelivery` sends with Procore's semantics.
"""

from __future__ import annotations

import json
import random
import threading
from pathlib import Path

from coverwatch.sandbox.state_access import AccessPart
from coverwatch.sandbox.state_commitments import CommitmentsPart
from coverwatch.sandbox.state_compliance import CompliancePart
from coverwatch.sandbox.state_records import SandboxConfig, SandboxData, SandboxStats


class SandboxState(AccessPart, CommitmentsPart, CompliancePart):
    """The sandbox's data, its configuration, and the hand-off of events to delivery."""

    def __init__(self, *, state_file: Path | None = None) -> None:
        self.lock = threading.RLock()
        self.config = SandboxConfig()
        self.rng = random.Random()
        self.stats = SandboxStats()
        self.data = SandboxData()
        self.state_file = state_file
        self.outbox = []
        self.wakeup = threading.Condition(self.lock)
        self._windows = {}
        if state_file and state_file.exists():
            self.data = SandboxData(**json.loads(state_file.read_text()))
        self.add_client("sandbox-client", "sandbox-secret", application_id="sandbox-app")

    def reset(self) -> None:
        """Forget everything but the clients; back to the default configuration."""
        with self.lock:
            clients = self.data.clients
            self.data = SandboxData(clients=clients)
            self.config = SandboxConfig()
            self.stats = SandboxStats()
            self.outbox.clear()
            self._windows.clear()
        self.save()
