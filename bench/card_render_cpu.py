"""CPU of a card on the event loop: its HTML made from what the analysis found (`render_summary`) and split
into Telegram messages (`split_message`, which also checks the HTML), as the bot does for every article that
arrives. Real articles are stored and analysed first (as a burst's are); only the rendering is timed.

    python -m bench.card_render_cpu --data ../shared/data [--articles 100] [--repeat 20]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from bench.bench_bot import load_articles
from storage.db import Database
from storage.repository import Repository, Source
from usecases.ingest import IncomingArticle, ingest
from usecases.services import Analyzer, Services
from usecases.summary import SummaryView
from views.render import split_message
from views.summary import render_summary


async def cards_of(texts: list[str]) -> list[SummaryView]:
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "cards.db")
        analyzer = Analyzer(workers=1)
        try:
            services = Services(Repository(db), analyzer)
            outcomes = [await ingest(services, 1, IncomingArticle(text, Source("pasted"))) for text in texts]
        finally:
            analyzer.shutdown()
            await db.close()
    return [outcome.card for outcome in outcomes if outcome.card is not None]


def render_cpu(cards: list[SummaryView], repeat: int) -> list[float]:
    """CPU microseconds per card, one figure per round over every card."""
    rounds = []
    for _ in range(repeat):
        started = time.thread_time()
        for card in cards:
            split_message(render_summary(card, "en"))
        rounds.append((time.thread_time() - started) / len(cards) * 1e6)
    return rounds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    cards = asyncio.run(cards_of(load_articles(args.data, args.articles)))
    rounds = render_cpu(cards, args.repeat)
    print(f"card rendering ({len(cards)} BBC articles' cards, {args.repeat} rounds)")
    print(f"  render_summary + split_message   {statistics.median(rounds):.0f} µs CPU per card (median round)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
