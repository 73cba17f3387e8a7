"""Who said what in Telegram: /quotes NAME, /quotes NUMBER, /people, and their page buttons.

Pages are edited in place by inline buttons whose callback data carries the normalised name (or, when that is
too long, the people's ids) and the page, never any state kept in memory: a button still works after a restart,
and a button whose people are gone gets a clear answer. What is found is usecases.quotes'; how it reads is
views.quotes'.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from analysis.people import name_key
from handlers.common import Button, Command, button, command
from usecases.errors import UserError
from usecases.quotes import (
    MAX_NAME_CHARS,
    Ambiguous,
    NoMatch,
    PeoplePage,
    QuotesAnswer,
    QuotesPage,
    Speaker,
    article_quotes,
    find_quotes,
    parse_article_number,
    people_page,
    quotes_by_ids,
)
from views.i18n import t
from views.quotes import render_answer, render_article_quotes, render_people, render_usage, shorten

CALLBACK_PREFIX = "qt"
PEOPLE_PREFIX = "ppl"
CALLBACK_LIMIT = 64  # bytes, Telegram's limit for callback data

_ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


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


# -- keyboards -----------------------------------------------------------------------------------------------


def page_keyboard(page: QuotesPage, lang: str) -> InlineKeyboardMarkup | None:
    buttons = []
    if page.page > 0 and (data := page_data(page, page.page - 1)):
        buttons.append(InlineKeyboardButton(t(lang, "quotes_previous"), callback_data=data))
    if page.page + 1 < page.pages and (data := page_data(page, page.page + 1)):
        buttons.append(InlineKeyboardButton(t(lang, "quotes_next"), callback_data=data))
    return InlineKeyboardMarkup([buttons]) if buttons else None


def _choices(choices: Sequence[tuple[str, str | None]]) -> InlineKeyboardMarkup | None:
    rows = [[InlineKeyboardButton(shorten(label, 60), callback_data=data)] for label, data in choices if data]
    return InlineKeyboardMarkup(rows) if rows else None


def people_keyboard(found: PeoplePage, lang: str) -> InlineKeyboardMarkup | None:
    buttons = []
    if found.page > 0:
        buttons.append(
            InlineKeyboardButton(t(lang, "people_previous"), callback_data=f"{PEOPLE_PREFIX}:{found.page - 1}")
        )
    if found.page + 1 < found.pages:
        buttons.append(InlineKeyboardButton(t(lang, "people_next"), callback_data=f"{PEOPLE_PREFIX}:{found.page + 1}"))
    return InlineKeyboardMarkup([buttons]) if buttons else None


def answer_keyboard(answer: QuotesAnswer, lang: str) -> InlineKeyboardMarkup | None:
    if isinstance(answer, QuotesPage):
        return page_keyboard(answer, lang)
    if isinstance(answer, Ambiguous):
        return _choices([(s.name, speaker_data(s)) for s in answer.speakers])
    if answer.mentioned:
        return None
    return _choices([(n, name_data(n)) for n in answer.suggestions])


def render_reply(answer: QuotesAnswer, lang: str) -> tuple[str, InlineKeyboardMarkup | None]:
    """The answer's text and its buttons."""
    pageable = not isinstance(answer, QuotesPage) or page_data(answer, answer.page) is not None
    return render_answer(answer, lang, pageable=pageable), answer_keyboard(answer, lang)


# -- Telegram ------------------------------------------------------------------------------------------------


@command
async def on_quotes(cmd: Command) -> None:
    markup: InlineKeyboardMarkup | None = None
    if not cmd.argument:
        text = render_usage((await people_page(cmd.services, cmd.chat_id, page_size=5)).speakers, cmd.lang)
    elif (number := parse_article_number(cmd.argument)) is not None:
        text = render_article_quotes(await article_quotes(cmd.services, cmd.chat_id, number), cmd.lang)
    else:
        text, markup = render_reply(await find_quotes(cmd.services, cmd.chat_id, cmd.argument), cmd.lang)
    await cmd.reply(text, reply_markup=markup)


@button
async def on_quotes_button(pressed: Button) -> None:
    request = parse_page_data(pressed.data)
    answer: QuotesAnswer | None = None
    if request is not None and request.key is not None:
        answer = await find_quotes(pressed.services, pressed.chat_id, request.key, page=request.page)
    elif request is not None:
        answer = await quotes_by_ids(pressed.services, pressed.chat_id, request.person_ids, page=request.page)
    if answer is None or isinstance(answer, NoMatch):
        # An old button (the articles were deleted) or data no button of ours carries.
        raise UserError("quotes_stale")
    await pressed.edit(*render_reply(answer, pressed.lang))


@command
async def on_people(cmd: Command) -> None:
    found = await people_page(cmd.services, cmd.chat_id)
    await cmd.reply(render_people(found, cmd.lang), reply_markup=people_keyboard(found, cmd.lang))


@button
async def on_people_button(pressed: Button) -> None:
    _, _, number = pressed.data.partition(":")
    if not number.isdigit() or len(number) > 6:
        raise UserError("quotes_stale")
    found = await people_page(pressed.services, pressed.chat_id, int(number))
    await pressed.edit(render_people(found, pressed.lang), people_keyboard(found, pressed.lang))
