"""Telegram's HTML parse mode, reproduced for tests: the Bot API double validates with it, property tests use it
as the oracle for `views.render`.

`parse_telegram_html` follows TDLib's ``parse_html`` (which the Bot API server runs) step by step, on the UTF-8
bytes, so error messages and byte offsets match Telegram's: ``Unsupported start tag "foo" at byte offset 4``,
``Unclosed start tag at byte offset 0``, ``Unmatched end tag at byte offset 9, expected "</b>", found
"</i>"``, ``Can't find end tag corresponding to start tag "b"``, and the others. Like Telegram it decodes only
``&lt; &gt; &amp; &quot;`` and numeric references (the ``;`` optional) and keeps any other ``&`` literally:
``&nbsp;`` is not an error, it stays ``&nbsp;`` in the text.

`message_text` then does what the server does before sending: removes or blanks control characters, trims
spaces and line breaks, refuses an empty text and checks the length.

Counting. The Bot API documents "1-4096 characters after entities parsing". TDLib counts Unicode code points
there, after trimming; Telegram's servers keep their limits in UTF-16 code units. `visible_length` and
`message_text` count UTF-16 code units by default, never less than the code point count, so what passes here
passes Telegram; ``count="codepoints"`` gives TDLib's exact rule.

Not reproduced: Telegram's later entity normalisation (merging adjacent bold runs, dropping entities that
cross), its URL normaliser beyond the basics (scheme, host with a dot, a ``/`` path), and the Markdown modes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Literal

__all__ = [
    "EMPTY_CHARS",
    "Entity",
    "TelegramHTMLError",
    "clean_text",
    "entities_from_json",
    "is_empty_text",
    "message_text",
    "parse_telegram_html",
    "trim_text",
    "utf16_len",
    "visible_length",
]

Count = Literal["utf16", "codepoints"]


class TelegramHTMLError(ValueError):
    """A text Telegram would refuse. ``message`` is TDLib's wording, ``description`` the Bot API's answer."""

    def __init__(self, message: str, *, description: str | None = None, byte_offset: int | None = None):
        super().__init__(message)
        self.message = message
        self.byte_offset = byte_offset
        self.description = description or f"Bad Request: can't parse entities: {message}"


@dataclass(frozen=True)
class Entity:
    """A MessageEntity as the Bot API reports it (offsets and lengths in UTF-16 code units)."""

    type: str
    offset: int
    length: int
    url: str | None = None
    language: str | None = None
    custom_emoji_id: str | None = None
    user_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "offset": self.offset, "length": self.length}
        if self.url is not None:
            out["url"] = self.url
        if self.language is not None:
            out["language"] = self.language
        if self.custom_emoji_id is not None:
            out["custom_emoji_id"] = self.custom_emoji_id
        if self.user_id is not None:
            out["user"] = {"id": self.user_id, "is_bot": False, "first_name": ""}
        return out


# TDLib's MessageEntity::get_type_priority, used to order entities that start and end together.
_PRIORITY = {
    "blockquote": 0,
    "expandable_blockquote": 0,
    "pre_code": 10,
    "pre": 11,
    "code": 20,
    "text_link": 49,
    "text_mention": 49,
    "bold": 90,
    "italic": 91,
    "underline": 92,
    "strikethrough": 93,
    "spoiler": 94,
    "custom_emoji": 99,
}


def _moved(entity: Entity, offset: int, length: int) -> Entity:
    """The entity at another place (`dataclasses.replace` in effect, without its cost: the property tests of
    `views.render` move entities by the hundred thousand)."""
    e = entity
    return Entity(e.type, offset, length, e.url, e.language, e.custom_emoji_id, e.user_id)


def _sort_key(entity: Entity) -> tuple[int, int, int]:
    kind = "pre_code" if entity.type == "pre" and entity.language else entity.type
    return entity.offset, -entity.length, _PRIORITY.get(kind, 50)


def utf16_len(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


# -- TDLib's character classes (on bytes; a NUL byte ends every scan, as in a C string) -----------------------

_SPACE = frozenset(b" \t\r\n\x00\x0b")
_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins",
        "tg-spoiler", "tg-emoji", "span", "pre", "code", "blockquote",
    }
)  # fmt: skip
_NAMED = {b"lt": 0x3C, b"gt": 0x3E, b"amp": 0x26, b"quot": 0x22}
_PLAIN = re.compile(rb"[^&<]+")  # a run of bytes that are neither a reference nor a tag: copied as they are
_TAG_NAME = re.compile(rb"[^ \t\r\n\x00\x0b>]*")  # up to a space (NUL included) or '>'
_ATTRIBUTE_NAME = re.compile(rb"[^ \t\r\n\x00\x0b=>/\"']*")
_LITERAL = {q: re.compile(b"[^&\\x00" + bytes([q]) + b"]+") for q in b"\"'"}  # up to the quote, a reference or NUL


def _is_alpha(c: int) -> bool:
    return 0x61 <= (c | 0x20) <= 0x7A


def _is_digit(c: int) -> bool:
    return 0x30 <= c <= 0x39


def _is_hex(c: int) -> bool:
    return _is_digit(c) or 0x61 <= (c | 0x20) <= 0x66


def _lower(raw: bytes) -> str:
    return raw.lower().decode("utf-8", "replace")  # bytes.lower changes A-Z alone, as TDLib does


def _decode_reference(t: bytes, pos: int) -> tuple[int, int] | None:
    """TDLib's decode_html_entity: (code point, position after the reference) or None for a literal '&'."""
    end = pos + 1
    code = 0
    if t[pos + 1] == 0x23:  # '#'
        end += 1
        if t[pos + 2] == 0x78:  # 'x' (lower case only)
            end += 1
            while _is_hex(t[end]):
                code = code * 16 + int(chr(t[end]), 16)
                end += 1
        else:
            while _is_digit(t[end]):
                code = code * 10 + t[end] - 0x30
                end += 1
        if code == 0 or code >= 0x10FFFF or end - pos >= 10:
            return None
    else:
        while _is_alpha(t[end]):
            end += 1
        named = _NAMED.get(t[pos + 1 : end])
        if named is None:
            return None
        code = named
    if t[end] == 0x3B:  # ';'
        end += 1
    return code, end


