"""`precis`: run the bot, play with it in a console, or work on the archive from a shell."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import mimetypes
import re
import sys
from collections import Counter
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from analysis.dateline import dateline
from analysis.dates import find_timexes
from analysis.documents import DocumentRefused, decode_text
from analysis.lang import detect_language
from bot.compose import open_services
from bot.config import Config, ConfigError, load_config
from bot.logs import setup_logging
from bot.progress import Progress
from storage.base import parse_iso, utcnow
from storage.db import DatabaseError
from storage.quotes import StoredQuote
from storage.repository import LOCAL_CHAT_ID, Source
from usecases.digest_content import preview
from usecases.errors import IngestRefused, Reason, UserError
from usecases.files import file_article, read_file
from usecases.ingest import IncomingArticle, IngestOutcome, ingest
from usecases.links import Post, fetchable_links, take_post
from usecases.quotes import PEOPLE_SCANNED, QuotesPage, article_quotes, find_quotes, people_page
from usecases.services import Services
from usecases.subscriptions import schedule_of, subscriptions
from usecases.summary import find_article, summary_view
from usecases.timeline import article_timeline, topic_timeline
from views.digest import describe, local_time, render_digest
from views.i18n import explain, render_reason, t
from views.ingest import render_note
from views.plain import plain
from views.quotes import render_answer
from views.timeline import render_timeline_all, timeline_json

log = logging.getLogger("precis")

MAX_CLI_QUOTES = 10_000


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="precis", description="Précis: a Telegram bot that reads the news.")
    parser.add_argument("--db", help="database file (default: $PRECIS_DB or a per-user data folder)")
    commands = parser.add_subparsers(dest="command", required=True)

    commands.add_parser("run", help="run the bot (the console playground when no token is set)")
    commands.add_parser("chat", help="the console playground: talk to the bot in this terminal")

    p = commands.add_parser(
        "ingest",
        help="store and analyse articles from web pages and files (.txt, .md, .html; '-' reads standard input)",
    )
    p.add_argument("inputs", nargs="+", metavar="URL|FILE")
    _chat_and_json(p)

    p = commands.add_parser("summary", help="print an article's summary")
    p.add_argument("article", nargs="?", type=int, metavar="ID", help="the article's number (default: the last)")
    p.add_argument("--sentences", "-n", type=int, metavar="N")
    _chat_and_json(p)

    p = commands.add_parser("quotes", help="who said what: a person's statements, or every quote of one article")
    p.add_argument("name", nargs="*", metavar="NAME", help='a person or organisation: Putin, "Vladimir Putin"')
    p.add_argument("--article", type=int, metavar="ID", help="every quote of this article (its number)")
    p.add_argument("--limit", type=int, default=100, metavar="N", help="at most N statements (default 100)")
    _chat_and_json(p)

    p = commands.add_parser("people", help="who is quoted, most quoted first")
    _chat_and_json(p)
    p = commands.add_parser(
        "timeline", help="print dated events in date order: an article's, or every article's about a topic"
    )
    p.add_argument("topic", nargs="*", metavar="TOPIC", help="a topic or a person (default: an article's events)")
    p.add_argument("--article", type=int, metavar="N", help="the article's number (default: the last)")
    _chat_and_json(p)

    p = commands.add_parser("dates", help="print every temporal expression of a text, with spans and values")
    p.add_argument("input", nargs="?", default="-", metavar="FILE", help="a text file ('-' or nothing: stdin)")
    p.add_argument(
        "--published",
        metavar="DATE",
        help="the date relative expressions count from, ISO 8601 (default: a date line at the top of the "
        "text, else now)",
    )
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")

    p = commands.add_parser("digest", help="print what the chat's next digest would contain (nothing is consumed)")
    _chat_and_json(p)
    return parser


def _chat_and_json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--chat", type=int, default=LOCAL_CHAT_ID, help="the chat whose archive to use (default: local)")
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")


class Skipped(Exception):
    """An input that cannot be read, with the reason in plain words."""


def read_bytes(name: str, max_bytes: int) -> bytes:
    if name == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
    else:
        path = Path(name)
        if not path.is_file():
            raise Skipped("no such file")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise Skipped(f"larger than {max_bytes:,} bytes")
    return data


async def ingest_one(services: Services, chat_id: int, name: str) -> IngestOutcome:
    """One input of `precis ingest`: a URL (fetched as a link sent to the bot is), a file, or '-'."""
    if re.match(r"(?i)^https?://", name):
        if not fetchable_links([name]):
            raise Skipped("not a link to a web page")
        return await take_post(services, chat_id, Post(name, Source("cli"), links=(name,)))
    if name == "-":
        data = read_bytes(name, max(services.limits.max_file_bytes, services.limits.max_text_chars))
        try:
            text = decode_text(data)
        except DocumentRefused as refusal:
            raise IngestRefused("file_refused", cause=Reason("file", refusal.key, refusal.values)) from None
        return await ingest(services, chat_id, IncomingArticle(text, Source("cli")))
    data = read_bytes(name, services.limits.max_file_bytes)
    path = Path(name)
    # A file with no suffix, named on the command line, is taken for the text file it almost always is.
    mime = mimetypes.guess_type(path.name)[0] or (None if path.suffix else "text/plain")
    document = await read_file(services, path.name, data, mime)
    return await ingest(services, chat_id, file_article(document, path.name))


async def cmd_ingest(config: Config, args: argparse.Namespace) -> int:
    results: list[dict[str, Any]] = [{"input": name} for name in args.inputs]
    progress = Progress(len(results))
    async with open_services(config) as services:
        await services.repo.ensure_chat(args.chat, "cli")
        # A few at a time: fetching pages is mostly waiting, and the analysis queues in the worker pool.
        gate = asyncio.Semaphore(4)

        async def run(entry: dict[str, Any]) -> None:
            async with gate:
                try:
                    outcome = await ingest_one(services, args.chat, entry["input"])
                except Skipped as exc:
                    entry.update(status="skipped", reason=str(exc))
                except IngestRefused as refused:
                    # The reason alone ("the page took too long to answer"), when there is one: the input's name
                    # already says what it was about.
                    text = render_reason(refused.cause, "en") if refused.cause else explain(refused, "en")
                    entry.update(status="skipped", reason=_plain(text).rstrip("."))
                except UserError as problem:
                    entry.update(status="skipped", reason=_plain(explain(problem, "en")).rstrip("."))
                else:
                    article = outcome.article
                    status = "stored" if outcome.created else "duplicate"
                    if not outcome.analysed:
                        status = "stored, analysis failed"
                    entry.update(article_id=article.number, status=status, title=article.title)
                    if outcome.notes:
                        entry["notes"] = [_plain(render_note(note, "en")) for note in outcome.notes]
            if not args.json:
                progress.line(_entry_line(entry))
            progress.step(entry["input"])

        await asyncio.gather(*(run(entry) for entry in results))
    progress.close()
    summary = _summary(results)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        print(summary, file=sys.stderr)
    else:
        print(summary)
    skipped = sum(1 for entry in results if entry["status"] == "skipped")
    return 1 if skipped and skipped == len(results) else 0


def _entry_line(entry: dict[str, Any]) -> str:
    if "article_id" not in entry:
        return f"skipped {entry['input']}: {entry['reason']}"
    title = entry.get("title") or ""
    line = f"#{entry['article_id']} {entry['status']}: {entry['input']}  {title}".rstrip()
    return "\n".join([line, *(f"  {note}" for note in entry.get("notes", []))])


def _summary(results: list[dict[str, Any]]) -> str:
    """`stored 3, merged (duplicates) 1, skipped 3 (2 × no such file · the page took too long to answer)`."""
    stored = sum(1 for e in results if str(e["status"]).startswith("stored"))
    merged = sum(1 for e in results if e["status"] == "duplicate")
    reasons = Counter(str(e["reason"]) for e in results if e["status"] == "skipped")
    line = f"stored {stored}, merged (duplicates) {merged}, skipped {sum(reasons.values())}"
    if reasons:
        line += " (" + " · ".join(f"{n} × {r}" if n > 1 else r for r, n in reasons.most_common()) + ")"
    return line


async def cmd_summary(config: Config, args: argparse.Namespace) -> int:
    async with open_services(config) as services:
        try:
            article = await find_article(services, args.chat, args.article)
            view = await summary_view(services, article, args.sentences)
        except UserError as problem:
            print(_plain(explain(problem, "en")), file=sys.stderr)
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


def _quote_json(quote: StoredQuote) -> dict[str, Any]:
    return {
        "speaker": quote.speaker,
        "kind": quote.speaker_kind,
        "mention": quote.mention,
        "text": quote.text,
        "direct": quote.direct,
        "cue": quote.cue,
        "article_id": quote.article_number,
        "title": quote.article_title,
        "source": quote.source.name or quote.source.kind,
        "source_url": quote.source.url,
        "date": quote.published_at.isoformat(),
    }


def _quote_line(quote: StoredQuote) -> str:
    text = f"“{quote.text}”" if quote.direct else quote.text
    who = quote.speaker or f"({quote.mention})"
    return f"#{quote.article_number} {quote.published_at:%Y-%m-%d}  {who}: {text}"


async def cmd_quotes(config: Config, args: argparse.Namespace) -> int:
    name = " ".join(args.name)
    if args.article is None and not name.strip():
        print("precis quotes: give a NAME or --article ID", file=sys.stderr)
        return 2
    if not 1 <= args.limit <= MAX_CLI_QUOTES:
        print(f"precis quotes: --limit must be between 1 and {MAX_CLI_QUOTES:,}", file=sys.stderr)
        return 2
    async with open_services(config) as services:
        try:
            if args.article is not None:
                found: list[StoredQuote] = list((await article_quotes(services, args.chat, args.article)).quotes)
            else:
                answer = await find_quotes(services, args.chat, name, page_size=args.limit)
                if not isinstance(answer, QuotesPage):
                    print(_plain(render_answer(answer, "en")), file=sys.stderr)
                    return 1
                found = list(answer.quotes)
        except UserError as problem:
            print(_plain(explain(problem, "en")), file=sys.stderr)
            return 1
    if args.json:
        print(json.dumps([_quote_json(q) for q in found[: args.limit]], ensure_ascii=False, indent=2))
    else:
        for quote in found[: args.limit]:
            print(_quote_line(quote))
    return 0


async def cmd_people(config: Config, args: argparse.Namespace) -> int:
    async with open_services(config) as services:
        found = await people_page(services, args.chat, page_size=PEOPLE_SCANNED)
    if args.json:
        payload = [{"name": s.name, "kind": s.kind, "quotes": s.quotes} for s in found.speakers]
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for speaker in found.speakers:
            mark = " (organisation)" if speaker.kind == "organization" else ""
            print(f"{speaker.quotes:>6}  {speaker.name}{mark}")
    return 0


async def cmd_timeline(config: Config, args: argparse.Namespace) -> int:
    topic = " ".join(args.topic)
    if topic and args.article is not None:
        print("precis: give a topic or --article, not both", file=sys.stderr)
        return 2
    async with open_services(config) as services:
        try:
            if topic:
                view = await topic_timeline(services, args.chat, topic)
            else:
                view = await article_timeline(services, args.chat, args.article)
        except UserError as problem:
            print(_plain(explain(problem, "en")), file=sys.stderr)
            return 1
    if args.json:
        print(json.dumps(timeline_json(view), ensure_ascii=False, indent=2))
        return 0
    html, _ = render_timeline_all(view, "en")
    print(_plain(html))
    return 0


async def cmd_dates(config: Config, args: argparse.Namespace) -> int:
    reader = sys.stdin.buffer.read if args.input == "-" else Path(args.input).read_bytes
    try:
        data = await asyncio.to_thread(reader)
    except FileNotFoundError:
        print(f"precis: cannot read {args.input}: no such file", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"precis: cannot read {args.input}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    try:
        text = decode_text(data[: config.max_file_bytes])
    except DocumentRefused as refused:
        reason = t("en", refused.key, section="file", **refused.values)
        print(f"precis: cannot read {args.input}: {reason}", file=sys.stderr)
        return 2
    if args.published:
        try:
            published = parse_iso(args.published)
        except ValueError:
            print(f"precis: --published wants an ISO 8601 date, like 2025-10-20: {args.published!r}", file=sys.stderr)
            return 2
        anchor = "given"
    else:
        now = utcnow()
        found = dateline(text, now)
        published, anchor = (found, "the date line of the text") if found else (now, "now")
    lang = detect_language(text)
    timexes = find_timexes(text, published, lang)
    if args.json:
        payload = [
            {
                "start": x.start,
                "end": x.end,
                "text": x.text,
                "type": x.type,
                "value": x.value,
                "granularity": x.granularity,
                "modifier": x.modifier or None,
            }
            for x in timexes
        ]
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    print(f"# {len(timexes)} temporal expressions; relative ones count from {published:%Y-%m-%d} ({anchor})")
    for x in timexes:
        mod = f" {x.modifier}" if x.modifier else ""
        print(f"{x.start}-{x.end}\t{x.type}\t{x.value}\t{x.granularity}{mod}\t{x.text}")
    return 0


async def cmd_digest(config: Config, args: argparse.Namespace) -> int:
    """The next digest as it stands: which articles, how it reads, and when the chat's subscriptions fire."""
    async with open_services(config) as services:
        content = await preview(services, args.chat)
        subs, _ = await subscriptions(services, args.chat)
        state = content.state
        text = _plain(render_digest(content, "en"))
    schedule = [
        {
            "schedule": schedule_of(s).spec,
            "next_due_at": s.next_due_at.isoformat(),
            "next_local": local_time(s.next_due_at, state.timezone),
            "paused": s.paused_reason if s.paused else None,
        }
        for s in subs
    ]
    if args.json:
        payload = {
            "chat": args.chat,
            "timezone": state.timezone,
            "watermark": state.watermark,
            "last_digest_at": state.last_digest_at.isoformat() if state.last_digest_at else None,
            "covers": {"after_article_id": content.after, "upto_article_id": content.upto, "count": content.count},
            "articles": [
                {
                    "article_id": e.article.number,
                    "title": e.article.title,
                    "source": {"kind": e.article.source.kind, "name": e.article.source.name},
                    "status": e.article.status,
                    "shown": "full" if e.full else "listed",
                    "summary": e.sentences,
                    "events": e.article.event_count,
                }
                for e in content.entries
            ]
            + [
                {"article_id": a.number, "title": a.title, "status": a.status, "shown": "counted"} for a in content.more
            ],
            "subscriptions": schedule,
            "text": text,
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    print(text)
    print()
    if not schedule:
        print("No subscriptions: the chat gets digests only with /digest.")
    for entry, sub in zip(schedule, subs, strict=True):
        state_note = f"paused ({entry['paused']})" if entry["paused"] else f"next {entry['next_local']}"
        print(f"{_plain(describe(schedule_of(sub), 'en'))}: {state_note} ({state.timezone})")
    return 0


def _plain(html_text: str) -> str:
    return plain(html_text)


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
        "quotes": cmd_quotes,
        "people": cmd_people,
        "timeline": cmd_timeline,
        "dates": cmd_dates,
        "digest": cmd_digest,
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
