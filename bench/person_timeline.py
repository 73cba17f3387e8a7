"""A person's time line on real articles: how many of its events are about that person.

    python -m bench.person_timeline --data DIR [--first 341] [--count 30] [--people 4]

Ingests BBC politics articles `first` .. `first + count - 1` (`bbc-news-summary-politics/articles/NNN.txt`)
into a temporary SQLite database through the real ingest use case, takes the people named in the most
articles among the most quoted, and prints for each `/timeline NAME` as the bot answers it, every event on its
own numbered line, beside how many events the articles that mention the person hold in all (what the time
line showed before it kept only the person's events). Whether an event is about the person is for a reader to
judge: the lines are printed so that they can be counted by eye.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from storage.base import Source
from storage.db import Database
from storage.repository import Repository
from usecases.ingest import IncomingArticle, ingest
from usecases.quotes import people_page
from usecases.services import Analyzer, Services
from usecases.timeline import timeline_for

CHAT = 1
# The articles carry no date; the set is from 2004-2005 (see bench/gold/DATES_GUIDELINES.md).
PUBLISHED = datetime(2005, 2, 15, 12, tzinfo=UTC)
_TITLED = "Mr {}"


async def run(folder: Path, first: int, count: int, n_people: int) -> int:
    texts = []
    for number in range(first, first + count):
        path = folder / f"{number:03d}.txt"
        if path.is_file():
            texts.append(path.read_text(encoding="latin-1"))
    if not texts:
        print(f"no articles {first}..{first + count - 1} in {folder}")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "bench.db")
        services = Services(Repository(db), Analyzer(executor=ThreadPoolExecutor(1)))
        try:
            await services.repo.ensure_chat(CHAT)
            for text in texts:
                await ingest(services, CHAT, IncomingArticle(text, Source("file", "bbc"), published_at=PUBLISHED))
            speakers = (await people_page(services, CHAT, page_size=30)).speakers
            # People, not parties the engine took for people: somewhere the article calls them "Mr Surname".
            people = [
                s.name
                for s in speakers
                if s.kind == "person" and " " in s.name and any(_TITLED.format(s.name.split()[-1]) in t for t in texts)
            ]
            mentioned = sorted(people, key=lambda name: -sum(name.split()[-1] in t for t in texts))[:n_people]
            print(f"{len(texts)} articles ({first}-{first + count - 1}); people named in the most of them:")
            for name in mentioned:
                view = await timeline_for(services, CHAT, name)
                ids = await services.repo.person_article_ids(CHAT, name.split()[-1:], [], 10_000)
                everything = await services.repo.events_of_articles(CHAT, ids)
                articles = sum(name.split()[-1] in t for t in texts)
                print(
                    f"\n/timeline {name}: {len(view.entries)} events "
                    f"(the {len(ids)} articles that name them hold {len(everything)}; named in {articles} texts)"
                )
                for i, entry in enumerate(view.entries, 1):
                    e = entry.event
                    who = f"{e.speaker}: " if e.speaker else ""
                    numbers = ",".join(f"#{n}" for n in entry.article_numbers)
                    print(f"  {i:2}. {e.label} — {who}{e.text} [{'; '.join(e.actors)}] {numbers}")
        finally:
            await db.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--first", type=int, default=341)
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--people", type=int, default=4)
    args = parser.parse_args(argv)
    folder = args.data / "bbc-news-summary-politics" / "articles"
    if not folder.is_dir():
        print(f"no bbc-news-summary-politics/articles in {args.data}; pass --data DIR")
        return 2
    return asyncio.run(run(folder, args.first, args.count, args.people))


if __name__ == "__main__":
    sys.exit(main())
