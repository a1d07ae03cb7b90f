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