def _utf8(code: int) -> bytes:
    return chr(code).encode("utf-8", "surrogatepass")


_USER_LINK = re.compile(r"tg:(?://)?user\?(?:.*&)?id=(\d+)(?:&.*)?", re.IGNORECASE | re.DOTALL)
_HOST = re.compile(r"[^\s/?#@:]+(?::\d{1,5})?")


def _user_id_of_link(url: str) -> int | None:
    match = _USER_LINK.fullmatch(url)
    if match is None:
        return None
    user_id = int(match.group(1))
    return user_id if 0 < user_id < 2**53 else None


_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f]")  # \s is str.isspace's set


def _checked_link(url: str) -> str | None:
    """A simplified LinkManager::get_checked_link: the normalised URL, or None when Telegram drops the link."""
    if not url or _SPACE_OR_CONTROL.search(url):
        return None
    lower = url.lower()
    for scheme in ("tg:", "ton:", "tonsite:"):
        if lower.startswith(scheme):
            rest = url[len(scheme) :].removeprefix("//")
            host = re.match(r"[A-Za-z0-9_\-]+", rest)
            if host is None or host.group(0).lower() in ("http", "https"):
                return None
            query = rest[host.end() :]
            if query and query[0] not in "/?#":
                return None
            return f"{scheme}//{host.group(0)}{query.removeprefix('/')}"
    scheme = "http"
    rest = url
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*)://", url)
    if match:
        scheme = match.group(1).lower()
        if scheme not in ("http", "https"):
            return None
        rest = url[match.end() :]
    userinfo, at, after = rest.partition("@")
    if at and not any(ch in userinfo for ch in "/?#"):
        rest = after
        userinfo += "@"
    else:
        userinfo = ""
    host = _HOST.match(rest)
    if host is None or "." not in host.group(0).split(":")[0]:
        return None
    path = rest[host.end() :]
    if path and path[0] not in "/?#":
        return None
    if not path.startswith("/"):
        path = "/" + path
    return f"{scheme}://{userinfo}{host.group(0).lower()}{path}"


