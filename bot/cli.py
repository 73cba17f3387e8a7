"""`precis`: run the bot, play with it in a console, or work on the archive from a shell."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.config import Config, ConfigError, load_config
from bot.logs import setup_logging
from handlers.i18n import UserError
from handlers.ingest import IncomingArticle, ingest
from handlers.services import Analyzer, Limits, Services
from handlers.summary import find_article, summary_view
from storage.db import Database, DatabaseError
from storage.repository import LOCAL_CHAT_ID, Repository, Source

log = logging.getLogger("precis")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="precis", description="Précis: a Telegram bot that reads the news.")
    parser.add_argument("--db", help="database file (default: $PRECIS_DB or a per-user data folder)")
    commands = parser.add_subparsers(dest="command", required=True)

    commands.add_parser("run", help="run the bot (the console playground when no token is set)")
    commands.add_parser("chat", help="the console playground: talk to the bot in this terminal")

    p = commands.add_parser("ingest", help="store and analyse articles from files ('-' reads standard input)")
    p.add_argument("inputs", nargs="+", metavar="FILE")
    _chat_and_json(p)

    p = commands.add_parser("summary", help="print an article's summary")
    p.add_argument("article", nargs="?", type=int, metavar="ID", help="the article's number (default: the last)")
    p.add_argument("--sentences", "-n", type=int, metavar="N")
    _chat_and_json(p)
    return parser


def _chat_and_json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--chat", type=int, default=LOCAL_CHAT_ID, help="the chat whose archive to use (default: local)")
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")


@asynccontextmanager
async def open_services(config: Config) -> AsyncIterator[Services]:
    db = await Database.open(config.db_path)
    analyzer = Analyzer(workers=config.workers)
    try:
        yield Services(Repository(db), analyzer, Limits(max_file_bytes=config.max_file_bytes))
    finally:
        analyzer.shutdown()
        await db.close()


def read_input(name: str, max_bytes: int) -> str:
    """The text of a file (or standard input); raises UserError-like ValueError with a clear reason."""
    if name == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
    else:
        path = Path(name)
        if not path.is_file():
            raise ValueError("no such file")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValueError(f"larger than {max_bytes:,} bytes")
    if b"\x00" in data:
        raise ValueError("a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text") from None


async def cmd_ingest(config: Config, args: argparse.Namespace) -> int:
    results: list[dict[str, Any]] = []
    failures = 0
    async with open_services(config) as services:
        await services.repo.ensure_chat(args.chat, "cli")
        for name in args.inputs:
            entry: dict[str, Any] = {"input": name}
            try:
                text = read_input(name, max(services.limits.max_file_bytes, services.limits.max_text_chars))
                source = Source("cli") if name == "-" else Source("file", Path(name).name)
                outcome = await ingest(services, args.chat, IncomingArticle(text, source))
            except ValueError as exc:  # UserError is not a ValueError; read errors are
                entry.update(status="skipped", reason=str(exc))
            except UserError as problem:
                entry.update(status="skipped", reason=_plain(problem.message("en")))
            else:
                article = outcome.article
                status = "stored" if outcome.created else "duplicate"
                if not outcome.analysed:
                    status = "stored, analysis failed"
                entry.update(article_id=article.number, status=status, title=article.title)
            if entry["status"].startswith("skipped"):
                failures += 1
            results.append(entry)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        for entry in results:
            if "article_id" in entry:
                title = entry.get("title") or ""
                print(f"#{entry['article_id']} {entry['status']}: {entry['input']}  {title}".rstrip())
            else:
                print(f"skipped {entry['input']}: {entry['reason']}")
    return 1 if failures and failures == len(results) else 0


async def cmd_summary(config: Config, args: argparse.Namespace) -> int:
    async with open_services(config) as services:
        try:
            article = await find_article(services, args.chat, args.article)
            view = await summary_view(services, article, args.sentences)
        except UserError as problem:
            print(_plain(problem.message("en")), file=sys.stderr)
            return 1
    a = view.article
    if args.json:
        payload = {
            "article_id": a.number,
            "title": a.title,
            "source": {"kind": a.source.kind, "name": a.source.name, "url": a.source.url},
            "published_at": a.published_at.isoformat(),
            "sentences": view.sentences,
            "quote": (
                {"speaker": view.quote.speaker, "text": view.quote.text, "direct": view.quote.direct}
                if view.quote
                else None
            ),
            "events": view.event_count,
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(f"#{a.number} {a.title or ''}".rstrip())
        print(f"{a.source.name or a.source.kind} · {a.published_at:%Y-%m-%d}")
        print()
        print(" ".join(view.sentences))
    return 0


def _plain(html_text: str) -> str:
    from bot.console import html_to_terminal

    return html_to_terminal(html_text, ansi=False)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        config = load_config()
    except ConfigError as exc:
        print(f"precis: configuration error: {exc}", file=sys.stderr)
        return 2
    if args.db:
        config = replace(config, db_path=Path(args.db).expanduser())
    setup_logging(config, quiet=args.command not in ("run",) or config.token is None)

    if args.command == "run" and config.token:
        from bot.app import run

        run(config)
        return 0
    commands: dict[str, Callable[[Config, argparse.Namespace], Coroutine[Any, Any, int]]] = {
        "ingest": cmd_ingest,
        "summary": cmd_summary,
    }
    try:
        if args.command in ("run", "chat"):
            from bot.console import run_console

            asyncio.run(run_console(config))
            return 0
        return asyncio.run(commands[args.command](config, args))
    except DatabaseError as exc:
        print(f"precis: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
