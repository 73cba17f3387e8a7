"""A Telegram Bot API double: a real HTTP server on 127.0.0.1 that the real PTB `Application` can run against.

Point PTB at it with ``ApplicationBuilder().token(api.token).base_url(api.base_url).base_file_url(
api.base_file_url)``. The server runs in its own threads (stdlib ``ThreadingHTTPServer``), independent of any
event loop; every public method is thread-safe. Tests build incoming updates with `push_message`,
`push_command` and `push_callback_query`, read what the bot sent with `bot_messages` and await it with
`wait_for_messages`.

What it checks, as Telegram does and with Telegram's error shapes (``{"ok": false, "error_code": 400,
"description": "Bad Request: ..."}``): the token (401), the method (404), required fields (``chat_id is
empty``, ``message text is empty``), text after entity parsing (HTML exactly as Telegram parses it, see
`tests.telegram_html`; ``text must be non-empty``; ``message is too long`` past 4096, counted in UTF-16 units
by default), inline keyboards (shape, ``BUTTON_DATA_INVALID`` past 64 bytes of callback data), edits
(``message to edit not found``, ``message is not modified``), replies to missing messages, declared chats
(``chat not found``), chats that blocked the bot (403), callback queries answered once, the bot command scopes
and language codes, and ``getUpdates`` while a webhook is set (409), or while another ``getUpdates`` is waiting
(409, the older one).

Differences from Telegram, on purpose: in HTML, an ``&`` that starts no reference is refused (Telegram shows it
as is, but it means some text was not escaped; ``strict_ampersands=False`` turns that off); webhooks may be
``http://`` and must point at a loopback address (Telegram wants HTTPS on ports 443/80/88/8443); the Markdown
parse modes are not parsed; rarely used methods are missing (they answer 404 like an unknown method).

Flood control, when asked for (``BotApiDouble(flood_control=FloodControl())``): sending more messages than
Telegram allows is answered with 429 and ``retry_after``, as Telegram does, so a test can count how often a bot
would have been told to slow down. Off by default.

Faults: `inject` queues `Fault`s per method: a 5xx answer (502 with nginx's HTML page, as Telegram's front
end sends it), 429 with ``parameters.retry_after``, any error, a delay (the request still takes effect
afterwards, as when a client gave up waiting), or a dropped connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import http.client
import io
import ipaddress
import itertools
import json
import math
import re
import socket
import sys
import threading
import time
import traceback
from collections import Counter, deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal, TypeVar
from urllib.parse import parse_qsl, unquote, urlsplit

from PIL import Image

from tests.telegram_html import Count, TelegramHTMLError, entities_from_json, message_text

__all__ = [
    "DEFAULT_TOKEN",
    "BotApiDouble",
    "Fault",
    "FloodControl",
    "Pushed",
    "PushedCallbackQuery",
    "PushedMessage",
    "RequestRecord",
    "StoredMessage",
    "UploadedFile",
    "WebhookDelivery",
    "make_user",
    "origin_channel",
    "origin_chat",
    "origin_hidden_user",
    "origin_user",
]

JSONDict = dict[str, Any]
T = TypeVar("T")
ChatType = Literal["private", "group", "supergroup", "channel"]

DEFAULT_TOKEN = "123456789:AAFtest-token-for-the-bot-api-double_0"
DEFAULT_GROUP_USER_ID = 424242
MAX_CALLBACK_DATA_BYTES = 64
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
MAX_PHOTO_BYTES = 10 * 1024 * 1024  # sendPhoto's limit
UPDATE_TYPES = frozenset(
    {
        "message", "edited_message", "channel_post", "edited_channel_post", "business_connection",
        "business_message", "edited_business_message", "deleted_business_messages", "message_reaction",
        "message_reaction_count", "inline_query", "chosen_inline_result", "callback_query", "shipping_query",
        "pre_checkout_query", "purchased_paid_media", "poll", "poll_answer", "my_chat_member", "chat_member",
        "chat_join_request", "chat_boost", "removed_chat_boost",
    }
)  # fmt: skip
DEFAULT_ALLOWED_UPDATES = UPDATE_TYPES - {"chat_member", "message_reaction", "message_reaction_count"}
CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
        "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
    }
)  # fmt: skip
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the same as a "
    "current content and reply markup of the message"
)
_ERROR_PAGE = (  # what nginx in front of the Bot API answers when the backend is down
    b"<html>\r\n<head><title>TITLE</title></head>\r\n<body>\r\n<center><h1>TITLE</h1>"
    b"</center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n"
)


# -- values tests build and read ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    """Something to go wrong with one request. Build with the class methods."""

    kind: Literal["error", "html", "delay", "hold", "disconnect"]
    status: int = 0
    description: str = ""
    parameters: Mapping[str, Any] | None = None
    seconds: float = 0.0
    gate: threading.Event | None = field(default=None, compare=False)

    @classmethod
    def server_error(cls, status: int = 502) -> Fault:
        """A 5xx: 502/503/504 come with nginx's HTML page (as Telegram's front end sends them), others JSON."""
        if status in (502, 503, 504):
            return cls("html", status)
        return cls("error", status, "Internal Server Error")

    @classmethod
    def flood(cls, retry_after: int = 1) -> Fault:
        """429 Too Many Requests with ``parameters.retry_after``."""
        return cls("error", 429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})

    @classmethod
    def error(cls, status: int, description: str, parameters: Mapping[str, Any] | None = None) -> Fault:
        """Any Bot API error, e.g. ``Fault.error(403, "Forbidden: bot was blocked by the user")``."""
        return cls("error", status, description, parameters)

    @classmethod
    def delay(cls, seconds: float) -> Fault:
        """Answer only after ``seconds``; the request is then carried out as usual."""
        return cls("delay", seconds=seconds)

    @classmethod
    def hold(cls, gate: threading.Event) -> Fault:
        """Answer only once the test sets ``gate`` (or the double stops); the request is then carried out as
        usual. A Telegram as slow as the test needs it to be, with no clock."""
        return cls("hold", gate=gate)

    @classmethod
    def disconnect(cls) -> Fault:
        """Close the connection without answering."""
        return cls("disconnect")


@dataclass(frozen=True)
class FloodControl:
    """Telegram's flood limits as token buckets: about `per_second` messages a second to all chats, and
    `group_per_minute` a minute to any one group or channel. Telegram publishes the rates but not how much
    burst it forgives; the buckets hold `burst` and `group_burst` messages, so a sender that keeps to the
    rates (AIORateLimiter's leaky buckets: 30 at once, then 30 a second) never meets a refusal while one that
    does not, soon does. A refusal is 429 with ``retry_after`` (whole seconds, at least 1)."""

    per_second: float = 30.0
    burst: float = 45.0
    group_per_minute: float = 20.0
    group_burst: float = 20.0


class _Bucket:
    def __init__(self, rate: float, capacity: float) -> None:
        self.rate = rate  # tokens a second
        self.capacity = capacity
        self.tokens = capacity
        self.at = time.monotonic()

    def wait(self) -> float:
        """Seconds until a token is free (0: one is free now)."""
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.at) * self.rate)
        self.at = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self) -> None:
        self.tokens -= 1


@dataclass(frozen=True)
class UploadedFile:
    field: str
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class RequestRecord:
    """One request the double received and how it answered."""

    method: str  # the Bot API name, e.g. "sendMessage"; the path's last segment when unknown
    params: Mapping[str, Any]  # as sent: strings for form bodies, JSON values for JSON bodies
    files: Mapping[str, UploadedFile]
    status: int
    response: Any  # the decoded JSON answer, or None
    fault: Fault | None
    at: float  # when the double had answered it
    client_gone: bool = False  # the client had closed the connection before the answer (it never saw it)
    arrived_at: float | None = None  # when its body had been read, before the double's own work on it

    def param_json(self, name: str) -> Any:
        """A parameter PTB sends JSON-encoded (reply_markup, entities, scope, ...), decoded."""
        value = self.params.get(name)
        return json.loads(value) if isinstance(value, str) else value

    @property
    def description(self) -> str | None:
        return self.response.get("description") if isinstance(self.response, dict) else None


@dataclass
class StoredMessage:
    """A message in a chat, as the double keeps it: sent by the bot or pushed by a test."""

    chat_id: int
    message_id: int
    from_bot: bool
    date: int
    text: str | None = None  # as the reader sees it: entities parsed, trimmed
    entities: list[JSONDict] = field(default_factory=list)
    html: str | None = None  # the text or caption exactly as the bot sent it
    parse_mode: str | None = None
    caption: str | None = None
    reply_markup: JSONDict | None = None
    reply_to_message_id: int | None = None
    document: JSONDict | None = None
    photo: list[JSONDict] | None = None  # the sizes of a photo the bot sent, smallest first
    edit_date: int | None = None
    history: list[JSONDict] = field(default_factory=list)  # earlier versions, oldest first
    method: str = ""
    payload: JSONDict = field(default_factory=dict)  # the Bot API Message object

    @property
    def buttons(self) -> list[list[JSONDict]]:
        return list((self.reply_markup or {}).get("inline_keyboard", []))

    @property
    def callback_data(self) -> list[str]:
        return [b["callback_data"] for row in self.buttons for b in row if "callback_data" in b]


@dataclass(frozen=True)
class Pushed:
    """What a push helper queued."""

    update_id: int


@dataclass(frozen=True)
class PushedMessage(Pushed):
    message_id: int


@dataclass(frozen=True)
class PushedCallbackQuery(Pushed):
    message_id: int
    callback_query_id: str


@dataclass(frozen=True)
class WebhookDelivery:
    update_id: int
    status: int | None
    error: str | None
    at: float
    url: str = ""


def make_user(
    user_id: int, first_name: str = "Tester", *, username: str | None = None, language_code: str | None = "en"
) -> JSONDict:
    user: JSONDict = {"id": user_id, "is_bot": False, "first_name": first_name}
    if username:
        user["username"] = username
    if language_code:
        user["language_code"] = language_code
    return user


def _origin_date(date: int | None) -> int:
    return int(time.time()) - 3600 if date is None else date


def origin_channel(
    chat_id: int,
    title: str,
    *,
    message_id: int = 1,
    username: str | None = None,
    author_signature: str | None = None,
    date: int | None = None,
) -> JSONDict:
    """``forward_origin`` of a post forwarded from a channel."""
    chat: JSONDict = {"id": chat_id, "type": "channel", "title": title}
    if username:
        chat["username"] = username
    origin: JSONDict = {"type": "channel", "date": _origin_date(date), "chat": chat, "message_id": message_id}
    if author_signature:
        origin["author_signature"] = author_signature
    return origin


def origin_user(user: JSONDict, *, date: int | None = None) -> JSONDict:
    return {"type": "user", "date": _origin_date(date), "sender_user": user}


def origin_hidden_user(name: str, *, date: int | None = None) -> JSONDict:
    return {"type": "hidden_user", "date": _origin_date(date), "sender_user_name": name}


def origin_chat(chat_id: int, title: str, *, author_signature: str | None = None, date: int | None = None) -> JSONDict:
    origin: JSONDict = {
        "type": "chat",
        "date": _origin_date(date),
        "sender_chat": {"id": chat_id, "type": "supergroup", "title": title},
    }
    if author_signature:
        origin["author_signature"] = author_signature
    return origin


# -- internals ------------------------------------------------------------------------------------------------


class ApiError(Exception):
    def __init__(self, status: int, description: str, parameters: Mapping[str, Any] | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


def _bad(what: str) -> ApiError:
    return ApiError(400, f"Bad Request: {what}")


@dataclass
class _Response:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    disconnect: bool = False


def _json_response(status: int, payload: JSONDict) -> _Response:
    return _Response(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"))


def _error_payload(status: int, description: str, parameters: Mapping[str, Any] | None = None) -> JSONDict:
    payload: JSONDict = {"ok": False, "error_code": status, "description": description}
    if parameters:
        payload["parameters"] = dict(parameters)
    return payload


@dataclass
class _Chat:
    id: int
    type: str
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    blocked: bool = False
    admins: set[int] = field(default_factory=set)  # user ids that are the group's administrators
    bot_status: str | None = None  # the bot's own status in a group or channel (None: as in a private chat)
    bot_can_post: bool = True  # a channel administrator's right to post
    migrated_to: int | None = None  # a group that became a supergroup: its new id
    next_message_id: int = 1
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    actions: list[str] = field(default_factory=list)

    def json(self) -> JSONDict:
        out: JSONDict = {"id": self.id, "type": self.type}
        if self.type == "private":
            out["first_name"] = self.first_name or "Tester"
        else:
            out["title"] = self.title or f"Chat {self.id}"
        if self.username:
            out["username"] = self.username
        return out

    def forbidden(self) -> str:
        return {
            "private": "Forbidden: bot was blocked by the user",
            "group": "Forbidden: bot was kicked from the group chat",
            "supergroup": "Forbidden: bot was kicked from the supergroup chat",
        }.get(self.type, "Forbidden: bot is not a member of the channel chat")


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes


class _Args:
    """Request parameters: strings from query strings and form bodies, JSON values from JSON bodies."""

    def __init__(self, values: Mapping[str, Any], files: Mapping[str, UploadedFile]):
        self.values = dict(values)
        self.files = dict(files)
        self.client_gone: Callable[[], bool] = lambda: False
        self.arrived_at: float | None = None

    def raw(self, name: str) -> Any:
        return self.values.get(name)

    def has(self, name: str) -> bool:
        return self.values.get(name) not in (None, "")

    def get_str(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None:
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, dict | list):
            return json.dumps(value)
        return value if isinstance(value, str) else str(value)

    def get_int(self, name: str) -> int | None:
        value = self.values.get(name)
        if value in (None, ""):
            return None
        try:
            return int(str(value).strip())
        except ValueError:
            return 0  # what the Bot API makes of a number it cannot read

    def get_float(self, name: str) -> float | None:
        value = self.values.get(name)
        if value in (None, ""):
            return None
        try:
            return float(str(value).strip())
        except ValueError:
            return 0.0

    def get_bool(self, name: str) -> bool:
        value = self.values.get(name)
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in ("true", "1", "yes")

    def get_json(self, name: str, what: str) -> Any:
        value = self.values.get(name)
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            raise _bad(f"can't parse {what} JSON object") from None


def _multipart(body: bytes, boundary: bytes) -> tuple[dict[str, str], dict[str, UploadedFile]]:
    values: dict[str, str] = {}
    files: dict[str, UploadedFile] = {}
    for part in body.split(b"--" + boundary)[1:]:
        if part.startswith(b"--"):
            break
        head, _, content = part.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        content = content.removesuffix(b"\r\n")
        headers: dict[str, str] = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, sep, value = line.partition(":")
            if sep:
                headers[key.strip().lower()] = value.strip()
        disposition = headers.get("content-disposition", "")

        def param(key: str, disposition: str = disposition) -> str | None:
            match = re.search(rf'(?:^|;)\s*{key}="([^"]*)"', disposition)
            if match is None:
                return None
            return re.sub(r"%(22|[01][0-9A-Fa-f])", lambda m: chr(int(m.group(1), 16)), match.group(1))

        name = param("name")
        if name is None:
            continue
        filename = param("filename")
        if filename is None:
            values[name] = content.decode("utf-8", "replace")
        else:
            files[name] = UploadedFile(name, filename, headers.get("content-type", "application/octet-stream"), content)
    return values, files


def _parse_request(query: str, content_type: str, body: bytes) -> _Args:
    values: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    files: dict[str, UploadedFile] = {}
    main = content_type.split(";")[0].strip().lower()
    if main == "application/json":
        decoded = json.loads(body.decode("utf-8") or "{}")
        if not isinstance(decoded, dict):
            raise ValueError("a JSON body must be an object")
        values.update(decoded)
    elif main == "multipart/form-data":
        match = re.search(r'boundary="?([^";]+)"?', content_type)
        if match is None:
            raise ValueError("multipart body without a boundary")
        form, files = _multipart(body, match.group(1).encode("latin-1"))
        values.update(form)
    elif body:
        values.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    return _Args(values, files)


def _delivery_queue(update: JSONDict) -> object:
    """What Telegram delivers a webhook update in order within: its chat (or, without one, its sender); an update
    with neither is a queue of its own."""
    for value in update.values():
        if not isinstance(value, dict):
            continue
        holder = value.get("message") if isinstance(value.get("message"), dict) else value
        chat = holder.get("chat")
        if isinstance(chat, dict) and "id" in chat:
            return ("chat", chat["id"])
        sender = value.get("from")
        if isinstance(sender, dict) and "id" in sender:
            return ("user", sender["id"])
    return ("update", update.get("update_id"))


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_link_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https", "tg") and (parts.scheme.lower() == "tg" or bool(parts.netloc))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, double: BotApiDouble, host: str):
        self.double = double
        self.connections: set[socket.socket] = set()
        self.workers: list[threading.Thread] = []
        self.track = threading.Lock()
        super().__init__((host, 0), _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        worker = threading.Thread(
            target=self.process_request_thread, args=(request, client_address), daemon=True, name="botapi-conn"
        )
        with self.track:
            self.connections.add(request)
            self.workers = [w for w in self.workers if w.is_alive()]
            self.workers.append(worker)
        worker.start()

    def shutdown_request(self, request: Any) -> None:
        with self.track:
            self.connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that went away (a bot process killed mid-request) is not the double's error: no traceback.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    def drop_connections(self) -> list[threading.Thread]:
        with self.track:
            connections, workers = list(self.connections), list(self.workers)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        return workers


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # answers go out whole and at once: no 40 ms delayed-ACK stalls
    wbufsize = -1
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _client_gone(self) -> bool:
        try:
            return self.connection.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
        except BlockingIOError:
            return False
        except OSError:
            return True

    def _serve(self) -> None:
        response = self.server.double._handle_http(
            self.path, self.headers.get("Content-Type", ""), self._body(), self._client_gone
        )
        if response.disconnect:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            if self.server.double.closing:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            self.wfile.write(response.body)
            self.wfile.flush()
        except OSError:  # the client went away (a cancelled long poll, a client timeout)
            self.close_connection = True

    do_GET = _serve
    do_POST = _serve


def _channel_refusal(chat: _Chat) -> str:
    if chat.bot_status == "administrator":
        return "Bad Request: need administrator rights in the channel chat"
    return "Forbidden: bot is not a member of the channel chat"


# -- the double -----------------------------------------------------------------------------------------------


class BotApiDouble:
    """The Bot API on 127.0.0.1, for one bot token. Start it (or use it as a context manager), point PTB at
    `base_url`/`base_file_url`, push updates, read what the bot sent. See the module notes."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = "precis_test_bot",
        bot_first_name: str = "Précis",
        host: str = "127.0.0.1",
        length_count: Count = "utf16",
        strict_ampersands: bool = True,
        webhook_timeout: float = 10.0,
        clock: Callable[[], float] = time.time,
        flood_control: FloodControl | None = None,
        parallel_webhooks: bool = False,
    ):
        self.token = token
        self.bot_id = int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 1
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.length_count: Count = length_count
        self.strict_ampersands = strict_ampersands
        self.webhook_timeout = webhook_timeout
        # As Telegram's Bot API server sends webhooks: each chat's updates one at a time and in order, different
        # chats' at once, up to the webhook's max_connections. Off: every update one after another.
        self.parallel_webhooks = parallel_webhooks
        self._host = host
        self._clock = clock
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._closing = threading.Event()
        self._held_gates: list[threading.Event] = []  # the gates of requests held by Fault.hold
        self._async_waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []  # in `wait_until`
        self._server: _Server | None = None
        self._threads: list[threading.Thread] = []

        self._chats: dict[int, _Chat] = {}
        self._updates: list[JSONDict] = []
        self._dropped: list[JSONDict] = []
        self._next_update_id = 1
        self._allowed_updates: frozenset[str] = DEFAULT_ALLOWED_UPDATES
        self._allowed_set_explicitly = False
        self._poll_generation = 0
        self._polls_waiting = 0
        self._polls_expired = 0  # long polls that waited until their timeout and returned nothing
        self._log: list[RequestRecord] = []
        self._counts: Counter[str] = Counter()
        self._arrived: Counter[str] = Counter()  # requests per method as they arrive, before they are answered
        self._changes = 0  # bumped (lock held) on every change a waiter may be waiting for
        self._faults: dict[str, deque[Fault]] = {}
        self._files: dict[str, _StoredFile] = {}
        self._file_ids = itertools.count(1)
        self._callback_queries: dict[str, JSONDict] = {}
        self._callback_ids = itertools.count(1)
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._webhook: JSONDict | None = None
        self._webhook_error: tuple[int, str] | None = None
        self._deliveries: list[WebhookDelivery] = []
        self._balanced: list[str] = []  # webhook URLs served in turn, as a load balancer would
        self._balanced_next = 0
        self.flood_control = flood_control
        self._flood_all = _Bucket(flood_control.per_second, flood_control.burst) if flood_control else None
        self._flood_groups: dict[int, _Bucket] = {}
        self.internal_errors: list[str] = []  # tracebacks of the double's own bugs; should stay empty
        self._methods: dict[str, Callable[[_Args], Any]] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "sendChatAction": self._send_chat_action,
            "sendDocument": self._send_document,
            "sendPhoto": self._send_photo,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "getFile": self._get_file,
            "getChat": self._get_chat,
            "getChatMember": self._get_chat_member,
            "getChatAdministrators": self._get_chat_administrators,
            "close": lambda args: True,
            "logOut": lambda args: True,
        }
        self._by_lower = {name.lower(): name for name in self._methods}

    # -- lifecycle ----------------------------------------------------------------------------------------

    def start(self) -> BotApiDouble:
        if self._server is not None:
            raise RuntimeError("already started")
        self._server = _Server(self, self._host)
        server = self._server
        for target, name in (
            (lambda: server.serve_forever(poll_interval=0.02), "botapi-http"),
            (self._webhook_loop, "botapi-hook"),
        ):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        """Stop serving: wake waiting long polls and delays, close connections, join every thread."""
        server = self._server
        if server is None:
            return
        self._closing.set()
        with self._cond:
            self._notify()
            for gate in self._held_gates:  # a held request is let go
                gate.set()
        server.shutdown()
        server.server_close()
        workers = server.drop_connections()
        for thread in [*self._threads, *workers]:
            thread.join(timeout=60)  # a bound on a hang: a busy machine may take seconds to end a thread
        stuck = [t.name for t in [*self._threads, *workers] if t.is_alive()]
        self._server = None
        if stuck:
            raise RuntimeError(f"threads still running after stop: {stuck}")

    def __enter__(self) -> BotApiDouble:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def closing(self) -> bool:
        return self._closing.is_set()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the double is not running")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self._host}:{self.port}"

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)`` / ``Bot(base_url=...)``; PTB appends the token."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    # -- chats and updates (test side) --------------------------------------------------------------------

    def add_chat(
        self,
        chat_id: int,
        *,
        chat_type: ChatType = "private",
        title: str | None = None,
        username: str | None = None,
        first_name: str | None = None,
    ) -> None:
        """Declare a chat the bot may write to (pushing a message into a chat declares it too)."""
        with self._cond:
            self._declare(chat_id, chat_type, title=title, username=username, first_name=first_name)

    def set_admin(self, chat_id: int, user_id: int, admin: bool = True) -> None:
        """Make a user an administrator of a group (getChatMember answers "administrator"), or not."""
        with self._cond:
            chat = self._known_chat(chat_id)
            (chat.admins.add if admin else chat.admins.discard)(user_id)

    def block_chat(self, chat_id: int, blocked: bool = True) -> None:
        """The user blocks the bot (or the bot is removed from the group): sends then answer 403."""
        with self._cond:
            self._known_chat(chat_id).blocked = blocked

    def add_bot(
        self,
        chat_id: int,
        *,
        by: int,
        status: str = "administrator",
        chat_type: ChatType = "channel",
        title: str | None = None,
        username: str | None = None,
        can_post: bool = True,
    ) -> Pushed:
        """User `by` adds the bot to a group or channel (or changes its status there: "administrator",
        "member", "left", "kicked"); the bot gets my_chat_member, as from Telegram. In a channel only
        administrators see posts; `by` must administer the chat (they become one if it is new)."""
        if status not in ("administrator", "member", "left", "kicked"):
            raise ValueError(f"unknown status {status}")
        known = self._chats.get(chat_id)
        if (known.type if known else chat_type) == "channel" and status == "member":
            raise ValueError("a bot is added to a channel only as an administrator")
        with self._cond:
            new_chat = chat_id not in self._chats
            chat = self._declare(chat_id, chat_type, title=title, username=username)
            if chat.type == "private":
                raise ValueError("use block_bot for a private chat")
            if new_chat:
                chat.admins.add(by)
            if by not in chat.admins:
                raise ValueError(f"user {by} cannot change the bot's status in chat {chat_id}: not an administrator")
            old = chat.bot_status or "left"
            chat.bot_status, chat.bot_can_post = status, can_post
            return Pushed(
                self._enqueue(
                    {"my_chat_member": self._member_update(chat, make_user(by, f"Admin {by}"), old, status, can_post)}
                )
            )

    def block_bot(self, user_id: int, blocked: bool = True) -> Pushed:
        """A user blocks (or unblocks) the bot in their private chat: my_chat_member says kicked (member)."""
        with self._cond:
            chat = self._declare(user_id, "private")
            chat.blocked = blocked
            old, new = ("member", "kicked") if blocked else ("kicked", "member")
            user = make_user(user_id, chat.first_name or "Tester")
            return Pushed(self._enqueue({"my_chat_member": self._member_update(chat, user, old, new, False)}))

    def _member_update(self, chat: _Chat, by: JSONDict, old: str, new: str, can_post: bool) -> JSONDict:
        def member(status: str) -> JSONDict:
            out: JSONDict = {"status": status, "user": self._bot_user()}
            if status == "administrator":
                out.update(
                    {
                        "can_be_edited": False,
                        "is_anonymous": False,
                        "can_manage_chat": True,
                        "can_delete_messages": False,
                        "can_manage_video_chats": False,
                        "can_restrict_members": False,
                        "can_promote_members": False,
                        "can_change_info": False,
                        "can_invite_users": False,
                        "can_post_stories": False,
                        "can_edit_stories": False,
                        "can_delete_stories": False,
                    }
                )
                if chat.type == "channel":
                    out.update({"can_post_messages": can_post, "can_edit_messages": False})
            if status == "kicked":
                out["until_date"] = 0
            return out

        return {
            "chat": chat.json(),
            "from": copy.deepcopy(by),
            "date": self._now(),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }

    def push_channel_post(self, channel_id: int, text: str, *, entities: list[JSONDict] | None = None) -> PushedMessage:
        """A post in a channel: Telegram delivers it (channel_post) only to bots that administer the channel."""
        with self._cond:
            chat = self._known_chat(channel_id)
            if chat.type != "channel":
                raise ValueError(f"chat {channel_id} is not a channel")
            if chat.bot_status != "administrator":
                raise ValueError("Telegram shows channel posts only to bots that administer the channel")
            message_id = self._new_message_id(chat)
            payload: JSONDict = {
                "message_id": message_id,
                "sender_chat": chat.json(),
                "chat": chat.json(),
                "date": self._now(),
                "text": text,
            }
            if entities:
                payload["entities"] = copy.deepcopy(entities)
            chat.messages[message_id] = StoredMessage(
                chat_id=chat.id,
                message_id=message_id,
                from_bot=False,
                date=payload["date"],
                text=text,
                entities=copy.deepcopy(entities or []),
                method="push",
                payload=payload,
            )
            return PushedMessage(self._enqueue({"channel_post": copy.deepcopy(payload)}), message_id)

    def edit_channel_post(self, channel_id: int, message_id: int, text: str) -> Pushed:
        """The channel edits a post: edited_channel_post carries the whole new message."""
        with self._cond:
            chat = self._known_chat(channel_id)
            stored = chat.messages.get(message_id)
            if stored is None or stored.from_bot or chat.type != "channel":
                raise ValueError(f"no channel post {message_id} in chat {channel_id}")
            payload = copy.deepcopy(stored.payload)
            payload["text"] = text
            payload.pop("entities", None)
            payload["edit_date"] = self._now()
            stored.text = text
            stored.payload = payload
            return Pushed(self._enqueue({"edited_channel_post": copy.deepcopy(payload)}))

    def migrate_group(self, group_id: int, supergroup_id: int) -> None:
        """A group becomes a supergroup: a service message in the old group (migrate_to_chat_id) and one in the
        new supergroup (migrate_from_chat_id); the old id answers 400 with migrate_to_chat_id from then on."""
        with self._cond:
            old = self._known_chat(group_id)
            if old.type != "group":
                raise ValueError("only a basic group migrates to a supergroup")
            if supergroup_id in self._chats:
                raise ValueError(f"chat {supergroup_id} exists already")
            new = self._declare(supergroup_id, "supergroup", title=old.title, username=old.username)
            new.admins = set(old.admins)
            new.bot_status = old.bot_status
            old.migrated_to = supergroup_id
            user = make_user(DEFAULT_GROUP_USER_ID, "Member", username="member")
            for chat, key, value in (
                (old, "migrate_to_chat_id", supergroup_id),
                (new, "migrate_from_chat_id", group_id),
            ):
                message_id = self._new_message_id(chat)
                payload: JSONDict = {
                    "message_id": message_id,
                    "from": copy.deepcopy(user),
                    "chat": chat.json(),
                    "date": self._now(),
                    key: value,
                }
                if chat is new:
                    payload.pop("from")
                    payload["sender_chat"] = old.json()
                chat.messages[message_id] = StoredMessage(
                    chat_id=chat.id,
                    message_id=message_id,
                    from_bot=False,
                    date=payload["date"],
                    method="push",
                    payload=payload,
                )
                self._enqueue({"message": copy.deepcopy(payload)})

    def push_update(self, update: JSONDict) -> Pushed:
        """Queue any update (its ``update_id`` is assigned here) for getUpdates or the webhook."""
        with self._cond:
            return Pushed(self._enqueue(copy.deepcopy(update)))

    def push_message(
        self,
        chat_id: int,
        text: str | None = None,
        *,
        user: JSONDict | None = None,
        chat_type: ChatType | None = None,
        forward_origin: JSONDict | None = None,
        reply_to_message_id: int | None = None,
        caption: str | None = None,
        photo: bytes | None = None,
        document: tuple[str, str, bytes] | None = None,
        sticker: bool = False,
        entities: list[JSONDict] | None = None,
        media_group_id: str | None = None,
        date: int | None = None,
    ) -> PushedMessage:
        """A user's message arrives in ``chat_id`` (a forward when ``forward_origin`` is given, see
        `origin_channel` and friends). ``document`` is (file name, MIME type, bytes): the bot can getFile and
        download it. ``entities`` apply to the text, or to the caption of a photo or document."""
        media = photo is not None or document is not None or sticker
        if text is None and not media:
            raise ValueError("a message needs text, a photo, a document or a sticker")
        if text is not None and media:
            raise ValueError("text goes with no media; use caption")
        if caption is not None and not (photo is not None or document is not None):
            raise ValueError("a caption needs a photo or a document")
        if forward_origin is not None and (
            forward_origin.get("type") not in ("user", "hidden_user", "chat", "channel")
            or not isinstance(forward_origin.get("date"), int)
        ):
            raise ValueError("forward_origin needs a type (user, hidden_user, chat, channel) and a date")
        with self._cond:
            chat = self._declare(chat_id, chat_type)
            sender = user or self._default_user(chat)
            message_id = self._new_message_id(chat)
            msg_date = self._now() if date is None else date
            payload: JSONDict = {
                "message_id": message_id,
                "from": copy.deepcopy(sender),
                "chat": chat.json(),
                "date": msg_date,
            }
            if forward_origin is not None:
                payload["forward_origin"] = copy.deepcopy(forward_origin)
            if reply_to_message_id is not None:
                target = chat.messages.get(reply_to_message_id)
                if target is None:
                    raise ValueError(f"no message {reply_to_message_id} in chat {chat_id} to reply to")
                payload["reply_to_message"] = copy.deepcopy(target.payload)
                payload["reply_to_message"].pop("reply_to_message", None)
            if text is not None:
                payload["text"] = text
                if entities:
                    payload["entities"] = copy.deepcopy(entities)
            if caption is not None:
                payload["caption"] = caption
                if entities:
                    payload["caption_entities"] = copy.deepcopy(entities)
            if photo is not None:
                big = self._store_file(photo, "photos", "jpg")
                small = self._store_file(photo, "photos", "jpg")
                payload["photo"] = [
                    {**self._file_ref(small), "width": 90, "height": 60},
                    {**self._file_ref(big), "width": 1280, "height": 853},
                ]
            if document is not None:
                file_name, mime_type, data = document
                extension = file_name.rsplit(".", 1)[-1] if "." in file_name else "bin"
                stored = self._store_file(data, "documents", extension)
                payload["document"] = {**self._file_ref(stored), "file_name": file_name, "mime_type": mime_type}
            if sticker:
                stored = self._store_file(b"RIFF\x00\x00\x00\x00WEBP", "stickers", "webp")
                payload["sticker"] = {
                    **self._file_ref(stored),
                    "type": "regular",
                    "width": 512,
                    "height": 512,
                    "is_animated": False,
                    "is_video": False,
                    "emoji": "👍",
                }
            if media_group_id is not None:
                payload["media_group_id"] = media_group_id
            chat.messages[message_id] = StoredMessage(
                chat_id=chat.id,
                message_id=message_id,
                from_bot=False,
                date=msg_date,
                text=text,
                entities=copy.deepcopy(entities or []),
                caption=caption,
                reply_to_message_id=reply_to_message_id,
                document=copy.deepcopy(payload.get("document")),
                method="push",
                payload=payload,
            )
            update_id = self._enqueue({"message": copy.deepcopy(payload)})
            return PushedMessage(update_id, message_id)

    def push_command(self, chat_id: int, command_line: str, **kwargs: Any) -> PushedMessage:
        """``push_command(chat, "/summary 12")``: a message whose first word carries a bot_command entity."""
        if not command_line.startswith("/"):
            raise ValueError("a command starts with '/'")
        command = command_line.split(maxsplit=1)[0]
        length = len(command.encode("utf-16-le")) // 2
        entity = {"type": "bot_command", "offset": 0, "length": length}
        return self.push_message(chat_id, command_line, entities=[entity, *kwargs.pop("entities", [])], **kwargs)

    def push_callback_query(
        self, chat_id: int, message_id: int, data: str, *, user: JSONDict | None = None, check_data: bool = True
    ) -> PushedCallbackQuery:
        """The user presses a button of the bot's message; ``data`` must be one of its buttons' callback data
        (pass ``check_data=False`` to send data no button has, as an old or forged client could)."""
        with self._cond:
            chat = self._known_chat(chat_id)
            msg = chat.messages.get(message_id)
            if msg is None or not msg.from_bot:
                raise ValueError(f"no bot message {message_id} in chat {chat_id}")
            if check_data and data not in msg.callback_data:
                raise ValueError(f"message {message_id} has no button with callback data {data!r}")
            query_id = str(4_000_000_000_000_000 + next(self._callback_ids))
            self._callback_queries[query_id] = {"answered": False, "answer": None}
            query = {
                "id": query_id,
                "from": copy.deepcopy(user or self._default_user(chat)),
                "message": copy.deepcopy(msg.payload),
                "chat_instance": str(abs(chat_id) * 31 + 7),
                "data": data,
            }
            update_id = self._enqueue({"callback_query": query})
            return PushedCallbackQuery(update_id, message_id, query_id)

    # -- faults -------------------------------------------------------------------------------------------

    def inject(self, method: str, fault: Fault, *, times: int = 1) -> None:
        """Let the next ``times`` calls of ``method`` (a Bot API name, any case; ``"*"`` for any) fail so."""
        key = "*" if method == "*" else self._by_lower.get(method.lower(), method)
        with self._cond:
            self._faults.setdefault(key, deque()).extend([fault] * times)

    def clear_faults(self) -> None:
        with self._cond:
            self._faults.clear()

    # -- reading what happened ----------------------------------------------------------------------------

    def bot_messages(self, chat_id: int) -> list[StoredMessage]:
        """The bot's messages in a chat (current versions, deleted ones left out), oldest first."""
        with self._cond:
            chat = self._chats.get(chat_id)
            if chat is None:
                return []
            return [copy.deepcopy(m) for m in chat.messages.values() if m.from_bot]

    def bot_message_count(self, chat_id: int) -> int:
        """How many messages the bot has in a chat (deleted ones left out): `bot_messages` without the copies, for
        a wait asked again at every request (copying every message each time costs its caller quadratic time)."""
        with self._cond:
            chat = self._chats.get(chat_id)
            return sum(1 for m in chat.messages.values() if m.from_bot) if chat else 0

    def messages(self, chat_id: int) -> list[StoredMessage]:
        """Every message in a chat, the user's and the bot's, by message_id."""
        with self._cond:
            chat = self._chats.get(chat_id)
            return [copy.deepcopy(m) for m in chat.messages.values()] if chat else []

    def message(self, chat_id: int, message_id: int) -> StoredMessage:
        with self._cond:
            return copy.deepcopy(self._known_chat(chat_id).messages[message_id])

    def requests_since(self, start: int) -> tuple[list[RequestRecord], int]:
        """The requests logged from position `start` on, and the position to ask from next time: a watcher that
        looks after every request reads each once, not the whole log each time."""
        with self._cond:
            return self._log[start:], len(self._log)

    def requests(self, method: str | None = None) -> list[RequestRecord]:
        with self._cond:
            if method is None:
                return list(self._log)
            name = self._by_lower.get(method.lower(), method)
            return [r for r in self._log if r.method == name]

    def arrived(self, method: str) -> int:
        """How many requests ``method`` received so far, answered or not (a long poll counts as it starts)."""
        with self._cond:
            return self._arrived[self._by_lower.get(method.lower(), method)]

    def count(self, method: str) -> int:
        """How many requests ``method`` received, failed ones and injected faults included."""
        with self._cond:
            return self._counts[self._by_lower.get(method.lower(), method)]

    def errors(self, *, include_faults: bool = False, include_unseen: bool = False) -> list[RequestRecord]:
        """Requests the double answered with an error. Left out by default: injected faults, and answers the
        client never saw because it had hung up (like the 409 of a long poll cancelled at shutdown)."""
        with self._cond:
            return [
                r
                for r in self._log
                if r.status >= 400 and (include_faults or r.fault is None) and (include_unseen or not r.client_gone)
            ]

    def chat_actions(self, chat_id: int) -> list[str]:
        with self._cond:
            chat = self._chats.get(chat_id)
            return list(chat.actions) if chat else []

    def callback_answer(self, query_id: str) -> JSONDict | None:
        """How the bot answered a callback query (``text``, ``show_alert``, ...), or None if not (yet)."""
        with self._cond:
            state = self._callback_queries.get(query_id)
            return copy.deepcopy(state["answer"]) if state else None

    def commands(self, scope: JSONDict | None = None, language_code: str = "") -> list[JSONDict]:
        with self._cond:
            return copy.deepcopy(self._commands.get((self._scope_key(scope or {"type": "default"}), language_code), []))

    def file_bytes(self, file_id: str) -> bytes:
        with self._cond:
            return self._files[file_id].data

    def pending_updates(self) -> list[JSONDict]:
        with self._cond:
            return copy.deepcopy(self._updates)

    def webhook_info(self) -> JSONDict:
        with self._cond:
            return self._webhook_info()

    @property
    def polls_waiting(self) -> int:
        """How many getUpdates requests are waiting in a long poll right now."""
        with self._cond:
            return self._polls_waiting

    @property
    def polls_expired(self) -> int:
        """How many getUpdates requests waited until their timeout and returned nothing."""
        with self._cond:
            return self._polls_expired

    def balance_webhook(self, urls: Sequence[str]) -> None:
        """Deliver webhook updates to these URLs in turn, one update each, as a load balancer in front of several
        bot processes would (instead of the URL set with setWebhook, which must still be set); a delivery that
        fails is tried again at the next URL."""
        with self._cond:
            self._balanced = list(urls)
            self._notify()

    def webhook_deliveries(self) -> list[WebhookDelivery]:
        with self._cond:
            return list(self._deliveries)

    # -- waiting -------------------------------------------------------------------------------------------

    def _notify(self) -> None:
        """Wake every waiter (lock held): a request arrived or was answered, or the state changed."""
        self._changes += 1
        self._cond.notify_all()
        for loop, changed in self._async_waiters:
            with contextlib.suppress(RuntimeError):  # a loop that has closed waits for nothing any more
                loop.call_soon_threadsafe(changed.set)

    def poke(self) -> None:
        """Wake the threads in `wait` to look again: something outside the double changed (a process ended)."""
        with self._cond:
            self._notify()

    def wait(self, predicate: Callable[[], T], *, timeout: float = 60.0, what: str = "the condition") -> T:
        """Block this thread until ``predicate`` returns something truthy (returned), or fail after ``timeout``
        seconds. The predicate is asked again whenever the double sees a request or a change (or `poke`), not on
        a clock. For a test that runs the bot in another process."""
        deadline = time.monotonic() + timeout
        while True:
            with self._cond:
                seen = self._changes
            result = predicate()
            if result:
                return result
            with self._cond:
                while self._changes == seen and (remaining := deadline - time.monotonic()) > 0:
                    self._cond.wait(remaining)
                timed_out = self._changes == seen
            if timed_out:
                raise AssertionError(f"timed out after {timeout}s waiting for {what}{self._diagnosis()}")

    # -- waiting (async, bounded) -------------------------------------------------------------------------

    # The waits take a ``timeout`` on purpose (ASYNC109): on expiry they fail the test with what the double saw.
    async def wait_until(
        self,
        predicate: Callable[[], T],
        *,
        timeout: float = 60.0,  # noqa: ASYNC109
        what: str = "the condition",
        recheck: float | None = 0.05,
    ) -> T:
        """Wait until ``predicate`` returns something truthy (returned), or fail after ``timeout`` s.

        The predicate is asked again whenever the double sees a request or a change; and, because a predicate
        may also read the bot's own state (its database, its tasks), every ``recheck`` seconds as well. A
        predicate that reads only the double passes ``recheck=None``: it is asked on the double's changes only.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        changed = asyncio.Event()
        waiter = (loop, changed)
        with self._cond:
            self._async_waiters.append(waiter)
        try:
            while True:
                changed.clear()  # before asking: a change while the predicate runs wakes the next wait
                result = predicate()
                if result:
                    return result
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise AssertionError(f"timed out after {timeout}s waiting for {what}{self._diagnosis()}")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(changed.wait(), remaining if recheck is None else min(recheck, remaining))
        finally:
            with self._cond:
                self._async_waiters.remove(waiter)

    async def wait_for_messages(
        self,
        chat_id: int,
        n: int = 1,
        *,
        timeout: float = 60.0,  # noqa: ASYNC109
    ) -> list[StoredMessage]:
        """Wait until the bot has at least ``n`` messages in the chat; return all of them."""

        def enough() -> list[StoredMessage]:
            found = self.bot_messages(chat_id)
            return found if len(found) >= n else []

        return await self.wait_until(
            enough, timeout=timeout, what=f"{n} bot message(s) in chat {chat_id}", recheck=None
        )

    async def wait_for_requests(
        self,
        method: str,
        n: int = 1,
        *,
        timeout: float = 60.0,  # noqa: ASYNC109
    ) -> list[RequestRecord]:
        def enough() -> list[RequestRecord]:
            found = self.requests(method)
            return found if len(found) >= n else []

        return await self.wait_until(enough, timeout=timeout, what=f"{n} {method} request(s)", recheck=None)

    async def wait_for_no_pending_updates(self, *, timeout: float = 60.0) -> None:  # noqa: ASYNC109 (see above)
        """Wait until the bot has fetched and confirmed (or the webhook has accepted) every update."""
        await self.wait_until(
            lambda: not self.pending_updates(), timeout=timeout, what="no pending updates", recheck=None
        )

    def _diagnosis(self) -> str:
        with self._cond:
            errors = [f"{r.method} -> {r.status} {r.description}" for r in self._log if r.status >= 400][-5:]
            recent = [r.method for r in self._log][-8:]
            pending = len(self._updates)
        lines = [f"; pending updates: {pending}; recent requests: {recent}"]
        if errors:
            lines.append(f"; recent errors: {errors}")
        return "".join(lines)

    # -- HTTP entry point (server threads) ----------------------------------------------------------------

    def _handle_http(
        self, path: str, content_type: str, body: bytes, client_gone: Callable[[], bool] = lambda: False
    ) -> _Response:
        arrived_at = self._clock()
        parts = urlsplit(path)
        route = unquote(parts.path)  # clients may percent-encode the ':' of the token
        if route.startswith("/file/bot"):
            return self._download(route)
        match = re.fullmatch(r"/bot([^/]*)/([^/]*)/?", route)
        name = match.group(2) if match else route.rsplit("/", 1)[-1]
        method = self._by_lower.get(name.lower(), name)
        with self._cond:
            self._arrived[method] += 1
            self._notify()
        try:
            args = _parse_request(parts.query, content_type, body)
        except (ValueError, UnicodeDecodeError):
            return self._finish(method, _Args({}, {}), _error_payload(400, "Bad Request: can't parse request"))
        args.client_gone = client_gone
        args.arrived_at = arrived_at
        if match is None or method not in self._methods:
            return self._finish(method, args, _error_payload(404, "Not Found"))
        if match.group(1) != self.token:
            return self._finish(method, args, _error_payload(401, "Unauthorized"))
        if len(body) > MAX_UPLOAD_BYTES:
            return self._finish(method, args, _error_payload(413, "Request Entity Too Large"))
        fault = self._take_fault(method)
        if fault is not None and fault.kind == "delay":
            self._closing.wait(fault.seconds)
        elif fault is not None and fault.kind == "hold" and fault.gate is not None:
            with self._cond:
                self._held_gates.append(fault.gate)
                if self._closing.is_set():
                    fault.gate.set()
            fault.gate.wait()
        elif fault is not None:
            return self._finish_fault(method, args, fault)
        try:
            result = self._methods[method](args)
        except ApiError as exc:
            return self._finish(method, args, _error_payload(exc.status, exc.description, exc.parameters), fault)
        except Exception:  # a bug in the double: answer 500 and keep it for the test to see
            with self._cond:
                self.internal_errors.append(f"{method}: {traceback.format_exc()}")
            return self._finish(method, args, _error_payload(500, "Internal Server Error (in the test double)"))
        payload: JSONDict = {"ok": True, "result": result}
        if isinstance(result, tuple):  # (result, description), as setWebhook answers
            payload = {"ok": True, "result": result[0], "description": result[1]}
        return self._finish(method, args, payload, fault)

    def _finish(self, method: str, args: _Args, payload: JSONDict, fault: Fault | None = None) -> _Response:
        status = 200 if payload.get("ok") else int(payload["error_code"])
        self._record(method, args, status, payload, fault)
        return _json_response(status, payload)

    def _finish_fault(self, method: str, args: _Args, fault: Fault) -> _Response:
        if fault.kind == "disconnect":
            self._record(method, args, 0, None, fault)
            return _Response(0, disconnect=True)
        if fault.kind == "html":
            self._record(method, args, fault.status, None, fault)
            title = f"{fault.status} {HTTPStatus(fault.status).phrase}".encode()
            return _Response(fault.status, _ERROR_PAGE.replace(b"TITLE", title), "text/html")
        payload = _error_payload(fault.status, fault.description, fault.parameters)
        self._record(method, args, fault.status, payload, fault)
        return _json_response(fault.status, payload)

    def _record(self, method: str, args: _Args, status: int, response: Any, fault: Fault | None) -> None:
        gone = args.client_gone()
        with self._cond:
            self._counts[method] += 1
            record = RequestRecord(
                method, args.values, args.files, status, response, fault, self._clock(), gone, args.arrived_at
            )
            self._log.append(record)
            self._notify()

    def _take_fault(self, method: str) -> Fault | None:
        with self._cond:
            for key in (method, "*"):
                queue = self._faults.get(key)
                if queue:
                    return queue.popleft()
        return None

    def _download(self, path: str) -> _Response:
        prefix = f"/file/bot{self.token}/"
        with self._cond:
            stored = None
            if path.startswith(prefix):
                wanted = path[len(prefix) :]
                stored = next((f for f in self._files.values() if f.file_path == wanted), None)
        if stored is None:
            self._record("download", _Args({"path": path}, {}), 404, _error_payload(404, "Not Found"), None)
            return _json_response(404, _error_payload(404, "Not Found"))
        self._record("download", _Args({"file_path": stored.file_path}, {}), 200, None, None)
        return _Response(200, stored.data, "application/octet-stream")

    # -- shared pieces (lock held) ------------------------------------------------------------------------

    def _now(self) -> int:
        return int(self._clock())

    def _declare(
        self,
        chat_id: int,
        chat_type: ChatType | None,
        *,
        title: str | None = None,
        username: str | None = None,
        first_name: str | None = None,
    ) -> _Chat:
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = _Chat(chat_id, chat_type or "private", title, username, first_name)
            self._chats[chat_id] = chat
        elif chat_type is not None and chat.type != chat_type:
            raise ValueError(f"chat {chat_id} is a {chat.type} chat, not {chat_type}")
        return chat

    def _known_chat(self, chat_id: int) -> _Chat:
        chat = self._chats.get(chat_id)
        if chat is None:
            raise KeyError(f"chat {chat_id} was never declared")
        return chat

    def _default_user(self, chat: _Chat) -> JSONDict:
        if chat.type == "private":
            return make_user(chat.id, chat.first_name or "Tester", username=chat.username or f"user{chat.id}")
        return make_user(DEFAULT_GROUP_USER_ID, "Member", username="member")

    def _new_message_id(self, chat: _Chat) -> int:
        message_id = chat.next_message_id
        chat.next_message_id += 1
        return message_id

    def _enqueue(self, update: JSONDict) -> int:
        kinds = [key for key in update if key != "update_id"]
        if len(kinds) != 1 or kinds[0] not in UPDATE_TYPES:
            raise ValueError(f"an update has exactly one of {sorted(UPDATE_TYPES)}, not {kinds}")
        update_id = self._next_update_id
        self._next_update_id += 1
        update["update_id"] = update_id
        if kinds[0] in self._allowed_updates:
            self._updates.append(update)
            self._notify()
        else:
            self._dropped.append(update)
        return update_id

    def _bot_user(self) -> JSONDict:
        return {"id": self.bot_id, "is_bot": True, "first_name": self.bot_first_name, "username": self.bot_username}

    def _store_file(self, data: bytes, folder: str, extension: str) -> _StoredFile:
        n = next(self._file_ids)
        stored = _StoredFile(
            file_id=f"BQACAgIAAxkB{n:010d}{folder[:3]}",
            file_unique_id=f"AgAD{n:06d}",
            file_path=f"{folder}/file_{n}.{extension}",
            data=bytes(data),
        )
        self._files[stored.file_id] = stored
        return stored

    def _file_ref(self, stored: _StoredFile) -> JSONDict:
        return {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id, "file_size": len(stored.data)}

    def _chat_for_send(self, args: _Args) -> _Chat:
        raw = args.get_str("chat_id")
        if raw is None or raw.strip() == "":
            raise _bad("chat_id is empty")
        raw = raw.strip()
        chat: _Chat | None = None
        if raw.startswith("@"):
            chat = next((c for c in self._chats.values() if c.username and f"@{c.username}" == raw), None)
        elif re.fullmatch(r"-?\d+", raw):
            chat = self._chats.get(int(raw))
        if chat is None:
            raise _bad("chat not found")
        return chat

    def _flood_check(self, chat: _Chat) -> None:
        """Refuse a message over the flood limits (429 with retry_after); otherwise count it."""
        control = self.flood_control
        if control is None or self._flood_all is None:
            return
        buckets = [self._flood_all]
        if chat.type != "private":
            group = self._flood_groups.get(chat.id)
            if group is None:
                group = _Bucket(control.group_per_minute / 60, control.group_burst)
                self._flood_groups[chat.id] = group
            buckets.append(group)
        wait = max(bucket.wait() for bucket in buckets)
        if wait > 0:
            retry_after = max(1, math.ceil(wait))
            raise ApiError(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})
        for bucket in buckets:
            bucket.take()

    def _sendable_chat(self, args: _Args) -> _Chat:
        chat = self._chat_for_send(args)
        if chat.blocked or chat.bot_status in ("left", "kicked"):
            raise ApiError(403, chat.forbidden())
        if chat.migrated_to is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": chat.migrated_to},
            )
        if chat.type == "channel" and not (chat.bot_status == "administrator" and chat.bot_can_post):
            raise ApiError(400 if chat.bot_status == "administrator" else 403, _channel_refusal(chat))
        return chat

    def _text(self, args: _Args, *, caption: bool = False) -> tuple[str | None, list[JSONDict], str | None]:
        field_name, entities_name = ("caption", "caption_entities") if caption else ("text", "entities")
        raw = args.get_str(field_name)
        if caption and not raw:
            return None, [], None
        parse_mode = args.get_str("parse_mode")
        entities = None
        if not parse_mode and args.has(entities_name):
            try:
                entities = entities_from_json(args.get_json(entities_name, "entities"))
            except TelegramHTMLError as exc:
                raise ApiError(400, exc.description) from None
        try:
            plain, found = message_text(
                raw or "",
                parse_mode,
                entities,
                limit=1024 if caption else 4096,
                count=self.length_count,
                allow_empty=caption,
                strict_ampersands=self.strict_ampersands,
            )
        except TelegramHTMLError as exc:
            raise ApiError(400, exc.description) from None
        return plain, [e.to_dict() for e in found], raw

    def _reply_markup(self, args: _Args) -> JSONDict | None:
        if not args.has("reply_markup"):
            return None
        value = args.get_json("reply_markup", "reply keyboard markup")
        if not isinstance(value, dict):
            raise _bad("object expected as reply markup")
        if "inline_keyboard" in value:
            keyboard = value["inline_keyboard"]
            if not isinstance(keyboard, list):
                raise _bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
            for row in keyboard:
                if not isinstance(row, list):
                    raise _bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays')
                for button in row:
                    self._check_inline_button(button)
        return copy.deepcopy(value)

    def _check_inline_button(self, button: Any) -> None:
        prefix = "can't parse inline keyboard button: "
        if not isinstance(button, dict):
            raise _bad(prefix + "InlineKeyboardButton must be an Object")
        if "text" not in button:
            raise _bad(prefix + 'Can\'t find field "text"')
        if not isinstance(button["text"], str):
            raise _bad(prefix + 'Field "text" must be of type String')
        if button.get("url"):
            if not _check_link_url(str(button["url"])):
                raise _bad("BUTTON_URL_INVALID")
            return
        data = button.get("callback_data")
        if data:
            if not isinstance(data, str):
                raise _bad(prefix + 'Field "callback_data" must be of type String')
            if len(data.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES:
                raise _bad("BUTTON_DATA_INVALID")
            return
        others = (
            "callback_game", "pay", "switch_inline_query", "switch_inline_query_current_chat",
            "switch_inline_query_chosen_chat", "login_url", "web_app", "copy_text",
        )  # fmt: skip
        if not any(key in button for key in others):
            raise _bad(prefix + "Text buttons are unallowed in the inline keyboard")

    def _reply_target(self, chat: _Chat, args: _Args) -> int | None:
        message_id = args.get_int("reply_to_message_id")
        allow_missing = args.get_bool("allow_sending_without_reply")
        if args.has("reply_parameters"):
            params = args.get_json("reply_parameters", "reply parameters")
            if not isinstance(params, dict):
                raise _bad("object expected as reply parameters")
            message_id = params.get("message_id")
            allow_missing = bool(params.get("allow_sending_without_reply"))
            if params.get("chat_id") not in (None, chat.id):
                raise _bad("replies to other chats are not supported by the test double")
        if not message_id:
            return None
        if message_id not in chat.messages:
            if allow_missing:
                return None
            raise _bad("message to be replied not found")
        return int(message_id)

    def _refresh_payload(self, msg: StoredMessage) -> None:
        chat = self._chats[msg.chat_id]
        payload: JSONDict = {
            "message_id": msg.message_id,
            "from": self._bot_user(),
            "chat": chat.json(),
            "date": msg.date,
        }
        if msg.edit_date is not None:
            payload["edit_date"] = msg.edit_date
        if msg.reply_to_message_id is not None and msg.reply_to_message_id in chat.messages:
            replied = copy.deepcopy(chat.messages[msg.reply_to_message_id].payload)
            replied.pop("reply_to_message", None)
            payload["reply_to_message"] = replied
        if msg.document is not None:
            payload["document"] = copy.deepcopy(msg.document)
        if msg.photo is not None:
            payload["photo"] = copy.deepcopy(msg.photo)
            if msg.caption:
                payload["caption"] = msg.caption
                if msg.entities:
                    payload["caption_entities"] = copy.deepcopy(msg.entities)
        elif msg.text is not None:
            payload["text"] = msg.text
            if msg.entities:
                payload["entities"] = copy.deepcopy(msg.entities)
        if msg.reply_markup and "inline_keyboard" in msg.reply_markup:
            payload["reply_markup"] = {"inline_keyboard": copy.deepcopy(msg.reply_markup["inline_keyboard"])}
        msg.payload = payload

    def _message_for_edit(self, args: _Args) -> StoredMessage:
        if args.has("inline_message_id"):
            raise _bad("inline messages are not supported by the test double")
        chat = self._chat_for_send(args)
        message_id = args.get_int("message_id")
        if not message_id:
            raise _bad("message identifier is not specified")
        msg = chat.messages.get(message_id)
        if msg is None:
            raise _bad("message to edit not found")
        if not msg.from_bot:
            raise _bad("message can't be edited")
        if chat.blocked:
            raise ApiError(403, chat.forbidden())
        return msg

    def _scope_key(self, scope: Any) -> str:
        if not isinstance(scope, dict) or not isinstance(scope.get("type"), str):
            raise _bad("can't parse BotCommandScope: expected an Object")
        kind = scope["type"]
        if kind in ("default", "all_private_chats", "all_group_chats", "all_chat_administrators"):
            return kind
        if kind in ("chat", "chat_administrators", "chat_member"):
            chat_id = scope.get("chat_id")
            if chat_id is None:
                raise _bad("can't parse BotCommandScope: Can't find field \"chat_id\"")
            chat = self._chat_for_send(_Args({"chat_id": chat_id}, {}))
            if kind == "chat_member":
                if not isinstance(scope.get("user_id"), int):
                    raise _bad("can't parse BotCommandScope: Can't find field \"user_id\"")
                return f"{kind}:{chat.id}:{scope['user_id']}"
            return f"{kind}:{chat.id}"
        raise _bad("unsupported bot command scope type")

    def _command_key(self, args: _Args) -> tuple[str, str]:
        scope = args.get_json("scope", "BotCommandScope") if args.has("scope") else {"type": "default"}
        language = args.get_str("language_code") or ""
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise _bad("invalid language code specified")
        return self._scope_key(scope), language

    def _webhook_info(self) -> JSONDict:
        info: JSONDict = {
            "url": self._webhook["url"] if self._webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self._webhook:
            info["max_connections"] = self._webhook["max_connections"]
            info["ip_address"] = "127.0.0.1"
        if self._webhook_error:
            info["last_error_date"], info["last_error_message"] = self._webhook_error
        if self._allowed_set_explicitly:
            info["allowed_updates"] = sorted(self._allowed_updates)
        return info

    def _set_allowed_updates(self, args: _Args) -> None:
        if not args.has("allowed_updates"):
            return
        value = args.get_json("allowed_updates", "allowed updates")
        if not isinstance(value, list):
            return
        wanted = frozenset(str(v) for v in value) & UPDATE_TYPES
        self._allowed_updates = wanted or DEFAULT_ALLOWED_UPDATES
        self._allowed_set_explicitly = bool(wanted)

    # -- methods (server threads) -------------------------------------------------------------------------

    def _get_me(self, args: _Args) -> JSONDict:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _get_updates(self, args: _Args) -> list[JSONDict]:
        with self._cond:
            if self._webhook:
                raise ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            offset = args.get_int("offset") or 0
            limit = min(max(args.get_int("limit") or 100, 1), 100)
            timeout = max(args.get_float("timeout") or 0.0, 0.0)
            self._set_allowed_updates(args)
            if offset > 0:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            elif offset < 0:
                self._updates = self._updates[offset:]
            self._notify()  # updates confirmed by the offset are gone
            self._poll_generation += 1
            generation = self._poll_generation
            deadline = time.monotonic() + timeout
            self._polls_waiting += 1
            try:
                return self._poll(generation, deadline, limit)
            finally:
                self._polls_waiting -= 1

    def _poll(self, generation: int, deadline: float, limit: int) -> list[JSONDict]:
        """The long poll itself (lock held; waiting releases it)."""
        waited = False
        while True:
            if self._closing.is_set():
                return []
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
                )
            if self._webhook:
                raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
            if self._updates:
                return copy.deepcopy(self._updates[:limit])
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._polls_expired += waited
                return []
            waited = True
            self._cond.wait(remaining)

    def _send_message(self, args: _Args) -> JSONDict:
        with self._cond:
            plain, entities, raw = self._text(args)
            markup = self._reply_markup(args)
            chat = self._sendable_chat(args)
            reply_to = self._reply_target(chat, args)
            self._flood_check(chat)
            msg = StoredMessage(
                chat_id=chat.id,
                message_id=self._new_message_id(chat),
                from_bot=True,
                date=self._now(),
                text=plain,
                entities=entities,
                html=raw,
                parse_mode=args.get_str("parse_mode"),
                reply_markup=markup,
                reply_to_message_id=reply_to,
                method="sendMessage",
            )
            chat.messages[msg.message_id] = msg
            self._refresh_payload(msg)
            self._notify()
            return copy.deepcopy(msg.payload)

    def _edit_message_text(self, args: _Args) -> JSONDict:
        with self._cond:
            plain, entities, raw = self._text(args)
            markup = self._reply_markup(args)
            msg = self._message_for_edit(args)
            if msg.document is not None or msg.text is None:
                raise _bad("there is no text in the message to edit")
            if (msg.text, msg.entities, msg.reply_markup) == (plain, entities, markup):
                raise _bad(NOT_MODIFIED)
            msg.history.append(
                {"text": msg.text, "html": msg.html, "entities": msg.entities, "reply_markup": msg.reply_markup}
            )
            msg.text, msg.entities, msg.html = plain, entities, raw
            msg.parse_mode, msg.reply_markup, msg.edit_date = args.get_str("parse_mode"), markup, self._now()
            self._refresh_payload(msg)
            self._notify()
            return copy.deepcopy(msg.payload)

    def _edit_message_reply_markup(self, args: _Args) -> JSONDict:
        with self._cond:
            markup = self._reply_markup(args)
            msg = self._message_for_edit(args)
            if msg.reply_markup == markup:
                raise _bad(NOT_MODIFIED)
            msg.history.append(
                {"text": msg.text, "html": msg.html, "entities": msg.entities, "reply_markup": msg.reply_markup}
            )
            msg.reply_markup, msg.edit_date = markup, self._now()
            self._refresh_payload(msg)
            self._notify()
            return copy.deepcopy(msg.payload)

    def _delete_message(self, args: _Args) -> bool:
        with self._cond:
            chat = self._chat_for_send(args)
            message_id = args.get_int("message_id")
            if not message_id:
                raise _bad("message identifier is not specified")
            if chat.messages.pop(message_id, None) is None:
                raise _bad("message to delete not found")
            return True

    def _answer_callback_query(self, args: _Args) -> bool:
        with self._cond:
            query_id = args.get_str("callback_query_id")
            if not query_id:
                raise _bad("query is too old and response timeout expired or query ID is invalid")
            state = self._callback_queries.get(query_id)
            if state is None or state["answered"]:
                raise _bad("query is too old and response timeout expired or query ID is invalid")
            state["answered"] = True
            state["answer"] = {
                "text": args.get_str("text"),
                "show_alert": args.get_bool("show_alert"),
                "url": args.get_str("url"),
                "cache_time": args.get_int("cache_time"),
            }
            self._notify()
            return True

    def _send_chat_action(self, args: _Args) -> bool:
        with self._cond:
            chat = self._sendable_chat(args)
            action = (args.get_str("action") or "").lower()
            if action not in CHAT_ACTIONS:
                raise _bad("wrong parameter action in request")
            chat.actions.append(action)
            return True

    def _send_document(self, args: _Args) -> JSONDict:
        with self._cond:
            caption, entities, raw = self._text(args, caption=True)
            markup = self._reply_markup(args)
            chat = self._sendable_chat(args)
            upload = args.files.get("document")
            reference = args.get_str("document") or ""
            if reference.startswith("attach://"):
                upload = args.files.get(reference[len("attach://") :])
            if upload is not None:
                if not upload.data:
                    raise _bad("file must be non-empty")
                extension = upload.filename.rsplit(".", 1)[-1] if "." in upload.filename else "bin"
                stored = self._store_file(upload.data, "documents", extension)
                document = {**self._file_ref(stored), "file_name": upload.filename, "mime_type": upload.content_type}
            elif reference in self._files:
                stored = self._files[reference]
                document = self._file_ref(stored)
            elif not reference:
                raise _bad("there is no document in the request")
            else:
                raise _bad("wrong file identifier/HTTP URL specified")
            return self._store_sent_media(
                chat, args, (caption, entities, raw), markup, "sendDocument", document=document
            )

    def _send_photo(self, args: _Args) -> JSONDict:
        """sendPhoto as Telegram takes it: an upload (or a known file_id) that is an image of at most 10 MB,
        width and height adding up to at most 10000 and a side ratio of at most 20; a caption of at most 1024
        characters. The stored sizes are what Telegram keeps: the photo scaled to 1280 on its longer side."""
        with self._cond:
            caption, entities, raw = self._text(args, caption=True)
            markup = self._reply_markup(args)
            chat = self._sendable_chat(args)
            upload = args.files.get("photo")
            reference = args.get_str("photo") or ""
            if reference.startswith("attach://"):
                upload = args.files.get(reference[len("attach://") :])
            if upload is not None:
                if not upload.data:
                    raise _bad("file must be non-empty")
                if len(upload.data) > MAX_PHOTO_BYTES:
                    raise _bad("PHOTO_TOO_BIG")
                width, height = _image_size(upload.data)
                if width + height > 10_000:
                    raise _bad("PHOTO_INVALID_DIMENSIONS")
                if max(width, height) > 20 * min(width, height):
                    raise _bad("PHOTO_INVALID_DIMENSIONS")
                scale = min(1.0, 1280 / max(width, height))
                big = self._store_file(upload.data, "photos", "jpg")
                small = self._store_file(upload.data, "photos", "jpg")
                sizes = [
                    {**self._file_ref(small), "width": max(1, round(width * 90 / max(width, height))), "height": 90},
                    {**self._file_ref(big), "width": round(width * scale), "height": round(height * scale)},
                ]
            elif reference in self._files:
                sizes = [{**self._file_ref(self._files[reference]), "width": 1280, "height": 853}]
            elif not reference:
                raise _bad("there is no photo in the request")
            else:
                raise _bad("wrong file identifier/HTTP URL specified")
            return self._store_sent_media(chat, args, (caption, entities, raw), markup, "sendPhoto", photo=sizes)

    def _store_sent_media(
        self, chat: Any, args: _Args, text: tuple[Any, Any, Any], markup: Any, method: str, **media: Any
    ) -> JSONDict:
        """Store a file or photo the bot sent (the caller holds the lock), as the answer Telegram gives."""
        caption, entities, raw = text
        reply_to = self._reply_target(chat, args)
        self._flood_check(chat)
        msg = StoredMessage(
            chat_id=chat.id,
            message_id=self._new_message_id(chat),
            from_bot=True,
            date=self._now(),
            caption=caption,
            entities=entities,
            html=raw,
            parse_mode=args.get_str("parse_mode"),
            reply_markup=markup,
            reply_to_message_id=reply_to,
            method=method,
            **media,
        )
        chat.messages[msg.message_id] = msg
        self._refresh_payload(msg)
        self._notify()
        return copy.deepcopy(msg.payload)

    def _set_my_commands(self, args: _Args) -> bool:
        with self._cond:
            commands = args.get_json("commands", "commands") if args.has("commands") else []
            if not isinstance(commands, list):
                raise _bad("expected an Array of BotCommand")
            if len(commands) > 100:
                raise _bad("too many commands specified")
            cleaned = []
            for item in commands:
                if not isinstance(item, dict):
                    raise _bad("can't parse BotCommand: expected an Object")
                command, description = item.get("command"), item.get("description")
                if not isinstance(command, str) or not isinstance(description, str):
                    raise _bad('can\'t parse BotCommand: Field "command" must be of type String')
                command = command.removeprefix("/")
                if not re.fullmatch(r"[a-z0-9_]{1,32}", command):
                    raise _bad("BOT_COMMAND_INVALID")
                if not 1 <= len(description.strip()) <= 256:
                    raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
                cleaned.append({"command": command, "description": description.strip()})
            key = self._command_key(args)
            if cleaned:
                self._commands[key] = cleaned
            else:
                self._commands.pop(key, None)
            return True

    def _get_my_commands(self, args: _Args) -> list[JSONDict]:
        with self._cond:
            return copy.deepcopy(self._commands.get(self._command_key(args), []))

    def _delete_my_commands(self, args: _Args) -> bool:
        with self._cond:
            self._commands.pop(self._command_key(args), None)
            return True

    def _set_webhook(self, args: _Args) -> tuple[bool, str]:
        with self._cond:
            url = args.get_str("url") or ""
            if not url:
                return self._delete_webhook(args)
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
            if not _is_loopback(parts.hostname):
                raise _bad("bad webhook: the test double delivers only to loopback addresses")
            secret = args.get_str("secret_token")
            if secret is not None and not re.fullmatch(r"[A-Za-z0-9_\-]{1,256}", secret):
                raise _bad("secret token contains unallowed characters")
            if args.get_bool("drop_pending_updates"):
                self._updates.clear()
            self._set_allowed_updates(args)
            same = self._webhook is not None and self._webhook["url"] == url
            self._webhook = {
                "url": url,
                "secret_token": secret,
                "max_connections": args.get_int("max_connections") or 40,
            }
            self._webhook_error = None
            self._notify()
            return True, "Webhook is already set" if same else "Webhook was set"

    def _delete_webhook(self, args: _Args) -> tuple[bool, str]:
        with self._cond:
            if args.get_bool("drop_pending_updates"):
                self._updates.clear()
            was_set = self._webhook is not None
            self._webhook = None
            self._webhook_error = None
            self._notify()
            return True, "Webhook was deleted" if was_set else "Webhook is already deleted"

    def _get_webhook_info(self, args: _Args) -> JSONDict:
        with self._cond:
            return self._webhook_info()

    def _get_file(self, args: _Args) -> JSONDict:
        with self._cond:
            file_id = args.get_str("file_id")
            if not file_id:
                raise _bad('parameter "file_id" is required')
            stored = self._files.get(file_id)
            if stored is None:
                raise _bad("invalid file_id")
            if len(stored.data) > MAX_DOWNLOAD_BYTES:
                raise _bad("file is too big")
            return {**self._file_ref(stored), "file_path": stored.file_path}

    def _get_chat(self, args: _Args) -> JSONDict:
        with self._cond:
            chat = self._chat_for_send(args)
            return {
                **chat.json(),
                "accent_color_id": 0,
                "max_reaction_count": 11,
                "accepted_gift_types": {
                    "unlimited_gifts": False,
                    "limited_gifts": False,
                    "unique_gifts": False,
                    "premium_subscription": False,
                    "gifts_from_channels": False,
                },
            }

    def _get_chat_administrators(self, args: _Args) -> list[JSONDict]:
        with self._cond:
            chat = self._chat_for_send(args)
            if chat.type == "private":
                raise _bad("there are no administrators in the private chat")
            self._check_member_list(chat)
            admins = [self._admin_member(make_user(user_id, f"Admin {user_id}")) for user_id in sorted(chat.admins)]
            if chat.bot_status == "administrator":
                admins.append({**self._admin_member(self._bot_user()), "can_be_edited": False})
            return admins

    def _check_member_list(self, chat: _Chat) -> None:
        """What Telegram checks before it shows a chat's members to a bot."""
        if chat.migrated_to is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": chat.migrated_to},
            )
        if chat.bot_status in ("left", "kicked"):
            raise ApiError(403, chat.forbidden())
        if chat.type == "channel" and chat.bot_status != "administrator":
            raise _bad("member list is inaccessible")

    def _admin_member(self, user: JSONDict) -> JSONDict:
        rights = [
            "can_be_edited",
            "is_anonymous",
            "can_delete_messages",
            "can_manage_video_chats",
            "can_restrict_members",
            "can_promote_members",
            "can_change_info",
            "can_invite_users",
            "can_post_stories",
            "can_edit_stories",
            "can_delete_stories",
        ]
        return {"status": "administrator", "user": user, **dict.fromkeys(rights, False), "can_manage_chat": True}

    def _get_chat_member(self, args: _Args) -> JSONDict:
        with self._cond:
            chat = self._chat_for_send(args)
            if chat.type != "private":
                self._check_member_list(chat)
            user_id = args.get_int("user_id")
            if user_id is None:
                raise _bad("user_id is empty")
            user = {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"}
            if chat.type == "private":
                return {"status": "member", "user": user}
            if user_id not in chat.admins:
                return {"status": "member", "user": user}
            rights = [
                "can_be_edited",
                "is_anonymous",
                "can_manage_chat",
                "can_delete_messages",
                "can_manage_video_chats",
                "can_restrict_members",
                "can_promote_members",
                "can_change_info",
                "can_invite_users",
                "can_post_stories",
                "can_edit_stories",
                "can_delete_stories",
            ]
            return {"status": "administrator", "user": user, **dict.fromkeys(rights, False), "can_manage_chat": True}

    # -- webhook delivery (its own thread) ----------------------------------------------------------------

    def _webhook_loop(self) -> None:
        if self.parallel_webhooks:
            self._parallel_webhook_loop()
            return
        backoff = 0.0
        retry_at = 0.0
        with self._cond:
            while not self._closing.is_set():
                now = time.monotonic()
                if not self._webhook or not self._updates or now < retry_at:
                    self._cond.wait(max(retry_at - now, 0.001) if self._webhook and self._updates else None)
                    continue
                update, hook = self._updates[0], dict(self._webhook)
                if self._balanced:
                    hook["url"] = self._balanced[self._balanced_next % len(self._balanced)]
                    self._balanced_next += 1
                self._cond.release()
                try:
                    status, error = self._post_update(hook, update)
                finally:
                    self._cond.acquire()
                self._deliveries.append(WebhookDelivery(update["update_id"], status, error, self._clock(), hook["url"]))
                if status is not None and 200 <= status < 300:
                    if self._updates and self._updates[0] is update:
                        self._updates.pop(0)
                    backoff = 0.0
                else:
                    self._webhook_error = (self._now(), error or f"Wrong response from the webhook: {status}")
                    backoff = min(max(backoff * 2, 0.05), 1.0)
                    retry_at = time.monotonic() + backoff
                self._notify()

    def _parallel_webhook_loop(self) -> None:
        """Deliver the oldest update of every chat with none in flight, up to max_connections at once; a chat whose
        delivery failed waits out its own back-off (the others go on)."""
        in_flight: set[object] = set()
        retry_at: dict[object, float] = {}
        backoff: dict[object, float] = {}

        def deliver(update: JSONDict, hook: JSONDict, queue: object) -> None:
            status, error = self._post_update(hook, update)
            with self._cond:
                in_flight.discard(queue)
                self._deliveries.append(WebhookDelivery(update["update_id"], status, error, self._clock(), hook["url"]))
                if status is not None and 200 <= status < 300:
                    if update in self._updates:
                        self._updates.remove(update)
                    backoff.pop(queue, None)
                    retry_at.pop(queue, None)
                else:
                    self._webhook_error = (self._now(), error or f"Wrong response from the webhook: {status}")
                    backoff[queue] = min(max(backoff.get(queue, 0.0) * 2, 0.05), 1.0)
                    retry_at[queue] = time.monotonic() + backoff[queue]
                self._notify()

        with self._cond:
            while not self._closing.is_set():
                now = time.monotonic()
                heads: dict[object, JSONDict] = {}
                for update in self._updates:
                    heads.setdefault(_delivery_queue(update), update)
                ready = [
                    (queue, update)
                    for queue, update in heads.items()
                    if queue not in in_flight and retry_at.get(queue, 0.0) <= now
                ]
                room = (self._webhook or {}).get("max_connections", 40) - len(in_flight)
                if not self._webhook or not ready or room <= 0:
                    waits = [at - now for q, at in retry_at.items() if q in heads and q not in in_flight]
                    self._cond.wait(max(min(waits), 0.001) if waits and self._webhook else None)
                    continue
                for queue, update in ready[:room]:
                    hook = dict(self._webhook)
                    in_flight.add(queue)
                    thread = threading.Thread(target=deliver, args=(update, hook, queue), name="botapi-hook-send")
                    thread.daemon = True
                    thread.start()

    def _post_update(self, hook: JSONDict, update: JSONDict) -> tuple[int | None, str | None]:
        parts = urlsplit(hook["url"])
        connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        connection = connection_class(parts.hostname or "127.0.0.1", parts.port, timeout=self.webhook_timeout)
        headers = {"Content-Type": "application/json"}
        if hook.get("secret_token"):
            headers["X-Telegram-Bot-Api-Secret-Token"] = hook["secret_token"]
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request("POST", path, body=json.dumps(update, ensure_ascii=False).encode(), headers=headers)
            response = connection.getresponse()
            response.read()
            if 200 <= response.status < 300:
                return response.status, None
            return response.status, f"Wrong response from the webhook: {response.status} {response.reason}"
        except (OSError, http.client.HTTPException) as exc:
            return None, f"Connection failed: {exc!r}"
        finally:
            connection.close()


def _image_size(data: bytes) -> tuple[int, int]:
    """Width and height of an uploaded image; Telegram refuses what it cannot read as one."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            return image.size
    except (OSError, ValueError, Image.DecompressionBombError):
        raise _bad("IMAGE_PROCESS_FAILED") from None
