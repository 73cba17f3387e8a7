"""A user's check of `/quotes`: real articles in, statements picked at random out, for a reader to judge.

    python -m bench.audit_quotes --data DIR [--seed 1] [--exclude-sample SEED ...] [--lines 62] [--context]

30 BBC politics articles (DIR/bbc-news-summary-politics/articles/NNN.txt) and 20 Russian channel posts
(DIR/telegram-news-ru/data/raw/*_messages.json, posts of at least 200 characters) are chosen with the fixed
seed, leaving out everything the quote and people rules were tuned on: the quote gold (BBC 301-340, the 60
gold posts) and the `/people` evaluation's sets (BBC 1-30, its 60 posts of seed 11). `--exclude-sample SEED`
also leaves out the articles the audit of that seed judged (drawn as that audit drew them), so a sample drawn
after tuning on an audit is new material: `--seed 4 --exclude-sample 1 --exclude-sample 2 --exclude-sample 3`.

The articles go through the product's own use cases (`usecases.ingest.ingest` on a temporary SQLite file,
the analysis in the real analyser), one chat for all of them; every statement of every article is then read
back as `/quotes NUMBER` reads it (`usecases.quotes.article_quotes`), with the speaker as `/people` groups it.
The script prints how many statements there are, how many have no speaker, and `--lines` of them picked at
random with the seed: number, article, speaker (as stored, and as `/people` shows it when different), the
words that named the speaker, and the statement. Whether a line is right is for a reader to judge against
the article (`--context` prints each sampled article after the lines); the guidelines are in
bench/gold/audit_2026-12.md.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import random
import re
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.eval_people import russian_texts
from bench.eval_russian import load_posts
from bench.gold_quotes import BBC_ARTICLES, RU_MIN_CHARS, select_ru_posts
from storage.base import Source
from storage.db import Database
from storage.quotes import StoredQuote
from storage.repository import Repository
from usecases.ingest import IncomingArticle, ingest
from usecases.quotes import article_quotes, people_page
from usecases.services import Analyzer, Services

CHAT = 1
BBC_COUNT = 30
RU_COUNT = 20
LINES = 62
# The BBC set carries no date; it is from 2004-2005 (see bench/gold/DATES_GUIDELINES.md).
BBC_PUBLISHED = datetime(2005, 2, 15, 12, tzinfo=UTC)
# Sets the rules were tuned on besides the quote gold: eval_people's BBC articles and Russian sample.
PEOPLE_EVAL_BBC = tuple(f"{n:03d}" for n in range(1, 31))
PEOPLE_EVAL_RU_POSTS = 60
PEOPLE_EVAL_RU_SEED = 11


@dataclass(frozen=True, slots=True)
class Document:
    label: str  # "bbc/NNN" or "channel/message_id"
    text: str
    source: Source
    published_at: datetime


def _bbc(data_dir: Path) -> dict[str, str]:
    folder = data_dir / "bbc-news-summary-politics" / "articles"
    return {path.stem: path.read_text(encoding="latin-1") for path in sorted(folder.glob("*.txt"))}


def _posts(data_dir: Path) -> dict[str, dict[str, str]]:
    return {
        f"{post['channel']}/{post['message_id']}": post
        for post in load_posts(data_dir)
        if len(post["text"]) >= RU_MIN_CHARS
    }


def _draw(data_dir: Path, seed: int, excluded: set[str], *, by_text: bool = False) -> list[Document]:
    """The sample of one seed: BBC_COUNT articles and RU_COUNT posts outside `excluded`, in sample order. With
    `by_text`, also none whose text is (nearly) that of an excluded one: the BBC set holds some articles under
    two numbers."""
    rng = random.Random(seed)
    bbc = _bbc(data_dir)
    posts = _posts(data_dir)
    seen = _shingle_sets([_text_of(label, bbc, posts) for label in excluded]) if by_text else []
    bbc_pool = []
    for n in sorted(bbc):
        if f"bbc/{n}" not in excluded and not _seen_before(bbc[n], seen):
            bbc_pool.append(n)
            if by_text:  # one number of an article the set holds twice ("107" and "342")
                seen.append(_shingles(bbc[n]))
    ru_pool = sorted(
        (k for k in posts if k not in excluded and not _seen_before(posts[k]["text"], seen)),
        key=lambda k: (k.split("/")[0], int(k.split("/")[1])),
    )
    documents = [
        Document(f"bbc/{n}", bbc[n], Source("file", "bbc"), BBC_PUBLISHED) for n in rng.sample(bbc_pool, BBC_COUNT)
    ]
    for key in rng.sample(ru_pool, RU_COUNT):
        post = posts[key]
        documents.append(
            Document(key, post["text"], Source("channel", post["channel"]), datetime.fromisoformat(post["date"]))
        )
    return documents


SAME_TEXT = 0.8  # shared share of word 5-grams above which two texts are one article


def _shingles(text: str) -> frozenset[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return frozenset(tuple(words[i : i + 5]) for i in range(max(1, len(words) - 4)))


def _shingle_sets(texts: list[str]) -> list[frozenset[tuple[str, ...]]]:
    return [_shingles(t) for t in texts if t]


def _text_of(label: str, bbc: dict[str, str], posts: dict[str, dict[str, str]]) -> str:
    if label.startswith("bbc/"):
        return bbc.get(label.removeprefix("bbc/"), "")
    return (posts.get(label) or {}).get("text") or ""


def _seen_before(text: str, seen: list[frozenset[tuple[str, ...]]]) -> bool:
    """Whether the text is (nearly) one of those already seen: most of its word 5-grams are in one of them."""
    if not seen:
        return False
    mine = _shingles(text)
    return any(len(mine & other) >= SAME_TEXT * min(len(mine), len(other)) for other in seen)


def tuned_on(data_dir: Path) -> set[str]:
    """Labels of every article the quote and people rules were developed on."""
    excluded = {f"bbc/{n}" for n in (*BBC_ARTICLES, *PEOPLE_EVAL_BBC)}
    excluded |= set(select_ru_posts(data_dir))
    people_texts = set(russian_texts(data_dir, PEOPLE_EVAL_RU_POSTS, PEOPLE_EVAL_RU_SEED))
    excluded |= {key for key, post in _posts(data_dir).items() if post["text"] in people_texts}
    return excluded


def sample(data_dir: Path, seed: int, earlier_seeds: tuple[int, ...] = ()) -> list[Document]:
    """The sample of `seed`, new material after the audits of `earlier_seeds`: their judged samples are left
    out, each as its audit drew it (`judged_sample`)."""
    excluded = tuned_on(data_dir)
    for earlier in earlier_seeds:
        excluded |= {d.label for d in judged_sample(data_dir, earlier)}
    # Samples after the fourth also leave out the same text under another number; the judged ones were drawn
    # without it and are reproduced so.
    return _draw(data_dir, seed, excluded, by_text=seed not in JUDGED_SEEDS)


JUDGED_SEEDS = frozenset({1, 2, 3, 4})  # samples judged in bench/gold/audit_2026-12*.md, drawn by number only


def judged_sample(data_dir: Path, seed: int) -> list[Document]:
    """The sample the audit of `seed` judged, drawn as that audit drew it: with the judged samples of the seeds
    before it left out. Seed 3's was drawn while `--exclude-sample` redrew each earlier seed with only the
    tuned-on sets left out, so it holds two articles of seed 2's sample; it is drawn that way here."""
    tuned = tuned_on(data_dir)
    if seed == 3:
        alone = {d.label for earlier in (1, 2) for d in _draw(data_dir, earlier, tuned)}
        return _draw(data_dir, 3, tuned | alone)
    return sample(data_dir, seed, tuple(range(1, seed)))


