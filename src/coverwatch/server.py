"""Running the web server, optionally with job workers and the scheduler in the same process."""

from __future__ import annotations

import logging

import uvicorn

from coverwatch.logs import configure_logging
from coverwatch.settings import get_settings

log = logging.getLogger(__name__)


def run(
    *,
    host: str | None,
    port: int | None,
    workers: int | None,
    with_jobs: bool,
    sandbox_admin_url: str | None = None,
) -> None:
    """Serve the app; with `with_jobs`, Huey worker threads and its scheduler run beside it."""
    from coverwatch.app import create_app
    from coverwatch.jobs import make_consumer

    settings = get_settings()
    configure_logging(settings)
    consumer = None
    if with_jobs:
        consumer = make_consumer(workers=workers or settings.worker_threads)
        # start() runs workers and the scheduler in threads without taking over signals,
        # so uvicorn keeps handling Ctrl-C and we stop the consumer after it returns.
        consumer.start()
    try:
        uvicorn.run(
            create_app(sandbox_admin_url=sandbox_admin_url),
            host=host or settings.host,
            port=port or settings.port,
            # Uvicorn's loggers follow the configuration above rather than its own.
            log_config=None,
        )
    finally:
        if consumer is not None:
            consumer.stop(graceful=True)
