"""`precis`: run the bot, play with it in a console, or work on the archive from a shell."""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import logging
import mimetypes
import os
import re
import signal
import sys
from collections import Counter
from collections.abc import Callable, Coroutine, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from analysis.dateline import dateline
from analysis.dates import find_timexes
from analysis.documents import DocumentRefused, decode_text
from analysis.lang import detect_language
from bot.compose import open_services
from bot.config import Config, ConfigError, database_target, load_config
from bot.logs import setup_logging
from bot.progress import Progress
from storage.base import parse_iso, utcnow
from storage.copy import copy_database
from storage.db import Database, DatabaseError, redact
from storage.quotes import StoredQuote
from storage.repository import LOCAL_CHAT_ID, Source
from usecases.data import export_json, forget, forget_all
from usecases.digest_content import preview
from usecases.errors import IngestRefused, Reason, UserError
from usecases.feeds import feed_number, follow, poll_due, poll_feed
from usecases.files import file_article, read_file
from usecases.ingest import IncomingArticle, IngestOutcome, ingest
from usecases.links import Post, fetchable_links, take_post
from usecases.quotes import PEOPLE_SCANNED, QuotesPage, article_quotes, find_quotes, people_page
from usecases.schedule import parse_schedule
from usecases.search import search
from usecases.services import Analyzer, Limits, Services
from usecases.settings import change_setting, chat_settings
from usecases.subscriptions import parse_unsubscribe_args, schedule_of, subscribe, subscriptions, unsubscribe
from usecases.summary import find_article, summary_view
from usecases.timeline import article_timeline, chat_zone, topic_timeline
from views.digest import (
    describe_subscription,
    local_time,
    render_digest,
    render_subscribed,
    render_subscriptions,
    render_unsubscribed,
)
from views.feeds import feed_json, render_follow, render_following
from views.i18n import explain, render_reason, t, tn
from views.ingest import render_note
from views.picture import render_png
from views.plain import plain
from views.quotes import render_answer
from views.search import render_search, search_json
from views.settings import language_names, render_saved, render_settings
from views.timeline import picture_spec, render_timeline_all, timeline_json

log = logging.getLogger("precis")

MAX_CLI_QUOTES = 10_000


GLOBAL_HELP = {
    "db": "the database: a SQLite file or a postgresql://user:password@host/db URL (default: $PRECIS_DB, else "
    "precis.db in a per-user data folder)",
    "chat": "whose archive: a Telegram chat's id (default: the local chat of the CLI and the console)",
    "json": "print machine-readable JSON instead of text",
}


