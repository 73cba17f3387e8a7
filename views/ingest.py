"""What an arrival's answer says besides its card: the notes above it."""

from __future__ import annotations

from usecases.ingest import Note
from views.i18n import render_reason, t
from views.render import escape


def render_note(note: Note, lang: str) -> str:
    """A one-line remark shown above the card: message `key` of [text], with a reason as {reason}."""
    values: dict[str, str] = {k: escape(v) for k, v in note.values.items()}
    if note.reason is not None:
        values["reason"] = render_reason(note.reason, lang)
    return t(lang, note.key, **values)
