"""The Bot API double, tested over real HTTP: raw requests with httpx, a real PTB Bot, a real PTB Application
in polling and in webhook mode."""

from __future__ import annotations

import asyncio
import datetime as dtm
import io
import itertools
import json
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from PIL import Image
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from tests.botapi import BotApiDouble, Fault, FloodControl, make_user, origin_channel

CHAT = 1001
JSONDict = dict[str, Any]


@pytest.fixture
async def client(botapi: BotApiDouble) -> AsyncIterator[httpx.AsyncClient]:
    # A bound on a hang only (a busy machine may hold an answer for seconds), above the polls the tests make.
    async with httpx.AsyncClient(base_url=botapi.url, timeout=120) as http:
        yield http


async def call(http: httpx.AsyncClient, api: BotApiDouble, method: str, **params: Any) -> tuple[int, JSONDict]:
    """A Bot API call with a JSON body, as most clients send it."""
    response = await http.post(f"/bot{api.token}/{method}", json=params)
    return response.status_code, response.json()


async def call_form(http: httpx.AsyncClient, api: BotApiDouble, method: str, **params: Any) -> tuple[int, JSONDict]:
    """A call with a form body and JSON-encoded structured values, as PTB sends it."""
    data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    response = await http.post(f"/bot{api.token}/{method}", data=data)
    return response.status_code, response.json()


def bad(description: str) -> JSONDict:
    return {"ok": False, "error_code": 400, "description": f"Bad Request: {description}"}


# -- the basics --------------------------------------------------------------------------------------------------


async def test_get_me_token_and_unknown_method(botapi: BotApiDouble, client: httpx.AsyncClient) -> None:
    status, body = await call(client, botapi, "getMe")
    assert status == 200 and body["ok"] and body["result"]["is_bot"]
    assert body["result"]["username"] == botapi.bot_username

    status, body = await call(client, botapi, "getme")  # method names are case-insensitive
    assert status == 200

    response = await client.post("/bot123:wrong/getMe")
    assert (response.status_code, response.json()) == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )

    status, body = await call(client, botapi, "sendSticker")
    assert (status, body) == (404, {"ok": False, "error_code": 404, "description": "Not Found"})
    assert botapi.count("getMe") == 3


async def test_requests_since_reads_each_logged_request_once(botapi: BotApiDouble, client: httpx.AsyncClient) -> None:
    botapi.add_chat(CHAT)
    await call(client, botapi, "sendMessage", chat_id=CHAT, text="one")
    first, position = botapi.requests_since(0)
    assert [r.params["text"] for r in first] == ["one"]
    await call(client, botapi, "sendMessage", chat_id=CHAT, text="two")
    await call(client, botapi, "getMe")
    later, position = botapi.requests_since(position)
    assert [r.method for r in later] == ["sendMessage", "getMe"] and later[0].params["text"] == "two"
    assert botapi.requests_since(position) == ([], position)


async def test_a_request_is_stamped_when_it_arrives_and_when_it_is_answered() -> None:
    ticks = itertools.count(1000)  # the double's clock: one tick a reading
    with BotApiDouble(clock=lambda: float(next(ticks))) as api:
        api.add_chat(CHAT)
        async with httpx.AsyncClient(base_url=api.url, timeout=120) as http:
            await call(http, api, "sendMessage", chat_id=CHAT, text="stamped")
    (sent,) = api.requests("sendMessage")
    assert sent.arrived_at is not None and sent.arrived_at < sent.at  # before the double's own work on it


