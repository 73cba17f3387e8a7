"""Files people send: the article in a .txt, .md or .html document, or the reason there is none.

Pure CPU and no I/O, meant to run in a worker process (decoding and charset detection of a few megabytes, and
HTML extraction, are too slow for an event loop). The file's name says what it claims to be, its first bytes
what it is: a "report.txt" that starts with `%PDF-` is refused as the PDF it is, and a file with no known
suffix is taken when its declared type is text. Text is decoded from a byte order mark, else as UTF-8, else
from the charset a statistical detector finds (windows-1251 Russian, Latin-1 ...); bytes that no charset
reads as text are refused. Markdown is reduced to its words (headings, emphasis, links, images, code fences).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from analysis.html import BYTE_ORDER_MARKS, MIN_TEXT_CHARS, ExtractedPage, decode_body, extract_article

__all__ = [
    "HTML_SUFFIXES",
    "MARKDOWN_SUFFIXES",
    "TEXT_SUFFIXES",
    "DocumentRefused",
    "DocumentText",
    "decode_text",
    "markdown_to_text",
    "page_article",
    "read_document",
    "refusal_before_reading",
    "sniff",
]

TEXT_SUFFIXES = frozenset({".txt", ".text"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
_TEXT_TYPES = {"text/plain": "text", "text/markdown": "markdown", "text/x-markdown": "markdown"}
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


class DocumentRefused(Exception):
    """The file holds no article we can read. `key` says why: empty, pdf, image, office, archive, media,
    program, binary, encoding, unsupported (with `suffix`), no_article."""

    def __init__(self, key: str, **values: str) -> None:
        super().__init__(key)
        self.key = key
        self.values = values

    def __reduce__(self) -> tuple[object, ...]:
        # Raised in a worker process: the values must survive the trip back.
        return (_refused, (self.key, self.values))


def _refused(key: str, values: dict[str, str]) -> DocumentRefused:
    return DocumentRefused(key, **values)


@dataclass(frozen=True, slots=True)
class DocumentText:
    text: str  # the article: a title line first when the document declares one, then paragraphs
    kind: str  # "text", "markdown" or "html"
    title: str | None = None
    author: str | None = None
    published: date | datetime | None = None


# --- what the bytes are --------------------------------------------------------------------------------

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF87a", "image"),
    (b"GIF89a", "image"),
    (b"II*\x00", "image"),
    (b"MM\x00*", "image"),
    (b"PK\x03\x04", "archive"),  # also .docx, .xlsx, .epub, .odt: told apart below
    (b"PK\x05\x06", "archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "office"),  # .doc, .xls, .ppt
    (b"{\\rtf", "office"),
    (b"Rar!\x1a\x07", "archive"),
    (b"7z\xbc\xaf\x27\x1c", "archive"),
    (b"\x1f\x8b", "archive"),
    (b"\xfd7zXZ\x00", "archive"),
    (b"OggS", "media"),
    (b"fLaC", "media"),
    (b"\x1aE\xdf\xa3", "media"),  # Matroska, WebM
    (b"\x7fELF", "program"),
    (b"\xca\xfe\xba\xbe", "program"),
    (b"\xcf\xfa\xed\xfe", "program"),
)
_OFFICE_IN_ZIP = (b"word/", b"xl/", b"ppt/", b"mimetypeapplication/vnd.oasis", b"mimetypeapplication/epub")


def sniff(data: bytes) -> str | None:
    """What kind of non-text file `data` is by its first bytes ("pdf", "image", "office", "archive",
    "media", "program"), or None when it does not start like one."""
    if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return "image" if data[8:12] == b"WEBP" else "media"
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        return "image" if brand in (b"heic", b"heix", b"avif", b"mif1") else "media"
    # Signatures short enough to start a sentence ("BMW ...", "MZ ...") count only with the binary header
    # fields that follow them.
    if data[:2] == b"BM" and data[6:10] == b"\x00\x00\x00\x00":
        return "image"
    if data[:2] == b"MZ" and b"\x00" in data[2:64]:
        return "program"
    if data[:3] == b"ID3" and data[3:4] in (b"\x02", b"\x03", b"\x04"):
        return "media"
    if data[:3] == b"BZh" and data[4:10] == b"1AY&SY":
        return "archive"
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            if kind == "archive" and data.startswith(b"PK") and any(m in data[:2000] for m in _OFFICE_IN_ZIP):
                return "office"
            return kind
    return None


# --- decoding ------------------------------------------------------------------------------------------

_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd]")


def _mostly_text(text: str) -> bool:
    sample = text[:20_000]
    return len(_CONTROLS.findall(sample)) <= max(2, len(sample) // 200)


def decode_text(data: bytes) -> str:
    """The text in `data`; raises DocumentRefused("binary") for bytes that are not text, or ("encoding") for
    text in no charset that can be told."""
    for bom, name in BYTE_ORDER_MARKS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(name, errors="replace")
            if not _mostly_text(text):
                raise DocumentRefused("binary")
            return text
    if b"\x00" in data[:20_000]:
        raise DocumentRefused("binary")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _detected(data)
    if not _mostly_text(text):
        raise DocumentRefused("binary")
    return text


def _detected(data: bytes) -> str:
    from charset_normalizer import from_bytes  # installed with trafilatura

    sample = data if len(data) <= 200_000 else data[:100_000] + data[-100_000:]
    best = from_bytes(sample).best()
    # UTF-16/32 without a byte order mark is a detector's guess for odd bytes, never a real text file here.
    if best is None or best.encoding.startswith(("utf_16", "utf_32")) or best.chaos > 0.3:
        raise DocumentRefused("encoding")
    if _damaged_utf8(sample):
        # Mostly UTF-8 with a few broken bytes: any single-byte reading would turn every accented or
        # non-Latin letter into two wrong ones, so there is no text to take.
        raise DocumentRefused("encoding")
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        raise DocumentRefused("encoding") from None


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _damaged_utf8(data: bytes) -> bool:
    """Whether most bytes above ASCII form valid UTF-8 sequences (text in a single-byte charset seldom does:
    its letters are rarely followed by the bytes UTF-8 continues with)."""
    high = sum(1 for byte in data if byte >= 0x80)
    if high == 0:
        return False
    in_sequences = sum(len(match) for match in _UTF8_SEQUENCE.findall(data))
    return in_sequences >= 0.5 * high


# --- markdown ------------------------------------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_FRONT_TITLE = re.compile(r"^title:\s*(.+?)\s*$", re.MULTILINE | re.IGNORECASE)
_FENCE = re.compile(r"^\s*(?:```|~~~).*$", re.MULTILINE)
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_LINK = re.compile(r"\[([^\]\n]+)\]\([^)\n]*\)")
_REF_LINK = re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]")
_REF_DEFINITION = re.compile(r"^\s{0,3}\[[^\]\n]+\]:\s*\S+.*$", re.MULTILINE)
_HEADING = re.compile(r"^\s{0,3}#{1,6}[ \t]+(.*?)[ \t#]*$", re.MULTILINE)
_SETEXT = re.compile(r"^[ \t]*(?:=+|-+)[ \t]*$", re.MULTILINE)
_QUOTE_MARK = re.compile(r"^\s{0,3}>[ \t]?", re.MULTILINE)
_RULE = re.compile(r"^\s{0,3}(?:[-*_][ \t]*){3,}$", re.MULTILINE)
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(
    r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"  # *word*, not 2*3*4
    r"|(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])"  # _word_, not snake_case_names
)
_CODE = re.compile(r"`([^`\n]+)`")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def markdown_to_text(source: str) -> tuple[str | None, str]:
    """(title from the front matter, if any; the document's words without Markdown syntax)."""
    title = None
    front = _FRONT_MATTER.match(source)
    if front:
        found = _FRONT_TITLE.search(front.group(1))
        title = found.group(1).strip("\"'") if found else None
        source = source[front.end() :]
    text = _HTML_COMMENT.sub("", source)
    text = _FENCE.sub("", text)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _REF_DEFINITION.sub("", text)
    text = _HEADING.sub(r"\1", text)
    text = _RULE.sub("", text)
    text = _SETEXT.sub("", text)
    text = _QUOTE_MARK.sub("", text)
    text = _STRONG.sub(r"\2", text)
    text = _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), text)
    text = _CODE.sub(r"\1", text)
    return title, text