def _options(p: argparse.ArgumentParser, *, chat: bool, json: bool, top: bool = False) -> None:
    """--db, --chat and --json, accepted before the command (`precis --db x people`) and after it (`precis
    people --db x`). After the command they default to nothing, so they never undo what was given before it."""

    def default(value: object) -> object:
        return value if top else argparse.SUPPRESS

    p.add_argument("--db", metavar="DB", default=default(None), help=GLOBAL_HELP["db"])
    if chat:
        p.add_argument("--chat", type=int, metavar="CHAT_ID", default=default(LOCAL_CHAT_ID), help=GLOBAL_HELP["chat"])
    if json:
        p.add_argument("--json", action="store_true", default=default(False), help=GLOBAL_HELP["json"])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="precis",
        description="Précis: a Telegram bot that reads the news. These commands work on its archive from a shell; "
        "an article is named by its number (ID), as the bot shows it (#12).",
    )
    _options(parser, chat=True, json=True, top=True)
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", help="what to do (precis COMMAND --help: its options)"
    )

    def command(name: str, help_text: str, *, chat: bool = True, json: bool = True) -> argparse.ArgumentParser:
        p = commands.add_parser(name, help=help_text, description=help_text[:1].upper() + help_text[1:] + ".")
        _options(p, chat=chat, json=json)
        return p

    command("run", "run the bot (the console playground when no token is set)", chat=False, json=False)
    command("chat", "the console playground: talk to the bot in this terminal", chat=False, json=False)

    p = command("ingest", "store and analyse articles from web pages and files (.txt, .md, .html)")
    p.add_argument("inputs", nargs="+", metavar="URL|FILE", help="a link, a file, or '-' for standard input")
    p.add_argument(
        "--published",
        metavar="DATE",
        help="when the articles were published, ISO 8601 (2005-02-14): what relative dates in them count from; "
        "a date line at the top of a text still wins (default: none, and relative dates stay unresolved)",
    )

    p = command("summary", "print an article's summary")
    p.add_argument("article", nargs="?", type=int, metavar="ID", help="the article's number (default: the last)")
    p.add_argument(
        "--sentences", "-n", type=int, metavar="N", help="how many sentences (default: the chat's setting, 3)"
    )

    p = command("quotes", "who said what: a person's statements, or every quote of one article")
    p.add_argument("name", nargs="*", metavar="NAME", help='a person or organisation: Putin, "Vladimir Putin"')
    p.add_argument("--article", type=int, metavar="ID", help="only this article's statements (with NAME: hers)")
    p.add_argument("--limit", type=int, default=100, metavar="N", help="at most N statements (default 100)")

    command("people", "who is quoted, most quoted first")

    p = command("timeline", "print dated events in date order: an article's, or every article's about a topic")
    p.add_argument("topic", nargs="*", metavar="TOPIC", help="a topic or a person (default: an article's events)")
    p.add_argument("--article", type=int, metavar="ID", help="the article's number (default: the last)")
    p.add_argument("--png", type=Path, metavar="FILE", help="draw the time line as a picture into FILE")
    p.add_argument("--dark", action="store_true", help="with --png: light text on a dark background")

    p = command("search", "the articles that hold these words (in any form), best first")
    p.add_argument("words", nargs="+", metavar="WORD", help="the words to look for")
    p.add_argument("--limit", type=int, default=10, metavar="N", help="at most N articles (default 10)")

    p = command("follow", "follow a feed (RSS, Atom, JSON Feed, or a page that advertises one)")
    p.add_argument("url", metavar="URL", help="the feed's address, or a page that names its feed")

    p = command("poll", "check the chat's followed feeds now and store their new items")
    p.add_argument("--due", action="store_true", help="only the feeds that are due (of every chat), as the bot does")

    command("following", "the feeds the chat follows and their state")

    p = command("dates", "print every temporal expression of a text, with spans and values", chat=False)
    p.add_argument("input", nargs="?", default="-", metavar="FILE", help="a text file ('-' or nothing: stdin)")
    p.add_argument(
        "--published",
        metavar="DATE",
        help="the date relative expressions count from, ISO 8601 (default: a date line at the top of the "
        "text, else none: they stay unresolved)",
    )

    command("digest", "print what the chat's next digest would contain (nothing is consumed)")

    p = command("export", "everything the chat stored, as the JSON file /export sends", json=False)
    p.add_argument("-o", "--output", metavar="FILE", help="write it to FILE (default: standard output)")

    p = command("forget", "delete one article, or every article of the chat", json=False)
    p.add_argument("article", nargs="?", type=int, metavar="ID", help="the number of the article to delete")
    p.add_argument("--all", action="store_true", help="delete every article of the chat (asks first on a terminal)")
    p.add_argument("--yes", "-y", action="store_true", help="do not ask: for scripts (needed without a terminal)")

    p = command("settings", "show the chat's settings, or change one: precis settings sentences 5")
    p.add_argument("setting", nargs="*", metavar="KEY VALUE", help="language, sentences, timezone or empty_digest")

    p = command("subscribe", "a digest on a schedule: precis subscribe daily 08:00 Europe/Riga", json=False)
    p.add_argument("schedule", nargs="+", metavar="SCHEDULE", help="daily HH:MM, weekly DAY HH:MM or every Nh")
    command("subscriptions", "list the chat's digests, numbered")
    p = command("unsubscribe", "stop one digest (its number in precis subscriptions), or all of them", json=False)
    p.add_argument("number", nargs="?", metavar="N|all", help="the digest's number (default: all)")

    command(
        "migrate", "bring the database to this version's schema (starting the bot does too)", chat=False, json=False
    )
    p = command("copy", "copy an archive into a new database, checked by counts", chat=False, json=False)
    p.add_argument("--from", dest="source", required=True, metavar="DB", help="sqlite:PATH, a path, or a URL")
    p.add_argument("--to", dest="target", required=True, metavar="DB", help="postgresql://… (or a new SQLite file)")
    return parser


