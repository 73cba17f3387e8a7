"""`/quotes` latency on a large archive: p50 and p99 of the real query path, per kind of name.

The archive is generated, not analysed: running 100,000 articles through the real analysis would take hours on
two cores, and what is measured here is the lookup, not the extraction. Rows are bulk-inserted with plain SQL
in one transaction into a database that the real migrations created, with people keyed by the real
`analysis.people.search_keys`, so the indexes are exactly those the bot uses. Popularity follows a Zipf law
(a few people are quoted in tens of thousands of articles), surnames are shared (ambiguous lookups), some
articles name a speaker by surname only, and organisations are quoted too.

The timed calls are the plain async functions the Telegram callbacks and the CLI use (`find_quotes`,
`people_page`), on the real Repository over aiosqlite.

    python -m bench.bench_quotes [--articles 100000] [--queries 400] [--db FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.people import search_keys
from bot.compose import settle_heap
from storage.db import Database
from storage.quotes import quotes_of_people_params, quotes_of_people_sql
from storage.repository import Repository
from usecases.quotes import Ambiguous, NoMatch, QuotesPage, find_quotes, people_page
from usecases.services import Analyzer, Services

CHAT = 1
OTHER_CHAT = 2  # a second chat's rows sit in the same tables, as in real use
_CONSONANTS = "bdfghklmnprstvz"
_VOWELS = "aeiou"
_GIVEN = (
    "Anna Boris Clara David Elena Felix Greta Henrik Ines Jonas Karin Lukas Marta Nikolai Olga Pavel Rosa Stefan "
    "Tanja Viktor Wanda Yusuf Zora Aldo Berit Cyril Dora Emil Flora Goran Hana Igor Jana Kurt Lena Milan Nora "
    "Oskar Petra Radek Sara Tomas Ulla Vera Walter Xenia Yara Zeno Agnes Bruno Carla Dmitri Edith Fabian"
)
_FIRST_NAMES = tuple(_GIVEN.split())
_STATEMENTS = (
    "the talks had made real progress",
    "the budget would be balanced by next year",
    "no decision had been taken yet",
    "the border would stay open to trade",
    "the new law protects workers and employers alike",
    "the government would not raise taxes this year",
    "the agreement was the best that could be reached",
    "more money was needed for schools and hospitals",
    "the report contained several serious errors",
    "the country was ready to talk to all its neighbours",
)


def _surname(rng: random.Random) -> str:
    syllables = rng.randint(2, 3)
    word = "".join(rng.choice(_CONSONANTS) + rng.choice(_VOWELS) for _ in range(syllables))
    return (word + rng.choice(("v", "n", "k", "r", "s", ""))).capitalize()


@dataclass(frozen=True)
class Archive:
    path: Path | str  # a SQLite file, or a PostgreSQL URL the archive was copied to
    articles: int
    quotes: int
    people: list[str]  # the quoted people's names, most popular first
    surnames: list[str]
    build_seconds: float


def build_archive(path: Path, articles: int, seed: int = 7) -> Archive:
    """Create and fill the database at `path` (migrated by the real code first)."""
    started = time.perf_counter()

    async def migrate() -> None:
        db = await Database.open(path)
        await db.close()

    asyncio.run(migrate())
    rng = random.Random(seed)
    surnames = list(dict.fromkeys(_surname(rng) for _ in range(1200)))[:900]
    # Surname popularity is skewed too, so that popular surnames are shared by many people.
    surname_weights = [1 / (i + 1) ** 0.8 for i in range(len(surnames))]
    names: dict[str, str] = {}
    while len(names) < 6000:
        full = f"{rng.choice(_FIRST_NAMES)} {rng.choices(surnames, surname_weights)[0]}"
        names.setdefault(full, "person")
    for surname in surnames[:300]:
        names.setdefault(surname, "person")  # articles that name someone by surname only
    for i in range(300):
        names.setdefault("".join(rng.choice("ABCDEFGHKLMNPRSTVW") for _ in range(2 + i % 3)), "organization")
    people = list(names)
    rng.shuffle(people)
    weights = [1 / (rank + 1) ** 1.05 for rank in range(len(people))]
    cumulative = list(_accumulate(weights))

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("BEGIN")
    now = "2025-01-01T00:00:00+00:00"
    conn.executemany(
        "INSERT INTO chats (id, kind, created_at) VALUES (?, 'private', ?)", [(CHAT, now), (OTHER_CHAT, now)]
    )
    person_ids: dict[tuple[int, str], int] = {}
    for chat in (CHAT, OTHER_CHAT):
        for name in people if chat == CHAT else people[:200]:
            cur = conn.execute("INSERT INTO people (chat_id, name, kind) VALUES (?, ?, ?)", (chat, name, names[name]))
            person_ids[chat, name] = int(cur.lastrowid or 0)
            conn.executemany(
                "INSERT INTO person_keys (chat_id, key, person_id) VALUES (?, ?, ?)",
                [(chat, key, person_ids[chat, name]) for key in search_keys(name, kind=names[name])],
            )
    quote_rows: list[tuple[Any, ...]] = []
    article_rows: list[tuple[Any, ...]] = []
    quotes = 0
    numbers = {CHAT: 0, OTHER_CHAT: 0}
    for i in range(articles):
        chat = OTHER_CHAT if i % 50 == 49 else CHAT
        numbers[chat] += 1
        article_id = i + 1
        day = f"{2015 + (i * 10) // articles:04d}-{1 + i % 12:02d}-{1 + i % 28:02d}T08:00:00+00:00"
        article_rows.append(
            (
                article_id,
                chat,
                numbers[chat],
                f"{article_id:064x}",
                f"Generated article {article_id}.",
                f"Generated story number {article_id} about the budget",
                "channel",
                f"Channel {i % 20}",
                day,
                day,
            )
        )
        speakers = rng.choices(people, cum_weights=cumulative, k=1 + (rng.random() < 0.5) + (rng.random() < 0.2))
        start = 0
        for speaker in dict.fromkeys(speakers):
            if chat == OTHER_CHAT and (chat, speaker) not in person_ids:
                continue
            for _ in range(rng.randint(1, 4)):
                text = rng.choice(_STATEMENTS)
                quote_rows.append(
                    (
                        article_id,
                        chat,
                        person_ids[chat, speaker],
                        speaker,
                        names[speaker],
                        speaker.split()[-1],
                        text,
                        int(rng.random() < 0.3),
                        "said",
                        start,
                        start + len(text),
                        rng.random(),
                    )
                )
                start += len(text) + 10
                quotes += 1
        if len(quote_rows) > 50_000:
            _flush(conn, article_rows, quote_rows)
    _flush(conn, article_rows, quote_rows)
    conn.execute("UPDATE chats SET next_number = ? WHERE id = ?", (numbers[CHAT] + 1, CHAT))
    conn.execute("COMMIT")
    conn.close()  # no ANALYZE: the bot never runs it, so the planner works here without statistics too
    quoted = [p for p in people if names[p] == "person"]
    return Archive(path, articles, quotes, quoted, surnames, time.perf_counter() - started)


def _accumulate(values: list[float]) -> list[float]:
    total = 0.0
    out = []
    for value in values:
        total += value
        out.append(total)
    return out


def _flush(conn: sqlite3.Connection, articles: list[tuple[Any, ...]], quotes: list[tuple[Any, ...]]) -> None:
    conn.executemany(
        "INSERT INTO articles (id, chat_id, number, content_hash, raw_text, title, source_kind, source_name, "
        "published_at, ingested_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ready')",
        articles,
    )
    conn.executemany(
        "INSERT INTO quotes (article_id, chat_id, person_id, speaker, speaker_kind, mention, text, direct, cue, "
        'start, "end", score) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        quotes,
    )
    articles.clear()
    quotes.clear()


def _typo(name: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(name) - 1)
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def query_mix(archive: Archive, count: int, seed: int = 11) -> dict[str, list[tuple[str, int]]]:
    """Names to look up, by kind, with the page asked for."""
    rng = random.Random(seed)
    per = max(1, count // 8)
    famous = archive.people[:50]
    full = [n for n in archive.people if " " in n]
    return {
        "famous full name": [(rng.choice(famous), 0) for _ in range(per)],
        "any full name": [(rng.choice(full), 0) for _ in range(per)],
        "common surname (many people)": [(rng.choice(archive.surnames[:200]), 0) for _ in range(per)],
        "rare surname (a few people)": [(rng.choice(archive.surnames[600:]), 0) for _ in range(per)],
        "President X's": [(f"President {rng.choice(full).split()[-1]}'s", 0) for _ in range(per)],
        "deep page (page 40)": [(rng.choice(famous[:10]), 40) for _ in range(per)],
        "typo (did you mean)": [(_typo(rng.choice(full), rng), 0) for _ in range(per)],
        "unknown name": [(f"Qwerty {rng.randrange(10**6)}", 0) for _ in range(per)],
    }


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def _time(call: Callable[[], Awaitable[Any]]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = await call()
    return (time.perf_counter() - started) * 1000, result


async def measure(archive: Archive, queries: int) -> dict[str, Any]:
    db = await Database.open(archive.path)
    with ThreadPoolExecutor(max_workers=1) as unused:  # nothing is analysed here
        services = Services(Repository(db), Analyzer(executor=unused))
        try:
            figures: dict[str, Any] = {}
            outcomes: dict[str, dict[str, int]] = {}
            every: list[float] = []
            await find_quotes(services, CHAT, archive.people[0])  # warm the page cache once
            settle_heap()  # as a started bot does
            for kind, names in query_mix(archive, queries).items():
                times = []
                seen: dict[str, int] = {}
                for name, page in names:
                    ms, answer = await _time(lambda n=name, p=page: find_quotes(services, CHAT, n, page=p))
                    times.append(ms)
                    outcome = {QuotesPage: "list", Ambiguous: "asks which", NoMatch: "no match"}[type(answer)]
                    seen[outcome] = seen.get(outcome, 0) + 1
                every += times
                figures[kind] = {"n": len(times), "p50": _percentile(times, 50), "p99": _percentile(times, 99)}
                outcomes[kind] = seen
            figures["all /quotes"] = {"n": len(every), "p50": _percentile(every, 50), "p99": _percentile(every, 99)}
            people_times = [(await _time(lambda: people_page(services, CHAT)))[0] for _ in range(20)]
            figures["/people"] = {
                "n": len(people_times),
                "p50": _percentile(people_times, 50),
                "p99": _percentile(people_times, 99),
            }
            top = archive.people[0]
            row = await services.repo._one(
                "SELECT count(*) FROM quotes q JOIN people p ON p.id = q.person_id WHERE p.chat_id = ? AND p.name = ?",
                (CHAT, top),
            )
            plan = await _plan(db, [1, 2]) if db.dialect == "sqlite" else []
            return {
                "figures": figures,
                "outcomes": outcomes,
                "most_quoted": (top, int(row[0]) if row else 0),
                "plan": plan,
            }
        finally:
            await db.close()


async def _plan(db: Database, person_ids: list[int]) -> list[str]:
    sql = quotes_of_people_sql(len(person_ids))
    async with db.conn.execute("EXPLAIN QUERY PLAN " + sql, quotes_of_people_params(CHAT, person_ids, 0, 6)) as cur:
        return [str(r[3]) for r in await cur.fetchall()]


def run(articles: int = 100_000, queries: int = 400, db: Path | None = None) -> dict[str, Any]:
    """Build an archive of `articles` generated articles and time `queries` lookups; returns the figures."""
    with tempfile.TemporaryDirectory() as tmp:
        path = db or Path(tmp) / "bench.db"
        if path.exists():
            path.unlink()
        archive = build_archive(path, articles)
        result = asyncio.run(measure(archive, queries))
        result.update(
            articles=archive.articles,
            quotes=archive.quotes,
            people=len(archive.people),
            build_seconds=archive.build_seconds,
            db_bytes=path.stat().st_size,
        )
        return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--db", type=Path, help="keep the generated database here")
    parser.add_argument("--data", type=Path, help="ignored: the archive is generated (for make bench)")
    args = parser.parse_args(argv)
    result = run(args.articles, args.queries, args.db)
    top, top_quotes = result["most_quoted"]
    print(
        f"archive: {result['articles']:,} articles, {result['quotes']:,} quotes, {result['people']:,} people; "
        f"built in {result['build_seconds']:.1f} s, {result['db_bytes'] / 2**20:.0f} MiB"
    )
    print(f"most quoted: {top} ({top_quotes:,} statements)")
    print(f"{'/quotes NAME':34} {'n':>5} {'p50 ms':>8} {'p99 ms':>8}   answers")
    for kind, f in result["figures"].items():
        outcomes = ", ".join(f"{k} {v}" for k, v in result["outcomes"].get(kind, {}).items())
        print(f"{kind:34} {f['n']:>5} {f['p50']:>8.2f} {f['p99']:>8.2f}   {outcomes}")
    print("plan of the statement query (two people):")
    for line in result["plan"]:
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
