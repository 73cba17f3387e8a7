"""Rendering Telegram HTML: escaping, builders, splitting and truncating, checked against `tests.telegram_html`
(Telegram's own parser, reproduced) as the oracle; and the oracle itself against TDLib's test vectors."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import telegram_html as tg
from tests.telegram_html import (
    EMPTY_CHARS,
    Entity,
    TelegramHTMLError,
    is_empty_text,
    message_text,
    parse_telegram_html,
    utf16_len,
)
from views import render
from views.render import (
    Html,
    blockquote,
    bold,
    code,
    escape,
    italic,
    link,
    link_or_text,
    plain_text,
    pre,
    split_message,
    spoiler,
    strike,
    truncate,
    underline,
    visible_length,
)

# -- the oracle against TDLib's own parse_html tests ---------------------------------------------------------

SURROGATE_ERROR = (
    "Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units"
)


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("&#57311;", SURROGATE_ERROR),
        ("&#xDFDF;", SURROGATE_ERROR),
        ("&#xDFDF", SURROGATE_ERROR),
        ("🏟 🏟&lt;<abacaba", "Unclosed start tag at byte offset 13"),
        ("🏟 🏟&lt;<abac aba>", 'Unsupported start tag "abac" at byte offset 13'),
        ("🏟 🏟&lt;<abac>", 'Unsupported start tag "abac" at byte offset 13'),
        ("🏟 🏟&lt;<i   =aba>", 'Empty attribute name in the tag "i" at byte offset 13'),
        ("🏟 🏟&lt;<i    aba  =  ", 'Unclosed start tag "i" at byte offset 13'),
        ("🏟 🏟&lt;<i    aba  =  190azAz-.,", "Unexpected end of name token at byte offset 27"),
        ('🏟 🏟&lt;<i    aba  =  "&lt;&gt;&quot;>', "Unclosed start tag at byte offset 13"),
        ("🏟 🏟&lt;<i    aba  =  '&lt;&gt;&quot;>", "Unclosed start tag at byte offset 13"),
        ("🏟 🏟&lt;</", "Unexpected end tag at byte offset 13"),
        ("🏟 🏟&lt;<b></b></", "Unexpected end tag at byte offset 20"),
        ("🏟 🏟&lt;<i>a</i   ", "Unclosed end tag at byte offset 17"),
        ("🏟 🏟&lt;<i>a</em   >", 'Unmatched end tag at byte offset 17, expected "</i>", found "</em>"'),
        ("<b>never closed", 'Can\'t find end tag corresponding to start tag "b"'),
        ('<tg-emoji emoji-id="x">👍</tg-emoji>', "Invalid custom emoji identifier specified"),
    ],
)
def test_oracle_rejects_like_tdlib(html: str, message: str) -> None:
    with pytest.raises(TelegramHTMLError) as error:
        parse_telegram_html(html)
    assert error.value.message == message
    assert error.value.description == f"Bad Request: can't parse entities: {message}"


def ents(*specs: tuple[str, int, int] | Entity) -> list[Entity]:
    return [s if isinstance(s, Entity) else Entity(*s) for s in specs]


@pytest.mark.parametrize(
    ("html", "text", "entities"),
    [
        ("", "", []),
        ("➡️ ➡️", "➡️ ➡️", []),
        ("&lt;&gt;&amp;&quot;&laquo;&raquo;&#12345678;", '<>&"&laquo;&raquo;&#12345678;', []),
        ("➡️ ➡️<i>➡️ ➡️</i>", "➡️ ➡️➡️ ➡️", ents(("italic", 5, 5))),
        ("➡️ ➡️<strong>➡️ ➡️</strong>", "➡️ ➡️➡️ ➡️", ents(("bold", 5, 5))),
        ("➡️ ➡️<ins>➡️ ➡️</ins>", "➡️ ➡️➡️ ➡️", ents(("underline", 5, 5))),
        ("➡️ ➡️<del>➡️ ➡️</del>", "➡️ ➡️➡️ ➡️", ents(("strikethrough", 5, 5))),
        ("➡️ ➡️<i>➡️ ➡️</i><b>➡️ ➡️</b>", "➡️ ➡️➡️ ➡️➡️ ➡️", ents(("italic", 5, 5), ("bold", 10, 5))),
        ("🏟 🏟<i>🏟 &lt🏟</i>", "🏟 🏟🏟 <🏟", ents(("italic", 5, 6))),
        (
            "🏟 🏟<i>🏟 &gt;<b aba   =   caba>&lt🏟</b></i>",
            "🏟 🏟🏟 ><🏟",
            ents(("italic", 5, 7), ("bold", 9, 3)),
        ),
        ("🏟 🏟&lt;<i    aba  =  190azAz-.   >a</i>", "🏟 🏟<a", ents(("italic", 6, 1))),
        ("🏟 🏟&lt;<i    aba  =  '&lt;&gt;&quot;'>a</>", "🏟 🏟<a", ents(("italic", 6, 1))),
        ("🏟 🏟&lt;<i>a</    >", "🏟 🏟<a", ents(("italic", 6, 1))),
        ("🏟 🏟&lt;<b></b>", "🏟 🏟<", []),
        ("<i>\n</i>", "\n", ents(("italic", 0, 1))),
        (
            "<code><i><b> </b></i></code><i><b><code> </code></b></i>",
            "  ",
            ents(("code", 0, 1), ("bold", 0, 1), ("italic", 0, 1), ("code", 1, 1), ("bold", 1, 1), ("italic", 1, 1)),
        ),
        ("<a href=telegram.org>\t</a>", "\t", [Entity("text_link", 0, 1, url="http://telegram.org/")]),
        ("<a   href=  'telegram.org?&lt;'   > </a>", " ", [Entity("text_link", 0, 1, url="http://telegram.org/?<")]),
        ("<a> </a>", " ", []),
        ("<a>telegram.org </a>", "telegram.org ", []),
        ("<a>telegram.org</a>", "telegram.org", [Entity("text_link", 0, 12, url="http://telegram.org/")]),
        ('<a href="tg://user?id=42">u</a>', "u", [Entity("text_mention", 0, 1, user_id=42)]),
        ("🏟 🏟&lt;<pre  >🏟 🏟&lt;</>", "🏟 🏟<🏟 🏟<", ents(("pre", 6, 6))),
        ("🏟 🏟&lt;<pre><code>🏟 🏟&lt;</code></>", "🏟 🏟<🏟 🏟<", ents(("pre", 6, 6), ("code", 6, 6))),
        (
            '🏟 🏟&lt;<pre><code class="language-fift">🏟 🏟&lt;</></>',
            "🏟 🏟<🏟 🏟<",
            [Entity("pre", 6, 6, language="fift")],
        ),
        (
            '🏟 🏟&lt;<code class="language-fift"><pre>🏟 🏟&lt;</></>',
            "🏟 🏟<🏟 🏟<",
            [Entity("pre", 6, 6, language="fift")],
        ),
        (
            '🏟 🏟&lt;<pre><code class="language-fift">🏟 🏟&lt;</> </>',
            "🏟 🏟<🏟 🏟< ",
            ents(("pre", 6, 7), ("code", 6, 6)),
        ),
        (
            '<blockquote expandable>q</blockquote><span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>',
            "qst",
            ents(("expandable_blockquote", 0, 1), ("spoiler", 1, 1), ("spoiler", 2, 1)),
        ),
        (
            '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
            "👍",
            [Entity("custom_emoji", 0, 2, custom_emoji_id="5368324170671202286")],
        ),
    ],
)
def test_oracle_parses_like_tdlib(html: str, text: str, entities: list[Entity]) -> None:
    assert parse_telegram_html(html) == (text, entities)


def test_render_and_the_oracle_agree_on_empty_characters() -> None:
    assert render.EMPTY_CHARS == EMPTY_CHARS
    for ch in sorted(EMPTY_CHARS):  # each alone is a text Telegram calls empty, once cleaned
        with pytest.raises(TelegramHTMLError, match="Text must be non-empty"):
            message_text(ch + ch, None)
    assert not is_empty_text("\u2060")  # a word joiner is not one of them


def test_oracle_server_side_steps() -> None:
    # trailing spaces and line breaks go; leading ones only up to the first entity
    assert message_text(" \n <b> hi </b> \n") == (" hi", [Entity("bold", 0, 3)])
    assert message_text("  plain  ") == ("plain", [])
    # control characters become spaces, \r and U+2028..U+202E are removed
    assert message_text("a\tb\r\nc\u2028d", None) == ("a b\ncd", [])
    for empty in ("<b> \n </b>", "\u200b\u200d", "\u00a0", " \u3000 "):
        with pytest.raises(TelegramHTMLError) as error:
            message_text(empty)
        assert error.value.description == "Bad Request: text must be non-empty"
    with pytest.raises(TelegramHTMLError, match="Message text is empty"):
        message_text("")
    assert message_text("😀" * 4096, count="codepoints")[0] == "😀" * 4096
    with pytest.raises(TelegramHTMLError) as error:
        message_text("😀" * 2049)
    assert error.value.description == "Bad Request: message is too long"


# -- escaping and builders -----------------------------------------------------------------------------------


def test_escape() -> None:
    assert escape('<b> & "q" </b>') == '&lt;b&gt; &amp; "q" &lt;/b&gt;'
    assert isinstance(escape("x"), Html)
    once = escape("a & b")
    assert escape(once) == once  # Html is not escaped twice
    assert escape("\ud800x") == "\ufffdx"  # a lone surrogate could not be sent at all


@given(st.text())
def test_escaped_text_parses_back_to_itself(text: str) -> None:
    assert parse_telegram_html(escape(text)) == (text, [])


def test_builders() -> None:
    assert bold("a<b") == "<b>a&lt;b</b>"
    assert italic(bold("x")) == "<i><b>x</b></i>"
    assert underline("u") + strike("s") + spoiler("p") == "<u>u</u><s>s</s><tg-spoiler>p</tg-spoiler>"
    assert code("if a < b:") == "<code>if a &lt; b:</code>"
    assert pre("x = 1", "python") == '<pre><code class="language-python">x = 1</code></pre>'
    assert blockquote("q", expandable=True) == "<blockquote expandable>q</blockquote>"
    with pytest.raises(ValueError):
        pre("x", 'python" onclick="')
    assert parse_telegram_html(pre("x = 1", "python")) == ("x = 1", [Entity("pre", 0, 5, language="python")])
    assert parse_telegram_html(blockquote("q", expandable=True))[1] == [Entity("expandable_blockquote", 0, 1)]


def test_html_composition_escapes_only_plain_strings() -> None:
    assert bold("a") + " & " + italic("b") == "<b>a</b> &amp; <i>b</i>"
    assert "<" + bold("a") == "&lt;<b>a</b>"
    assert Html("\n").join([bold("a"), "b&c"]) == "<b>a</b>\nb&amp;c"
    assert Html("<b>{}</b> said {}").format("A&B", italic("hi")) == "<b>A&amp;B</b> said <i>hi</i>"


def test_links() -> None:
    html = link("Reuters & co", "https://example.org/a?b=1&c=2")
    assert html == '<a href="https://example.org/a?b=1&amp;c=2">Reuters &amp; co</a>'
    assert parse_telegram_html(html) == (
        "Reuters & co",
        [Entity("text_link", 0, 12, url="https://example.org/a?b=1&c=2")],
    )
    assert parse_telegram_html(link("me", "tg://user?id=5"))[1] == [Entity("text_mention", 0, 2, user_id=5)]
    for bad_url in (
        "javascript:alert(1)",
        "ftp://example.org/",
        "mailto:a@example.org",
        "http://",
        "https://exa mple.org/",
        "https://example.org/\n",
        "example.org",
    ):
        with pytest.raises(ValueError):
            link("x", bad_url)
        assert link_or_text("a<b", bad_url) == "a&lt;b"
    assert link_or_text("x", None) == "x"
    odd = 'https://example.org/it\'s"quoted"<here>&amp'
    assert parse_telegram_html(link("x", odd))[1] == [Entity("text_link", 0, 1, url=odd)]
    assert link_or_text("x", "http://example.org/") == '<a href="http://example.org/">x</a>'


# -- strategies for documents ----------------------------------------------------------------------------------

TRICKY = [
    "<", ">", "&", "&amp;", '"', "'", "<b>", "</i>", "&lt", "&#60;", "😀", "👨‍👩‍👧", "🇺🇦🇬🇧", "e\u0301", "é",
    "שלום", "مرحبا بكم", "\u200f", "\u200b", "\u00a0", "\t", "\n", "\n\n", " ", "  ", ". ", "! ", "? ", "…",
    "𝕏", "\U00010348", "日本語", "Путин сказал", '"Quote," he said.',
]  # fmt: skip
any_char = st.characters(codec="utf-8")
words = st.lists(st.one_of(any_char, st.sampled_from(TRICKY)), max_size=30).map("".join)
long_word = st.builds(
    lambda unit, n: unit * n, st.sampled_from(["a", "я", "😀", "&", "<", "ab ", "x.\n"]), st.integers(50, 10_000)
)
plain = st.one_of(words, words, words, long_word)
url = st.sampled_from(["https://example.org/", "http://a.b/c?d=1&e=<2>", "tg://resolve?domain=x", "https://t.me/s/x"])
separator = st.sampled_from(["", " ", "\n", "\n\n", ". ", "\n\n\n"])

Builder = Callable[[str], Html]
wrappers: list[Builder] = [bold, italic, underline, strike, spoiler, blockquote]


def _wrap(pair: tuple[Builder, Html]) -> Html:
    return pair[0](pair[1])


def _join(parts: list[tuple[str, Html]]) -> Html:
    out = Html("")
    for sep, part in parts:
        out = out + sep + part
    return out


leaf = st.one_of(
    plain.map(escape),
    plain.map(code),
    st.builds(pre, plain, st.sampled_from([None, "python", "c++"])),
    st.builds(link, plain, url),
)
documents = st.recursive(
    leaf,
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(wrappers), inner).map(_wrap),
        st.builds(link, inner, url),
        st.lists(st.tuples(separator, inner), min_size=1, max_size=5).map(_join),
    ),
    max_leaves=8,
)
limits = st.one_of(st.integers(2, 60), st.integers(60, 600), st.just(4096))

heavy = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


EMPTY = "".join(sorted(EMPTY_CHARS))


Style = frozenset[tuple[str, str | None, str | None]]


def styles(text: str, entities: list[Entity]) -> list[Style]:
    """For every character of ``text``: the formatting that covers it (an entity covers the characters that
    start inside it, in UTF-16 units). One sweep over the characters: the documents run to many thousands."""
    starts = []
    unit = 0
    for ch in text:
        starts.append(unit)
        unit += 2 if ord(ch) > 0xFFFF else 1
    opening: dict[int, list[tuple[str, str | None, str | None]]] = defaultdict(list)
    closing: dict[int, list[tuple[str, str | None, str | None]]] = defaultdict(list)
    for e in entities:
        first, end = bisect_left(starts, e.offset), bisect_left(starts, e.offset + e.length)
        if first < end:
            opening[first].append((e.type, e.url, e.language))
            closing[end].append((e.type, e.url, e.language))
    covering: Counter[tuple[str, str | None, str | None]] = Counter()
    current: Style = frozenset()
    out = []
    for k in range(len(text)):
        if k in opening or k in closing:
            covering.update(opening.get(k, ()))
            covering.subtract(closing.get(k, ()))
            current = frozenset(key for key, n in covering.items() if n > 0)
        out.append(current)
    return out


def align(whole: str, parts: list[str]) -> list[int]:
    """Where each part starts in ``whole``, when whole = w0 p1 w1 ... pn wn with every w of EMPTY_CHARS only."""
    starts = []
    pos = 0
    for part in parts:
        k = pos
        while not whole.startswith(part, k):
            assert k < len(whole) and whole[k] in EMPTY_CHARS, f"text changed or lost before {part[:40]!r}"
            k += 1
        starts.append(k)
        pos = k + len(part)
    assert all(ch in EMPTY_CHARS for ch in whole[pos:]), f"text lost at the end: {whole[pos : pos + 40]!r}"
    return starts


# -- splitting: properties --------------------------------------------------------------------------------------


@heavy
@given(documents)
def test_render_counts_like_telegram(doc: Html) -> None:
    text, _ = parse_telegram_html(doc)  # the builders only ever produce valid HTML
    assert plain_text(doc) == text
    assert visible_length(doc) == tg.visible_length(doc) == utf16_len(text)


@pytest.mark.slow
@heavy
@given(documents, limits)
def test_split_chunks_are_valid_full_and_faithful(doc: Html, limit: int) -> None:
    chunks = split_message(doc, limit)
    original_text, original_entities = parse_telegram_html(doc)
    texts = []
    chunk_styles = []
    for chunk in chunks:
        text, entities = parse_telegram_html(chunk)  # valid Telegram HTML, or this raises
        assert utf16_len(text) <= limit
        tg.trim_text(*tg.clean_text(text, entities))  # Telegram would not call it empty (message_text's steps)
        texts.append(text)
        chunk_styles.append(styles(text, entities))
    starts = align(original_text, texts)  # nothing but spaces and invisible characters dropped, and only at cuts
    original_styles = styles(original_text, original_entities)
    for start, text, style in zip(starts, texts, chunk_styles, strict=True):
        assert style == original_styles[start : start + len(text)]  # formatting survives the cuts
    if not any(ch not in EMPTY_CHARS for ch in original_text):
        assert chunks == []


@heavy
@given(plain, limits)
def test_split_plain_text(text: str, limit: int) -> None:
    chunks = split_message(escape(text), limit)
    texts = [parse_telegram_html(chunk)[0] for chunk in chunks]
    assert all(0 < utf16_len(t) <= limit for t in texts)
    align(text, texts)


@heavy
@given(documents, st.integers(2, 400))
def test_truncate_is_valid_and_a_prefix(doc: Html, limit: int) -> None:
    short = truncate(doc, limit)
    text, _ = parse_telegram_html(short)
    original, _ = parse_telegram_html(doc)
    assert utf16_len(text) <= limit
    if short == doc:
        assert utf16_len(original) <= limit
    elif text.strip(EMPTY) != original.strip(EMPTY):  # something visible was cut off
        assert text.endswith("…")
        assert original.strip(EMPTY).startswith(text[:-1].strip(EMPTY))


# -- splitting: examples ----------------------------------------------------------------------------------------


def test_text_that_fits_comes_back_unchanged() -> None:
    html = "<b>Title</b>\n\nBody &amp; more"
    assert split_message(html) == [html]
    assert split_message(" \n ") == []
    assert split_message("") == []


def test_cuts_prefer_paragraphs_then_lines_then_sentences_then_spaces() -> None:
    a, b = "A" * 30, "B" * 30
    assert split_message(f"{a}\n{b[:5]}\n\n{b}", 50) == [f"{a}\n{b[:5]}", b]
    assert split_message(f"{a} {b[:5]}\n{b}", 50) == [f"{a} {b[:5]}", b]
    assert split_message("One sentence is here. Another one is here too", 30) == [
        "One sentence is here.",
        "Another one is here too",
    ]
    assert split_message("aaaa bbbb cccc dddd", 12) == ["aaaa bbbb", "cccc dddd"]
    # a break too early to be worth it (under half the limit) loses to a later, weaker one
    assert split_message("Hi.\n\n" + "word " * 10, 30) == [
        "Hi.\n\nword word word word word",
        "word word word word word",
    ]


def test_hard_cuts_respect_the_limit_and_characters() -> None:
    assert [len(c) for c in split_message("x" * 10_000)] == [4096, 4096, 1808]
    assert [len(c) for c in split_message("😀" * 3000)] == [2048, 952]
    family = "👨\u200d👩\u200d👧"  # 8 UTF-16 units, one picture
    for chunk in split_message(family * 20, 30):
        assert chunk.startswith("👨") and chunk.endswith("👧")
    for chunk in split_message("e\u0301" * 50, 7):
        assert chunk.startswith("e") and chunk.endswith("\u0301")
    for chunk in split_message("&amp;" * 5000):
        assert chunk == "&amp;" * (len(chunk) // 5)


def test_tags_are_closed_and_reopened_at_cuts() -> None:
    chunks = split_message(bold("word " * 2000), 4096)
    assert len(chunks) == 3
    assert all(c.startswith("<b>") and c.endswith("</b>") for c in chunks)
    chunks = split_message(link("read " * 100, "https://example.org/?a=1&b=2"), 100)
    assert all(c.startswith('<a href="https://example.org/?a=1&amp;b=2">') and c.endswith("</a>") for c in chunks)
    nested = split_message(blockquote(italic("x " * 100) + " tail"), 50)
    assert nested[0].startswith("<blockquote><i>") and nested[-1].endswith("tail</blockquote>")


def test_code_blocks_keep_their_indentation_and_language() -> None:
    source = "\n".join(f"    line {i}" for i in range(100))
    chunks = split_message(pre(source, "python"), 200)
    assert len(chunks) > 1
    for chunk in chunks:
        text, entities = parse_telegram_html(chunk)
        assert text.startswith("    line") and entities == [Entity("pre", 0, utf16_len(text), language="python")]


def test_never_an_empty_chunk() -> None:
    assert split_message("a" + " " * 10_000 + "b", 100) == ["a", "b"]
    assert split_message("a" + "\n" * 9000 + "b") == ["a", "b"]
    assert split_message(bold(" " * 5000) + "x", 4096) == ["x"]


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="not valid Telegram HTML"):
        split_message("<p>para</p>" + "x" * 5000)
    with pytest.raises(ValueError, match="not valid Telegram HTML"):
        split_message("<b>open" + "x" * 5000)
    with pytest.raises(ValueError):
        split_message("text", 1)


def test_truncate() -> None:
    assert truncate("short", 10) == "short"
    assert truncate(bold("one two three four five"), 12) == "<b>one two</b>…"
    assert truncate("x" * 50, 10) == "x" * 9 + "…"
