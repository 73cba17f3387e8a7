"""The Bot API client (aiohttp) as PTB's Bot uses it, over real HTTP on 127.0.0.1 with the Bot API double:
answers and Telegram's errors come through as PTB's own client gives them, a file goes up with its name and type,
an answer that does not come in time is PTB's TimedOut (and the send may still have taken effect), and a server
that is not there is a NetworkError."""

from __future__ import annotations

import asyncio
import concurrent.futures
import socket
import threading

import pytest
from telegram import Bot, InputFile
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, TimedOut

from bot.inbox import bot_api_request
from bot.transport import AiohttpRequest
from tests.botapi import BotApiDouble, Fault

CHAT = 4401


def bot_on(api: BotApiDouble, request: AiohttpRequest) -> Bot:
    return Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url, request=request)


async def test_a_message_and_telegrams_refusal_come_through(botapi: BotApiDouble) -> None:
    botapi.add_chat(CHAT)
    async with bot_on(botapi, bot_api_request(timeout=60.0)) as bot:
        sent = await bot.send_message(CHAT, "<b>Card</b> &amp; more", parse_mode=ParseMode.HTML)
        assert sent.text == "Card & more" and sent.entities[0].type == "bold"
        with pytest.raises(BadRequest, match=r"(?i)chat not found"):
            await bot.send_message(CHAT + 1, "nobody there")
    assert [m.text for m in botapi.bot_messages(CHAT)] == ["Card & more"]


async def test_a_file_goes_up_with_its_name_type_and_caption(botapi: BotApiDouble) -> None:
    botapi.add_chat(CHAT)
    content = '{"articles": ["Grüße"]}'.encode()
    async with bot_on(botapi, bot_api_request(timeout=60.0)) as bot:
        await bot.send_document(CHAT, InputFile(content, filename="précis-export.json"), caption="Your archive")
    (upload,) = botapi.requests("sendDocument")
    (document,) = upload.files.values()
    assert document.filename == "précis-export.json"
    assert document.content_type == "application/json"
    assert document.data == content
    assert upload.params["caption"] == "Your archive"


async def test_an_answer_later_than_the_read_timeout_is_timed_out_and_the_send_may_still_land(
    botapi: BotApiDouble,
) -> None:
    botapi.add_chat(CHAT)
    botapi.inject("sendMessage", Fault.delay(1.0))  # Telegram holds its answer
    async with bot_on(botapi, AiohttpRequest(read_timeout=0.05, connect_timeout=60.0)) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(CHAT, "late")
    botapi.wait(lambda: botapi.bot_messages(CHAT), timeout=60, what="the held send")
    assert [m.text for m in botapi.bot_messages(CHAT)] == ["late"]  # why a timed-out send is "maybe delivered"


async def test_no_server_is_a_network_error() -> None:
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    request = AiohttpRequest(connect_timeout=60.0)
    with pytest.raises(NetworkError) as raised:
        async with Bot("0:test", base_url=f"http://127.0.0.1:{port}/bot", request=request):
            pass  # starting asks Telegram who the bot is
    assert not isinstance(raised.value, TimedOut)
    assert "Cannot connect" in str(raised.value)


async def test_a_request_used_before_it_is_initialised_says_so() -> None:
    with pytest.raises(RuntimeError, match="not initialized"):
        await AiohttpRequest().do_request("http://127.0.0.1:9/bot0:test/getMe", "POST")


async def test_a_proxy_set_in_the_environment_is_used_unless_no_proxy_says_otherwise(
    botapi: BotApiDouble, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As with PTB's own client: a bot behind a proxy reaches Telegram through HTTP(S)_PROXY.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        proxy_port = closed.getsockname()[1]
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{proxy_port}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with pytest.raises(NetworkError, match=str(proxy_port)):  # through the (absent) proxy, not to the double
        async with bot_on(botapi, AiohttpRequest(connect_timeout=60.0)):
            pass
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    async with bot_on(botapi, AiohttpRequest(connect_timeout=60.0)) as bot:
        assert (await bot.get_me()).username == botapi.bot_username


async def test_a_call_goes_out_while_every_pool_thread_is_busy(
    botapi: BotApiDouble, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The loop's pool threads run the bot's long database work. aiohttp's `trust_env` read ~/.netrc and the proxy
    # settings on them for every call, so a reply waited for whatever held them.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    botapi.add_chat(CHAT)
    loop = asyncio.get_running_loop()
    loop.set_default_executor(concurrent.futures.ThreadPoolExecutor(max_workers=1))
    release = threading.Event()
    async with bot_on(botapi, bot_api_request(timeout=60.0)) as bot:
        busy = loop.run_in_executor(None, release.wait)
        try:
            sending = asyncio.ensure_future(bot.send_message(CHAT, "sent while the pool is busy"))
            await asyncio.wait({sending}, timeout=60.0)  # a bound on a failing run only: it passes in milliseconds
            assert sending.done(), "the call waited for a pool thread"
            assert not busy.done()
            assert sending.result().text == "sent while the pool is busy"
        finally:
            release.set()
            await busy