@dataclass
class _Open:
    tag: str
    argument: str
    offset: int  # UTF-16 offset where the entity starts
    begin: int  # byte position in the result where the entity's text starts


def parse_telegram_html(html: str, *, strict_ampersands: bool = False) -> tuple[str, list[Entity]]:
    """Parse like Telegram: (plain text, entities sorted as Telegram sorts them); raise TelegramHTMLError.

    ``strict_ampersands`` also refuses an ``&`` that starts no reference. Telegram shows such an ``&`` as it
    is, but it betrays text that was never escaped: the same text with ``&lt`` in it would come out changed.
    """
    try:
        data = html.encode("utf-8")
    except UnicodeEncodeError:
        raise TelegramHTMLError(
            "Strings must be encoded in UTF-8", description="Bad Request: strings must be encoded in UTF-8"
        ) from None
    size = len(data)
    t = data + b"\x00"
    result = bytearray()
    entities: list[Entity] = []
    nested: list[_Open] = []
    utf16 = 0
    recheck_utf8 = False

    def fail(message: str, offset: int | None = None) -> TelegramHTMLError:
        return TelegramHTMLError(message, byte_offset=offset)

    def bare_ampersand(offset: int) -> TelegramHTMLError:
        return fail(f'Unescaped "&" at byte offset {offset} (refused by the test double: escape text)', offset)

    i = 0
    while i < size:
        plain = _PLAIN.match(t, i, size)
        if plain is not None:
            # Whole characters (the run ends at an ASCII byte or the end); UTF-16 units as Telegram counts them.
            run = plain.group()
            result += run
            utf16 += len(run.decode("utf-8", "surrogatepass").encode("utf-16-le", "surrogatepass")) // 2
            i = plain.end()
            continue
        c = t[i]
        if c == 0x26:  # '&'
            decoded = _decode_reference(t, i)
            if decoded is not None:
                code, i = decoded
                utf16 += 2 if code > 0xFFFF else 1
                recheck_utf8 = recheck_utf8 or 0xD800 <= code <= 0xDFFF
                result += _utf8(code)
                continue
            if strict_ampersands:
                raise bare_ampersand(i)
        if c != 0x3C:  # '<'
            if c & 0xC0 != 0x80:  # the first byte of a character
                utf16 += 2 if c >= 0xF0 else 1
            result.append(c)
            i += 1
            continue

        begin = i
        i += 1
        if t[i] != 0x2F:  # a start tag
            i = _TAG_NAME.match(t, i).end()  # type: ignore[union-attr]  # matches the empty string too
            if t[i] == 0:
                raise fail(f"Unclosed start tag at byte offset {begin}", begin)
            tag = _lower(t[begin + 1 : i])
            if tag not in _TAGS:
                raise fail(f'Unsupported start tag "{tag}" at byte offset {begin}', begin)
            argument = ""
            while t[i] != 0x3E:
                while t[i] != 0 and t[i] in _SPACE:
                    i += 1
                if t[i] == 0x3E:
                    break
                name_begin = i
                i = _ATTRIBUTE_NAME.match(t, i).end()  # type: ignore[union-attr]  # matches the empty string too
                name = t[name_begin:i]
                if not name:
                    raise fail(f'Empty attribute name in the tag "{tag}" at byte offset {begin}', begin)
                while t[i] != 0 and t[i] in _SPACE:
                    i += 1
                if t[i] != 0x3D:  # a name without a value
                    if t[i] == 0:
                        raise fail(f'Unclosed start tag "{tag}" at byte offset {begin}', begin)
                    if tag == "blockquote" and name == b"expandable":
                        argument = "1"
                    continue
                i += 1
                while t[i] != 0 and t[i] in _SPACE:
                    i += 1
                if t[i] == 0:
                    raise fail(f'Unclosed start tag "{tag}" at byte offset {begin}', begin)
                if t[i] not in (0x22, 0x27):  # a name token: letters, digits, '.', '-'; case-insensitive
                    token_begin = i
                    while _is_alpha(t[i]) or _is_digit(t[i]) or t[i] in (0x2E, 0x2D):
                        i += 1
                    value = _lower(t[token_begin:i])
                    if t[i] not in _SPACE and t[i] != 0x3E:
                        raise fail(f"Unexpected end of name token at byte offset {token_begin}", token_begin)
                else:  # a string literal, references decoded
                    quote = t[i]
                    i += 1
                    raw = bytearray()
                    literal = _LITERAL[quote]
                    while t[i] != quote and t[i] != 0:
                        run = literal.match(t, i)
                        if run is not None:
                            raw += run.group()
                            i = run.end()
                            continue
                        if t[i] == 0x26:
                            decoded = _decode_reference(t, i)
                            if decoded is not None:
                                code, i = decoded
                                raw += _utf8(code)
                                continue
                            if strict_ampersands:
                                raise bare_ampersand(i)
                        raw.append(t[i])
                        i += 1
                    if t[i] == quote:
                        i += 1
                    value = raw.decode("utf-8", "replace")
                if t[i] == 0:
                    raise fail(f"Unclosed start tag at byte offset {begin}", begin)
                if tag == "a" and name == b"href":
                    argument = value
                elif tag == "code" and name == b"class" and value.startswith("language-"):
                    argument = value[len("language-") :]
                elif tag == "span" and name == b"class" and value.startswith("tg-"):
                    argument = value[len("tg-") :]
                elif tag == "tg-emoji" and name == b"emoji-id":
                    argument = value
                elif tag == "blockquote" and name == b"expandable":
                    argument = "1"
            if tag == "span" and argument != "spoiler":
                raise fail(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}', begin)
            nested.append(_Open(tag, argument, utf16, len(result)))
        else:  # an end tag
            if not nested:
                raise fail(f"Unexpected end tag at byte offset {begin}", begin)
            i = _TAG_NAME.match(t, i).end()  # type: ignore[union-attr]  # matches the empty string too
            end_tag = _lower(t[begin + 2 : i])
            while t[i] in _SPACE and t[i] != 0:
                i += 1
            if t[i] != 0x3E:
                raise fail(f"Unclosed end tag at byte offset {begin}", begin)
            top = nested[-1]
            if end_tag and end_tag != top.tag:
                raise fail(
                    f'Unmatched end tag at byte offset {begin}, expected "</{top.tag}>", found "</{end_tag}>"',
                    begin,
                )
            if utf16 > top.offset:
                _close_entity(top, utf16, result, entities)
            nested.pop()
        i += 1  # past the '>'

    if nested:
        raise fail(f'Can\'t find end tag corresponding to start tag "{nested[-1].tag}"')
    entities = [replace(e, language=None) if e.type == "code" and e.language is not None else e for e in entities]
    entities.sort(key=_sort_key)
    try:
        text = result.decode("utf-8") if recheck_utf8 else result.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        raise fail(
            "Text contains invalid Unicode characters after decoding HTML entities, "
            "check for unmatched surrogate code units"
        ) from None
    return text, entities


