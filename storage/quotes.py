"""Quotes and the people who said them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.base import RepositoryBase, Source, parse_iso


@dataclass(frozen=True, slots=True)
class StoredQuote:
    article_id: int
    article_number: int
    article_title: str | None
    source: Source
    published_at: datetime
    speaker: str | None
    speaker_kind: str
    mention: str
    text: str
    direct: bool
    cue: str
    score: float


class QuoteQueries(RepositoryBase):
    async def strongest_quote(self, article_id: int) -> StoredQuote | None:
        quotes = await self._quotes(
            "q.article_id = ? AND q.speaker IS NOT NULL",
            (article_id,),
            order="q.score DESC, q.start",
            limit=1,
        )
        return quotes[0] if quotes else None

    async def _quotes(
        self, where: str, params: Sequence[Any], *, order: str, limit: int, offset: int = 0
    ) -> list[StoredQuote]:
        rows = await self._all(
            "SELECT q.article_id, a.number, a.title, a.source_kind, a.source_name, a.source_url, a.published_at, "
            "q.speaker, q.speaker_kind, q.mention, q.text, q.direct, q.cue, q.score "
            f"FROM quotes q JOIN articles a ON a.id = q.article_id WHERE {where} ORDER BY {order} "
            "LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [
            StoredQuote(
                article_id=r[0],
                article_number=r[1],
                article_title=r[2],
                source=Source(r[3], r[4], r[5]),
                published_at=parse_iso(r[6]),
                speaker=r[7],
                speaker_kind=r[8],
                mention=r[9],
                text=r[10],
                direct=bool(r[11]),
                cue=r[12],
                score=r[13],
            )
            for r in rows
        ]
