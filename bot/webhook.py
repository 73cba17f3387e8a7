"""Webhook mode, always authenticated, received on the bot's own event loop.

Telegram sends every webhook request with the secret given to `setWebhook` in the header
`X-Telegram-Bot-Api-Secret-Token`. When PRECIS_WEBHOOK_SECRET is unset, a strong secret is generated at every
start and registered with the webhook, so the port never takes an update from anyone but Telegram.

`WebhookServer` takes Telegram's requests (aiohttp, on the loop the bot runs on) in place of PTB's tornado
server: the secret is compared in constant time before the body is read, a refusal is one warning naming the
peer, and the update is handed on as Telegram sent it (its JSON, not PTB's objects re-serialised), to be
committed before the 200 and parsed only when its chat's turn comes (`bot/inbox.py`). Receiving is urgent
work on the loop (bot/loop.py), as polling is: a person's command is read and committed ahead of the work
of a burst of posts, and those posts' own requests are only read and committed there, a few hundred
microseconds each.
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.config import Config
from bot.loop import urgently

log = logging.getLogger(__name__)

SECRET_BYTES = 32  # 43 characters of A-Za-z0-9_- (Telegram allows 1-256 of these)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# An update is a few kilobytes (a message, the one it replies to, their entities): a megabyte is far beyond any.
MAX_UPDATE_BYTES = 1 << 20
# A graceful stop lets a request being committed finish (and be answered 200) for at most this long.
STOP_SECONDS = 10.0

Deliver = Callable[[dict[str, Any]], Awaitable[None]]


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


class WebhookServer:
    """An HTTP server for Telegram's webhook requests on `listen:port` at `path` (with or without a final
    slash). PTB's updater stops it as it would its own (`shutdown`).

    A request is answered 403 without the right secret, 415 if it is not JSON, 413 beyond `MAX_UPDATE_BYTES`,
    400 if it is not an update (an object with an integer `update_id`), and 200 once `deliver` returned (the
    inbox committed the update). Anything else (another path or method) is 404 or 405."""

    def __init__(self, *, listen: str, port: int, path: str, secret: str, deliver: Deliver) -> None:
        if not secret:
            raise ValueError("the webhook needs a secret")
        self.listen, self.port = listen, port
        self._secret = secret.encode()
        self._deliver = deliver
        path = "/" + path.strip("/")
        app = web.Application(client_max_size=MAX_UPDATE_BYTES)
        app.router.add_post(path, self._receive)
        if path != "/":
            app.router.add_post(path + "/", self._receive)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=STOP_SECONDS)
        self._listening = False

    async def start(self) -> None:
        """Listen (and return). Every connection, and the task reading each request, is urgent work: they
        inherit the context the listening socket was set up in."""
        await urgently(self._listen())
        self._listening = True

    async def _listen(self) -> None:
        await self._runner.setup()
        await web.TCPSite(self._runner, self.listen, self.port).start()

    async def shutdown(self) -> None:
        """Stop listening, let the requests being committed finish, close every connection."""
        if self._listening:
            self._listening = False
            await self._runner.cleanup()

    async def _receive(self, request: web.Request) -> web.Response:
        token = request.headers.get(SECRET_HEADER)
        if token is None:
            return self._refuse(request, HTTPStatus.FORBIDDEN, "no secret token")
        if not hmac.compare_digest(token.encode("utf-8", "surrogateescape"), self._secret):
            return self._refuse(request, HTTPStatus.FORBIDDEN, "wrong secret token")
        if request.content_type != "application/json":
            return self._refuse(request, HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"content type {request.content_type}")
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return self._refuse(request, HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "longer than an update can be")
        try:
            update = json.loads(body)
        except ValueError:
            return self._refuse(request, HTTPStatus.BAD_REQUEST, "not JSON")
        if not isinstance(update, dict) or type(update.get("update_id")) is not int:
            return self._refuse(request, HTTPStatus.BAD_REQUEST, "not an update")
        await self._deliver(update)
        return web.Response()

    @staticmethod
    def _refuse(request: web.Request, status: HTTPStatus, reason: str) -> web.Response:
        log.warning("refused a webhook request from %s: %s", request.remote, reason)
        return web.Response(status=status, text=f"{status.phrase}: {reason}\n")


async def start_webhook(app: Application[Any, Any, Any, Any, Any, Any], options: WebhookOptions) -> None:
    """Start the webhook server of a running application (the tests; `run` goes through run_webhook)."""
    if app.updater is None:
        raise RuntimeError("the application has no updater")
    await app.updater.start_webhook(**options.kwargs())
