"""Domain events inside the process: other domains react to a change without the emitter knowing.

Listeners run inside the emitter's transaction; anything that talks to the outside world must
only enqueue a job with `db.after_commit`, so nothing leaves before the change is committed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class StatusChanged:
    """A project vendor's compliance status moved."""

    org_id: int
    project_vendor_id: int
    before: str
    after: str
    trigger: str


@dataclass(frozen=True)
class VendorApproved:
    """A project vendor was approved for work."""

    org_id: int
    project_vendor_id: int
    actor: str


@dataclass(frozen=True)
class Evaluated:
    """A project vendor was evaluated (its status may or may not have moved)."""

    org_id: int
    project_vendor_id: int
    status: str
    trigger: str


@dataclass(frozen=True)
class CertificateRead:
    """A received document was read into a certificate on file for a vendor."""

    org_id: int
    vendor_id: int
    certificate_id: int


# Asking a domain's own jobs for work, so that its services never import its tasks: the tasks
# module listens and enqueues after the commit.


@dataclass(frozen=True)
class ProcoreDeliveryStored:
    """A Procore webhook delivery was stored and waits to be processed."""

    delivery_id: int


@dataclass(frozen=True)
class ProcoreWritebackRequested:
    """A project vendor's verdict is to be written back to Procore."""

    project_vendor_id: int


@dataclass(frozen=True)
class WebhookDeliveryDue:
    """An outbound webhook delivery is to be sent (again, when `replay`)."""

    delivery_id: int
    replay: bool = False


Listener = Callable[[Session, Any], None]
_listeners: dict[type, list[Listener]] = {}


def subscribe(event_type: type, listener: Listener) -> None:
    """Call `listener(session, event)` for every event of `event_type` (once per listener)."""
    listeners = _listeners.setdefault(event_type, [])
    if listener not in listeners:
        listeners.append(listener)


def emit(session: Session, event: object) -> None:
    """Tell every listener of the event's type, in the order they subscribed."""
    for listener in _listeners.get(type(event), []):
        listener(session, event)
