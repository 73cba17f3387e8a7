"""Who said what: a person's statements (/quotes NAME), one article's (/quotes NUMBER), who is quoted (/people).

A name is looked up as people write it ("Putin", "President Putin", "Putin's") by its normalised key and its
surname key in `person_keys`; the people found are then grouped into speakers as a reader would: a surname-only
speaker ("Putin", from an article that never gave a first name) joins the one fuller name it fits ("Vladimir
Putin"), but a surname that fits two people (Bill and Hillary Clinton) stays apart, and organisations are never
merged with people. A query that fits a few speakers lists them all, each statement labelled; one that fits
many asks which; one that fits nobody offers "did you mean".
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from analysis.people import name_key, name_tokens, person_matches, spells, suggest
from storage.quotes import StoredPerson, StoredQuote
from storage.repository import ArticleRow
from usecases.errors import UserError
from usecases.services import Services
from usecases.summary import find_article

MAX_NAME_CHARS = 100
PAGE_SIZE = 6
MAX_LISTED = 4  # speakers one answer lists together; more and the answer asks which
MAX_ASKED = 8  # speakers offered as buttons when asking which
PEOPLE_PAGE = 20
PEOPLE_SCANNED = 300  # /people groups the chat's most quoted people among this many
SUGGESTIONS = 3

_ARTICLE_NUMBER = re.compile(r"#?(\d{1,9})")


@dataclass(frozen=True, slots=True)
class Speaker:
    """One speaker as a reader sees them: the people rows that name them in different articles."""

    name: str
    kind: str
    person_ids: tuple[int, ...]
    quotes: int


@dataclass(frozen=True, slots=True)
class QuotesPage:
    key: str  # the normalised query, which the page buttons carry
    speakers: tuple[Speaker, ...]
    total: int
    page: int
    pages: int
    quotes: tuple[StoredQuote, ...]
    by_ids: bool = False  # the page was asked for by person ids (the name did not fit a button)

    @property
    def labelled(self) -> bool:
        """Whether each statement must say whose it is (several speakers in one list)."""
        return len(self.speakers) > 1


@dataclass(frozen=True, slots=True)
class NoMatch:
    query: str
    suggestions: tuple[str, ...] = ()
    mentioned: tuple[str, ...] = ()  # people the articles name but never quote


@dataclass(frozen=True, slots=True)
class Ambiguous:
    query: str
    speakers: tuple[Speaker, ...]  # the most quoted first, at most MAX_ASKED
    count: int  # how many speakers the name fits in all


QuotesAnswer = QuotesPage | NoMatch | Ambiguous


@dataclass(frozen=True, slots=True)
class ArticleQuotes:
    article: ArticleRow
    quotes: tuple[StoredQuote, ...]


@dataclass(frozen=True, slots=True)
class PeoplePage:
    speakers: tuple[Speaker, ...]
    total: int  # speakers among the most quoted PEOPLE_SCANNED people
    page: int
    pages: int
    capped: bool  # the chat has more quoted people than were scanned


@dataclass
class _Group:
    rep: StoredPerson
    tokens: list[str]
    members: list[StoredPerson] = field(default_factory=list)

    def speaker(self) -> Speaker:
        return Speaker(
            self.rep.name, self.rep.kind, tuple(sorted(m.id for m in self.members)), sum(m.quotes for m in self.members)
        )


# -- names ---------------------------------------------------------------------------------------------------


def check_name(raw: str) -> tuple[str, str]:
    """(the name as typed, tidied; its lookup key), or a UserError the user can act on."""
    name = " ".join(raw.split())
    if not name:
        raise UserError("quotes_usage")
    if len(name) > MAX_NAME_CHARS:
        raise UserError("quotes_name_too_long", max=MAX_NAME_CHARS, length=len(name))
    key = name_key(name)
    if not key:
        raise UserError("quotes_not_a_name", name=name)
    return name, key


def group_speakers(people: Sequence[StoredPerson]) -> list[Speaker]:
    """Group people rows into speakers, most quoted first.

    Fullest names first; a name of one or two words joins the one group it fits ("Putin" joins "Vladimir
    Putin", "George Bush" joins "George W. Bush") and stays alone when it fits none or several ("Clinton"
    beside Bill and Hillary Clinton). Longer names join only a group with the same words, so "George W. Bush"
    never joins "George H. W. Bush". Organisations group only with the same name.
    """
    groups: list[_Group] = []
    by_surname: dict[str, list[_Group]] = {}  # a name can only fit a group with its last word
    organisations: dict[str, _Group] = {}
    tokens_of = {p.id: name_tokens(p.name) for p in people}
    for person in sorted(people, key=lambda p: (-len(tokens_of[p.id]), -p.quotes, p.name, p.id)):
        tokens = tokens_of[person.id]
        if person.kind == "organization":
            key = " ".join(tokens) or person.name
            organisations.setdefault(key, _Group(person, tokens)).members.append(person)
            continue
        same_surname = by_surname.setdefault(tokens[-1] if tokens else "", [])
        if len(tokens) > 2:
            fits = [g for g in same_surname if g.tokens == tokens]
        else:
            fits = [g for g in same_surname if person_matches(person.name, g.rep.name)]
        if len(fits) == 1:
            fits[0].members.append(person)
        else:
            group = _Group(person, tokens, [person])
            groups.append(group)
            same_surname.append(group)
    _join_initials(organisations)
    speakers = [g.speaker() for g in [*groups, *organisations.values()]]
    speakers.sort(key=lambda s: (-s.quotes, s.name))
    return speakers


def _join_initials(organisations: dict[str, _Group]) -> None:
    """ "FSA" in one article and "Food Standards Agency" in another are one body: initials join the one body
    whose name they spell."""
    for key, group in list(organisations.items()):
        spelled = [g for k, g in organisations.items() if k != key and spells(group.rep.name, g.rep.name)]
        if len(spelled) == 1:
            spelled[0].members.extend(group.members)
            del organisations[key]


def _fits(name: str, key: str, person: StoredPerson, keys: Sequence[str]) -> bool:
    if person.kind == "organization":
        # An organisation answers only to its own name: "Times" is no name for The New York Times.
        return key == name_key(person.name) or key in keys
    return person_matches(name, person.name, keys)


async def _candidates(services: Services, chat_id: int, key: str) -> list[StoredPerson]:
    """People indexed under the name's key or its surname; the full key is asked for on its own, so that a
    crowded surname cannot push the exact match out of the bounded list."""
    repo = services.repo
    found = {p.id: p for p in await repo.people_by_keys(chat_id, [key])}
    surname = key.split()[-1]
    if surname != key:
        for person in await repo.people_by_keys(chat_id, [surname]):
            found.setdefault(person.id, person)
    return list(found.values())


async def speakers_for(services: Services, chat_id: int, name: str, key: str) -> tuple[list[Speaker], list[str]]:
    """(the quoted speakers a name fits, most quoted first; people it fits who are named but never quoted)."""
    candidates = await _candidates(services, chat_id, key)
    keys = await services.repo.keys_of(chat_id, [p.id for p in candidates])
    silent = sorted(p.name for p in candidates if not p.quotes and _fits(name, key, p, keys[p.id]))
    quoted = {p.id: p for p in candidates if p.quotes}
    chosen = [
        s
        for s in group_speakers(list(quoted.values()))
        if any(_fits(name, key, quoted[i], keys[i]) for i in s.person_ids)
    ]
    return chosen, silent


async def _suggestions(services: Services, chat_id: int, key: str) -> tuple[str, ...]:
    """Quoted speakers whose names are close to a name that matched nothing, closest first."""
    # Candidates share a first letter with a word of the query (an index range each) and have a length that
    # `suggest` could accept (it allows about a third of the letters to differ).
    slack = max(1, len(key) // 3)
    lengths = (len(key) - slack, len(key) + slack)
    people = await services.repo.people_by_key_prefixes(chat_id, {w[0] for w in key.split()}, lengths)
    quoted = {p.name: p for p in people if p.quotes}
    close = suggest(key, list(quoted), limit=SUGGESTIONS * 3)
    rank = {quoted[n].id: i for i, n in enumerate(close)}
    # "Luc Moreau" and "Moreau" are one speaker: suggest them once.
    speakers = sorted(group_speakers([quoted[n] for n in close]), key=lambda s: min(rank[i] for i in s.person_ids))
    return tuple(s.name for s in speakers[:SUGGESTIONS])


async def find_quotes(
    services: Services, chat_id: int, name: str, *, page: int = 0, page_size: int = PAGE_SIZE
) -> QuotesAnswer:
    """Everything said in this chat's archive by the speakers `name` fits, one page of it."""
    name, key = check_name(name)
    speakers, silent = await speakers_for(services, chat_id, name, key)
    if silent and not speakers:
        return NoMatch(name, mentioned=tuple(silent[:SUGGESTIONS]))  # the name is right; they just said nothing
    if not speakers:
        return NoMatch(name, await _suggestions(services, chat_id, key))
    if len(speakers) > MAX_LISTED:
        return Ambiguous(name, tuple(speakers[:MAX_ASKED]), len(speakers))
    return await _page(services, chat_id, key, speakers, page, page_size)


