"""What the demo keeps between runs in its data folder: its API keys and its address."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# In the data folder: the demo's API keys and address, kept so a restart changes neither.
STATE_FILE = "demo.json"


def load_state(data_dir: Path) -> dict[str, Any]:
    """What the demo keeps between runs (its API keys, its address), or nothing yet."""
    path = data_dir / STATE_FILE
    try:
        state = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def save_state(data_dir: Path, state: dict[str, Any]) -> None:
    """Keep the demo's keys and address for the next run; readable by its owner only."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / STATE_FILE
    path.write_text(json.dumps(state, indent=2))
    path.chmod(0o600)


def address(
    *,
    state: dict[str, Any],
    host: str | None,
    port: int | None,
    default_host: str,
    default_port: int,
) -> tuple[str, int]:
    """Where the demo serves: as asked, else where it served last (its emails link there)."""
    return (
        host or str(state.get("host") or default_host),
        port or int(state.get("port") or default_port),
    )