async def test_required_fields_and_declared_chats(botapi: BotApiDouble, client: httpx.AsyncClient) -> None:
    assert await call(client, botapi, "sendMessage", text="hi") == (400, bad("chat_id is empty"))
    assert await call(client, botapi, "sendMessage", chat_id=CHAT, text="hi") == (400, bad("chat not found"))
    botapi.add_chat(CHAT)
    assert await call(client, botapi, "sendMessage", chat_id=CHAT) == (400, bad("message text is empty"))
    assert await call(client, botapi, "sendMessage", chat_id=CHAT, text="") == (400, bad("message text is empty"))
    status, body = await call(client, botapi, "sendMessage", chat_id=CHAT, text="hi")
    assert status == 200 and body["result"]["text"] == "hi" and body["result"]["chat"]["id"] == CHAT

    botapi.block_chat(CHAT)
    assert await call(client, botapi, "sendMessage", chat_id=CHAT, text="hi") == (
        403,
        {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"},
    )


@pytest.mark.parametrize(
    ("html", "description"),
    [
        ("<foo>x</foo>", 'can\'t parse entities: Unsupported start tag "foo" at byte offset 0'),
        ("ok <b>bold", "can't parse entities: Can't find end tag corresponding to start tag \"b\""),
        (
            "<b>x</i>",
            'can\'t parse entities: Unmatched end tag at byte offset 4, expected "</b>", found "</i>"',
        ),
        ("1 < 2", 'can\'t parse entities: Unsupported start tag "" at byte offset 2'),
        ("é <br>", 'can\'t parse entities: Unsupported start tag "br" at byte offset 3'),  # bytes, not chars
        ("x</b>", "can't parse entities: Unexpected end tag at byte offset 1"),
        ('<span class="x">s</span>', 'can\'t parse entities: Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<b> \n </b>", "text must be non-empty"),
    ],
)
async def test_html_is_checked_as_telegram_does(
    botapi: BotApiDouble, client: httpx.AsyncClient, html: str, description: str
) -> None:
    botapi.add_chat(CHAT)
    status, body = await call(client, botapi, "sendMessage", chat_id=CHAT, text=html, parse_mode="HTML")
    assert (status, body) == (400, bad(description))
    assert botapi.bot_messages(CHAT) == []


async def test_entities_are_parsed_and_recorded(botapi: BotApiDouble, client: httpx.AsyncClient) -> None:
    botapi.add_chat(CHAT)
    html = '<b>Bold</b> &amp; <a href="https://example.org/a?b=1&amp;c=2">link</a> &lt;3 &quot; &#128512;'
    status, body = await call_form(client, botapi, "sendMessage", chat_id=CHAT, text=html, parse_mode="HTML")
    assert status == 200
    (msg,) = botapi.bot_messages(CHAT)
    assert msg.text == 'Bold & link <3 " 😀'
    assert msg.entities == [
        {"type": "bold", "offset": 0, "length": 4},
        {"type": "text_link", "offset": 7, "length": 4, "url": "https://example.org/a?b=1&c=2"},
    ]
    assert (msg.html, msg.parse_mode, msg.message_id) == (html, "HTML", 1)
    assert body["result"]["entities"] == msg.entities


async def test_bare_ampersands_are_refused_unless_asked(botapi: BotApiDouble, client: httpx.AsyncClient) -> None:
    botapi.add_chat(CHAT)
    status, body = await call(client, botapi, "sendMessage", chat_id=CHAT, text="Q&A", parse_mode="HTML")
    assert status == 400 and 'Unescaped "&" at byte offset 1' in body["description"]
    with BotApiDouble(strict_ampersands=False) as lenient:
        lenient.add_chat(CHAT)
        async with httpx.AsyncClient(base_url=lenient.url) as http:
            status, _ = await call(http, lenient, "sendMessage", chat_id=CHAT, text="Q&A &nbsp;", parse_mode="HTML")
        assert status == 200
        assert lenient.bot_messages(CHAT)[0].text == "Q&A &nbsp;"  # Telegram keeps what it cannot decode


async def test_length_counts_after_parsing_in_utf16_units(botapi: BotApiDouble, client: httpx.AsyncClient) -> None:
    botapi.add_chat(CHAT)

    async def send(text: str) -> int:
        status, _ = await call(client, botapi, "sendMessage", chat_id=CHAT, text=text, parse_mode="HTML")
        return status

    assert await send("<b>" + "x" * 4096 + "</b>") == 200  # tags do not count
    assert await send("&amp;" * 4096) == 200  # a reference is one character
    assert await send("x" * 4097) == 400
    assert await send("😀" * 2048) == 200
    assert await send("😀" * 2049) == 400  # 4098 UTF-16 units
    assert await send("x" * 4096 + "\n \n  ") == 200  # trailing spaces are trimmed before counting
    assert botapi.errors()[-1].description == "Bad Request: message is too long"


async def test_code_point_counting_can_be_chosen() -> None:
    with BotApiDouble(length_count="codepoints") as api:
        api.add_chat(CHAT)
        async with httpx.AsyncClient(base_url=api.url) as http:
            status, _ = await call(http, api, "sendMessage", chat_id=CHAT, text="😀" * 4096)
    assert status == 200


async def test_inline_keyboards_are_checked(botapi: BotApiDouble, client: httpx.AsyncClient) -> None:
    botapi.add_chat(CHAT)

    async def send(markup: Any) -> tuple[int, JSONDict]:
        return await call_form(client, botapi, "sendMessage", chat_id=CHAT, text="pick", reply_markup=markup)

    ok = {"inline_keyboard": [[{"text": "A", "callback_data": "я" * 32}]]}  # 64 bytes
    assert (await send(ok))[0] == 200
    too_long = {"inline_keyboard": [[{"text": "A", "callback_data": "x" * 65}]]}
    assert await send(too_long) == (400, bad("BUTTON_DATA_INVALID"))
    assert await send({"inline_keyboard": [{"text": "A"}]}) == (
        400,
        bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'),
    )
    assert await send({"inline_keyboard": [[{"text": "A"}]]}) == (
        400,
        bad("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"),
    )
    assert await send({"inline_keyboard": [[{"callback_data": "a"}]]}) == (
        400,
        bad("can't parse inline keyboard button: Can't find field \"text\""),
    )
    assert await send("{not json") == (400, bad("can't parse reply keyboard markup JSON object"))
    (msg,) = botapi.bot_messages(CHAT)
    assert msg.callback_data == ["я" * 32]


async def test_edits_and_not_modified(botapi: BotApiDouble, client: httpx.AsyncClient) -> None:
    botapi.add_chat(CHAT)
    keyboard = {"inline_keyboard": [[{"text": "More", "callback_data": "more"}]]}
    _, body = await call(
        client, botapi, "sendMessage", chat_id=CHAT, text="<b>v1</b>", parse_mode="HTML", reply_markup=keyboard
    )
    message_id = body["result"]["message_id"]

    async def edit(text: str, **extra: Any) -> tuple[int, JSONDict]:
        return await call(client, botapi, "editMessageText", chat_id=CHAT, message_id=message_id, text=text, **extra)

    not_modified = bad(
        "message is not modified: specified new message content and reply markup are exactly the same as a "
        "current content and reply markup of the message"
    )
    # Telegram compares what the reader would see: <strong> is the same bold as <b>
    assert await edit("<strong>v1</strong>", parse_mode="HTML", reply_markup=keyboard) == (400, not_modified)
    status, _ = await edit("<b>v1</b>", parse_mode="HTML")  # no reply_markup: the keyboard goes away
    assert status == 200
    msg = botapi.message(CHAT, message_id)
    assert msg.reply_markup is None and msg.edit_date is not None
    assert msg.history[0]["reply_markup"] == keyboard
    assert (await edit("v2"))[0] == 200
    assert botapi.message(CHAT, message_id).text == "v2"

    markup_args = {"chat_id": CHAT, "message_id": message_id}
    assert (await call(client, botapi, "editMessageReplyMarkup", **markup_args))[1] == not_modified
    status, _ = await call(client, botapi, "editMessageReplyMarkup", **markup_args, reply_markup=keyboard)
    assert status == 200 and botapi.message(CHAT, message_id).callback_data == ["more"]

    assert await call(client, botapi, "editMessageText", chat_id=CHAT, message_id=99, text="x") == (
        400,
        bad("message to edit not found"),
    )
    assert await call(client, botapi, "editMessageText", chat_id=CHAT, text="x") == (
        400,
        bad("message identifier is not specified"),
    )
    user_message = botapi.push_message(CHAT, "mine").message_id
    assert await call(client, botapi, "editMessageText", chat_id=CHAT, message_id=user_message, text="x") == (
        400,
        bad("message can't be edited"),
    )


async def test_replies_need_the_replied_message(botapi: BotApiDouble, client: httpx.AsyncClient) -> None:
    pushed = botapi.push_message(CHAT, "question")
    status, body = await call(
        client, botapi, "sendMessage", chat_id=CHAT, text="answer", reply_parameters={"message_id": 77}
    )
    assert (status, body) == (400, bad("message to be replied not found"))
    status, body = await call(
        client,
        botapi,
        "sendMessage",
        chat_id=CHAT,
        text="answer",
        reply_parameters={"message_id": pushed.message_id},
    )
    assert status == 200
    assert body["result"]["reply_to_message"]["text"] == "question"
    assert body["result"]["message_id"] == pushed.message_id + 1  # one numbering per chat, as in Telegram


# -- updates: long polling -------------------------------------------------------------------------------------


async def test_long_poll_waits_for_timeout_or_update(botapi: BotApiDouble, client: httpx.AsyncClient) -> None:
    # It waits while there is nothing to return, until its timeout, and returns empty-handed (the double's own
    # count: watching the wait from here would need this test to run within the second the poll lasts).
    status, body = await call(client, botapi, "getUpdates", timeout=1.0)
    assert (status, body["result"]) == (200, []) and botapi.polls_waiting == 0
    assert botapi.polls_expired == 1
    assert (await call(client, botapi, "getUpdates", timeout=0))[1]["result"] == []  # no timeout: no wait
    assert botapi.polls_expired == 1

    poll = asyncio.create_task(call(client, botapi, "getUpdates", timeout=90))
    await botapi.wait_until(lambda: botapi.polls_waiting == 1, what="the long poll to wait")
    pushed = botapi.push_message(CHAT, "wake up")
    _, body = await asyncio.wait_for(poll, timeout=45)  # woken by the update, long before its 90 s
    assert [u["update_id"] for u in body["result"]] == [pushed.update_id]
    assert body["result"][0]["message"]["text"] == "wake up"


async def test_offset_confirms_updates(botapi: BotApiDouble, client: httpx.AsyncClient) -> None:
    ids = [botapi.push_message(CHAT, f"m{i}").update_id for i in range(3)]
    _, body = await call(client, botapi, "getUpdates")
    assert [u["update_id"] for u in body["result"]] == ids  # not confirmed yet: still there
    _, body = await call(client, botapi, "getUpdates", offset=ids[1])
    assert [u["update_id"] for u in body["result"]] == ids[1:]
    _, body = await call(client, botapi, "getUpdates", offset=-1)
    assert [u["update_id"] for u in body["result"]] == ids[2:]
    _, body = await call(client, botapi, "getUpdates", offset=ids[2] + 1, limit=1)
    assert body["result"] == [] and botapi.pending_updates() == []


async def test_allowed_updates_filters_new_updates(botapi: BotApiDouble, client: httpx.AsyncClient) -> None:
    await call(client, botapi, "getUpdates", allowed_updates=["callback_query"])
    botapi.push_message(CHAT, "not wanted")
    assert botapi.pending_updates() == []
    await call_form(client, botapi, "getUpdates", allowed_updates=[])  # empty: back to the default set
    botapi.push_message(CHAT, "wanted")
    assert [u["message"]["text"] for u in botapi.pending_updates()] == ["wanted"]


async def test_a_second_poller_terminates_the_first(botapi: BotApiDouble, client: httpx.AsyncClient) -> None:
    first = asyncio.create_task(call(client, botapi, "getUpdates", timeout=90))
    await botapi.wait_until(lambda: botapi.polls_waiting == 1, what="the first poll to wait")
    second = await call(client, botapi, "getUpdates", timeout=0)
    assert second == (200, {"ok": True, "result": []})
    assert await first == (
        409,
        {
            "ok": False,
            "error_code": 409,
            "description": "Conflict: terminated by other getUpdates request; "
            "make sure that only one bot instance is running",
        },
    )


async def test_stop_is_prompt_while_a_long_poll_waits() -> None:
    api = BotApiDouble().start()
    async with httpx.AsyncClient(base_url=api.url) as http:
        poll = asyncio.create_task(http.post(f"/bot{api.token}/getUpdates", json={"timeout": 90}))
        await api.wait_until(lambda: api.polls_waiting == 1, what="the long poll to wait")
        await asyncio.wait_for(asyncio.to_thread(api.stop), timeout=45)  # not after the poll's 90 s
        try:
            response = await poll
        except httpx.HTTPError:
            pass  # the connection was closed under it: also a prompt end
        else:
            assert response.json() == {"ok": True, "result": []}


# -- updates: webhooks ---------------------------------------------------------------------------------------


class Receiver:
    """A plain webhook endpoint on 127.0.0.1 recording what it is sent."""

    def __init__(self, status: int = 200):
        self.status = status
        self.received: list[tuple[dict[str, str], JSONDict]] = []
        self.before_answer: Callable[[JSONDict], None] | None = None  # runs (on the server's thread) before the 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                update = json.loads(body)
                receiver.received.append((dict(self.headers), update))
                if receiver.before_answer is not None:
                    receiver.before_answer(update)
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02})

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=60)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as endpoint:
        yield endpoint


