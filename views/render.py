"""Writing replies in Telegram HTML: escaping, small builders, and splitting under the message limit.

Telegram's HTML is not HTML. Its parser knows a handful of tags (b strong i em u ins s strike del a code pre
blockquote span tg-spoiler tg-emoji), decodes only ``&lt; &gt; &amp; &quot;`` and numeric references, treats
every other ``&`` literally and rejects any other ``<``. Text therefore needs ``&``, ``<`` and ``>`` escaped;
quotes need escaping only inside attribute values, which the builders here always write in double quotes.

Length. The Bot API limits a message to 4096 characters *after entity parsing* (tags removed, references
decoded). Telegram's own code counts Unicode code points there and trims spaces and line breaks first; its
server-side limits are kept in UTF-16 code units. Everything here counts UTF-16 code units of the parsed text
before trimming: an astral character (most emoji) counts 2. That is never less than what Telegram counts, so a
chunk that fits here fits there.

`Html` marks a string that is already valid Telegram HTML. The builders escape plain `str` arguments and keep
`Html` ones as they are, so ``bold(link("x", url))`` works and nothing is escaped twice. An f-string or ``%``
made from `Html` pieces is a plain `str` again: pass it to `split_message` or send it, but do not hand it to a
builder (it would be escaped a second time); join pieces with ``+`` or `Html.join` instead.

Pure functions, no Telegram imports.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

__all__ = [
    "CAPTION_LIMIT",
    "EMPTY_CHARS",
    "MESSAGE_LIMIT",
    "Html",
    "blockquote",
    "bold",
    "code",
    "escape",
    "escape_attr",
    "italic",
    "link",
    "link_or_text",
    "plain_text",
    "pre",
    "split_message",
    "spoiler",
    "strike",
    "truncate",
    "underline",
    "visible_length",
]

MESSAGE_LIMIT: Final = 4096
CAPTION_LIMIT: Final = 1024

_SURROGATES = re.compile("[\ud800-\udfff]")


class Html(str):
    """A string that is valid Telegram HTML. Concatenating with a plain `str` escapes the plain side."""

    __slots__ = ()

    def __add__(self, other: str) -> Html:
        return Html(str.__add__(self, escape(other)))

    def __radd__(self, other: str) -> Html:
        return Html(str.__add__(escape(other), self))

    def join(self, parts: Iterable[str]) -> Html:
        return Html(str.join(self, (escape(part) for part in parts)))

    def format(self, *args: object, **kwargs: object) -> Html:
        """``Html("<b>{}</b> said {}").format(name, quote)``: every argument is escaped unless it is `Html`."""
        return Html(
            str.format(
                self,
                *(_escape_any(arg) for arg in args),
                **{key: _escape_any(value) for key, value in kwargs.items()},
            )
        )

    def __repr__(self) -> str:
        return f"Html({str.__repr__(self)})"


def _escape_any(value: object) -> Html:
    return value if isinstance(value, Html) else escape(str(value))


def escape(text: str) -> Html:
    """Escape plain text for Telegram HTML (``&``, ``<``, ``>``); `Html` comes back unchanged.

    Lone surrogates (which cannot be sent as UTF-8 at all) become U+FFFD.
    """
    if isinstance(text, Html):
        return text
    text = _SURROGATES.sub("\ufffd", text)
    return Html(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def escape_attr(value: str) -> str:
    """Escape a value for a double-quoted attribute: text escaping plus ``"``."""
    return str.replace(escape(str(value)), '"', "&quot;")


def _wrap(tag: str, content: str, attrs: str = "") -> Html:
    return Html(f"<{tag}{attrs}>{escape(content)}</{tag}>")


def bold(text: str) -> Html:
    return _wrap("b", text)


def italic(text: str) -> Html:
    return _wrap("i", text)


def underline(text: str) -> Html:
    return _wrap("u", text)


def strike(text: str) -> Html:
    return _wrap("s", text)


def spoiler(text: str) -> Html:
    return _wrap("tg-spoiler", text)


def code(text: str) -> Html:
    return _wrap("code", text)


_LANGUAGE = re.compile(r"[A-Za-z0-9_+#.\-]{1,32}")


