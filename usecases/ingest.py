"""Taking articles in: store the raw text first, analyse it in a worker, then answer with a card.

An article is recognised when it arrives again, three ways: the same text (a hash of the raw text, spacing
and case aside: known before anything is stored), the same link (see usecases.links: known before the page
is fetched), and the same cleaned text (a hash of the text without boilerplate, known once the analysis has
cleaned it). The last one catches the same article forwarded from two channels, each with its own signature,
photo credits and calls to subscribe around it; the copy is then folded into the article the chat already has
(`Repository.claim_clean_hash`). Every arrival's source is kept.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time

from analysis.clean import text_content
from analysis.dateline import dateline
from analysis.people import search_keys
from analysis.pipeline import analyze, guess_title
from analysis.types import Analysis
from storage.quotes import PersonEntry
from storage.repository import ArticleRow, Repository, Source, utcnow
from storage.sources import clean_hash
from usecases.errors import IngestRefused, Reason
from usecases.services import Services
from usecases.summary import SummaryView, card_view

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# Sources whose date is only when the text reached us: a date line at the top of the text is better.
UNDATED_SOURCES = frozenset({"pasted", "file", "cli"})


@dataclass(frozen=True, slots=True)
class IncomingArticle:
    text: str
    source: Source
    published_at: datetime | None = None  # when it was published; None: not known (relative dates stay open)
    message_id: int | None = None
    title: str | None = None  # as a page or file declares it
    author: str | None = None
    url_keys: tuple[str, ...] = ()  # the links it was fetched from (fetch.urls.canonical_url)
    extra_sources: tuple[Source, ...] = ()  # where else it came from (the channel that posted the link)
    message_ids: tuple[int, ...] = ()  # further messages that stand for it (the other parts of a series)
    part_ids: tuple[int, ...] = ()  # the stored parts it was joined from, consumed when it is stored
    silent: bool = False  # no card is owed (a channel's own post: nothing is posted to a channel unasked)


@dataclass(frozen=True, slots=True)
class Note:
    """A one-line remark shown above the card: message `key` of [text], with a reason as {reason}."""

    key: str
    reason: Reason | None = None
    values: Mapping[str, str] = field(default_factory=dict)  # plain text


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    article: ArticleRow
    created: bool  # False: the chat already had it (same text, link or cleaned text); the sources were added
    analysed: bool  # False: stored, but the analysis failed and will be retried
    notes: tuple[Note, ...] = ()
    # The card, from the analysis just stored; None when the article was not analysed here (the chat had it).
    card: SummaryView | None = None


@dataclass(frozen=True, slots=True)
class Analysed:
    article_id: int  # the article it now is: itself, or the earlier copy of the same cleaned text
    analysis: Analysis | None  # what was stored on it here; None: folded into the earlier copy, or done before


def published_datetime(value: date | datetime | None) -> datetime | None:
    """A date a page or file declares, as an aware datetime (a bare day is its midnight, UTC)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.combine(value, time(0, 0), tzinfo=UTC)


# A link with a scheme other than a web page's: "ftp://host/file", "file:///etc/hosts", "mailto:ed@example.org".
_OTHER_LINK = re.compile(r"(?i)([a-z][a-z0-9+.-]*)://\S+|(mailto|tel|sms|data|javascript|magnet|news):\S+")


def check_text(text: str | None, services: Services) -> str:
    content = "nothing" if text is None else text_content(text)
    if text is None or content == "nothing":  # spaces and invisible characters alone
        raise IngestRefused("empty")
    if content == "no_words":  # emoji, punctuation or digits alone
        raise IngestRefused("no_words")
    link = _OTHER_LINK.fullmatch(text.strip())
    scheme = (link.group(1) or link.group(2)).lower() if link else "http"
    if scheme not in ("http", "https"):
        # A post that is only an ftp://, file:// or mailto: link: say why it is not followed, store nothing.
        raise IngestRefused("link_unreadable", cause=Reason("fetch", "scheme", {"scheme": scheme}))
    if len(text) > services.limits.max_text_chars:
        raise IngestRefused("too_long", size=f"{len(text):,}", limit=f"{services.limits.max_text_chars:,}")
    return text


async def ingest(services: Services, chat_id: int, incoming: IncomingArticle) -> IngestOutcome:
    """Store the article (committed before any analysis), then analyse it. Idempotent for the same text."""
    text = check_text(incoming.text, services)
    published_at = incoming.published_at
    if incoming.source.kind in UNDATED_SOURCES:  # cheap: a few lines at the top of the text
        # A date line in the text says when it was published better than anything said about it from outside.
        published_at = dateline(text, utcnow()) or published_at
    article, created = await services.repo.add_article(
        chat_id,
        text,
        incoming.source,
        published_at=published_at,  # None: undated; relative dates in the text stay unresolved
        message_id=incoming.message_id,
        title=incoming.title or await guessed_title(services, text),
        title_guessed=incoming.title is None,
        author=incoming.author,
        url_keys=incoming.url_keys,
        extra_sources=incoming.extra_sources,
        message_ids=incoming.message_ids,
        consume_parts=incoming.part_ids,
        answer_owed=not incoming.silent,
    )
    if not created and article.status == "ready":
        return IngestOutcome(article, created=False, analysed=True)
    # A burst of articles queues here, already stored, rather than in the database and the send queue, so
    # commands from other chats are answered at once (backpressure; see bench_bot for the figures).
    async with services.ingest_slots:
        analysed = await analyse_stored(services, article.id, text, article.anchor, chat_id=chat_id)
    if analysed is None:
        return IngestOutcome(article, created, analysed=False)
    if analysed.analysis is None:  # folded into an earlier copy, or analysed meanwhile: answered from the archive
        stored = await services.repo.article_by_id(chat_id, analysed.article_id)
        return IngestOutcome(stored or article, created and analysed.article_id == article.id, analysed=True)
    ready = analysed_row(article, analysed.analysis)
    length = (await services.repo.chat_settings(chat_id)).summary_sentences
    return IngestOutcome(ready, created, analysed=True, card=card_view(ready, analysed.analysis, length))