@dataclass(frozen=True)
class Cli:
    """What a command runs with: the configuration, and the analysis workers when the caller has them already
    (None: the configured worker processes, started for the command)."""

    config: Config
    analyzer: Analyzer | None = None

    def services(self) -> AbstractAsyncContextManager[Services]:
        return open_services(self.config, analyzer=self.analyzer)


class Skipped(Exception):
    """An input that cannot be read, with the reason in plain words."""


# "ftp://host/file", "mailto:someone", "file:///etc/hosts": a link, but not one to a web page.
_SCHEME = re.compile(r"(?i)^([a-z][a-z0-9+.-]+):(?://)?\S")


def read_bytes(name: str, max_bytes: int, stdin: bytes | None = None) -> bytes:
    if name == "-":
        data = stdin or b""
    else:
        path = Path(name)
        if path.is_dir():
            raise Skipped("a directory, not a file")
        if not path.is_file():
            scheme = _SCHEME.match(name)
            if scheme:
                raise Skipped(_plain(t("en", "scheme", section="fetch", scheme=scheme.group(1).lower())))
            raise Skipped("no such file")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise Skipped(f"larger than {max_bytes:,} bytes")
    return data


async def ingest_one(
    services: Services, chat_id: int, name: str, *, published: datetime | None = None, stdin: bytes | None = None
) -> IngestOutcome:
    """One input of `precis ingest`: a URL (fetched as a link sent to the bot is), a file, or '-' (standard
    input, read before the event loop started so that Ctrl-C stops a waiting read at once)."""
    if re.match(r"(?i)^https?://", name):
        if not fetchable_links([name]):
            raise Skipped("not a link to a web page")
        return await take_post(services, chat_id, Post(name, Source("cli"), published, links=(name,)))
    if name == "-":
        data = read_bytes(name, stdin_limit(services.limits), stdin)
        try:
            text = decode_text(data)
        except DocumentRefused as refusal:
            raise IngestRefused("file_refused", cause=Reason("file", refusal.key, refusal.values)) from None
        return await ingest(services, chat_id, IncomingArticle(text, Source("cli"), published))
    data = read_bytes(name, services.limits.max_file_bytes)
    path = Path(name)
    # A file with no suffix, named on the command line, is taken for the text file it almost always is.
    mime = mimetypes.guess_type(path.name)[0] or (None if path.suffix else "text/plain")
    document = await read_file(services, path.name, data, mime)
    return await ingest(services, chat_id, file_article(document, path.name, published_at=published))


def stdin_limit(limits: Limits) -> int:
    return max(limits.max_file_bytes, limits.max_text_chars)


async def cmd_ingest(cli: Cli, args: argparse.Namespace) -> int:
    results: list[dict[str, Any]] = [{"input": name} for name in args.inputs]
    progress = Progress(len(results))
    async with cli.services() as services:
        await services.repo.ensure_chat(args.chat, "cli")
        # A few at a time: fetching pages is mostly waiting, and the analysis queues in the worker pool.
        gate = asyncio.Semaphore(4)

        async def run(entry: dict[str, Any]) -> None:
            async with gate:
                try:
                    outcome = await ingest_one(
                        services, args.chat, entry["input"], published=args.published_at, stdin=args.stdin_data
                    )
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


async def cmd_summary(cli: Cli, args: argparse.Namespace) -> int:
    async with cli.services() as services:
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
            "published_at": a.published_at.isoformat() if a.dated else None,
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
        when = f"{a.published_at:%Y-%m-%d}" if a.dated else f"undated, stored {a.ingested_at:%Y-%m-%d}"
        print(f"{a.source.name or a.source.kind} · {when}")
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


