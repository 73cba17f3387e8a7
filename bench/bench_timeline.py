"""Latency of `/timeline TOPIC` (and PERSON, and NUMBER) over a large generated archive.

    python -m bench.bench_timeline [--articles 100000] [--queries 100] [--db FILE]

Running 100,000 articles through the real analysis would take hours, so the archive is generated: articles,
their events (a fifth of them retellings of a shared pool of events, so that merging has work to do), quotes,
people with their lookup keys, the articles_fts rows and the stem index's rows (the stems computed by the
analysis' own function; a topic is looked up there) are bulk-inserted with plain SQL in one transaction,
into a database made by the real migrations. A few other chats hold a small share of articles, so the chat
wall is part of every query.

What is timed is the real query path: `usecases.timeline.timeline_for`, the plain async function the
Telegram command and the CLI call (parsing, person lookup, FTS, events, merging), plus rendering the first
page. Topics are drawn from the frequent to the rare; every query is timed cold for its words (each topic and
person is asked once per round), on the bot's own connection settings, without ANALYZE.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from analysis.people import search_keys
from analysis.search import stemmed_text
from analysis.timeline import event_label, sort_key
from bot.compose import settle_heap
from storage.db import Database
from storage.repository import Repository
from usecases.errors import UserError
from usecases.services import Analyzer, Services
from usecases.timeline import timeline_for
from views.i18n import load_catalogues
from views.timeline import render_timeline

CHAT = 1
OTHER_CHATS = range(2, 12)
OTHER_SHARE = 0.02  # of the articles, spread over the other chats

TOPICS = [
    "NATO", "Ukraine", "Russia", "China", "inflation", "elections", "climate", "Gaza", "Brexit", "Taiwan",
    "OPEC", "sanctions", "refugees", "vaccines", "tariffs", "drought", "earthquake", "pipeline", "satellites",
    "semiconductors", "strikes", "wildfires", "budget", "pensions", "housing", "railways", "fisheries",
    "uranium", "lithium", "whaling", "cyberattack", "referendum", "ceasefire", "embargo", "monsoon", "glaciers",
    "copper", "bauxite", "tourism", "shipping", "Arctic", "Baltic", "Danube", "Sahel", "Andes", "Balkans",
    "Caucasus", "Mekong", "Patagonia", "Siberia",
]  # fmt: skip
FIRST = [
    "Anna", "Boris", "Carla", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Irina", "Jonas", "Katya", "Luis",
    "Marta", "Nikos", "Olga", "Pavel", "Rosa", "Sven", "Tomas", "Ulla", "Viktor", "Wanda", "Yusuf", "Zora",
]  # fmt: skip
LAST = [
    "Abel", "Brandt", "Castro", "Dorn", "Eriksen", "Falk", "Gruber", "Hale", "Ivanova", "Jansen", "Kovac",
    "Lund", "Moreau", "Novak", "Ortiz", "Petrov", "Quinn", "Rossi", "Sato", "Tanaka", "Ueda", "Varga", "Weiss",
    "Xu", "Yilmaz", "Zeman", "Aalto", "Berg", "Cruz", "Dahl",
]  # fmt: skip
VERBS = ["signed", "rejected", "announced", "opened", "closed", "approved", "blocked", "proposed", "visited"]
THINGS = ["treaty", "plan", "talks", "deal", "reform", "border", "summit", "project", "inquiry", "tender"]


def _filler(rng: random.Random, n: int) -> Iterator[str]:
    # Pseudo-words with a long-tailed frequency, like the rest of a news vocabulary.
    for _ in range(n):
        yield f"w{int(rng.paretovariate(1.1)) % 5000}"


def _value(rng: random.Random) -> tuple[str, str]:
    day = date(1900, 1, 1) + timedelta(days=rng.randrange(125 * 365))
    kind = rng.random()
    if kind < 0.45:
        return f"{day.year}", "year"
    if kind < 0.75:
        return f"{day:%Y-%m}", "month"
    if kind < 0.95:
        return day.isoformat(), "day"
    return f"{day.year // 10:03d}X", "decade"


def generate(path: Path, articles: int, seed: int = 7) -> dict[str, Any]:
    """Fill the (migrated) database at `path`; returns what was made and how long it took."""
    rng = random.Random(seed)
    t0 = time.perf_counter()
    people = [f"{f} {ln}" for f in FIRST for ln in LAST]  # 720 people
    topic_weights = [1 / (k + 1) for k in range(len(TOPICS))]  # Zipf: NATO in ~1 of 4 articles, Siberia rare
    shared_events = []
    for _ in range(2000):
        value, granularity = _value(rng)
        text = f"{rng.choice(people)} {rng.choice(VERBS)} the {rng.choice(TOPICS)} {rng.choice(THINGS)}"
        shared_events.append((value, granularity, text))

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("BEGIN")
    chats = [CHAT, *OTHER_CHATS]
    conn.executemany("INSERT INTO chats (id, created_at) VALUES (?, '2025-01-01T00:00:00')", [(c,) for c in chats])
    person_ids: dict[tuple[int, str], int] = {}
    next_person = 1
    for chat in chats:
        for name in people:
            person_ids[(chat, name)] = next_person
            conn.execute("INSERT INTO people (id, chat_id, name) VALUES (?, ?, ?)", (next_person, chat, name))
            conn.executemany(
                "INSERT INTO person_keys (chat_id, key, person_id) VALUES (?, ?, ?)",
                [(chat, key, next_person) for key in search_keys(name)],
            )
            next_person += 1

    numbers = dict.fromkeys(chats, 0)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    counts = {"articles": 0, "events": 0, "quotes": 0}
    total = int(articles / (1 - OTHER_SHARE))
    for article_id in range(1, total + 1):
        chat = CHAT if rng.random() >= OTHER_SHARE else rng.choice(OTHER_CHATS)
        numbers[chat] += 1
        topics = rng.choices(TOPICS, topic_weights, k=rng.randint(1, 3))
        named = rng.sample(people, rng.randint(1, 3))
        words = [*_filler(rng, 90), *topics, *named[0].split(), *named[-1].split()]
        rng.shuffle(words)
        title = " ".join([topics[0], *_filler(rng, 5)])
        body = " ".join(words)
        moment = (start + timedelta(minutes=20 * article_id)).isoformat(timespec="seconds")
        conn.execute(
            "INSERT INTO articles (id, chat_id, number, content_hash, raw_text, title, source_kind, source_name, "
            "published_at, ingested_at, status, lang) "
            "VALUES (?, ?, ?, ?, ?, ?, 'channel', 'Desk', ?, ?, 'ready', 'en')",
            (article_id, chat, numbers[chat], f"h{article_id}", body, title, moment, moment),
        )
        conn.execute(
            "INSERT INTO articles_fts (rowid, title, body, chat_id) VALUES (?, ?, ?, ?)",
            (article_id, title, body, chat),
        )
        # The stem index `/timeline TOPIC` searches, with the stems the analysis would store.
        conn.execute(
            "INSERT INTO articles_stems (rowid, title, body, chat_id) VALUES (?, ?, ?, ?)",
            (article_id, stemmed_text(title), stemmed_text(body), chat),
        )
        rows = []
        for i in range(rng.choice((0, 2, 3, 4, 5, 6, 8))):
            if rng.random() < 0.2:
                value, granularity, text = rng.choice(shared_events)
            else:
                value, granularity = _value(rng)
                text = f"{rng.choice(named)} {rng.choice(VERBS)} the {rng.choice(topics)} {' '.join(_filler(rng, 6))}"
            speaker = named[0] if rng.random() < 0.25 else None
            rows.append((article_id, chat, value, granularity, sort_key(value), event_label(value), text, speaker, i))
        conn.executemany(
            "INSERT INTO events (article_id, chat_id, value, granularity, sort_key, label, text, speaker, "
            "sentence_idx) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        quotes = [(article_id, chat, person_ids[(chat, name)], name, name.split()[-1]) for name in named[:1]]
        conn.executemany(
            "INSERT INTO quotes (article_id, chat_id, person_id, speaker, speaker_kind, mention, text, direct, "
            "start, \"end\") VALUES (?, ?, ?, ?, 'person', ?, 'a statement', 1, 0, 10)",
            quotes,
        )
        counts["articles"] += chat == CHAT
        counts["events"] += len(rows)
        counts["quotes"] += len(quotes)
    for chat, n in numbers.items():
        conn.execute("UPDATE chats SET next_number = ? WHERE id = ?", (n + 1, chat))
    conn.execute("COMMIT")
    conn.close()
    return {**counts, "all_articles": total, "people": len(people), "seconds": round(time.perf_counter() - t0, 1)}


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {"n": len(ordered), "p50_ms": round(statistics.median(ordered) * 1000, 2), "p99_ms": round(p99 * 1000, 2)}


async def time_queries(db_path: Path | str, queries: dict[str, list[str]]) -> dict[str, dict[str, Any]]:
    db = await Database.open(db_path)
    services = Services(Repository(db), Analyzer(executor=ThreadPoolExecutor(1)))
    results: dict[str, dict[str, Any]] = {}
    try:
        # As a started bot is: its catalogues read, its heap settled (bot.compose.settle_heap), the page cache
        # warm from one query that is not timed.
        load_catalogues()
        render_timeline(await timeline_for(services, CHAT, TOPICS[-1]), "en")
        settle_heap()
        for kind, texts in queries.items():
            samples = []
            lines = []
            for text in texts:
                t0 = time.perf_counter()
                try:
                    view = await timeline_for(services, CHAT, text)
                    render_timeline(view, "en")
                    lines.append(len(view.entries))
                except UserError:
                    lines.append(0)
                samples.append(time.perf_counter() - t0)
            results[kind] = {**_percentiles(samples), "median_lines": statistics.median(lines)}
    finally:
        services.analyzer.shutdown()
        await db.close()
    return results


def measure(articles: int = 100_000, queries: int = 100, db_path: Path | None = None) -> dict[str, Any]:
    """Generate the archive and time /timeline over it: {"archive": ..., "<query kind>": {p50_ms, p99_ms}}."""
    with tempfile.TemporaryDirectory() as tmp:
        path = db_path or Path(tmp) / "bench.db"
        asyncio.run(migrate(path))
        made = generate(path, articles)
        timed = asyncio.run(time_queries(path, query_plan(made["articles"], queries)))
    return {"archive": made, **timed}


def query_plan(articles: int, queries: int) -> dict[str, list[str]]:
    """The /timeline arguments timed, `queries` of each kind (the same every run)."""
    rng = random.Random(11)
    people = [f"{f} {ln}" for f in FIRST for ln in LAST]
    return {
        "topic, frequent (NATO..climate)": [rng.choice(TOPICS[:7]) for _ in range(queries)],
        "topic, rare (tail of 50)": [rng.choice(TOPICS[25:]) for _ in range(queries)],
        "topic, two words": [" ".join(rng.sample(TOPICS[:12], 2)) for _ in range(queries)],
        "topic, no match": [f"zzz{i}" for i in range(queries)],
        "person, full name": [rng.choice(people) for _ in range(queries)],
        "person, surname": [rng.choice(LAST) for _ in range(queries)],
        "article number": [str(rng.randint(1, articles)) for _ in range(queries)],
    }


async def migrate(path: Path) -> None:
    db = await Database.open(path)
    await db.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="/timeline latency over a generated archive")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=100, help="queries of each kind")
    parser.add_argument("--db", type=Path, help="keep the generated database here (default: a temporary file)")
    parser.add_argument("--data", type=Path, help="ignored: the archive is generated (for bench_all)")
    args = parser.parse_args(argv)
    figures = measure(args.articles, args.queries, args.db)
    made = figures.pop("archive")
    print(
        f"archive: {made['articles']:,} articles in the timed chat ({made['all_articles']:,} in all), "
        f"{made['events']:,} events, {made['quotes']:,} quotes, {made['people']} people a chat; "
        f"generated and inserted in {made['seconds']} s (one transaction, plain SQL)"
    )
    print(f"{'query':36} {'n':>4} {'p50 ms':>9} {'p99 ms':>9} {'lines':>7}")
    for kind, row in figures.items():
        print(f"{kind:36} {row['n']:>4} {row['p50_ms']:>9.2f} {row['p99_ms']:>9.2f} {row['median_lines']:>7.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
