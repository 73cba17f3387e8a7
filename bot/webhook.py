"""Webhook mode, always authenticated.

Telegram sends every webhook request with the secret given to `setWebhook` in the header
`X-Telegram-Bot-Api-Secret-Token`. When PRECIS_WEBHOOK_SECRET is unset, a strong secret is generated at every
start and registered with the webhook, so the port never takes an update from anyone but Telegram. PTB's
webhook server answers a request without the right secret with 403 before it reads the update; it logs that
only at DEBUG and without the peer, so `RefusedRequestLog` turns that record into a warning that names it.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from telegram import Update
from telegram.ext import Application

from bot.config import Config

log = logging.getLogger(__name__)

# The logger PTB's webhook request handler logs to (shared with its Updater).
PTB_WEBHOOK_LOGGER = "telegram.ext.Updater"
SECRET_BYTES = 32  # 43 characters of A-Za-z0-9_- (Telegram allows 1-256 of these)


def generate_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


@dataclass(frozen=True)
class WebhookOptions:
    listen: str
    port: int
    url_path: str
    webhook_url: str
    secret_token: str

    def kwargs(self) -> dict[str, Any]:
        return {
            "listen": self.listen,
            "port": self.port,
            "url_path": self.url_path,
            "webhook_url": self.webhook_url,
            "secret_token": self.secret_token,
            "allowed_updates": Update.ALL_TYPES,
        }


def webhook_options(config: Config) -> WebhookOptions:
    if not config.webhook_url:
        raise ValueError("webhook mode needs PRECIS_WEBHOOK_URL")
    return WebhookOptions(
        listen=config.webhook_listen,
        port=config.webhook_port,
        url_path=urlsplit(config.webhook_url).path.lstrip("/"),
        webhook_url=config.webhook_url,
        secret_token=config.webhook_secret or generate_secret(),
    )


class RefusedRequestLog(logging.Filter):
    """On PTB's webhook logger: a refused request becomes one WARNING with the peer's address and the reason;
    PTB's other DEBUG records pass only if DEBUG is wanted (the logger itself must let DEBUG through, because
    the record of the refusal is a DEBUG one)."""

    def __init__(self, threshold: int) -> None:
        super().__init__()
        self.threshold = threshold

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        status = getattr(error, "status_code", None)
        if status == 403 and record.module == "webhookhandler" and isinstance(record.args, tuple) and record.args:
            peer = record.args[0]
            reason = getattr(error, "reason", None) or "not a JSON request"
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.msg, record.args = "refused a webhook request from %s: %s", (peer, reason)
            record.exc_info, record.exc_text = None, None
            return True
        return record.levelno >= self.threshold


def log_refused_requests() -> None:
    """Install `RefusedRequestLog` once (idempotent)."""
    ptb = logging.getLogger(PTB_WEBHOOK_LOGGER)
    if any(isinstance(f, RefusedRequestLog) for f in ptb.filters):
        return
    threshold = logging.getLogger().getEffectiveLevel()
    ptb.addFilter(RefusedRequestLog(threshold))
    ptb.setLevel(logging.DEBUG)


async def start_webhook(app: Application[Any, Any, Any, Any, Any, Any], options: WebhookOptions) -> None:
    """Start the webhook server of a running application (the tests; `run` goes through run_webhook)."""
    if app.updater is None:
        raise RuntimeError("the application has no updater")
    log_refused_requests()
    await app.updater.start_webhook(**options.kwargs())
