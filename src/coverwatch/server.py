"""Serving over HTTP: the web server (job workers and the scheduler in the same process or not),
and any ASGI app in a thread (`ServerThread`), as the tests and the demo's sandbox do.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from typing import Any

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


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class ServerThread:
    """Any ASGI app served by uvicorn in a thread, over real HTTP on loopback."""

    def __init__(self, app: Any, *, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.host = host
        self.port = port or free_port(host)
        self.server = uvicorn.Server(
            uvicorn.Config(app, host=host, port=self.port, log_level="warning", lifespan="on")
        )
        self.thread = threading.Thread(
            target=self.server.run, name=f"uvicorn-{self.port}", daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError(f"the server on port {self.port} did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