async def test_webhook_delivery_with_secret_and_conflict(
    botapi: BotApiDouble, client: httpx.AsyncClient, receiver: Receiver
) -> None:
    status, body = await call(client, botapi, "setWebhook", url=receiver.url, secret_token="s3cret-token_1")
    assert (status, body) == (200, {"ok": True, "result": True, "description": "Webhook was set"})
    pushed = botapi.push_message(CHAT, "pushed")
    await botapi.wait_until(lambda: receiver.received, what="a webhook delivery")
    headers, update = receiver.received[0]
    assert headers["X-Telegram-Bot-Api-Secret-Token"] == "s3cret-token_1"
    assert update["update_id"] == pushed.update_id and update["message"]["text"] == "pushed"
    await botapi.wait_for_no_pending_updates()

    status, body = await call(client, botapi, "getUpdates")
    assert status == 409 and body["description"].startswith("Conflict: can't use getUpdates method while webhook")
    _, body = await call(client, botapi, "getWebhookInfo")
    assert body["result"]["url"] == receiver.url and body["result"]["pending_update_count"] == 0

    assert (await call(client, botapi, "deleteWebhook"))[1]["description"] == "Webhook was deleted"
    assert (await call(client, botapi, "getUpdates"))[0] == 200


async def test_parallel_webhooks_deliver_other_chats_while_one_chats_update_is_held(receiver: Receiver) -> None:
    # Telegram's Bot API server keeps one update in flight per chat and sends different chats' at once: a command
    # is not queued behind another chat's burst. Here chat 1's first update is held until chat 2's has arrived.
    other_arrived = threading.Event()

    def hold(update: JSONDict) -> None:
        chat = update["message"]["chat"]["id"]
        if chat == 2:
            other_arrived.set()
        elif update["message"]["text"] == "first":
            assert other_arrived.wait(60), "chat 2's update was queued behind chat 1's"

    receiver.before_answer = hold
    with BotApiDouble(parallel_webhooks=True) as api:
        async with httpx.AsyncClient(base_url=api.url, timeout=120) as http:
            await call(http, api, "setWebhook", url=receiver.url)
            api.push_message(1, "first")
            api.push_message(1, "second")
            api.push_message(2, "other chat")
            await api.wait_for_no_pending_updates()
    texts = [update["message"]["text"] for _, update in receiver.received]
    assert texts.index("other chat") < texts.index("second")  # in parallel across chats
    assert texts.index("first") < texts.index("second")  # in order within one
    assert [d.status for d in api.webhook_deliveries()] == [200, 200, 200]