def _close_entity(top: _Open, utf16: int, result: bytearray, entities: list[Entity]) -> None:
    offset, length, tag, argument = top.offset, utf16 - top.offset, top.tag, top.argument
    simple = {
        "i": "italic", "em": "italic", "b": "bold", "strong": "bold",
        "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
        "u": "underline", "ins": "underline", "tg-spoiler": "spoiler", "span": "spoiler",
    }  # fmt: skip
    if tag in simple:
        entities.append(Entity(simple[tag], offset, length))
    elif tag == "tg-emoji":
        if not re.fullmatch(r"-?[0-9]+", argument) or str(int(argument)) != argument:
            raise TelegramHTMLError("Invalid custom emoji identifier specified")
        if int(argument) == 0 or not -(2**63) <= int(argument) < 2**63:
            raise TelegramHTMLError("Invalid custom emoji identifier specified")
        entities.append(Entity("custom_emoji", offset, length, custom_emoji_id=argument))
    elif tag == "a":
        url = argument or bytes(result[top.begin :]).decode("utf-8", "replace")
        user_id = _user_id_of_link(url)
        if user_id is not None:
            entities.append(Entity("text_mention", offset, length, user_id=user_id))
        else:
            checked = _checked_link(url)
            if checked:
                entities.append(Entity("text_link", offset, length, url=checked))
    elif tag == "pre":
        last = entities[-1] if entities else None
        if last and last.type == "code" and (last.offset, last.length) == (offset, length) and last.language:
            entities[-1] = Entity("pre", offset, length, language=last.language)
        else:
            entities.append(Entity("pre", offset, length))
    elif tag == "code":
        last = entities[-1] if entities else None
        if last and last.type == "pre" and (last.offset, last.length) == (offset, length) and argument:
            entities[-1] = Entity("pre", offset, length, language=argument)
        else:
            entities.append(Entity("code", offset, length, language=argument or None))
    elif tag == "blockquote":
        entities.append(Entity("expandable_blockquote" if argument else "blockquote", offset, length))


