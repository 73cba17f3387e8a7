"""The console playground: the real application, with a terminal standing in for Telegram.

Bot API calls are answered by `ConsoleRequest` instead of going over the network, and what the user types is
turned into Telegram updates, so every reply comes from the same handlers the real bot runs.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
import time
from typing import Any, TextIO

from telegram import Update
from telegram.request import BaseRequest, RequestData

from bot.config import Config
from storage.repository import LOCAL_CHAT_ID
from views.plain import html_to_terminal

BOT_USER = {"id": 1, "is_bot": True, "first_name": "Précis", "username": "precis_console_bot"}
CONSOLE_USER = {"id": 2, "is_bot": False, "first_name": "You", "language_code": "en"}
CONSOLE_CHAT = {"id": LOCAL_CHAT_ID, "type": "private", "first_name": "You"}


class ConsoleRequest(BaseRequest):
    """Answers the Bot API locally: messages the bot sends are printed instead of posted."""

    def __init__(self, out: TextIO = sys.stdout, ansi: bool | None = None) -> None:
        self.out = out
        self.ansi = out.isatty() if ansi is None else ansi
        self._message_ids = itertools.count(1_000_000)

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
            self.show(str(params.get("text", "")), params.get("reply_markup"))
            result = {
                "message_id": params.get("message_id") or next(self._message_ids),
                "date": int(time.time()),
                "chat": CONSOLE_CHAT,
                "from": BOT_USER,
                "text": params.get("text", ""),
            }
        elif api_method == "getUpdates":
            result = []
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def show(self, text: str, reply_markup: Any) -> None:
        self.out.write("\n" + html_to_terminal(text, self.ansi) + "\n")
        if isinstance(reply_markup, str):
            reply_markup = json.loads(reply_markup)
        if isinstance(reply_markup, dict):
            buttons = [b.get("text", "") for row in reply_markup.get("inline_keyboard", []) for b in row]
            if buttons:
                self.out.write("  " + "  ".join(f"[{b}]" for b in buttons) + "\n")
        self.out.flush()


class ConsoleSession:
    """Turns typed lines into updates for the application."""

    def __init__(self) -> None:
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


def read_block(stream: TextIO) -> str | None:
    """One input: a /command line, or pasted text up to an empty line. None at end of input."""
    lines: list[str] = []
    for line in stream:
        line = line.rstrip("\n")
        if not lines and line.startswith("/"):
            return line
        if not line.strip():
            if lines:
                return "\n".join(lines)
            continue
        lines.append(line)
    return "\n".join(lines) if lines else None


BANNER = """Précis console playground — no Telegram token is set, so the bot talks to you here.
Paste an article and end it with an empty line, or type a command such as /help or /summary.
Ctrl-D quits. Set TELEGRAM_BOT_TOKEN (or put it in .env) to run the real bot."""


async def run_console(config: Config, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> None:
    from bot.app import build_application, running

    request = ConsoleRequest(stdout)
    app = build_application(config, request=request, concurrent_ingest=False)
    session = ConsoleSession()
    interactive = stdin.isatty()
    async with running(app):
        if interactive:
            stdout.write(BANNER + "\n")
        while True:
            if interactive:
                stdout.write("\n> ")
                stdout.flush()
            block = await asyncio.to_thread(read_block, stdin)
            if block is None:
                break
            await app.process_update(Update.de_json(session.update_for(block), app.bot))