async def test_webhook_failures_are_retried(
    botapi: BotApiDouble, client: httpx.AsyncClient, receiver: Receiver
) -> None:
    receiver.status = 500
    await call(client, botapi, "setWebhook", url=receiver.url)
    botapi.push_message(CHAT, "again")
    await botapi.wait_until(lambda: len(receiver.received) >= 2, what="a retried delivery")
    info = botapi.webhook_info()
    assert info["pending_update_count"] == 1
    assert info["last_error_message"].startswith("Wrong response from the webhook: 500")
    receiver.status = 200
    await botapi.wait_for_no_pending_updates()
    assert [d.status for d in botapi.webhook_deliveries()][-1] == 200


async def test_webhooks_only_to_loopback(botapi: BotApiDouble, client: httpx.AsyncClient) -> None:
    status, body = await call(client, botapi, "setWebhook", url="https://example.org/hook")
    assert status == 400 and body["description"].startswith("Bad Request: bad webhook")
    status, body = await call(client, botapi, "setWebhook", url="http://127.0.0.1:9/hook", secret_token="a b")
    assert (status, body) == (400, bad("secret token contains unallowed characters"))


# -- commands, files, chat actions, callback queries, chats ----------------------------------------------------


async def test_commands_per_scope_and_language(botapi: BotApiDouble, client: httpx.AsyncClient) -> None:
    botapi.add_chat(CHAT)
    english = [{"command": "summary", "description": "Summarise"}]
    russian = [{"command": "summary", "description": "Кратко"}]
    chat_scope = {"type": "chat", "chat_id": CHAT}
    assert (await call_form(client, botapi, "setMyCommands", commands=english))[0] == 200
    assert (await call_form(client, botapi, "setMyCommands", commands=russian, language_code="ru"))[0] == 200
    assert (await call(client, botapi, "setMyCommands", commands=russian, scope=chat_scope))[0] == 200

    assert (await call(client, botapi, "getMyCommands"))[1]["result"] == english
    assert (await call(client, botapi, "getMyCommands", language_code="ru"))[1]["result"] == russian
    assert (await call(client, botapi, "getMyCommands", language_code="de"))[1]["result"] == []
    assert botapi.commands(chat_scope) == russian

    await call(client, botapi, "deleteMyCommands", language_code="ru")
    assert botapi.commands(language_code="ru") == []
    assert await call(client, botapi, "setMyCommands", commands=[{"command": "Bad!", "description": "x"}]) == (
        400,
        bad("BOT_COMMAND_INVALID"),
    )
    assert await call(client, botapi, "getMyCommands", language_code="english") == (
        400,
        bad("invalid language code specified"),
    )
    assert await call(client, botapi, "getMyCommands", scope={"type": "chat", "chat_id": 5}) == (
        400,
        bad("chat not found"),
    )