def pre(text: str, language: str | None = None) -> Html:
    """A preformatted block; with a language, Telegram highlights it (``language`` like ``python``)."""
    if language is None:
        return _wrap("pre", text)
    if not _LANGUAGE.fullmatch(language):
        raise ValueError(f"not a code block language: {language!r}")
    return Html(f'<pre><code class="language-{language}">{escape(text)}</code></pre>')


def blockquote(text: str, *, expandable: bool = False) -> Html:
    return _wrap("blockquote", text, " expandable" if expandable else "")


_LINK_SCHEMES: Final = frozenset({"http", "https", "tg"})
_URL_FORBIDDEN = re.compile(r"[\x00-\x20\x7f]")  # other characters are safe: the attribute is escaped


def _checked_url(url: str) -> str:
    if _URL_FORBIDDEN.search(url) or _SURROGATES.search(url):
        raise ValueError(f"not a link target: {url!r}")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _LINK_SCHEMES:
        raise ValueError(f"only http, https and tg links are allowed, not {url!r}")
    if scheme in ("http", "https") and not parts.hostname:
        raise ValueError(f"a web link needs a host: {url!r}")
    return url


def link(text: str, url: str) -> Html:
    """``<a href="url">text</a>``; raises ValueError unless the URL is http(s):// with a host, or tg://."""
    return _wrap("a", text, f' href="{escape_attr(_checked_url(url))}"')


def link_or_text(text: str, url: str | None) -> Html:
    """A link when the URL is acceptable, otherwise just the escaped text (for URLs that came from outside)."""
    if url:
        try:
            return link(text, url)
        except ValueError:
            pass
    return escape(text)


# -- parsing (enough of Telegram's HTML grammar to split it safely) -----------------------------------------

_TAGS: Final = frozenset(
    {
        "a", "b", "strong", "i", "em", "u", "ins", "s", "strike", "del",
        "code", "pre", "blockquote", "span", "tg-spoiler", "tg-emoji",
    }
)  # fmt: skip
_PRE_TAGS: Final = frozenset({"pre", "code"})
_TD_SPACE: Final = frozenset(" \t\r\n\x00\x0b")  # what Telegram's parser calls a space inside tags
_NAMED: Final = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HEX: Final = frozenset("0123456789abcdefABCDEF")
_ASCII_ALPHA: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_NAME_TOKEN: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")

# Characters Telegram treats as nothing when it decides whether a text is empty: ASCII controls and spaces,
# the Unicode spaces it folds to a space, zero-width and direction marks, BOM, NBSP, and what it deletes.
EMPTY_CHARS: Final = frozenset(
    [chr(c) for c in range(0x21)]
    + list("\u00a0\u1680\u180e\u2800\u3000\ufffc\u202f\u205f\ufeff")
    + [chr(c) for c in range(0x2000, 0x2010)]
    + [chr(c) for c in range(0x2028, 0x202F)]
    + [chr(c) for c in range(0xE0000, 0xE0080)]
    + ["\u0333", "\u033f", "\u030a"]
)


class _Invalid(ValueError):
    pass


def _decode_reference(s: str, pos: int) -> tuple[str, int] | None:
    """Telegram's rule for ``&...``: named lt/gt/amp/quot or a numeric reference, ``;`` optional."""
    n = len(s)
    end = pos + 1
    if end < n and s[end] == "#":
        end += 1
        value = 0
        if end < n and s[end] == "x":
            end += 1
            while end < n and s[end] in _HEX:
                value = value * 16 + int(s[end], 16)
                end += 1
        else:
            while end < n and "0" <= s[end] <= "9":
                value = value * 10 + ord(s[end]) - 48
                end += 1
        if value == 0 or value >= 0x10FFFF or end - pos >= 10:
            return None
        if 0xD800 <= value <= 0xDFFF:
            raise _Invalid(f"a reference to a surrogate at {pos}")
        char = chr(value)
    else:
        while end < n and s[end] in _ASCII_ALPHA:
            end += 1
        named = _NAMED.get(s[pos + 1 : end])
        if named is None:
            return None
        char = named
    if end < n and s[end] == ";":
        end += 1
    return char, end