async def guessed_title(services: Services, text: str) -> str | None:
    """The title an article is stored under before its analysis, guessed in an analysis worker: the first guess
    builds the lexicon's patterns (a third of a second) and each takes milliseconds, time the event loop owes
    to commands. None when the workers fail: the analysis gives the article its title then."""
    try:
        return await services.analyzer.run(guess_title, text)
    except Exception:
        log.warning("could not guess a title; the analysis will give one", exc_info=True)
        return None


def analysed_row(article: ArticleRow, analysis: Analysis) -> ArticleRow:
    """The stored article as `save_analysis` left it, without reading it back."""
    title = (analysis.stored_title() or article.title) if article.title_guessed or not article.title else article.title
    return replace(article, status="ready", error=None, title=title, lang=analysis.lang)


def people_index(analysis: Analysis) -> list[PersonEntry]:
    """The people an analysis names (and every quote's speaker), each with the keys a name query finds them by."""
    kinds = {p.name: p.kind for p in analysis.people}
    aliases = {p.name: p.aliases for p in analysis.people}
    for quote in analysis.quotes:
        if quote.speaker and quote.speaker not in kinds:
            kinds[quote.speaker] = quote.speaker_kind
    return [
        PersonEntry(name, kind, frozenset(search_keys(name, aliases.get(name, ()), kind, analysis.lang)))
        for name, kind in kinds.items()
    ]


@dataclass(frozen=True, slots=True)
class Prepared:
    """An article's analysis with what storing it needs: the people it names with their search keys, and the
    identity of its cleaned text. Made in an analysis worker: for a burst of articles, the keys alone held the
    event loop for milliseconds an article (and their first use builds the title lists: a tenth of a second)."""

    analysis: Analysis
    people: list[PersonEntry]
    identity: str | None


def prepare(raw_text: str, published_at: datetime | None, summary_method: str) -> Prepared:
    """Runs in an analysis worker (see Analyzer.run)."""
    analysis = analyze(raw_text, published_at, summary_method)
    return Prepared(analysis, people_index(analysis), clean_hash(analysis.text))


async def store_analysis(
    repo: Repository,
    article_id: int,
    analysis: Analysis,
    chat_id: int | None = None,
    people: list[PersonEntry] | None = None,
) -> None:
    """Store what the analysis of an article found, with the people it names indexed by their keys (`people`:
    indexed already, by `prepare`)."""
    await repo.save_analysis(
        article_id, analysis, people_index(analysis) if people is None else people, chat_id=chat_id
    )


async def analyse_stored(
    services: Services, article_id: int, raw_text: str, published_at: datetime | None, *, chat_id: int
) -> Analysed | None:
    """Analyse a stored article and store what was found; None when the analysis failed (it is retried at the
    next start). An article whose cleaned text the chat already has is folded into that earlier copy; one
    analysed meanwhile (the same arrival taken up twice at start-up) comes back without a new analysis, and one
    gone meanwhile (folded into its copy by another process that took it up too) comes back as that copy."""
    async with services.article_locks.hold(("analyse", article_id)):
        if await services.repo.analysis_status(article_id) == "ready":
            return Analysed(article_id, None)
        return await _analyse(services, article_id, raw_text, published_at, chat_id)


async def _analyse(
    services: Services, article_id: int, raw_text: str, published_at: datetime | None, chat_id: int
) -> Analysed | None:
    await services.repo.mark_attempt(article_id)
    try:
        prepared = await services.analyzer.run(prepare, raw_text, published_at, services.analyzer.summary_method)
    except Exception as exc:  # a crash in analysis must not lose the stored article
        log.exception("analysis of article %s failed", article_id)
        await services.repo.mark_failed(article_id, f"{type(exc).__name__}: {exc}")
        return None
    analysis, identity = prepared.analysis, prepared.identity
    if identity is not None:
        earlier = await services.repo.claim_clean_hash(article_id, identity, chat_id)
        if earlier is not None:
            return Analysed(earlier, None)
    await store_analysis(services.repo, article_id, analysis, chat_id, prepared.people)
    return Analysed(article_id, analysis)


async def resume_unfinished(
    services: Services, holding: Callable[[int], AbstractAsyncContextManager[bool]] | None = None
) -> int:
    """Analyse again every article whose analysis was interrupted or failed (bounded retries).

    With `holding` (processes sharing a database), only while holding the article's chat: a chat another
    process holds is its to finish, and it may be analysing that very article now."""
    done = 0
    for article in await services.repo.unfinished_articles(max_attempts=MAX_ATTEMPTS):
        async with holding(article.chat_id) if holding is not None else nullcontext(True) as held:
            if not held:
                continue
            analysed = await analyse_stored(
                services, article.id, article.raw_text, article.published_at, chat_id=article.chat_id
            )
            if analysed is not None:
                done += 1
    return done
