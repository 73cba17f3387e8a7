"""The console playground: the real application, with a terminal standing in for Telegram.

Bot API calls are answered by `ConsoleRequest` instead of going over the network, and what the user types is
turned into Telegram updates, so every reply comes from the same handlers the real bot runs.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TextIO

from telegram import Update
from telegram.request import BaseRequest, RequestData

from bot.app import build_application, running
from bot.config import Config
from storage.repository import LOCAL_CHAT_ID
from usecases.services import Analyzer
from views.plain import html_to_terminal

BOT_USER = {"id": 1, "is_bot": True, "first_name": "Précis", "username": "precis_console_bot"}
CONSOLE_USER = {"id": 2, "is_bot": False, "first_name": "You", "language_code": "en"}
CONSOLE_CHAT = {"id": LOCAL_CHAT_ID, "type": "private", "first_name": "You"}


@dataclass
class ShownMessage:
    """A message the bot showed in the terminal, kept so that its buttons can be pressed."""

    message_id: int
    text: str
    buttons: list[dict[str, Any]] = field(default_factory=list)


class ConsoleRequest(BaseRequest):
    """Answers the Bot API locally: messages the bot sends are printed, files it sends are saved.

    Buttons are printed numbered; `ConsoleSession.press` turns a number into the callback query Telegram
    would send for that button of the latest message that has buttons.
    """

    def __init__(self, out: TextIO = sys.stdout, ansi: bool | None = None, files_dir: Path | None = None) -> None:
        self.out = out
        self.ansi = out.isatty() if ansi is None else ansi
        self.files_dir = files_dir if files_dir is not None else Path.cwd()
        self._message_ids = itertools.count(1_000_000)
        self.shown: dict[int, ShownMessage] = {}
        self.latest_with_buttons: ShownMessage | None = None

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        result: Any = True
        if api_method == "getMe":
            result = BOT_USER
        elif api_method in ("sendMessage", "editMessageText"):
            edited = params.get("message_id")
            message_id = int(str(edited)) if edited else next(self._message_ids)
            text = str(params.get("text", ""))
            self.show(message_id, text, params.get("reply_markup"), edited=bool(edited))
            result = self._message(message_id, text=text)
        elif api_method == "answerCallbackQuery":
            if params.get("text"):
                self.write("⚠ " + str(params["text"]))
        elif api_method.startswith("send") and request_data is not None and request_data.multipart_data:
            message_id = next(self._message_ids)
            saved = [self.save(name, content) for name, content, _mime in request_data.multipart_data.values()]
            caption = str(params.get("caption", ""))
            lines = [f"📎 saved {path}" for path in saved]
            self.write("\n".join([*lines, html_to_terminal(caption, self.ansi)] if caption else lines))
            result = self._message(
                message_id,
                caption=caption,
                document={"file_id": str(message_id), "file_unique_id": str(message_id), "file_name": saved[0].name},
            )
        elif api_method == "getUpdates":
            result = []
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _message(self, message_id: int, **fields: Any) -> dict[str, Any]:
        return {"message_id": message_id, "date": int(time.time()), "chat": CONSOLE_CHAT, "from": BOT_USER, **fields}

    def save(self, name: str, content: bytes | IO[bytes]) -> Path:
        """Writes a file the bot sent into the files folder, never over an existing file."""
        data = content if isinstance(content, bytes) else content.read()
        safe = Path(name).name or "file"
        stem, suffix = Path(safe).stem, Path(safe).suffix
        path = self.files_dir / safe
        for n in itertools.count(1):
            if not path.exists():
                break
            path = self.files_dir / f"{stem}-{n}{suffix}"
        path.write_bytes(data)
        return path

    def show(self, message_id: int, text: str, reply_markup: Any, edited: bool = False) -> None:
        if isinstance(reply_markup, str):
            reply_markup = json.loads(reply_markup)
        rows = reply_markup.get("inline_keyboard", []) if isinstance(reply_markup, dict) else []
        shown = ShownMessage(message_id, text, [button for row in rows for button in row])
        self.shown[message_id] = shown
        if shown.buttons:
            self.latest_with_buttons = shown
        elif self.latest_with_buttons is not None and self.latest_with_buttons.message_id == message_id:
            self.latest_with_buttons = None  # an edit that removed the buttons
        body = html_to_terminal(text, self.ansi)
        if edited:
            body = "✎ " + body
        if shown.buttons:
            body += "\n  " + "  ".join(f"[{n}] {b.get('text', '')}" for n, b in enumerate(shown.buttons, 1))
        self.write(body)

    def write(self, text: str) -> None:
        self.out.write("\n" + text + "\n")
        self.out.flush()


class ConsoleSession:
    """Turns what the user types into the updates Telegram would send."""

    def __init__(self, request: ConsoleRequest) -> None:
        self.request = request
        self._ids = itertools.count(1)

    def update_for(self, text: str) -> dict[str, Any]:
        message_id = next(self._ids)
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": CONSOLE_CHAT,
            "from": CONSOLE_USER,
            "text": text,
        }
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return {"update_id": message_id, "message": message}

    def press(self, number: int) -> dict[str, Any] | str:
        """The callback query for button NUMBER of the latest message with buttons, or why there is none."""
        shown = self.request.latest_with_buttons
        if shown is None:
            return "No message with buttons is shown."
        if not 1 <= number <= len(shown.buttons):
            return f"There is no button {number}; the buttons are 1 to {len(shown.buttons)}."
        button = shown.buttons[number - 1]
        if "callback_data" not in button:
            return f"That button opens {button.get('url', 'nothing')}."
        update_id = next(self._ids)
        message = {
            "message_id": shown.message_id,
            "date": int(time.time()),
            "chat": CONSOLE_CHAT,
            "from": BOT_USER,
            "text": shown.text,
        }
        query = {
            "id": str(update_id),
            "from": CONSOLE_USER,
            "chat_instance": "console",
            "data": button["callback_data"],
            "message": message,
        }
        return {"update_id": update_id, "callback_query": query}


_PRESS = re.compile(r"^(?:/press(?:@\w+)?\s+)?(\d{1,2})$")


def button_number(text: str) -> int | None:
    """`3` or `/press 3` presses button 3; anything else is not a press."""
    match = _PRESS.match(text.strip())
    return int(match.group(1)) if match else None


ARTICLE_SEPARATOR = "---"


def read_inputs(stream: TextIO) -> Iterator[str]:
    """The inputs of a piped session, in order.

    An article is every line up to a line that is only `---`, a command line (one that starts with `/`) or
    the end of the input, blank lines included: a blank line is a paragraph break, not the end of an article.
    Outside an article, a line that starts with `/` is a command and a line that is only a number presses
    that button.
    """
    lines: list[str] = []

    def article() -> str | None:
        text = "\n".join(lines).strip("\n")
        lines.clear()
        return text if text.strip() else None

    for raw in stream:
        line = raw.rstrip("\n").rstrip("\r")
        if line.strip() == ARTICLE_SEPARATOR or line.startswith("/"):
            if (text := article()) is not None:
                yield text
            if line.startswith("/"):
                yield line.strip()
            continue
        if not any(s.strip() for s in lines) and button_number(line) is not None:
            yield line.strip()
            continue
        lines.append(line)
    if (text := article()) is not None:
        yield text


BANNER = """Précis console playground — no Telegram token is set, so the bot talks to you here.
Paste an article (blank lines and all) and press Enter, or type a command such as /help or /summary.
Buttons are numbered: type the number to press one. Files the bot sends are saved in this folder.
Ctrl-D quits. Set TELEGRAM_BOT_TOKEN (or put it in .env) to run the real bot."""


async def run_console(
    config: Config, stdin: TextIO | None = None, stdout: TextIO | None = None, *, analyzer: Analyzer | None = None
) -> None:
    """A real terminal gets line editing, history and bracketed paste; a pipe is read as `read_inputs` says.
    `stdin` and `stdout` are the process's at the time of the call unless given; `analyzer` lets a caller that
    runs many consoles share its analysis workers (else the bot starts its own)."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    if stdin.isatty() and stdout.isatty():
        await _run_in_terminal(config, analyzer)
    else:
        await _run_piped(config, stdin, stdout, analyzer)


