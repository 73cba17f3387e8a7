"""Who said what: /quotes NAME, /quotes NUMBER and /people, for Telegram and the CLI.

A name is looked up as people write it ("Putin", "President Putin", "Putin's") by its normalised key and its
surname key in `person_keys`; the people found are then grouped into speakers as a reader would: a surname-only
speaker ("Putin", from an article that never gave a first name) joins the one fuller name it fits ("Vladimir
Putin"), but a surname that fits two people (Bill and Hillary Clinton) stays apart, and organisations are never
merged with people. A query that fits a few speakers lists them all, each statement labelled; one that fits
many asks which; one that fits nobody offers "did you mean".

Pages are edited in place by inline buttons whose callback data carries the normalised name (or, when that is
too long, the people's ids) and the page, never any state kept in memory: a button still works after a restart,
and a button whose people are gone gets a clear answer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from analysis.people import name_key, name_tokens, person_matches, suggest
from handlers.common import Command, PrecisContext, chat_language, command, services_of
from handlers.i18n import UserError, t
from handlers.render import Html, bold, escape, italic, truncate
from handlers.services import Services
from handlers.summary import find_article, render_date, render_source
from storage.quotes import StoredPerson, StoredQuote
from storage.repository import ArticleRow

MAX_NAME_CHARS = 100
PAGE_SIZE = 6
MAX_LISTED = 4  # speakers one answer lists together; more and the answer asks which
MAX_ASKED = 8  # speakers offered as buttons when asking which
QUOTE_CHARS = 350
TITLE_CHARS = 90
PEOPLE_PAGE = 20
PEOPLE_SCANNED = 300  # /people groups the chat's most quoted people among this many
SUGGESTIONS = 3
CALLBACK_PREFIX = "qt"
PEOPLE_PREFIX = "ppl"
CALLBACK_LIMIT = 64  # bytes, Telegram's limit for callback data

_ARTICLE_NUMBER = re.compile(r"#?(\d{1,9})")
_ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


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
        raise UserError("quotes_not_a_name", name=escape(name))
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
    speakers = [g.speaker() for g in [*groups, *organisations.values()]]
    speakers.sort(key=lambda s: (-s.quotes, s.name))
    return speakers


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


# -- callback data -------------------------------------------------------------------------------------------


def _b36(n: int) -> str:
    digits = ""
    while True:
        n, r = divmod(n, 36)
        digits = _ID_ALPHABET[r] + digits
        if n == 0:
            return digits


def _fitting(*candidates: str) -> str | None:
    return next((data for data in candidates if len(data.encode("utf-8")) <= CALLBACK_LIMIT), None)


def _ids_data(person_ids: Sequence[int], number: int = 0) -> str:
    return f"{CALLBACK_PREFIX}:i:{number}:" + ".".join(_b36(i) for i in person_ids)


def page_data(page: QuotesPage, number: int) -> str | None:
    """Callback data for page `number` of this list: by name, else by ids; None when neither fits 64 bytes."""
    ids = _ids_data([i for s in page.speakers for i in s.person_ids], number)
    if page.by_ids:
        return _fitting(ids)
    return _fitting(f"{CALLBACK_PREFIX}:k:{number}:{page.key}", ids)


def name_data(name: str) -> str | None:
    """A button that asks for a name, as if it had been typed after /quotes."""
    return _fitting(f"{CALLBACK_PREFIX}:k:0:{name_key(name)}")


def speaker_data(speaker: Speaker) -> str | None:
    """A button for exactly this speaker (a name could fit others too), by ids, else by name."""
    return _fitting(_ids_data(speaker.person_ids), f"{CALLBACK_PREFIX}:k:0:{name_key(speaker.name)}")


@dataclass(frozen=True, slots=True)
class PageRequest:
    page: int
    key: str | None = None
    person_ids: tuple[int, ...] = ()


def parse_page_data(data: str) -> PageRequest | None:
    """What a page button asks for; None for data no button of ours carries."""
    parts = data.split(":", 3)
    if len(parts) != 4 or parts[0] != CALLBACK_PREFIX or not parts[2].isdigit() or len(parts[2]) > 6:
        return None
    page = int(parts[2])
    if parts[1] == "k":
        key = name_key(parts[3])
        return PageRequest(page, key=key) if key and len(parts[3]) <= MAX_NAME_CHARS else None
    if parts[1] == "i":
        try:
            ids = tuple(int(x, 36) for x in parts[3].split("."))
        except ValueError:
            return None
        return PageRequest(page, person_ids=ids) if 0 < len(ids) <= 32 else None
    return None


# -- rendering -----------------------------------------------------------------------------------------------
# Every piece below is already valid Telegram HTML (user text escaped once, by escape/bold/italic), and pieces
# are joined with f-strings and str.join into plain strings: never `Html + str`, which would escape twice.


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _count(lang: str, n: int) -> str:
    return t(lang, "quotes_count_one" if n == 1 else "quotes_count", count=f"{n:,}")


def speaker_label(speaker: Speaker, lang: str) -> Html:
    if speaker.kind == "organization":
        return Html(f"{escape(speaker.name)} {escape(t(lang, 'quotes_organisation_mark'))}")
    return escape(speaker.name)


def render_statement(quote: StoredQuote, lang: str, *, labelled: bool) -> str:
    """💬 “direct quote” or 🗣 reported speech, with who said it when the list mixes speakers, and the words
    that named the speaker when they are not a form of the name ("he", "the President of France")."""
    text = _short(quote.text, QUOTE_CHARS)
    marked = t(lang, "quote_open") + text + t(lang, "quote_close")
    line = f"💬 {italic(marked)}" if quote.direct else f"🗣 {escape(text)}"
    who: list[str] = []
    if labelled or quote.speaker is None:
        who.append(bold(quote.speaker or t(lang, "quotes_unnamed")))
    if quote.mention and not _names(quote.mention, quote.speaker):
        who.append(t(lang, "quotes_as", mention=escape(_short(quote.mention, 60))))
    return f"{line} — {' '.join(who)}" if who else line


def _names(mention: str, speaker: str | None) -> bool:
    """Whether the words that named the speaker hold their name ("Shipping executive Erik Berg"), as opposed to
    a pronoun or a role ("he", "the President of France"), which the reader should see."""
    surname = name_tokens(speaker)[-1:] if speaker else []
    return bool(surname) and surname[0] in name_tokens(mention)


def render_article_line(quote: StoredQuote, lang: str) -> str:
    title = _short(quote.article_title or t(lang, "quotes_untitled"), TITLE_CHARS)
    number = t(lang, "article_number", number=quote.article_number)
    when = render_date(quote.published_at, lang)
    return f"{bold(number)} {bold(title)}\n{render_source(quote.source, lang)} · {when}"


def _statements(quotes: Sequence[StoredQuote], lang: str, *, labelled: bool) -> list[str]:
    lines: list[str] = []
    article = None
    for quote in quotes:
        if quote.article_id != article:
            article = quote.article_id
            lines += ["", render_article_line(quote, lang)]
        lines.append(render_statement(quote, lang, labelled=labelled))
    return lines


def render_page(page: QuotesPage, lang: str) -> Html:
    count = _count(lang, page.total)
    if page.labelled:
        names = ", ".join(f"{bold(speaker_label(s, lang))} ({s.quotes:,})" for s in page.speakers)
        lines = [
            t(lang, "quotes_header_many", people=len(page.speakers), names=names, count=count),
            t(lang, "quotes_hint_many", example=escape(page.speakers[0].name)),
        ]
    else:
        lines = [t(lang, "quotes_header", name=bold(speaker_label(page.speakers[0], lang)), count=count)]
    if page.pages > 1:
        lines[0] += " · " + t(lang, "quotes_page", page=page.page + 1, pages=page.pages)
    lines.append(italic(t(lang, "quotes_legend")))
    lines += _statements(page.quotes, lang, labelled=page.labelled)
    if page.pages > 1 and page_data(page, page.page) is None:
        lines += ["", italic(t(lang, "quotes_no_paging"))]
    # A page is edited in place, so it must stay one message: the limits above keep it well under 4096
    # characters; this is the net.
    return truncate("\n".join(lines))


def page_keyboard(page: QuotesPage, lang: str) -> InlineKeyboardMarkup | None:
    buttons = []
    if page.page > 0 and (data := page_data(page, page.page - 1)):
        buttons.append(InlineKeyboardButton(t(lang, "quotes_previous"), callback_data=data))
    if page.page + 1 < page.pages and (data := page_data(page, page.page + 1)):
        buttons.append(InlineKeyboardButton(t(lang, "quotes_next"), callback_data=data))
    return InlineKeyboardMarkup([buttons]) if buttons else None


def _buttons(choices: Sequence[tuple[str, str | None]]) -> InlineKeyboardMarkup | None:
    rows = [[InlineKeyboardButton(_short(label, 60), callback_data=data)] for label, data in choices if data]
    return InlineKeyboardMarkup(rows) if rows else None


def render_no_match(answer: NoMatch, lang: str) -> tuple[str, InlineKeyboardMarkup | None]:
    name = escape(answer.query)
    if answer.mentioned:
        names = ", ".join(bold(n) for n in answer.mentioned)
        return t(lang, "quotes_never_quoted", name=name, names=names), None
    if answer.suggestions:
        names = ", ".join(bold(n) for n in answer.suggestions)
        buttons = _buttons([(n, name_data(n)) for n in answer.suggestions])
        return t(lang, "quotes_did_you_mean", name=name, names=names), buttons
    return t(lang, "quotes_no_match", name=name), None


def render_ambiguous(answer: Ambiguous, lang: str) -> tuple[str, InlineKeyboardMarkup | None]:
    lines = [t(lang, "quotes_which", name=escape(answer.query), people=answer.count)]
    lines += [f"• {bold(speaker_label(s, lang))} — {_count(lang, s.quotes)}" for s in answer.speakers]
    if answer.count > len(answer.speakers):
        lines.append(t(lang, "quotes_which_more", more=answer.count - len(answer.speakers)))
    return "\n".join(lines), _buttons([(s.name, speaker_data(s)) for s in answer.speakers])


def render_answer(answer: QuotesAnswer, lang: str) -> tuple[str, InlineKeyboardMarkup | None]:
    if isinstance(answer, QuotesPage):
        return render_page(answer, lang), page_keyboard(answer, lang)
    if isinstance(answer, Ambiguous):
        return render_ambiguous(answer, lang)
    return render_no_match(answer, lang)


def render_article_quotes(found: ArticleQuotes, lang: str) -> str:
    article = found.article
    title = _short(article.title or t(lang, "quotes_untitled"), TITLE_CHARS)
    lines = [
        f"{bold(t(lang, 'article_number', number=article.number))} {bold(title)}",
        f"{render_source(article.source, lang)} · {render_date(article.published_at, lang)}",
        "",
    ]
    if not found.quotes:
        lines.append(t(lang, "quotes_article_none", number=article.number))
        return "\n".join(lines)
    lines.append(t(lang, "quotes_article_header", count=_count(lang, len(found.quotes))))
    lines.append(italic(t(lang, "quotes_legend")))
    lines += [render_statement(q, lang, labelled=True) for q in found.quotes]
    return "\n".join(lines)


def render_people(found: PeoplePage, lang: str) -> str:
    if not found.speakers:
        return t(lang, "people_none")
    lines = [t(lang, "people_header", count=found.total)]
    if found.pages > 1:
        lines[0] += " · " + t(lang, "quotes_page", page=found.page + 1, pages=found.pages)
    first = found.page * PEOPLE_PAGE
    for i, speaker in enumerate(found.speakers, start=first + 1):
        lines.append(f"{i}. {bold(speaker_label(speaker, lang))} — {_count(lang, speaker.quotes)}")
    if found.capped:
        lines += ["", italic(t(lang, "people_capped", count=PEOPLE_SCANNED))]
    lines += ["", t(lang, "people_hint")]
    return "\n".join(lines)


def people_keyboard(found: PeoplePage, lang: str) -> InlineKeyboardMarkup | None:
    buttons = []
    if found.page > 0:
        buttons.append(
            InlineKeyboardButton(t(lang, "people_previous"), callback_data=f"{PEOPLE_PREFIX}:{found.page - 1}")
        )
    if found.page + 1 < found.pages:
        buttons.append(InlineKeyboardButton(t(lang, "people_next"), callback_data=f"{PEOPLE_PREFIX}:{found.page + 1}"))
    return InlineKeyboardMarkup([buttons]) if buttons else None


async def render_usage(services: Services, chat_id: int, lang: str) -> str:
    """/quotes without a name: how to use it, and whom to ask about."""
    top = (await people_page(services, chat_id, page_size=5)).speakers
    lines = [t(lang, "quotes_usage")]
    if top:
        lines.append(t(lang, "quotes_top", names=", ".join(f"{escape(s.name)} ({s.quotes:,})" for s in top)))
    else:
        lines.append(t(lang, "people_none"))
    return "\n".join(lines)


# -- Telegram ------------------------------------------------------------------------------------------------


@command
async def on_quotes(cmd: Command) -> None:
    markup: InlineKeyboardMarkup | None = None
    if not cmd.argument:
        text = await render_usage(cmd.services, cmd.chat_id, cmd.lang)
    elif (number := parse_article_number(cmd.argument)) is not None:
        text = render_article_quotes(await article_quotes(cmd.services, cmd.chat_id, number), cmd.lang)
    else:
        text, markup = render_answer(await find_quotes(cmd.services, cmd.chat_id, cmd.argument), cmd.lang)
    await cmd.reply(text, reply_markup=markup)


async def on_quotes_button(update: Update, context: PrecisContext) -> None:
    query = update.callback_query
    if query is None or query.data is None or query.message is None:
        return
    services = services_of(context)
    lang = await chat_language(services, update)
    chat_id = query.message.chat.id
    request = parse_page_data(query.data)
    answer: QuotesAnswer | None = None
    if request is not None and request.key is not None:
        answer = await find_quotes(services, chat_id, request.key, page=request.page)
    elif request is not None:
        answer = await quotes_by_ids(services, chat_id, request.person_ids, page=request.page)
    if answer is None or isinstance(answer, NoMatch):
        # An old button (the articles were deleted) or data no button of ours carries.
        await query.answer(t(lang, "quotes_stale"), show_alert=True)
        return
    await query.answer()
    text, markup = render_answer(answer, lang)
    await _edit(query, text, markup)


@command
async def on_people(cmd: Command) -> None:
    found = await people_page(cmd.services, cmd.chat_id)
    await cmd.reply(render_people(found, cmd.lang), reply_markup=people_keyboard(found, cmd.lang))


async def on_people_button(update: Update, context: PrecisContext) -> None:
    query = update.callback_query
    if query is None or query.data is None or query.message is None:
        return
    services = services_of(context)
    lang = await chat_language(services, update)
    _, _, number = query.data.partition(":")
    if not number.isdigit() or len(number) > 6:
        await query.answer(t(lang, "quotes_stale"), show_alert=True)
        return
    await query.answer()
    found = await people_page(services, query.message.chat.id, int(number))
    await _edit(query, render_people(found, lang), people_keyboard(found, lang))


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        # Pressing a button twice asks for the page already shown; Telegram refuses such an edit.
        if "not modified" not in exc.message.lower():
            raise