# --- the document --------------------------------------------------------------------------------------


def _suffix(file_name: str | None) -> str:
    name = (file_name or "").strip().lower()
    dot = name.rfind(".")
    return name[dot:] if dot > 0 else ""


def _kind(file_name: str | None, mime: str | None) -> str | None:
    suffix = _suffix(file_name)
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix:
        return None  # a suffix we do not read: the type a client guessed from it does not change that
    mime = (mime or "").split(";")[0].strip().lower()
    if mime in _HTML_TYPES:
        return "html"
    return _TEXT_TYPES.get(mime)


_SUFFIX_KINDS = {
    **dict.fromkeys((".pdf",), "pdf"),
    **dict.fromkeys((".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".bmp", ".tif", ".tiff", ".svg"), "image"),
    **dict.fromkeys(
        (".doc", ".docx", ".odt", ".rtf", ".xls", ".xlsx", ".ods", ".ppt", ".pptx", ".odp", ".epub", ".pages"),
        "office",
    ),
    **dict.fromkeys((".zip", ".rar", ".7z", ".gz", ".tgz", ".tar", ".bz2", ".xz"), "archive"),
    **dict.fromkeys((".mp3", ".mp4", ".m4a", ".ogg", ".oga", ".wav", ".mov", ".avi", ".mkv", ".webm"), "media"),
    **dict.fromkeys((".exe", ".msi", ".apk", ".dmg", ".deb", ".rpm", ".bin", ".so", ".dll"), "program"),
}


def refusal_before_reading(file_name: str | None, mime: str | None) -> DocumentRefused | None:
    """Why a file will not be read, judged from its name and declared type alone (so that it need not be
    downloaded), or None when it may hold an article."""
    if _kind(file_name, mime) is not None:
        return None
    suffix = _suffix(file_name)
    if suffix in _SUFFIX_KINDS:
        return DocumentRefused(_SUFFIX_KINDS[suffix])
    main = (mime or "").split("/")[0].strip().lower()
    declared = {"application/pdf": "pdf"}.get((mime or "").split(";")[0].strip().lower())
    kind = declared or {"image": "image", "audio": "media", "video": "media"}.get(main)
    if kind is not None:
        return DocumentRefused(kind)
    return DocumentRefused("unsupported", suffix=suffix or "no suffix")


def read_document(file_name: str | None, data: bytes, mime: str | None = None) -> DocumentText:
    """The article in a file; raises DocumentRefused with the reason when there is none."""
    what = sniff(data)
    if what is not None:
        raise DocumentRefused(what)
    early = refusal_before_reading(file_name, mime)
    if early is not None:
        raise early
    kind = _kind(file_name, mime) or "text"  # not None: refusal_before_reading said so
    if not data.strip():
        raise DocumentRefused("empty")
    if kind == "html":
        page = extract_article(data)
        if page is None:
            raise DocumentRefused("no_article")
        text = f"{page.title}\n\n{page.text}" if page.title else page.text
        return DocumentText(text, kind, page.title, page.author, page.published)
    text = decode_text(data)
    title = None
    if kind == "markdown":
        title, text = markdown_to_text(text)
        if title:
            text = f"{title}\n\n{text}"
    if not text.strip():
        raise DocumentRefused("empty")
    return DocumentText(text, kind, title)


def page_article(body: bytes, url: str | None, charset: str | None, html: bool) -> ExtractedPage | None:
    """The article in a fetched page: extracted from HTML, or a plain-text page's own text. None when the page
    has no article text."""
    if html:
        return extract_article(body, url, charset)
    text = decode_body(body, charset)
    if not _mostly_text(text) or len(text.strip()) < MIN_TEXT_CHARS:
        return None
    return ExtractedPage(title=None, author=None, published=None, text=text.strip(), lang=None, site_name=None)