async def cmd_quotes(cli: Cli, args: argparse.Namespace) -> int:
    name = " ".join(args.name)
    if args.article is None and not name.strip():
        print("precis quotes: give a NAME or --article ID", file=sys.stderr)
        return 2
    if not 1 <= args.limit <= MAX_CLI_QUOTES:
        print(f"precis quotes: --limit must be between 1 and {MAX_CLI_QUOTES:,}", file=sys.stderr)
        return 2
    async with cli.services() as services:
        if args.article is not None and not name:
            found: list[StoredQuote] = list((await article_quotes(services, args.chat, args.article)).quotes)
            empty = t("en", "quotes_article_none", number=args.article)
        else:
            if args.article is not None:
                await find_article(services, args.chat, args.article)  # "There is no article #7" first
            # With --article, every statement of the person is read, then only that article's are kept.
            size = args.limit if args.article is None else MAX_CLI_QUOTES
            answer = await find_quotes(services, args.chat, name, page_size=size)
            if not isinstance(answer, QuotesPage):
                print(_plain(render_answer(answer, "en")), file=sys.stderr)
                return 1
            found = [q for q in answer.quotes if args.article is None or q.article_number == args.article]
            empty = f"{answer.speakers[0].name if answer.speakers else name} is not quoted in article #{args.article}."
    found = found[: args.limit]
    if args.json:
        print(json.dumps([_quote_json(q) for q in found], ensure_ascii=False, indent=2))
    elif not found:
        print(_plain(empty))
    else:
        for quote in found:
            print(_quote_line(quote))
    return 0


async def cmd_people(cli: Cli, args: argparse.Namespace) -> int:
    async with cli.services() as services:
        found = await people_page(services, args.chat, page_size=PEOPLE_SCANNED)
    if args.json:
        payload = [{"name": s.name, "kind": s.kind, "quotes": s.quotes} for s in found.speakers]
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    elif not found.speakers:
        print(_plain(t("en", "people_none")))
    else:
        for speaker in found.speakers:
            mark = " (organisation)" if speaker.kind == "organization" else ""
            print(f"{speaker.quotes:>6}  {speaker.name}{mark}")
    return 0


async def cmd_timeline(cli: Cli, args: argparse.Namespace) -> int:
    topic = " ".join(args.topic)
    if topic and args.article is not None:
        print("precis: give a topic or --article, not both", file=sys.stderr)
        return 2
    async with cli.services() as services:
        try:
            if topic:
                view = await topic_timeline(services, args.chat, topic)
            else:
                view = await article_timeline(services, args.chat, args.article)
        except UserError as problem:
            print(_plain(explain(problem, "en")), file=sys.stderr)
            return 1
        if args.png is not None:
            if not view.entries:
                print(t("en", "timeline_picture_empty"), file=sys.stderr)
                return 1
            spec = picture_spec(view, "en", await chat_zone(services, args.chat), datetime.now(UTC), args.dark)
            png = await services.analyzer.run(render_png, spec)  # drawn in the worker pool
            args.png.write_bytes(png)
            print(f"{args.png}: {len(view.entries)} events, {len(png):,} bytes")
            return 0
    if args.json:
        print(json.dumps(timeline_json(view), ensure_ascii=False, indent=2))
        return 0
    if not view.entries:
        print(f"No dated events in {view.subject or 'these articles'}.")
        return 0
    html, _ = render_timeline_all(view, "en")
    print(_plain(html))
    return 0


async def cmd_search(cli: Cli, args: argparse.Namespace) -> int:
    async with cli.services() as services:
        try:
            result = await search(services, args.chat, " ".join(args.words), limit=max(1, args.limit))
        except UserError as problem:
            print(_plain(explain(problem, "en")), file=sys.stderr)
            return 1
    if args.json:
        print(json.dumps(search_json(result), ensure_ascii=False, indent=2))
        return 0
    print(_plain(render_search(result, "en")))
    return 0