def _scan_start_tag(s: str, begin: int) -> tuple[str, int]:
    """Return (lower-case tag name, index after ``>``) of the start tag at ``begin``; raise if malformed."""
    n = len(s)
    i = begin + 1
    while i < n and s[i] not in _TD_SPACE and s[i] != ">":
        i += 1
    if i >= n:
        raise _Invalid(f"unclosed start tag at {begin}")
    name = s[begin + 1 : i].lower()
    if name not in _TAGS:
        raise _Invalid(f"unsupported start tag {name!r} at {begin}")
    while True:
        while i < n and s[i] in _TD_SPACE:
            i += 1
        if i >= n:
            raise _Invalid(f"unclosed start tag at {begin}")
        if s[i] == ">":
            return name, i + 1
        attr_begin = i
        while i < n and s[i] not in _TD_SPACE and s[i] not in "=>/\"'":
            i += 1
        if i == attr_begin:
            raise _Invalid(f"empty attribute name at {begin}")
        while i < n and s[i] in _TD_SPACE:
            i += 1
        if i >= n:
            raise _Invalid(f"unclosed start tag at {begin}")
        if s[i] != "=":
            continue
        i += 1
        while i < n and s[i] in _TD_SPACE:
            i += 1
        if i >= n:
            raise _Invalid(f"unclosed start tag at {begin}")
        if s[i] in "\"'":
            close = s.find(s[i], i + 1)
            if close < 0:
                raise _Invalid(f"unclosed start tag at {begin}")
            i = close + 1
        else:
            while i < n and s[i] in _NAME_TOKEN:
                i += 1
            if i < n and s[i] not in _TD_SPACE and s[i] != ">":
                raise _Invalid(f"unexpected end of name token at {i}")


@dataclass(slots=True)
class _Doc:
    """Parsed HTML as visible characters, each with its source text and the tags open around it."""

    chars: list[str]
    raws: list[str]
    stacks: list[tuple[int, ...]]
    tags: list[tuple[str, str]]  # (name, source of the start tag), indexed by the numbers in `stacks`


# Text with no tag, reference or lone surrogate in it: each character is itself, visible, under the same tags.
_PLAIN_RUN: Final = re.compile("[^<&\ud800-\udfff]+")


def _parse(html: str) -> _Doc:
    chars: list[str] = []
    raws: list[str] = []
    stacks: list[tuple[int, ...]] = []
    tags: list[tuple[str, str]] = []
    open_tags: list[int] = []
    stack: tuple[int, ...] = ()
    i = 0
    n = len(html)
    while i < n:
        run = _PLAIN_RUN.match(html, i)
        if run is not None:  # taken whole: the text between tags, a card's bulk, without a step per character
            text = run.group()
            chars.extend(text)
            raws.extend(text)
            stacks.extend([stack] * len(text))
            i = run.end()
            continue
        c = html[i]
        if c == "&":
            decoded = _decode_reference(html, i)
            if decoded is not None:
                char, end = decoded
                chars.append(char)
                raws.append(html[i:end])
                stacks.append(stack)
                i = end
                continue
            chars.append("&")
            raws.append("&amp;")  # a bare "&" could meet letters at a cut and become a reference
            stacks.append(stack)
            i += 1
            continue
        if c != "<":
            if "\ud800" <= c <= "\udfff":
                raise _Invalid(f"a lone surrogate at {i}")
            chars.append(c)
            raws.append(c)
            stacks.append(stack)
            i += 1
            continue
        if i + 1 < n and html[i + 1] == "/":
            if not open_tags:
                raise _Invalid(f"unexpected end tag at {i}")
            j = i + 2
            while j < n and html[j] not in _TD_SPACE and html[j] != ">":
                j += 1
            name = html[i + 2 : j].lower()
            while j < n and html[j] in _TD_SPACE:
                j += 1
            if j >= n or html[j] != ">":
                raise _Invalid(f"unclosed end tag at {i}")
            expected = tags[open_tags[-1]][0]
            if name and name != expected:
                raise _Invalid(f"end tag </{name}> at {i} does not close <{expected}>")
            open_tags.pop()
            stack = tuple(open_tags)
            i = j + 1
            continue
        name, end = _scan_start_tag(html, i)
        tags.append((name, html[i:end]))
        open_tags.append(len(tags) - 1)
        stack = tuple(open_tags)
        i = end
    if open_tags:
        raise _Invalid(f"<{tags[open_tags[-1]][0]}> is never closed")
    return _Doc(chars, raws, stacks, tags)