async def quotes_by_ids(
    services: Services, chat_id: int, person_ids: Sequence[int], *, page: int = 0, page_size: int = PAGE_SIZE
) -> QuotesPage | None:
    """A page of the statements of these people; None when any of them is no longer in this chat."""
    people = await services.repo.people_by_ids(chat_id, person_ids)
    if not people or len(people) != len(set(person_ids)):
        return None
    quoted = [p for p in people if p.quotes]
    if not quoted:
        return None
    speakers = group_speakers(quoted)
    return await _page(services, chat_id, name_key(speakers[0].name), speakers, page, page_size, by_ids=True)


async def _page(
    services: Services,
    chat_id: int,
    key: str,
    speakers: Sequence[Speaker],
    page: int,
    page_size: int,
    *,
    by_ids: bool = False,
) -> QuotesPage:
    total = sum(s.quotes for s in speakers)
    pages = max(1, math.ceil(total / page_size))
    page = min(max(page, 0), pages - 1)  # a list that shrank since the button was drawn shows its last page
    ids = [i for s in speakers for i in s.person_ids]
    quotes = await services.repo.quotes_of_people(chat_id, ids, offset=page * page_size, limit=page_size)
    return QuotesPage(key, tuple(speakers), total, page, pages, tuple(quotes), by_ids)


async def article_quotes(services: Services, chat_id: int, number: int) -> ArticleQuotes:
    """Every statement found in one of the chat's articles, whoever the speaker."""
    article = await find_article(services, chat_id, number)
    if article.status == "pending":
        raise UserError("pending", number=article.number)
    return ArticleQuotes(article, tuple(await services.repo.article_quotes(chat_id, article.id)))


async def people_page(services: Services, chat_id: int, page: int = 0, page_size: int = PEOPLE_PAGE) -> PeoplePage:
    """Who is quoted in this chat, most quoted first."""
    people = await services.repo.quoted_people(chat_id, limit=PEOPLE_SCANNED + 1)
    capped = len(people) > PEOPLE_SCANNED
    speakers = group_speakers(people[:PEOPLE_SCANNED])
    pages = max(1, math.ceil(len(speakers) / page_size))
    page = min(max(page, 0), pages - 1)
    shown = speakers[page * page_size : (page + 1) * page_size]
    return PeoplePage(tuple(shown), len(speakers), page, pages, capped)


def parse_article_number(text: str) -> int | None:
    """`/quotes 12` and `/quotes #12` ask for one article's quotes."""
    match = _ARTICLE_NUMBER.fullmatch(text.strip())
    return int(match.group(1)) if match else None