def visible_length(html: str) -> int:
    """Length of the parsed text in UTF-16 code units (see the module notes); raises TelegramHTMLError."""
    return utf16_len(parse_telegram_html(html)[0])


# -- what the server does next: clean, trim, refuse empty, check length -------------------------------------

# What Telegram's emptiness check sees through: controls and spaces, the Unicode spaces it folds to a space,
# zero-width and direction marks, BOM, NBSP, and the characters it deletes.
EMPTY_CHARS = frozenset(
    [chr(c) for c in range(0x21)]
    + list("\u00a0\u1680\u180e\u2800\u3000\ufffc\u202f\u205f\ufeff\u0333\u033f\u030a")
    + [chr(c) for c in range(0x2000, 0x2010)]
    + [chr(c) for c in range(0x2028, 0x202F)]
    + [chr(c) for c in range(0xE0000, 0xE0080)]
)
_FOLDED_SPACES = frozenset(
    "\u1680\u180e\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u2800\u3000\ufffc"
)
_INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u202e\ufeff\u00a0")


def _remap(entities: list[Entity], position: dict[int, int]) -> list[Entity]:
    out = []
    for e in entities:
        start = position.get(e.offset)
        end = position.get(e.offset + e.length)
        if start is not None and end is not None and end > start:
            out.append(_moved(e, start, end - start))
    return out