def _parse_or_raise(html: str) -> _Doc:
    try:
        return _parse(html)
    except _Invalid as exc:
        raise ValueError(f"not valid Telegram HTML: {exc}") from None


def _units(char: str) -> int:
    return 2 if ord(char) > 0xFFFF else 1


def _utf16_length(chars: list[str]) -> int:
    return len("".join(chars).encode("utf-16-le")) // 2


def visible_length(html: str) -> int:
    """Length after entity parsing, in UTF-16 code units (see the module notes); raises on invalid HTML."""
    return _utf16_length(_parse_or_raise(html).chars)


def plain_text(html: str) -> str:
    """The text a reader sees: tags removed, references decoded."""
    return "".join(_parse_or_raise(html).chars)


def _has_content(chars: list[str], start: int, end: int) -> bool:
    return any(chars[k] not in EMPTY_CHARS for k in range(start, end))


# -- splitting ------------------------------------------------------------------------------------------------

_SENTENCE_END: Final = frozenset(".!?…。！？")
_CLOSERS: Final = frozenset("\"'»”’)]")


def _is_paragraph(chars: list[str], c: int, start: int) -> bool:
    return c - 2 >= start and chars[c - 1] == "\n" and chars[c - 2] == "\n"


def _is_line(chars: list[str], c: int, start: int) -> bool:
    return chars[c - 1] == "\n"


def _is_sentence(chars: list[str], c: int, start: int) -> bool:
    if chars[c - 1] != " ":
        return False
    k = c - 2
    while k >= start and k >= c - 5 and chars[k] in _CLOSERS:
        k -= 1
    return k >= start and chars[k] in _SENTENCE_END


def _is_space(chars: list[str], c: int, start: int) -> bool:
    return chars[c - 1] == " "


_BOUNDARIES: Final = (_is_paragraph, _is_line, _is_sentence, _is_space)


def _continues_cluster(prev: str, cur: str) -> bool:
    """Whether a cut between ``prev`` and ``cur`` would tear a visible character apart (best effort)."""
    cp = ord(cur)
    if cur == "\u200d" or prev == "\u200d" or unicodedata.combining(cur):
        return True
    if unicodedata.category(cur) in ("Mn", "Me", "Mc"):
        return True
    if 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF or 0xE0020 <= cp <= 0xE007F:
        return True
    if 0x1F3FB <= cp <= 0x1F3FF or cp == 0x20E3:
        return True
    return 0x1F1E6 <= cp <= 0x1F1FF and 0x1F1E6 <= ord(prev) <= 0x1F1FF
    # (a run of flags may still be cut between two of them at the wrong parity; rare enough)


def _choose_cut(chars: list[str], prefix: list[int], start: int, last: int, limit: int) -> int:
    """Pick where the chunk starting at ``start`` ends; any cut in (start, last] fits the limit."""
    min_fill = prefix[start] + limit // 2
    for require_fill in (True, False):
        for boundary in _BOUNDARIES:
            for c in range(last, start, -1):
                if require_fill and prefix[c] < min_fill:
                    break
                if boundary(chars, c, start):
                    return c
    c = last
    for _ in range(16):  # a hard cut: step back out of a grapheme cluster, if one is torn
        if c - 1 <= start or not _continues_cluster(chars[c - 1], chars[c]):
            break
        c -= 1
    if _continues_cluster(chars[c - 1], chars[c]):
        return last
    return c


def _render(doc: _Doc, start: int, end: int) -> str:
    out: list[str] = []
    current: tuple[int, ...] = ()
    for k in range(start, end):
        stack = doc.stacks[k]
        if stack != current:
            common = 0
            while common < len(stack) and common < len(current) and stack[common] == current[common]:
                common += 1
            out.extend(f"</{doc.tags[t][0]}>" for t in reversed(current[common:]))
            out.extend(doc.tags[t][1] for t in stack[common:])
            current = stack
        out.append(doc.raws[k])
    out.extend(f"</{doc.tags[t][0]}>" for t in reversed(current))
    return "".join(out)