async def cmd_follow(cli: Cli, args: argparse.Namespace) -> int:
    async with cli.services() as services:
        try:
            outcome = await follow(services, args.chat, args.url)
        except UserError as problem:
            print(_plain(explain(problem, "en")), file=sys.stderr)
            return 1
        number = await feed_number(services, args.chat, outcome.feed.id)
    if args.json:
        payload = feed_json(number, outcome.feed)
        if outcome.poll is not None:
            payload["stored"] = {"new": outcome.poll.new_articles, "merged": outcome.poll.merged}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    print(_plain(render_follow(outcome, number, "en")))
    return 0


async def cmd_poll(cli: Cli, args: argparse.Namespace) -> int:
    async with cli.services() as services:
        if args.due:
            results = await poll_due(services)
        else:
            results = [
                await poll_feed(services, feed)
                for feed in await services.repo.chat_feeds(args.chat)
                if feed.state != "paused"
            ]
        feeds_now = {f.id: f for f in await services.repo.chat_feeds(args.chat)}
    if args.json:
        payload = [
            {"feed": r.feed_id, "state": r.state, "new": r.new_articles, "merged": r.merged, "error": r.error}
            for r in results
        ]
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    for r in results:
        feed = feeds_now.get(r.feed_id)
        name = (feed.title or feed.url) if feed else str(r.feed_id)
        detail = r.error or f"{r.new_articles} new, {r.merged} already stored"
        print(f"{name}: {r.state} ({detail})")
    if not results:
        print("No feed to check.")
    return 0


async def cmd_following(cli: Cli, args: argparse.Namespace) -> int:
    async with cli.services() as services:
        found = await services.repo.chat_feeds(args.chat)
    if args.json:
        print(json.dumps([feed_json(i, f) for i, f in enumerate(found, 1)], ensure_ascii=False, indent=2))
        return 0
    print(_plain(render_following(found, "en")))
    return 0


async def cmd_dates(cli: Cli, args: argparse.Namespace) -> int:
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
        text = decode_text(data[: cli.config.max_file_bytes])
    except DocumentRefused as refused:
        reason = t("en", refused.key, section="file", **refused.values)
        print(f"precis: cannot read {args.input}: {reason}", file=sys.stderr)
        return 2
    published: datetime | None = args.published_at
    found = dateline(text, utcnow())
    anchor = "the date line of the text" if found else "given"
    published = found or published
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
    if published is None:
        print(f"# {len(timexes)} temporal expressions; no date given: relative ones stay unresolved (--published)")
    else:
        print(f"# {len(timexes)} temporal expressions; relative ones count from {published:%Y-%m-%d} ({anchor})")
    for x in timexes:
        mod = f" {x.modifier}" if x.modifier else ""
        print(f"{x.start}-{x.end}\t{x.type}\t{x.value}\t{x.granularity}{mod}\t{x.text}")
    return 0


async def cmd_digest(cli: Cli, args: argparse.Namespace) -> int:
    """The next digest as it stands: which articles, how it reads, and when the chat's subscriptions fire."""
    async with cli.services() as services:
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
        print(f"{_plain(describe_subscription(sub, 'en'))}: {state_note} ({state.timezone})")
    return 0


async def cmd_migrate(cli: Cli, args: argparse.Namespace) -> int:
    db = await Database.open(cli.config.db_path)
    try:
        print(f"{redact(cli.config.db_path)}: schema version {await db.version()} ({db.dialect})")
    finally:
        await db.close()
    return 0


async def cmd_copy(cli: Cli, args: argparse.Namespace) -> int:
    source = await Database.open(database_target(args.source))
    try:
        target = await Database.open(database_target(args.target))
        try:
            report = await copy_database(source, target)
        finally:
            await target.close()
    finally:
        await source.close()
    for table, count in report.counts.items():
        print(f"{table:16} {count:>10,}")
    print(
        f"copied from {redact(args.source)} to {redact(args.target)}: every table's count matches; "
        f"{report.indexed:,} articles indexed for search, {report.stemmed:,} by stems"
    )
    return 0