async def _run_piped(config: Config, stdin: TextIO, stdout: TextIO, analyzer: Analyzer | None) -> None:
    request = ConsoleRequest(stdout)
    app = build_application(config, request=request, analyzer=analyzer, concurrent_ingest=False)
    session = ConsoleSession(request)
    inputs = read_inputs(stdin)
    async with running(app):
        while (text := await asyncio.to_thread(next, inputs, None)) is not None:
            await _handle(app, session, text)


async def _run_in_terminal(config: Config, analyzer: Analyzer | None) -> None:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import InMemoryHistory

    prompt: PromptSession[str] = PromptSession(history=InMemoryHistory())
    # Replies are written straight to the terminal while no prompt is shown: `_handle` returns only once the
    # update was answered (ingest runs inline here). Routing output through prompt_toolkit's patched stdout
    # instead flushed it from another thread and could lose a line when the next prompt was drawn.
    request = ConsoleRequest(sys.stdout, ansi=True)
    app = build_application(config, request=request, analyzer=analyzer, concurrent_ingest=False)
    session = ConsoleSession(request)
    async with running(app):
        print(BANNER)
        while True:
            try:
                # A paste arrives as one bracketed paste, newlines and all, so Enter sends it whole.
                text = await prompt.prompt_async("\n> ")
            except EOFError:
                break
            except KeyboardInterrupt:
                continue  # Ctrl-C drops the line being typed, as a shell does; Ctrl-D quits
            if text.strip():
                await _handle(app, session, text.strip("\n"))


async def _handle(app: Any, session: ConsoleSession, text: str) -> None:
    number = button_number(text)
    update = session.update_for(text) if number is None else session.press(number)
    if isinstance(update, str):
        session.request.write(update)
        return
    await app.process_update(Update.de_json(update, app.bot))