def _in_pre(doc: _Doc, k: int) -> bool:
    return any(doc.tags[t][0] in _PRE_TAGS for t in doc.stacks[k])


def _skip_leading(doc: _Doc, k: int) -> int:
    chars = doc.chars
    while k < len(chars) and (chars[k] == "\n" or (chars[k] == " " and not _in_pre(doc, k))):
        k += 1
    return k


def _trim_trailing(chars: list[str], start: int, end: int) -> int:
    while end > start and chars[end - 1] in (" ", "\n"):
        end -= 1
    return end


def _prefix_units(chars: list[str]) -> list[int]:
    if _utf16_length(chars) == len(chars):  # no character outside the BMP: one unit each
        return list(range(len(chars) + 1))
    prefix = [0]
    total = 0
    for ch in chars:
        total += _units(ch)
        prefix.append(total)
    return prefix


def split_message(html: str, limit: int = MESSAGE_LIMIT) -> list[Html]:
    """Split valid Telegram HTML into messages of at most ``limit`` visible UTF-16 code units each.

    Cuts prefer paragraph breaks, then line breaks, then sentence ends, then spaces, each only when it keeps
    the chunk at least half full (then any of them at all), and last a hard cut, moved back a little so as
    not to tear an emoji or a letter from its accents. Cuts fall between visible characters, so never inside
    a tag or a ``&...;`` reference. Tags open at a cut are closed at the end of the chunk and reopened, with
    their attributes, at the start of the next.

    Spaces and line breaks next to a cut are dropped (spaces inside ``pre``/``code`` at the start of a chunk
    are kept, as indentation); a chunk Telegram would call empty is not produced, so the result may be ``[]``
    when the text has nothing visible. Precisely: with P the plain text of ``html`` and p1..pn the plain texts
    of the chunks, P = w0 p1 w1 ... pn wn where every w consists of characters in `EMPTY_CHARS`.

    Text that already fits comes back unchanged, as the only chunk. Raises ValueError for invalid HTML.
    """
    if limit < 2:
        raise ValueError("limit must allow at least one character of any kind (2 UTF-16 units)")
    doc = _parse_or_raise(html)
    chars = doc.chars
    prefix = _prefix_units(chars)
    n = len(chars)
    if prefix[n] <= limit:
        return [Html(html)] if _has_content(chars, 0, n) else []
    chunks: list[Html] = []
    start = _skip_leading(doc, 0)
    while start < n:
        last = bisect.bisect_right(prefix, prefix[start] + limit) - 1
        cut = n if last >= n else _choose_cut(chars, prefix, start, last, limit)
        end = _trim_trailing(chars, start, cut)
        if _has_content(chars, start, end):
            chunks.append(Html(_render(doc, start, end)))
        start = _skip_leading(doc, cut)
    return chunks


def truncate(html: str, limit: int = MESSAGE_LIMIT, *, ellipsis: str = "…") -> Html:
    """Shorten valid Telegram HTML to at most ``limit`` visible units, cutting as `split_message` would and
    appending ``ellipsis`` (plain text, escaped here) when anything was cut. Text that fits comes back as is.
    """
    doc = _parse_or_raise(html)
    chars = doc.chars
    prefix = _prefix_units(chars)
    if prefix[-1] <= limit:
        return Html(html)
    budget = limit - _utf16_length(list(ellipsis))
    if budget < 1:
        raise ValueError("limit leaves no room next to the ellipsis")
    start = _skip_leading(doc, 0)
    if not _has_content(chars, start, len(chars)):
        return Html("")
    last = bisect.bisect_right(prefix, prefix[start] + budget) - 1
    if last >= len(chars):  # only the leading spaces did not fit, and they are gone
        return Html(_render(doc, start, _trim_trailing(chars, start, len(chars))))
    if last <= start:  # not even the first character fits beside the ellipsis
        return escape(ellipsis)
    end = _trim_trailing(chars, start, _choose_cut(chars, prefix, start, last, budget))
    return Html(_render(doc, start, end)) + escape(ellipsis)
