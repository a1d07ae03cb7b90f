"""Logging of every coverwatch process, configured in one place from the settings.

The product's own loggers (`coverwatch.*`), the job queue's (`huey`) and the web server's
(`uvicorn`) speak at `COVERWATCH_LOG_LEVEL`; every other library is heard from WARNING up, so
an HTTP client or a PDF library does not drown the lines that matter. Lines go to stderr, as
plain text or, with `COVERWATCH_LOG_FORMAT=json`, one JSON object per line for a log shipper.
Standard output stays for what a command prints (`coverwatch parse --json`).
"""

from __future__ import annotations

import logging
import logging.config
from typing import Any

from coverwatch.errors import CoverwatchError
from coverwatch.settings import Settings

PRODUCT_LOGGERS = ("coverwatch", "huey", "uvicorn")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# Uvicorn adds a copy of some messages with terminal colour codes; a JSON line keeps the plain one.
_JSON_LEFT_OUT = ("color_message",)


def logging_config(settings: Settings, *, level: str | None = None) -> dict[str, Any]:
    """The `logging.config.dictConfig` dictionary for these settings (`level` overrides theirs)."""
    name = _level_name(level or settings.log_level)
    # Other libraries stay at WARNING, or quieter when the product itself is asked to be.
    others = max(logging.WARNING, logging.getLevelNamesMapping()[name])
    formatter: dict[str, Any]
    if settings.log_format == "json":
        from pythonjsonlogger.core import RESERVED_ATTRS

        formatter = {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": True,
            "reserved_attrs": [*RESERVED_ATTRS, *_JSON_LEFT_OUT],
        }
    else:
        formatter = {"format": TEXT_FORMAT}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"level": logging.getLevelName(others), "handlers": ["stderr"]},
        # No handlers of their own: their lines reach the root's, and nothing is written twice.
        "loggers": {logger: {"level": name, "propagate": True} for logger in PRODUCT_LOGGERS},
    }


def configure_logging(settings: Settings, *, level: str | None = None) -> None:
    """Set up logging for this process; safe to call again (the last call wins)."""
    logging.config.dictConfig(logging_config(settings, level=level))


def _level_name(value: str) -> str:
    name = value.strip().upper()
    if name not in LEVELS:
        raise CoverwatchError(
            f"COVERWATCH_LOG_LEVEL is {value!r}; it must be one of {', '.join(LEVELS)}"
        )
    return name
