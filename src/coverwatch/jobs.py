"""The job queue (Huey): a SQLite file by default, Redis at scale, inline in unit tests."""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

from huey import Huey, RedisHuey, SqliteHuey
from huey.consumer import Consumer

from coverwatch.settings import Settings, get_settings

log = logging.getLogger(__name__)

# Modules that define tasks; importing them registers the tasks with `huey`.
TASK_MODULES = (
    "coverwatch.compliance.tasks",
    "coverwatch.certificates.tasks",
    "coverwatch.procore.tasks",
    "coverwatch.outreach.tasks",
    "coverwatch.webhooks.tasks",
    "coverwatch.imports.tasks",
    "coverwatch.network.tasks",
)


def make_huey(settings: Settings) -> Huey:
    """The queue the settings ask for."""
    url = settings.queue_url or ""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("coverwatch", url=url, immediate=settings.jobs_immediate)
    path = Path(url.removeprefix("sqlite:///")) if url else settings.data_dir / "jobs.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(
        "coverwatch", filename=str(path), immediate=settings.jobs_immediate, timeout=30
    )


huey = make_huey(get_settings())


def load_tasks() -> None:
    """Import every task module so the consumer knows all tasks."""
    for module in TASK_MODULES:
        importlib.import_module(module)


def make_consumer(*, workers: int, periodic: bool = True) -> Consumer:
    """A consumer with thread workers, for `serve` (in-process) or `worker` (alone)."""
    load_tasks()
    return huey.create_consumer(
        workers=workers,
        worker_type="thread",
        periodic=periodic,
        check_worker_health=True,
        # An idle consumer backs off polling up to this; a sub waiting on the portal for its
        # answer must not wait 10 s (Huey's default) for the parse job to start.
        max_delay=1.0,
    )
