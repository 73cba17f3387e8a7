"""Configuration from the environment (and a `.env` file), validated once at start-up."""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import dotenv_values

from analysis.summarize import DEFAULT_METHOD, METHODS
from storage.db import is_postgres_url, redact

_TOKEN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{20,100}$")


class ConfigError(ValueError):
    """A setting is wrong; the message is one line that says which and how to fix it."""


def database_target(value: str) -> Path | str:
    """PRECIS_DB or --db: a postgresql:// URL stays a URL; anything else (a path, or sqlite:PATH) is a SQLite file."""
    if is_postgres_url(value):
        return value
    return Path(value.removeprefix("sqlite:")).expanduser()


def default_db_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "precis" / "precis.db"


@dataclass(frozen=True)
class Config:
    token: str | None = None
    api_url: str | None = None  # a self-hosted Bot API server's root, e.g. http://127.0.0.1:8081
    db_path: Path | str = field(default_factory=default_db_path)  # a SQLite file, or a postgresql:// URL
    webhook_url: str | None = None  # set: webhook mode; unset: polling
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    webhook_secret: str | None = None
    workers: int = 1  # analysis processes
    log_level: str = "INFO"
    max_text_chars: int = 1_000_000
    max_file_bytes: int = 2_000_000
    fetch_allow_networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
    fetch_timeout: float = 10.0
    fetch_max_bytes: int = 3_000_000
    series_wait: float = 2.0  # seconds of quiet after a channel post before its series is joined
    summary_method: str = DEFAULT_METHOD  # analysis.summarize.METHODS: ours, or one of sumy's stock methods
    # How long a request to Telegram may take: long enough for Telegram's answer under load (a send that
    # times out may have been delivered all the same; see the digests).
    send_timeout: float = 30.0
    # How long a process's claim on a chat holds without being renewed: after a process stops answering
    # (hung, or on a machine that went away), its chats go to another process after this long.
    claim_lease: float = 15.0

    @property
    def base_url(self) -> str | None:
        return f"{self.api_url}/bot" if self.api_url else None

    @property
    def base_file_url(self) -> str | None:
        return f"{self.api_url}/file/bot" if self.api_url else None

    def __repr__(self) -> str:  # the token never reaches a log, even through a repr
        token = "set" if self.token else "unset"
        return f"Config(token={token}, api_url={self.api_url!r}, db_path={redact(self.db_path)})"


def load_config(environ: Mapping[str, str] | None = None, env_file: str | Path | None = ".env") -> Config:
    """Read the settings: the process environment wins over the `.env` file."""
    values: dict[str, str] = {}
    if env_file and Path(env_file).is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ if environ is None else environ)

    def get(name: str) -> str | None:
        value = values.get(name, "").strip()
        return value or None

    token = get("TELEGRAM_BOT_TOKEN")
    if token is not None and not _TOKEN.match(token):
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN does not look like a bot token (digits, a colon, then letters); "
            "get one from @BotFather or unset it to use the console playground"
        )
    api_url = get("TELEGRAM_API_URL")
    if api_url is not None:
        api_url = api_url.rstrip("/")
        if api_url.endswith("/bot"):
            api_url = api_url[: -len("/bot")]
        _require_http_url("TELEGRAM_API_URL", api_url)
    webhook_url = get("PRECIS_WEBHOOK_URL")
    if webhook_url is not None:
        _require_http_url("PRECIS_WEBHOOK_URL", webhook_url)
    return Config(
        token=token,
        api_url=api_url,
        db_path=database_target(get("PRECIS_DB") or str(default_db_path())),
        webhook_url=webhook_url,
        webhook_listen=get("PRECIS_WEBHOOK_LISTEN") or "0.0.0.0",
        webhook_port=_int(get("PRECIS_WEBHOOK_PORT"), "PRECIS_WEBHOOK_PORT", 8443, 1, 65535),
        webhook_secret=get("PRECIS_WEBHOOK_SECRET"),
        workers=_int(get("PRECIS_WORKERS"), "PRECIS_WORKERS", 1, 1, 64),
        log_level=_log_level(get("PRECIS_LOG_LEVEL")),
        max_file_bytes=_int(get("PRECIS_MAX_FILE_BYTES"), "PRECIS_MAX_FILE_BYTES", 2_000_000, 1, 20_000_000),
        fetch_allow_networks=_networks(get("PRECIS_FETCH_ALLOW")),
        fetch_timeout=float(_int(get("PRECIS_FETCH_TIMEOUT"), "PRECIS_FETCH_TIMEOUT", 10, 1, 120)),
        fetch_max_bytes=_int(get("PRECIS_FETCH_MAX_BYTES"), "PRECIS_FETCH_MAX_BYTES", 3_000_000, 1000, 50_000_000),
        series_wait=_seconds(get("PRECIS_SERIES_WAIT"), "PRECIS_SERIES_WAIT", 2.0, 0.1, 30.0),
        summary_method=_summary_method(get("PRECIS_SUMMARY_METHOD")),
        send_timeout=_seconds(get("PRECIS_SEND_TIMEOUT"), "PRECIS_SEND_TIMEOUT", 30.0, 0.1, 300.0),
        claim_lease=_seconds(get("PRECIS_CLAIM_LEASE"), "PRECIS_CLAIM_LEASE", 15.0, 1.0, 600.0),
    )


def _require_http_url(name: str, value: str) -> None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{name} must be an http(s) URL such as https://example.org:8081, not {value!r}")


def _int(raw: str | None, name: str, default: int, low: int, high: int) -> int:
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number from {low} to {high}, not {raw!r}") from None
    if not low <= value <= high:
        raise ConfigError(f"{name} must be from {low} to {high}, not {value}")
    return value


def _seconds(raw: str | None, name: str, default: float, low: float, high: float) -> float:
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds from {low:g} to {high:g}, not {raw!r}") from None
    if not low <= value <= high:
        raise ConfigError(f"{name} must be from {low:g} to {high:g} seconds, not {value:g}")
    return value


def _summary_method(raw: str | None) -> str:
    method = (raw or DEFAULT_METHOD).lower()
    if method not in METHODS:
        raise ConfigError(f"PRECIS_SUMMARY_METHOD must be one of {', '.join(METHODS)}, not {raw!r}")
    return method


def _log_level(raw: str | None) -> str:
    level = (raw or "INFO").upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError(f"PRECIS_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not {raw!r}")
    return level


def _networks(raw: str | None) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    if raw is None:
        return ()
    try:
        return tuple(ipaddress.ip_network(part.strip()) for part in raw.split(",") if part.strip())
    except ValueError as exc:
        raise ConfigError(f"PRECIS_FETCH_ALLOW must list networks like 127.0.0.1/32: {exc}") from None