async def cmd_export(cli: Cli, args: argparse.Namespace) -> int:
    async with cli.services() as services:
        data = await export_json(services, args.chat, allow_empty=True)
    if args.output:
        await asyncio.to_thread(_write_file, args.output, data)
        print(f"Wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data + b"\n")
        sys.stdout.flush()
    return 0


def _write_file(name: str, data: bytes) -> None:
    Path(name).expanduser().write_bytes(data)


async def _count_articles(cli: Cli, chat_id: int) -> int:
    async with cli.services() as services:
        return await services.repo.count_articles(chat_id)


async def _forget(cli: Cli, chat_id: int, number: int | None) -> str:
    async with cli.services() as services:
        if number is None:
            return tn("en", "forgot_all", await forget_all(services, chat_id))
        await forget(services, chat_id, number)
        return t("en", "forgot_one", number=number)


def cmd_forget(cli: Cli, args: argparse.Namespace) -> int:
    """`forget ID` at once; `forget --all` asks first, on a terminal (the question is asked outside the event
    loop, where Ctrl-C stops it), and without a terminal wants --yes."""
    if (args.article is None) == (not args.all):
        print("precis forget: give an article's ID, or --all", file=sys.stderr)
        return 2
    if args.all and not args.yes:
        count = asyncio.run(_count_articles(cli, args.chat))
        if count == 0:
            print(_plain(t("en", "no_articles")))
            return 0
        question = _plain(tn("en", "forget_all_confirm", count))
        if not sys.stdin.isatty():
            print(f"precis forget: add --yes to delete all {count} articles without being asked", file=sys.stderr)
            return 2
        print(f"{question} [y/N] ", end="", file=sys.stderr, flush=True)
        if sys.stdin.readline().strip().casefold() not in ("y", "yes"):
            print(_plain(t("en", "forget_all_kept")))
            return 1
    print(_plain(asyncio.run(_forget(cli, args.chat, None if args.all else args.article))))
    return 0


async def cmd_settings(cli: Cli, args: argparse.Namespace) -> int:
    async with cli.services() as services:
        if args.setting:
            change = await change_setting(services, args.chat, args.setting, language_names(), chat_kind="cli")
            print(_plain(render_saved(change, "en")))
            return 0
        view = await chat_settings(services, args.chat)
        if args.json:
            payload = {
                "language": view.language,
                "sentences": view.chat.summary_sentences,
                "timezone": view.digest.timezone,
                "empty_digest": view.digest.empty_digest,
            }
            print(json.dumps(payload, ensure_ascii=False, indent=2))
            return 0
        print(_plain(render_settings(view, "en", None)))
    return 0


async def cmd_subscribe(cli: Cli, args: argparse.Namespace) -> int:
    schedule, zone_name = parse_schedule(args.schedule)
    async with cli.services() as services:
        await services.repo.ensure_chat(args.chat, "cli")
        outcome = await subscribe(services, args.chat, schedule, zone_name)
        print(_plain(render_subscribed(outcome, "en")))
    return 0


async def cmd_subscriptions(cli: Cli, args: argparse.Namespace) -> int:
    async with cli.services() as services:
        subs, state = await subscriptions(services, args.chat)
    if args.json:
        payload = [
            {
                "number": i,
                "schedule": schedule_of(sub).spec,
                "timezone": state.timezone,
                "next_due_at": sub.next_due_at.isoformat(),
                "paused": sub.paused_reason if sub.paused else None,
            }
            for i, sub in enumerate(subs, start=1)
        ]
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    print(_plain(render_subscriptions(subs, state, "en")))
    return 0


async def cmd_unsubscribe(cli: Cli, args: argparse.Namespace) -> int:
    number = parse_unsubscribe_args([args.number] if args.number else [])
    async with cli.services() as services:
        removed = await unsubscribe(services, args.chat, number)
    print(_plain(render_unsubscribed(removed, "en")))
    return 0


def _plain(html_text: str) -> str:
    return plain(html_text)


AsyncCommand = Callable[["Cli", argparse.Namespace], Coroutine[Any, Any, int]]
ASYNC_COMMANDS: dict[str, AsyncCommand] = {
    "ingest": cmd_ingest,
    "summary": cmd_summary,
    "quotes": cmd_quotes,
    "people": cmd_people,
    "timeline": cmd_timeline,
    "dates": cmd_dates,
    "digest": cmd_digest,
    "export": cmd_export,
    "settings": cmd_settings,
    "subscribe": cmd_subscribe,
    "subscriptions": cmd_subscriptions,
    "unsubscribe": cmd_unsubscribe,
    "search": cmd_search,
    "follow": cmd_follow,
    "poll": cmd_poll,
    "following": cmd_following,
    "migrate": cmd_migrate,
    "copy": cmd_copy,
}


def main(argv: Sequence[str] | None = None, *, analyzer: Analyzer | None = None) -> int:
    """`precis ARGS`, where every failure ends as one line on standard error and a non-zero exit, never a
    traceback; `analyzer` lets a caller that runs many commands share its analysis workers."""
    try:
        code = _main(argv, analyzer)
        sys.stdout.flush()  # a closed pipe shows here when the output was small enough to be buffered
        return code
    except BrokenPipeError:
        # The reader went away (`precis timeline X | head -1`): stop quietly, as other Unix tools do, and keep
        # the interpreter's last flush of standard output from failing again.
        _silence_stdout()
        return 128 + signal.SIGPIPE
    except KeyboardInterrupt:
        print("precis: interrupted", file=sys.stderr)
        return 130


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass  # standard output that is not a file (a test's capture) has nothing to flush later


def _main(argv: Sequence[str] | None, analyzer: Analyzer | None) -> int:
    args = build_parser().parse_args(argv)
    try:
        config = load_config()
    except ConfigError as exc:
        print(f"precis: configuration error: {exc}", file=sys.stderr)
        return 2
    if args.db:
        config = replace(config, db_path=database_target(args.db))
    setup_logging(config, quiet=args.command not in ("run",) or config.token is None)
    args.published_at = None
    if getattr(args, "published", None):
        try:
            # A day alone is taken at noon UTC, as a date line is: the same day in any time zone.
            day = date.fromisoformat(args.published[:10])
            args.published_at = (
                parse_iso(args.published) if len(args.published) > 10 else datetime.combine(day, time(12), UTC)
            )
        except ValueError:
            print(f"precis: --published wants an ISO 8601 date, like 2025-10-20: {args.published!r}", file=sys.stderr)
            return 2
    # Standard input is read before the event loop starts: a read waiting there is stopped by Ctrl-C at once.
    args.stdin_data = None
    if args.command == "ingest" and "-" in args.inputs:
        args.stdin_data = sys.stdin.buffer.read(max(config.max_file_bytes, Limits().max_text_chars) + 1)

    try:
        if args.command == "run" and config.token:
            from bot.app import run

            try:
                run(config)
            except ConfigError as exc:
                print(f"precis: configuration error: {exc}", file=sys.stderr)
                return 2
            return 0
        if args.command in ("run", "chat"):
            from bot.console import run_console

            asyncio.run(run_console(config, analyzer=analyzer))
            return 0
        if args.command == "forget":
            return cmd_forget(Cli(config, analyzer), args)
        return asyncio.run(ASYNC_COMMANDS[args.command](Cli(config, analyzer), args))
    except DatabaseError as exc:
        print(f"precis: {exc}", file=sys.stderr)
        return 2
    except UserError as problem:
        print(f"precis {args.command}: {_plain(explain(problem, 'en'))}", file=sys.stderr)
        return 1
    except OSError as exc:  # a file that cannot be written (export -o), a folder that cannot be read
        if isinstance(exc, BrokenPipeError):
            raise
        where = f" {exc.filename}" if exc.filename else ""
        print(f"precis {args.command}:{where} {exc.strerror or exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