async def test_files_up_and_down(botapi: BotApiDouble, client: httpx.AsyncClient) -> None:
    pushed = botapi.push_message(CHAT, document=("article.txt", "text/plain", b"Putin said..."))
    document = botapi.message(CHAT, pushed.message_id).document
    assert document is not None and document["file_name"] == "article.txt"
    _, body = await call(client, botapi, "getFile", file_id=document["file_id"])
    path = body["result"]["file_path"]
    response = await client.get(f"/file/bot{botapi.token}/{path}")
    assert (response.status_code, response.content) == (200, b"Putin said...")
    assert (await client.get(f"/file/bot{botapi.token}/documents/nope.txt")).status_code == 404
    assert await call(client, botapi, "getFile", file_id="nope") == (400, bad("invalid file_id"))

    response = await client.post(
        f"/bot{botapi.token}/sendDocument",
        data={"chat_id": str(CHAT), "caption": "<b>export</b>", "parse_mode": "HTML"},
        files={"document": ("export.json", b'{"a": 1}', "application/json")},
    )
    assert response.status_code == 200
    sent = botapi.bot_messages(CHAT)[-1]
    assert (sent.caption, sent.document and sent.document["file_name"]) == ("export", "export.json")
    assert sent.document is not None and botapi.file_bytes(sent.document["file_id"]) == b'{"a": 1}'
    response = await client.post(
        f"/bot{botapi.token}/sendDocument",
        data={"chat_id": str(CHAT), "caption": "<b>export", "parse_mode": "HTML"},
        files={"document": ("export.json", b"{}", "application/json")},
    )
    assert response.status_code == 400


async def test_chat_actions_callbacks_and_get_chat(botapi: BotApiDouble, client: httpx.AsyncClient) -> None:
    botapi.add_chat(CHAT, first_name="Ann")
    assert (await call(client, botapi, "sendChatAction", chat_id=CHAT, action="typing"))[0] == 200
    assert await call(client, botapi, "sendChatAction", chat_id=CHAT, action="dancing") == (
        400,
        bad("wrong parameter action in request"),
    )
    assert botapi.chat_actions(CHAT) == ["typing"]

    keyboard = {"inline_keyboard": [[{"text": "Next", "callback_data": "page:2"}]]}
    _, body = await call(client, botapi, "sendMessage", chat_id=CHAT, text="page 1", reply_markup=keyboard)
    message_id = body["result"]["message_id"]
    with pytest.raises(ValueError, match="no button"):
        botapi.push_callback_query(CHAT, message_id, "page:3")
    query = botapi.push_callback_query(CHAT, message_id, "page:2")
    update = botapi.pending_updates()[-1]["callback_query"]
    assert (update["data"], update["message"]["message_id"]) == ("page:2", message_id)
    answer = await call(client, botapi, "answerCallbackQuery", callback_query_id=query.callback_query_id, text="ok")
    assert answer[0] == 200 and botapi.callback_answer(query.callback_query_id) == {
        "text": "ok",
        "show_alert": False,
        "url": None,
        "cache_time": None,
    }
    again = await call(client, botapi, "answerCallbackQuery", callback_query_id=query.callback_query_id)
    assert again == (400, bad("query is too old and response timeout expired or query ID is invalid"))

    _, body = await call(client, botapi, "getChat", chat_id=CHAT)
    assert body["result"]["first_name"] == "Ann" and body["result"]["type"] == "private"
    assert (await call(client, botapi, "close"))[1]["result"] is True
    assert (await call(client, botapi, "logOut"))[1]["result"] is True