@dataclass(frozen=True, slots=True)
class Line:
    document: Document
    quote: StoredQuote
    shown_as: str | None  # the speaker as /people groups it


@dataclass(frozen=True, slots=True)
class Audit:
    statements: int
    no_speaker: int
    lines: list[Line]
    unattributed: list[Line]  # every statement with no speaker, in article order
    people: list[tuple[str, str, int]]  # /people: name, kind, quotes


async def run_audit(documents: list[Document], lines: int, seed: int) -> Audit:
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "audit.db")
        services = Services(Repository(db), Analyzer(executor=ThreadPoolExecutor(1)))
        try:
            await services.repo.ensure_chat(CHAT)
            numbered: list[tuple[Document, int]] = []
            for doc in documents:
                outcome = await ingest(services, CHAT, IncomingArticle(doc.text, doc.source, doc.published_at))
                numbered.append((doc, outcome.article.number))
            everything: list[tuple[Document, StoredQuote]] = []
            for doc, number in numbered:
                found = await article_quotes(services, CHAT, number)
                everything += [(doc, q) for q in found.quotes]
            people = await people_page(services, CHAT, page_size=10_000)
            group_of = {i: s.name for s in people.speakers for i in s.person_ids}
            picked = random.Random(seed).sample(everything, min(lines, len(everything)))
            return Audit(
                statements=len(everything),
                no_speaker=sum(q.speaker is None for _, q in everything),
                lines=[Line(d, q, group_of.get(q.person_id or -1)) for d, q in picked],
                unattributed=[Line(d, q, None) for d, q in everything if q.speaker is None],
                people=[(s.name, s.kind, s.quotes) for s in people.speakers],
            )
        finally:
            await db.close()
            services.analyzer.shutdown()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _describe(line: Line) -> str:
    q = line.quote
    speaker = q.speaker or "—"
    if line.shown_as and line.shown_as != q.speaker:
        speaker += f" (/people: {line.shown_as})"
    mention = f" [named as: {_one_line(q.mention)}]" if q.mention and q.mention != q.speaker else ""
    mark = "direct" if q.direct else "reported"
    # The fingerprint lets a verdicts file name a line without copying its words.
    fingerprint = hashlib.sha1(_one_line(q.text).encode()).hexdigest()[:8]
    return f"{line.document.label} | {fingerprint} | {speaker}{mention} | {mark} | {_one_line(q.text)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--exclude-sample", type=int, action="append", default=[], metavar="SEED")
    parser.add_argument("--lines", type=int, default=LINES)
    parser.add_argument("--context", action="store_true", help="print the sampled articles after the lines")
    parser.add_argument("--people", action="store_true", help="print the /people list")
    parser.add_argument("--no-speaker", action="store_true", help="print every statement that has no speaker")
    args = parser.parse_args(argv)
    if not (args.data / "bbc-news-summary-politics").is_dir():
        print(f"no data in {args.data}", file=sys.stderr)
        return 1
    documents = sample(args.data, args.seed, tuple(args.exclude_sample))
    audit = asyncio.run(run_audit(documents, args.lines, args.seed))
    print(f"seed {args.seed}; articles: " + " ".join(d.label for d in documents))
    print(f"statements: {audit.statements}; with no speaker: {audit.no_speaker}")
    for i, line in enumerate(audit.lines, 1):
        print(f"{i:3}. {_describe(line)}")
    if args.no_speaker:
        print("\nstatements with no speaker:")
        for i, line in enumerate(audit.unattributed, 1):
            print(f"{i:3}. {_describe(line)}")
    if args.people:
        print("\n/people:")
        for name, kind, count in audit.people:
            print(f"  {count:>4}  {name}{'  (organisation)' if kind == 'organization' else ''}")
    if args.context:
        shown: set[str] = set()
        for line in audit.lines:
            if line.document.label not in shown:
                shown.add(line.document.label)
                print(f"\n===== {line.document.label}\n{line.document.text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
