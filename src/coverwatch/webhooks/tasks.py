"""Jobs of outbound webhooks: sending a delivery with backoff, replays, the reconciler."""

from __future__ import annotations

import logging
from datetime import timedelta

from huey import crontab
from sqlalchemy.orm import Session

from coverwatch import events
from coverwatch.db import after_commit
from coverwatch.jobs import huey
from coverwatch.settings import get_settings
from coverwatch.webhooks import service

log = logging.getLogger(__name__)
service.subscribe()


@huey.task()
def deliver_job(delivery_id: int) -> str:
    """Send one delivery; on failure, schedule the next try after the backoff delay."""
    return deliver(delivery_id)


def deliver(delivery_id: int) -> str:
    """Send now and schedule the retry if needed (tests call this to play out the retries)."""
    outcome, delay = service.deliver(delivery_id)
    if outcome == "retry" and delay is not None:
        log.info("webhook delivery %s failed; next try in %s s", delivery_id, delay)
        deliver_job.schedule((delivery_id,), delay=delay)
    return outcome


@huey.task()
def replay_job(delivery_id: int) -> str:
    """Send a delivery again, whatever its state (asked for through the API)."""
    outcome, _delay = service.deliver(delivery_id, replay=True)
    return outcome


def _on_delivery_due(session: Session, event: events.WebhookDeliveryDue) -> None:
    job = replay_job if event.replay else deliver_job
    after_commit(session, lambda: job(event.delivery_id))


events.subscribe(events.WebhookDeliveryDue, _on_delivery_due)


def reconcile() -> int:
    """Re-enqueue pending deliveries whose next try is overdue."""
    ids = service.due_delivery_ids()
    for delivery_id in ids:
        deliver_job(delivery_id)
    return len(ids)


@huey.periodic_task(crontab(minute="*"))
def webhooks_reconcile_job() -> int:
    """Periodic: pick up deliveries a crash or a lost scheduled job left pending."""
    return reconcile()


@huey.periodic_task(crontab(hour="3", minute="15"))
def webhooks_prune_job() -> int:
    """Daily: forget finished deliveries past the retention period (the log would only grow)."""
    days = get_settings().webhook_retention_days
    return service.prune_deliveries(older_than=timedelta(days=days))