def test_push_helpers_build_real_updates(botapi: BotApiDouble) -> None:
    group = -100200
    origin = origin_channel(-1001, "News Channel", message_id=55, username="news")
    first = botapi.push_message(group, "Putin said", chat_type="supergroup", forward_origin=origin)
    botapi.push_message(group, caption="a photo", photo=b"\xff\xd8\xff", media_group_id="g1")
    botapi.push_message(group, sticker=True, user=make_user(7, "Bob"), reply_to_message_id=first.message_id)
    command = botapi.push_command(group, "/summary 12")
    updates = [u["message"] for u in botapi.pending_updates()]
    assert updates[0]["forward_origin"]["chat"]["title"] == "News Channel"
    assert updates[0]["chat"] == {"id": group, "type": "supergroup", "title": f"Chat {group}"}
    assert updates[1]["photo"][-1]["width"] == 1280 and updates[1]["caption"] == "a photo"
    assert updates[2]["from"]["id"] == 7 and updates[2]["reply_to_message"]["text"] == "Putin said"
    assert updates[3]["entities"] == [{"type": "bot_command", "offset": 0, "length": 8}]
    assert command.message_id == 4
    with pytest.raises(ValueError):
        botapi.push_message(group, "x", chat_type="private")
    with pytest.raises(ValueError):
        botapi.push_message(group, caption="no media")


# -- faults --------------------------------------------------------------------------------------------------


async def test_faults_answer_as_telegram_does(botapi: BotApiDouble, client: httpx.AsyncClient) -> None:
    botapi.add_chat(CHAT)
    botapi.inject("sendMessage", Fault.server_error())
    botapi.inject("sendMessage", Fault.flood(retry_after=3))
    botapi.inject("sendMessage", Fault.disconnect())

    response = await client.post(f"/bot{botapi.token}/sendMessage", json={"chat_id": CHAT, "text": "a"})
    assert response.status_code == 502 and b"502 Bad Gateway" in response.content
    assert await call(client, botapi, "sendMessage", chat_id=CHAT, text="a") == (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 3",
            "parameters": {"retry_after": 3},
        },
    )
    with pytest.raises(httpx.RemoteProtocolError):
        await call(client, botapi, "sendMessage", chat_id=CHAT, text="a")
    assert (await call(client, botapi, "sendMessage", chat_id=CHAT, text="a"))[0] == 200
    assert botapi.count("sendMessage") == 4 and len(botapi.bot_messages(CHAT)) == 1
    assert [r.fault is not None for r in botapi.requests("sendMessage")] == [True, True, True, False]
    assert botapi.errors() == []  # injected faults are not the bot's mistakes

    botapi.inject("*", Fault.error(500, "Internal Server Error"), times=2)
    assert (await call(client, botapi, "getMe"))[0] == 500
    assert (await call(client, botapi, "getChat", chat_id=CHAT))[0] == 500
    assert (await call(client, botapi, "getMe"))[0] == 200


async def test_flood_control_refuses_what_telegram_would() -> None:
    # Slow buckets, so that no refill can happen between the requests of the test however slow the machine.
    control = FloodControl(per_second=1 / 60, burst=3, group_per_minute=1 / 60, group_burst=1)
    with BotApiDouble(flood_control=control) as api:
        async with httpx.AsyncClient(base_url=api.url, timeout=120) as http:
            api.add_chat(CHAT)
            api.add_chat(-100, chat_type="supergroup")
            assert (await call(http, api, "sendMessage", chat_id=-100, text="to the group"))[0] == 200
            # The group's own limit: a second message to it is refused, the overall budget still has room.
            status, body = await call(http, api, "sendMessage", chat_id=-100, text="again")
            assert status == 429 and body["parameters"]["retry_after"] >= 1
            assert body["description"].startswith("Too Many Requests: retry after ")
            for text in ("one", "two"):
                assert (await call(http, api, "sendMessage", chat_id=CHAT, text=text))[0] == 200
            # The overall limit: the fourth message (three were accepted) is refused.
            status, body = await call(http, api, "sendMessage", chat_id=CHAT, text="three")
            assert status == 429 and body["error_code"] == 429
            assert [m.text for m in api.bot_messages(CHAT)] == ["one", "two"]
            assert [r.status for r in api.errors()] == [429, 429]  # refusals are the bot's doing, not faults


async def test_a_delayed_request_still_takes_effect(botapi: BotApiDouble, client: httpx.AsyncClient) -> None:
    botapi.add_chat(CHAT)
    botapi.inject("sendMessage", Fault.delay(0.2))
    assert (await call(client, botapi, "sendMessage", chat_id=CHAT, text="late"))[0] == 200
    (sent,) = botapi.requests("sendMessage")
    assert sent.fault is not None and sent.fault.kind == "delay"  # the request was held, then done
    assert [m.text for m in botapi.bot_messages(CHAT)] == ["late"]


# -- a real PTB Bot ------------------------------------------------------------------------------------------


def ptb_bot(api: BotApiDouble, read_timeout: float = 60.0) -> Bot:
    # Generous unless a test is about the timeout: on a busy machine an answer may take seconds.
    request = HTTPXRequest(read_timeout=read_timeout, connect_timeout=60.0)
    return Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url, request=request)


