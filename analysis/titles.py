"""The title of an article that has no headline: its first words, cut at a word boundary.

Computed once, when an article is stored (and again when its analysis finds the cleaned text), so the card,
the digest, `/quotes`, `/timeline` and every export show the same words.
"""

from __future__ import annotations

TITLE_CHARS = 60  # about eight words: enough to recognise an article in a list, short enough for one line


def first_words(text: str, limit: int = TITLE_CHARS) -> str | None:
    """The first line of `text` up to `limit` characters, cut after a whole word with "…"; None when empty."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    line = " ".join(line.split())
    if not line:
        return None
    if len(line) <= limit:
        return line
    cut = line[: limit + 1]
    space = cut.rfind(" ")
    # A single word longer than the limit is cut inside it rather than left whole.
    head = cut[:space] if space > limit // 3 else line[:limit]
    return head.rstrip(" ,;:.—–-") + "…"
