"""Settings from `COVERWATCH_*` variables and `.env`; the embedded default needs none."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob of a coverwatch deployment; defaults give the embedded single-machine setup."""

    model_config = SettingsConfigDict(env_prefix="COVERWATCH_", env_file=".env", extra="ignore")

    data_dir: Path = Field(
        default=Path("coverwatch-data"), description="Folder for everything local"
    )
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; SQLite in data_dir")
    queue_url: str | None = Field(
        default=None, description="redis://... for RedisHuey; SQLite file"
    )
    storage_url: str | None = Field(
        default=None, description="Document store; a folder in data_dir"
    )
    smtp_url: str | None = Field(
        default=None, description="smtp://user:pass@host:port; mailbox page"
    )
    mail_from: str = Field(
        default="coverwatch@localhost",
        description="Envelope and From address; the GC's name is the display name",
    )
    inbound_domain: str | None = Field(
        default=None,
        description="Domain of the organizations' inbound addresses (slug+token@domain)",
    )
    mail_receiver_port: int = Field(default=2525, description="Port of `coverwatch mail-receiver`")
    secret_key: str | None = Field(default=None, description="Signs links and encrypts tokens")
    base_url: str = Field(default="http://127.0.0.1:8000", description="Public URL of the web app")
    host: str = "127.0.0.1"
    port: int = 8000
    worker_threads: int = Field(default=2, description="Job worker threads inside `serve`")
    jobs_immediate: bool = Field(default=False, description="Run jobs inline (tests only)")
    max_upload_bytes: int = Field(default=25 * 1024 * 1024, description="Largest accepted upload")
    daily_sweep_hour_utc: int = Field(default=6, description="Hour of the daily status sweep")
    reconcile_minutes: int = Field(default=10, description="How often stuck work is re-enqueued")
    webhook_allow_private: bool = Field(
        default=False,
        description="Let outbound webhooks go to loopback and private addresses",
    )
    webhook_retention_days: int = Field(
        default=90, ge=1, description="Days a finished webhook delivery is kept in the log"
    )
    inbound_trusted_authserv_ids: str = Field(
        default="",
        description=(
            "Receiving mail servers (authserv-id, space- or comma-separated) whose "
            "Authentication-Results headers are believed"
        ),
    )
    template_change_grace_minutes: int = Field(
        default=30,
        ge=0,
        description="Emails caused by a template edit wait this long, and are dropped if undone",
    )
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = Field(
        default="text", description="Log lines as plain text, or one JSON object per line"
    )
    frame_ancestors: str = Field(
        default="",
        description="Extra origins (space-separated) allowed to frame the Procore panel",
    )

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file in the data folder."""
        if self.database_url:
            return _normalise_postgres_url(self.database_url)
        return f"sqlite:///{(self.data_dir / 'coverwatch.db').resolve()}"

    @property
    def inbound_trusted_servers(self) -> list[str]:
        """The receiving servers whose Authentication-Results are believed."""
        return [s for s in self.inbound_trusted_authserv_ids.replace(",", " ").split() if s]

    @property
    def resolved_storage_path(self) -> Path:
        """Folder of the local document store."""
        if self.storage_url and self.storage_url.startswith("file://"):
            return Path(self.storage_url.removeprefix("file://"))
        return self.data_dir / "documents"

    @property
    def resolved_secret_key(self) -> str:
        """The signing secret; generated once and kept in the data folder when not set."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret.key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()


def _normalise_postgres_url(url: str) -> str:
    # Operators paste libpq-style URLs; SQLAlchemy needs the psycopg 3 driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