def clean_text(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """TDLib's clean_input_string: controls except a line break become spaces, ``\\r`` and U+2028..U+202E and
    three combining marks are removed, runs of direction marks become zero-width non-joiners."""
    out: list[str] = []
    position: dict[int, int] = {}
    old = new = 0
    for k, ch in enumerate(text):
        position[old] = new
        units = 2 if ord(ch) > 0xFFFF else 1
        if units == 2:
            position[old + 1] = new
        old += units
        if ch == "\r" or "\u2028" <= ch <= "\u202e" or ch in "\u0333\u033f\u030a":
            continue
        if ord(ch) < 0x20 and ch != "\n":
            ch = " "
        elif ch in "\u200e\u200f" and k + 1 < len(text) and text[k + 1] in "\u200e\u200f":
            ch = "\u200c"
        out.append(ch)
        new += units
    position[old] = new
    return "".join(out), _remap(entities, position)


def is_empty_text(text: str) -> bool:
    """TDLib's is_empty_string: nothing but spaces, line breaks and invisible characters."""
    folded = "".join(" " if ch in _FOLDED_SPACES or "\U000e0000" <= ch <= "\U000e007f" else ch for ch in text)
    return all(ch in " \t\r\n\x00\x0b" or ch in _INVISIBLE for ch in folded)


def trim_text(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """TDLib's trimming: trailing spaces and line breaks always, leading ones only before the first entity."""
    last = len(text.rstrip(" \n")) - 1
    if last < 0:
        raise TelegramHTMLError("Text must be non-empty", description="Bad Request: text must be non-empty")
    text = text[: last + 1]
    cutoff = utf16_len(text)
    kept = []
    for e in entities:
        if e.offset < cutoff:
            kept.append(_moved(e, e.offset, min(e.length, cutoff - e.offset)))
    first_entity = min((e.offset for e in kept), default=len(text))
    lead = 0
    while lead < first_entity and text[lead] in " \n":
        lead += 1
    text = text[lead:]
    kept = sorted((_moved(e, e.offset - lead, e.length) for e in kept), key=_sort_key)
    if is_empty_text(text):
        raise TelegramHTMLError("Text must be non-empty", description="Bad Request: text must be non-empty")
    return text, kept


def entities_from_json(raw: Any) -> list[Entity]:
    """The ``entities`` parameter of a send method, as the Bot API reads it."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        return []  # the Bot API ignores entities it cannot read as an array
    out = []
    for item in raw:
        if not isinstance(item, dict):
            raise TelegramHTMLError(
                "expected an Object", description="Bad Request: can't parse MessageEntity: expected an Object"
            )
        kind, offset, length = item.get("type"), item.get("offset"), item.get("length")
        if not isinstance(kind, str) or not isinstance(offset, int) or not isinstance(length, int):
            raise TelegramHTMLError(
                "bad entity", description='Bad Request: can\'t parse MessageEntity: Field "type" must be a String'
            )
        user = item.get("user")
        out.append(
            Entity(
                kind,
                offset,
                length,
                url=item.get("url"),
                language=item.get("language"),
                custom_emoji_id=item.get("custom_emoji_id"),
                user_id=user.get("id") if isinstance(user, dict) else None,
            )
        )
    return sorted(out, key=_sort_key)


def message_text(
    text: str,
    parse_mode: str | None = "HTML",
    entities: list[Entity] | None = None,
    *,
    limit: int | None = 4096,
    count: Count = "utf16",
    allow_empty: bool = False,
    strict_ampersands: bool = False,
) -> tuple[str, list[Entity]]:
    """What Telegram makes of a message text (or, with ``allow_empty`` and a 1024 limit, a caption):
    parsed, cleaned, trimmed and checked. Raises TelegramHTMLError with the Bot API's description."""
    if not text and not allow_empty:
        raise TelegramHTMLError("Message text is empty", description="Bad Request: message text is empty")
    mode = (parse_mode or "").lower()
    if mode == "html":
        plain, found = parse_telegram_html(text, strict_ampersands=strict_ampersands)
    elif mode in ("", "none", "markdown", "markdownv2"):
        plain, found = text, list(entities or [])  # the Markdown modes are not parsed here
    else:
        raise TelegramHTMLError("Unsupported parse_mode", description="Bad Request: unsupported parse_mode")
    plain, found = clean_text(plain, found)
    try:
        plain, found = trim_text(plain, found)
    except TelegramHTMLError:
        if allow_empty:
            return "", []
        raise
    size = utf16_len(plain) if count == "utf16" else len(plain)
    if limit is not None and size > limit:
        what = "message caption is too long" if allow_empty else "message is too long"
        raise TelegramHTMLError(what.capitalize(), description=f"Bad Request: {what}")
    return plain, found
