"""What a digest is about: `/subscribe daily 08:00 about NATO, Ukraine`, `… from Putin`, `… not about sport`.

A filter is the words the user typed, kept as they were typed (so /subscriptions shows them) and matched the
way /timeline TOPIC and /quotes NAME match: a topic by the stems of all its words (any case form), a person by
any of their names through the people the chat's articles quote. Never a pattern the user wrote.

- `about A, B`: articles that mention A or B (each topic: all of its words);
- `from X, Y`: articles with a statement by X or Y;
- both: articles about A or B with a statement by X or Y;
- `not about C, D`: whatever matched, less the articles that mention C or D.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from analysis.people import name_key
from analysis.search import query_stems
from usecases.errors import DigestProblem
from usecases.services import Services

MAX_TOPICS = 10
MAX_TOPIC_CHARS = 100

# Clause words, English and Russian, in the order they are tried (the two-word one first).
_CLAUSES = (
    ("not", re.compile(r"(?i)^(?:not\s+about|not|except|без|кроме|не\s+про)$")),
    ("about", re.compile(r"(?i)^(?:about|on|про|о|об)$")),
    ("from", re.compile(r"(?i)^(?:from|by|от)$")),
)
_CLAUSE_START = re.compile(r"(?i)^(?:not|except|about|from|by|без|кроме|не|про|о|об|от)$")


@dataclass(frozen=True, slots=True)
class DigestFilter:
    about: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def to_json(self) -> str:
        return json.dumps(
            {"about": list(self.about), "from": list(self.people), "not": list(self.exclude)}, ensure_ascii=False
        )

    @classmethod
    def from_json(cls, text: str) -> DigestFilter:
        data = json.loads(text)
        return cls(tuple(data.get("about", ())), tuple(data.get("from", ())), tuple(data.get("not", ())))


def split_schedule_and_filter(words: Sequence[str]) -> tuple[list[str], list[str]]:
    """`daily 08:00 Europe/Riga about NATO` → (['daily', '08:00', 'Europe/Riga'], ['about', 'NATO'])."""
    for i, word in enumerate(words):
        if _CLAUSE_START.match(word):
            return list(words[:i]), list(words[i:])
    return list(words), []


def parse_filter(words: Sequence[str]) -> DigestFilter | None:
    """The filter of the words after the schedule; None when there are none. DigestProblem when a clause is
    empty or too long."""
    if not words:
        return None
    clauses: dict[str, list[str]] = {"about": [], "from": [], "not": []}
    current: str | None = None
    buffer: list[str] = []
    i = 0

    def close() -> None:
        if current is None:
            return
        topics = [" ".join(t.split()) for t in " ".join(buffer).split(",")]
        topics = [t for t in topics if t]
        if not topics:
            raise DigestProblem("filter_empty", clause=current)
        clauses[current].extend(topics)

    while i < len(words):
        pair = " ".join(words[i : i + 2])
        kind = None
        for name, pattern in _CLAUSES:
            if pattern.match(pair) and i + 1 < len(words):
                kind, step = name, 2
                break
        else:
            for name, pattern in _CLAUSES:
                if pattern.match(words[i]):
                    kind, step = name, 1
                    break
        if kind is not None:
            close()
            current, buffer = kind, []
            i += step
            continue
        if current is None:
            raise DigestProblem("filter_usage")
        buffer.append(words[i])
        i += 1
    close()
    topics = [*clauses["about"], *clauses["from"], *clauses["not"]]
    if len(topics) > MAX_TOPICS:
        raise DigestProblem("filter_too_many", limit=MAX_TOPICS)
    for topic in topics:
        if len(topic) > MAX_TOPIC_CHARS or not query_stems(topic):
            raise DigestProblem("filter_bad_topic", topic=topic[:MAX_TOPIC_CHARS])
    return DigestFilter(tuple(clauses["about"]), tuple(clauses["from"]), tuple(clauses["not"]))


async def matching_articles(
    services: Services, chat_id: int, article_ids: Sequence[int], digest_filter: DigestFilter
) -> set[int]:
    """Which of the chat's articles the filter keeps."""
    repo = services.repo
    kept = set(article_ids)
    if digest_filter.about:
        about: set[int] = set()
        for topic in digest_filter.about:
            about |= await repo.articles_matching(chat_id, list(kept), query_stems(topic))
        kept &= about
    if digest_filter.people and kept:
        person_ids: list[int] = []
        for name in digest_filter.people:
            key = name_key(name)
            person_ids += [p.id for p in await repo.timeline_people(chat_id, key)] if key else []
        kept &= await repo.articles_quoting(chat_id, sorted(kept), person_ids)
    for topic in digest_filter.exclude:
        if not kept:
            break
        kept -= await repo.articles_matching(chat_id, sorted(kept), query_stems(topic))
    return kept
