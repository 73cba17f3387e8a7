"""Cleaning of forwarded and copied news posts: the article's title and its paragraphs, without boilerplate.

What goes: photo credits ("Photo: Youtube", "Фото: ..."), counters (lines of "0"), calls to act ("Leave a
comment", "READ ALSO", "Читайте также", "Подписаться", "Читать нас без VPN можно здесь", "Подробнее: ...",
share and subscribe lines) and the headlines after a "read also", URL-only and hashtag-only lines, a headline
repeated under itself, short site or section names standing alone above the title ("World News", an outlet's
name) or below the last paragraph (a "Redaction ..." byline), emoji and symbols used as bullets at the start
of a line ("🔻", "▪️", "❗️"), Telegram's markdown bold markers, zero-width characters and excess white space.

What stays: every other line. Prose is joined into paragraphs separated by one blank line; a line break after
a finished sentence starts a new paragraph (Telegram authors use single breaks that way), a break inside a
sentence becomes a space; a short line without final punctuation (a section heading) is a paragraph of its
own. The first line is the title when it reads like a headline, or when a Telegram post sets its first
paragraph in bold (channels write their headline that way); it is then not repeated in the text.

Guarantees: never raises on a string, never returns text longer than its input, linear time.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

_LETTER = re.compile(r"[^\W\d_]")


# What a text holds, as far as taking it for an article goes.
TextContent = Literal["nothing", "no_words", "words"]


def text_content(text: str) -> TextContent:
    """ "words" when a letter is in it; "no_words" when only emoji, punctuation or digits are visible (not an
    article either); "nothing" when nothing is visible at all: spaces, zero-width and other invisible
    characters (format and control characters, separators) alone."""
    if _LETTER.search(text) is not None:
        return "words"
    if any(not ch.isspace() and unicodedata.category(ch)[0] not in "CZ" for ch in text):
        return "no_words"
    return "nothing"


@dataclass(frozen=True, slots=True)
class CleanedArticle:
    title: str | None
    text: str


_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u202a-\u202e\u2066-\u2069]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_BOLD = re.compile(r"\*\*|__")
# Markdown links of Telegram exports: keep the words, drop the address.
_MD_LINK = re.compile(r"\[([^\]\n]{1,300})\]\((?:https?|tg)://[^)\s]{1,2000}\)")
# Leading decoration before a call to act: "👉 Subscribe", "► READ ALSO", "— Фото: ...".
_DECOR = re.compile(r"^[^\w@#]+", re.UNICODE)

_BOILERPLATE = re.compile(
    r"""^(?:
        (?:leave\ a\ comment|add\ a\ comment|comments?|no\ comments|share|share\ this(?:\ article|\ post)?
          |tweet|print|e-?mail|advertisement|sponsored(?:\ content)?|related(?:\ articles|\ news|\ stories)?
          |most\ read|top\ stories|latest\ news|more\ news|follow\ us|bookmark
          |комментари[йи]|оставить\ комментарий|комментировать|поделиться|реклама|подписаться|подписывайтесь
          |вконтакте|одноклассники|telegram|facebook|twitter|vk|whatsapp|viber|instagram)
          (?:\W+(?:facebook|twitter|vk|telegram|whatsapp|viber|email|вконтакте|\d+))*
        |(?:read\ (?:also|more|next)|see\ also|also\ read|you\ may\ also\ like|recommended
          |читайте\ (?:также|тоже|еще|ещё|нас|здесь|тут|по\ ссылке|на\ сайте|в\ нашем|полностью|подробнее)
          |читать\ (?:также|далее|полностью|нас)|смотрите\ также|см\.\ также|по\ теме|новости\ по\ теме
          |подробнее|слушайте|смотрите\ (?:на|в|видео|здесь|полностью)|текстовую\ версию
          |(?:здесь\ )?наш\ сайт\ доступен|нас\ можно\ (?:читать|слушать|смотреть)
          |если\ ссылка\ .{0,40}не\ открывается|(?:также\ )?последние\ эпизоды\ подкаста)\b.{0,150}
        |(?:subscribe|follow\ us|join\ us|подпи(?:с(?:ывайтесь|аться|ывайся|ка)|шитесь|шись)|присоединяйтесь)\b.{0,150}
        |на\ (?:вашей\ любимой\ платформе|нашем\ сайте|нашем\ канале|странице\ в\ \w+)
        |(?:photo|photos|image|picture|pic|video|illustration|source|credit|фото|видео|иллюстрация|источник
          |кадр|на\ фото|на\ снимке|на\ видео)(?:\ ?(?:credit|by|:|/|©|—|-)).{0,100}
        |(?:photo|фото|видео|video)
        |(?:©|\(c\)|copyright\b).{0,150}
        |\d+\ (?:comments?|views?|likes?|shares?|комментари\w*|просмотр\w*)
        |(?:comments?|views?|likes?|shares?|комментари\w*|просмотр\w*):?\ \d+
    )\W*$""",
    re.IGNORECASE | re.VERBOSE,
)
_FOLLOWED_BY_HEADLINES = re.compile(
    r"^(?:read\ (?:also|more|next)|see\ also|also\ read|you\ may\ also\ like|related|recommended|most\ read"
    r"|читайте\ (?:также|тоже|еще|ещё)|читать\ также|смотрите\ также|по\ теме|новости\ по\ теме)\W*$",
    re.IGNORECASE | re.VERBOSE,
)
_COUNTER = re.compile(r"^[\d\s.,:/|·•]{1,24}$")
# A post's first paragraph set in bold, alone on its lines: the headline channels write ("**Заголовок**").
_BOLD_TITLE = re.compile(r"\A\s*[^\w*\n]{0,8}\*\*(?P<title>[^*\n]{2,300}(?:\n[^*\n]{0,300})?)\*\*[ \t]*(?=\n)")
_URL_ONLY = re.compile(r"^(?:(?:https?://|www\.|t\.me/)\S+|@\w{3,})$", re.IGNORECASE)
_HASHTAGS_ONLY = re.compile(r"^(?:#\w+[\s,]*)+$")
_TRAILING_COUNTER = re.compile(r"\s+0$")
_TERMINAL = ".!?…"
_CLOSERS = "\"'”’»)]"


def _strip_bullet(line: str) -> str:
    """Emoji and symbols opening a line are bullets ("🔻Президент ...", "▪️ ..."); quotes, dashes stay."""
    i = 0
    while i < len(line) and (line[i].isspace() or unicodedata.category(line[i]) in _BULLET_CATEGORIES):
        i += 1
    return line[i:] if i else line


_BULLET_CATEGORIES = frozenset({"So", "Sk", "Mn", "Me", "Cf", "Co", "Cs"})


def _is_boilerplate(line: str) -> bool:
    if _COUNTER.match(line) or _URL_ONLY.match(line) or _HASHTAGS_ONLY.match(line):
        return True
    bare = _DECOR.sub("", line)
    return not bare or bool(_BOILERPLATE.match(bare))


def _ends_sentence(line: str) -> bool:
    s = line.rstrip(_CLOSERS)
    return bool(s) and s[-1] in _TERMINAL


def _is_headline(line: str) -> bool:
    """A short line that does not end like a sentence part: a title or a section heading."""
    if len(line) > 160 or len(line.split()) > 25:
        return False
    last = line.rstrip(_CLOSERS)[-1:] if line.rstrip(_CLOSERS) else ""
    return bool(last) and last not in ".,;:…-–—" and any(ch.isalpha() for ch in line)


def _is_prose(line: str) -> bool:
    return _ends_sentence(line) or len(line.split()) >= 14


def _key(line: str) -> str:
    return " ".join(_TRAILING_COUNTER.sub("", line).casefold().split())


def _normalise(raw: str) -> str:
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub("", text)
    text = _BOLD.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    return _SPACES.sub(" ", text)


def clean_article(raw: str) -> CleanedArticle:
    """Title and cleaned text of a forwarded or copied news post. Never raises on a string."""
    if not isinstance(raw, str) or not raw.strip():
        return CleanedArticle(None, "")
    bold = _BOLD_TITLE.match(raw)
    forced: str | None = None
    body = raw
    if bold is not None:
        candidate = " ".join(_strip_bullet(_normalise(bold.group("title"))).split())
        if candidate and any(ch.isalpha() for ch in candidate) and raw[bold.end() :].strip():
            forced, body = candidate, raw[bold.end() :]
    lines: list[str] = [_strip_bullet(line.strip()) for line in _normalise(body).split("\n")]

    # Mark boilerplate lines; a "read also" line alone takes the headlines right under it along.
    keep = [bool(line) and not _is_boilerplate(line) for line in lines]
    for i, line in enumerate(lines):
        if line and _FOLLOWED_BY_HEADLINES.match(_DECOR.sub("", line)):
            j = i + 1
            while j < len(lines) and (not lines[j] or (_is_headline(lines[j]) and not _is_prose(lines[j]))):
                keep[j] = False
                j += 1

    kept = [i for i in range(len(lines)) if keep[i]]
    # A line that goes on in lower case on the next line is wrapped prose, never a headline.
    wrapped = {i for i in kept if i + 1 < len(lines) and keep[i + 1] and lines[i + 1][:1].islower()}
    prose = [i for i in kept if _is_prose(lines[i]) or i in wrapped]
    title: str | None = None
    if prose:
        first_prose, last_prose = prose[0], prose[-1]
        head = [i for i in kept if i < first_prose]
        # The title: the first headline of four words or more above the first paragraph, else the first.
        headlines = [i for i in head if _is_headline(_TRAILING_COUNTER.sub("", lines[i]))]
        if headlines or forced:
            pick = -1 if forced else next((i for i in headlines if len(lines[i].split()) >= 4), headlines[0])
            title = forced or _TRAILING_COUNTER.sub("", lines[pick])
            title_key = _key(title)
            for i in head:
                # Above the first paragraph: drop the title, its repeats and short site or section names.
                if i == pick or _key(lines[i]) == title_key or (len(lines[i].split()) <= 4 and _is_headline(lines[i])):
                    keep[i] = False
            for i in kept[: kept.index(first_prose) + 12]:
                if i > first_prose and _key(lines[i]) == title_key:
                    keep[i] = False
        # Below the last paragraph: short bylines and site names.
        for i in kept:
            if i > last_prose and i - 1 not in wrapped and len(lines[i].split()) <= 4 and _is_headline(lines[i]):
                keep[i] = False
    elif forced:
        title = forced
    else:
        # No prose to protect: only a first line that reads like a headline, when more follows it.
        if len(kept) > 1 and _is_headline(_TRAILING_COUNTER.sub("", lines[kept[0]])):
            title = _TRAILING_COUNTER.sub("", lines[kept[0]])
            keep[kept[0]] = False

    text = _assemble(lines, keep, "\n\n")
    if len(text) > len(raw):
        text = _assemble(lines, keep, "\n")  # single breaks cannot grow the text
    if not text and title is not None:
        return CleanedArticle(None, title)  # a lone headline is the whole post, not its title
    return CleanedArticle(title, text)


def _assemble(lines: list[str], keep: list[bool], paragraph_break: str) -> str:
    """Join kept lines into paragraphs: blank lines, finished sentences and headings break them."""
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            paragraphs.append(" ".join(current))
            current.clear()

    for line, kept in zip(lines, keep, strict=True):
        if not line:
            flush()
            continue
        if not kept:
            continue
        if current and line[0].islower():
            current.append(line)  # a sentence wrapped onto this line goes on
            if _ends_sentence(line):
                flush()
            continue
        if _is_headline(line) and not _is_prose(line):
            # A heading, unless it is the wrapped start of a sentence going on in lower case.
            flush()
            current.append(line)
            continue
        if current and _is_headline(current[-1]) and not _is_prose(current[-1]) and len(current) == 1:
            flush()
        current.append(line)
        if _ends_sentence(line):
            flush()
    flush()
    return paragraph_break.join(paragraphs)
