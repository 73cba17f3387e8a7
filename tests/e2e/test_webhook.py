"""Webhook mode: only Telegram, which knows the secret registered with setWebhook, gets updates in."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import threading
from pathlib import Path

import httpx
import pytest
from telegram.error import BadRequest

from bot.webhook import SECRET_BYTES, start_webhook, webhook_options
from tests.botapi import BotApiDouble, Fault
from tests.crashtrial import BotProcess, webhook_settings
from tests.e2e.articles import SECOND_POST

CHAT = 5101
VICTIM = 5102


@pytest.fixture
def url(free_port: int) -> str:
    """The webhook's address: the bot's own port on 127.0.0.1."""
    return f"http://127.0.0.1:{free_port}/precis-hook"


@pytest.fixture
def behind_a_webhook(free_port: int, url: str) -> dict[str, object]:
    """The settings that run the bot behind the webhook at `url`."""
    return {"webhook_url": url, "webhook_listen": "127.0.0.1", "webhook_port": free_port}


def forged_update(update_id: int, chat_id: int, text: str) -> dict[str, object]:
    user = {"id": chat_id, "is_bot": False, "first_name": "Victim"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 900,
            "date": 1_700_000_000,
            "chat": {"id": chat_id, "type": "private", "first_name": "Victim"},
            "from": user,
            "text": text,
        },
    }


async def test_without_a_configured_secret_a_generated_one_guards_the_webhook(
    start_bot, behind_a_webhook: dict[str, object], url: str, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    async with start_bot(**behind_a_webhook) as bot:
        options = webhook_options(bot.config)
        assert re.fullmatch(r"[A-Za-z0-9_-]{40,256}", options.secret_token)
        assert options.secret_token != webhook_options(bot.config).secret_token  # fresh at every start
        await start_webhook(bot.app, options)
        registered = bot.api.requests("setWebhook")[-1]
        assert registered.params.get("secret_token") == options.secret_token

        # Telegram (the double) sends the secret: the post is taken and answered.
        bot.api.push_message(CHAT, SECOND_POST)
        (card,) = await bot.api.wait_for_messages(CHAT, 1)
        assert card.text is not None and card.text.startswith("Rail Strike")

        # Anyone else: refused before the update is read, and logged with where it came from.
        caplog.set_level(logging.INFO)
        async with httpx.AsyncClient() as client:
            for n, headers in enumerate(
                (
                    {"Content-Type": "application/json"},
                    {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "guess"},
                    {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "a" * SECRET_BYTES},
                )
            ):
                body = json.dumps(forged_update(10_000 + n, VICTIM, "Forged article. It should never be stored."))
                response = await client.post(url, content=body, headers=headers)
                assert response.status_code == 403
            forget = json.dumps(forged_update(10_100, CHAT, "/forget 1"))
            response = await client.post(url, content=forget, headers={"Content-Type": "application/json"})
            assert response.status_code == 403

        refusals = [r for r in caplog.records if "refused a webhook request from 127.0.0.1" in r.getMessage()]
        assert len(refusals) == 4 and all(r.levelno == logging.WARNING for r in refusals)
        assert options.secret_token not in caplog.text
        # Nothing of the forged requests happened: no article for the victim, the real one still there.
        assert await bot.services.repo.article_by_number(VICTIM, 1) is None
        assert await bot.services.repo.article_by_number(CHAT, 1) is not None
        assert bot.api.bot_messages(VICTIM) == [] and len(bot.api.bot_messages(CHAT)) == 1
        assert all(d.status == 200 for d in bot.api.webhook_deliveries())


async def test_what_is_not_an_update_is_refused_with_its_reason_and_nothing_is_stored(
    start_bot, behind_a_webhook: dict[str, object], url: str, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    async with start_bot(**behind_a_webhook) as bot:
        options = webhook_options(bot.config)
        await start_webhook(bot.app, options)
        bot.api.add_chat(CHAT, first_name="Victim")
        caplog.set_level(logging.INFO)
        secret = {"X-Telegram-Bot-Api-Secret-Token": options.secret_token}
        as_json = secret | {"Content-Type": "application/json"}
        forged = json.dumps(forged_update(20_000, VICTIM, "An article that must not be stored. It is long enough."))
        async with httpx.AsyncClient() as client:
            refused = {
                "text/plain": (await client.post(url, content=forged, headers=secret | {"Content-Type": "text/plain"})),
                "not JSON": await client.post(url, content=b"{update_id: 1", headers=as_json),
                "a list": await client.post(url, content=b"[1, 2]", headers=as_json),
                "no update_id": await client.post(url, content=b'{"message": {}}', headers=as_json),
                "a string id": await client.post(url, content=b'{"update_id": "7"}', headers=as_json),
                "huge": await client.post(
                    url, content=b'{"update_id": 8, "x": "' + b"a" * (2 << 20) + b'"}', headers=as_json
                ),
                "GET": await client.get(url, headers=secret),
                "another path": await client.post(url + "-not", content=forged, headers=as_json),
            }
            assert {reason: r.status_code for reason, r in refused.items()} == {
                "text/plain": 415,
                "not JSON": 400,
                "a list": 400,
                "no update_id": 400,
                "a string id": 400,
                "huge": 413,
                "GET": 405,
                "another path": 404,
            }
            assert "not an update" in refused["a list"].text

            # The path with a final slash is the same webhook, and an update Telegram delivers again (it did not
            # get the 200 in time) is taken once.
            post = json.dumps(forged_update(20_001, CHAT, SECOND_POST))
            first = await client.post(url + "/", content=post, headers=as_json)
            again = await client.post(url, content=post, headers=as_json)
            assert (first.status_code, again.status_code) == (200, 200)
        (card,) = await bot.api.wait_for_messages(CHAT, 1)
        assert card.text is not None and card.text.startswith("Rail Strike")

        # And the bot goes on: Telegram's next update is answered as usual.
        bot.api.push_command(CHAT, "/help")
        await bot.api.wait_for_messages(CHAT, 2)
        assert await bot.services.repo.article_by_number(VICTIM, 1) is None
        assert await bot.services.repo.article_by_number(CHAT, 2) is None  # the redelivery stored nothing
        warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert sum("refused a webhook request from 127.0.0.1" in w for w in warnings) == 6  # 404/405: not ours
        assert options.secret_token not in caplog.text


async def test_the_server_listens_before_the_webhook_is_registered(
    start_bot, behind_a_webhook: dict[str, object], url: str
) -> None:  # type: ignore[no-untyped-def]
    # Telegram may deliver the moment setWebhook is answered (updates waiting since the last run): the server
    # is up by then, so that delivery is taken, not refused and retried seconds later.
    async with start_bot(**behind_a_webhook) as bot:
        options = webhook_options(bot.config)
        registering = threading.Event()
        bot.api.inject("setWebhook", Fault.hold(registering))
        starting = asyncio.create_task(start_webhook(bot.app, options))
        await asyncio.to_thread(bot.api.wait, lambda: bot.api.arrived("setWebhook") >= 1)
        bot.api.add_chat(CHAT, first_name="Victim")
        async with httpx.AsyncClient() as client:
            response = await client.post(
                url,
                content=json.dumps(forged_update(30_000, CHAT, SECOND_POST)),
                headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": options.secret_token},
            )
        assert response.status_code == 200  # while the registration is still under way
        registering.set()
        await starting
        (card,) = await bot.api.wait_for_messages(CHAT, 1)
        assert card.text is not None and card.text.startswith("Rail Strike")


async def test_a_webhook_telegram_refuses_to_register_leaves_nothing_listening(
    start_bot, behind_a_webhook: dict[str, object], url: str
) -> None:  # type: ignore[no-untyped-def]
    async with start_bot(**behind_a_webhook) as bot:
        bot.api.inject("setWebhook", Fault.error(400, "Bad Request: bad webhook: HTTPS url must be provided"))
        with pytest.raises(BadRequest, match=r"(?i)https url must be provided"):
            await start_webhook(bot.app, webhook_options(bot.config))
        async with httpx.AsyncClient() as client:
            with pytest.raises(httpx.ConnectError):
                await client.post(url, content=b"{}", headers={"Content-Type": "application/json"})


@pytest.mark.parametrize(
    ("method", "webhook"),
    [("getMe", False), ("setMyCommands", False), ("deleteWebhook", False), ("setWebhook", True)],
    ids=["getMe", "setMyCommands", "deleteWebhook", "setWebhook"],
)
def test_a_stop_signal_at_any_step_of_the_start_stops_the_bot_cleanly(
    tmp_path: Path, method: str, webhook: bool
) -> None:
    # SIGTERM (a deploy, Ctrl-C) while Telegram has not yet answered a call of the start: getMe (PTB's
    # initialize), setMyCommands (the bot's own start), deleteWebhook (polling) or setWebhook. PTB leaves that
    # step half way; the process must still close its database and exit (it hung on the database's threads),
    # with nothing logged as an error (the interrupted call was logged as a failed one, and its task's
    # failure as never retrieved).
    answering = threading.Event()
    with BotApiDouble() as api:
        api.inject(method, Fault.hold(answering))
        bot = BotProcess(api, tmp_path / "precis.db", tmp_path / "bot.log", webhook_settings() if webhook else {})
        try:
            api.wait(lambda: api.arrived(method) >= 1 or bot.process.poll() is not None, timeout=120)
            assert bot.stop(timeout=60) == 0
        finally:
            answering.set()
            bot.close()
    log = (tmp_path / "bot.log").read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log and " ERROR " not in log, log[-3000:]