def seconds(value: int | dtm.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


@pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")  # PTB's int-to-timedelta notice
async def test_ptb_bot_sends_and_gets_telegram_errors(botapi: BotApiDouble) -> None:
    botapi.add_chat(CHAT)
    async with ptb_bot(botapi) as bot:
        sent = await bot.send_message(CHAT, "<i>hello</i> &amp; bye", parse_mode=ParseMode.HTML)
        assert sent.text == "hello & bye" and sent.entities[0].type == "italic"

        with pytest.raises(BadRequest, match=r'(?i)unsupported start tag "p" at byte offset 0'):
            await bot.send_message(CHAT, "<p>para</p>", parse_mode=ParseMode.HTML)
        with pytest.raises(BadRequest, match=r"(?i)chat not found"):
            await bot.send_message(CHAT + 1, "hi")
        botapi.block_chat(CHAT)
        with pytest.raises(Forbidden, match="blocked by the user"):
            await bot.send_message(CHAT, "hi")
        botapi.block_chat(CHAT, blocked=False)

        botapi.inject("sendMessage", Fault.flood(retry_after=7))
        with pytest.raises(RetryAfter) as flood:
            await bot.send_message(CHAT, "hi")
        assert seconds(flood.value.retry_after) == 7

        botapi.inject("sendMessage", Fault.server_error(502))
        with pytest.raises(NetworkError, match="Bad Gateway") as gateway:
            await bot.send_message(CHAT, "hi")
        assert not isinstance(gateway.value, BadRequest | TimedOut)

        botapi.inject("sendMessage", Fault.disconnect())
        with pytest.raises(NetworkError):
            await bot.send_message(CHAT, "hi")


async def test_ptb_bot_times_out_on_a_slow_answer(botapi: BotApiDouble) -> None:
    botapi.add_chat(CHAT)
    never = threading.Event()  # the answer is held until the double stops: only the read timeout can end it
    botapi.inject("sendMessage", Fault.hold(never))
    async with ptb_bot(botapi, read_timeout=0.3) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(CHAT, "slow")


# -- a real PTB Application ----------------------------------------------------------------------------------


def build_app(api: BotApiDouble) -> Application[Any, Any, Any, Any, Any, Any]:
    app = (
        ApplicationBuilder()
        .token(api.token)
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .build()
    )

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None and update.effective_message.text is not None
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Again", callback_data="again")]])
        await update.effective_message.reply_text(f"<b>echo</b> {update.effective_message.text}", reply_markup=keyboard)

    async def again(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("once more")
        await query.edit_message_text("<i>edited</i>")

    async def size(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        assert message is not None and message.document is not None
        data = await (await message.document.get_file()).download_as_bytearray()
        await message.reply_text(f"{message.document.file_name}: {len(data)} bytes")

    async def summary(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(f"summary of {context.args}")

    app.add_handler(CommandHandler("summary", summary))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(MessageHandler(filters.Document.ALL, size))
    app.add_handler(CallbackQueryHandler(again, pattern="^again$"))
    return app


async def test_application_polling_end_to_end(botapi: BotApiDouble) -> None:
    app = build_app(botapi)
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)

        botapi.push_message(CHAT, "hello")
        (reply,) = await botapi.wait_for_messages(CHAT, 1)
        assert (reply.text, reply.html) == ("echo hello", "<b>echo</b> hello")

        query = botapi.push_callback_query(CHAT, reply.message_id, "again")
        await botapi.wait_until(lambda: botapi.message(CHAT, reply.message_id).edit_date, what="the edit")
        assert botapi.message(CHAT, reply.message_id).text == "edited"
        assert botapi.callback_answer(query.callback_query_id) == {
            "text": "once more",
            "show_alert": False,
            "url": None,
            "cache_time": None,
        }

        botapi.push_command(CHAT, "/summary 12")
        botapi.push_message(CHAT, document=("a.txt", "text/plain", b"x" * 300))
        replies = await botapi.wait_for_messages(CHAT, 3)
        assert [m.text for m in replies[1:]] == ["summary of ['12']", "a.txt: 300 bytes"]

        await app.updater.stop()
        await app.stop()
    assert botapi.pending_updates() == []  # the updater confirmed what it fetched before stopping
    assert botapi.errors() == []


async def test_application_webhook_end_to_end(botapi: BotApiDouble, free_port: int) -> None:
    app = build_app(botapi)
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_webhook(
            listen="127.0.0.1",
            port=free_port,
            url_path="telegram",
            webhook_url=f"http://127.0.0.1:{free_port}/telegram",
            secret_token="s3cret",
        )
        assert botapi.webhook_info()["url"] == f"http://127.0.0.1:{free_port}/telegram"
        pushed = botapi.push_message(CHAT, "via webhook")
        (reply,) = await botapi.wait_for_messages(CHAT, 1)
        assert reply.text == "echo via webhook"
        await app.updater.stop()
        await app.stop()
    (delivery,) = botapi.webhook_deliveries()
    assert (delivery.update_id, delivery.status) == (pushed.update_id, 200)  # PTB checked the secret header
    assert botapi.errors() == []


async def test_send_photo_checks_what_telegram_checks(botapi: BotApiDouble, client: httpx.AsyncClient) -> None:
    botapi.add_chat(CHAT, first_name="Ann")

    def png(width: int, height: int) -> bytes:
        out = io.BytesIO()
        Image.new("RGB", (width, height), "white").save(out, format="PNG")
        return out.getvalue()

    async def send(data: bytes, caption: str = "") -> httpx.Response:
        return await client.post(
            f"/bot{botapi.token}/sendPhoto",
            data={"chat_id": str(CHAT), "caption": caption, "parse_mode": "HTML"},
            files={"photo": ("timeline.png", data, "image/png")},
        )

    response = await send(png(1600, 900), "<b>Timeline</b>")
    assert response.status_code == 200
    sent = botapi.bot_messages(CHAT)[-1]
    assert (sent.method, sent.caption) == ("sendPhoto", "Timeline")
    assert sent.photo is not None and (sent.photo[-1]["width"], sent.photo[-1]["height"]) == (1280, 720)
    assert botapi.file_bytes(sent.photo[-1]["file_id"]) == png(1600, 900)
    assert response.json()["result"]["photo"][-1]["width"] == 1280
    # What Telegram refuses: not an image, a strip too thin, too big a sum of sides, a caption too long.
    assert (await send(b"not a picture")).json()["description"] == "Bad Request: IMAGE_PROCESS_FAILED"
    assert (await send(png(2100, 100))).json()["description"] == "Bad Request: PHOTO_INVALID_DIMENSIONS"
    assert (await send(png(5000, 5001))).json()["description"] == "Bad Request: PHOTO_INVALID_DIMENSIONS"
    assert (await send(b"")).status_code == 400
    assert (await send(png(10, 10), "x" * 1025)).status_code == 400
    assert len([m for m in botapi.bot_messages(CHAT) if m.method == "sendPhoto"]) == 1


# -- channels, the bot's standing, migration ---------------------------------------------------------------------


async def test_channels_admins_and_migration_are_checked_as_telegram_does(
    botapi: BotApiDouble, client: httpx.AsyncClient
) -> None:
    channel, group, supergroup = -1009000, -9000, -1009001
    with pytest.raises(ValueError, match="only as an administrator"):
        botapi.add_bot(channel, by=7, status="member", title="News")
    botapi.add_chat(channel, chat_type="channel", title="News", username="news")
    # Not in the channel: no posts, no member list, no sending.
    with pytest.raises(ValueError, match="administer the channel"):
        botapi.push_channel_post(channel, "hello")
    status, body = await call(client, botapi, "getChatAdministrators", chat_id="@news")
    assert (status, body) == (400, bad("member list is inaccessible"))
    status, body = await call(client, botapi, "sendMessage", chat_id=channel, text="hi")
    assert status == 403 and body["description"] == "Forbidden: bot is not a member of the channel chat"

    botapi.set_admin(channel, 7)
    botapi.add_bot(channel, by=7, can_post=False)
    update = botapi.pending_updates()[-1]["my_chat_member"]
    assert update["old_chat_member"]["status"] == "left" and update["new_chat_member"]["status"] == "administrator"
    assert update["new_chat_member"]["can_post_messages"] is False and update["from"]["id"] == 7
    status, body = await call(client, botapi, "getChatAdministrators", chat_id=channel)
    assert status == 200 and [m["user"]["id"] for m in body["result"]] == [7, botapi.bot_id]
    status, body = await call(client, botapi, "sendMessage", chat_id=channel, text="hi")
    assert (status, body) == (400, bad("need administrator rights in the channel chat"))
    post = botapi.push_channel_post(channel, "first")
    botapi.edit_channel_post(channel, post.message_id, "first, edited")
    kinds = [next(k for k in u if k != "update_id") for u in botapi.pending_updates()[-2:]]
    assert kinds == ["channel_post", "edited_channel_post"]
    assert botapi.pending_updates()[-1]["edited_channel_post"]["text"] == "first, edited"

    botapi.add_chat(5)
    status, body = await call(client, botapi, "getChatAdministrators", chat_id=5)
    assert (status, body) == (400, bad("there are no administrators in the private chat"))

    botapi.push_message(group, "hello", chat_type="group")
    botapi.migrate_group(group, supergroup)
    moved = [u["message"] for u in botapi.pending_updates()[-2:]]
    assert moved[0]["migrate_to_chat_id"] == supergroup and moved[1]["migrate_from_chat_id"] == group
    status, body = await call(client, botapi, "sendMessage", chat_id=group, text="hi")
    assert status == 400 and body["parameters"] == {"migrate_to_chat_id": supergroup}
    status, body = await call(client, botapi, "sendMessage", chat_id=supergroup, text="hi")
    assert status == 200


async def test_the_count_of_the_bots_messages_leaves_out_the_users_and_the_deleted(
    botapi: BotApiDouble, client: httpx.AsyncClient
) -> None:
    botapi.add_chat(CHAT)
    assert botapi.bot_message_count(CHAT) == 0
    botapi.push_message(CHAT, "a post from the user")
    for text in ("one", "two", "three"):
        status, _ = await call(client, botapi, "sendMessage", chat_id=CHAT, text=text)
        assert status == 200
    doomed = botapi.bot_messages(CHAT)[0].message_id
    status, _ = await call(client, botapi, "deleteMessage", chat_id=CHAT, message_id=doomed)
    assert status == 200
    assert botapi.bot_message_count(CHAT) == len(botapi.bot_messages(CHAT)) == 2
    assert botapi.bot_message_count(CHAT + 1) == 0
