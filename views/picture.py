"""What a time line picture shows, as plain data, and the call that draws it.

Drawing needs matplotlib, which takes longer to import than the rest of the bot: it is imported by the
process that draws (a worker of the pool), on the first picture, not by every process that starts.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PictureEvent:
    start: str  # "YYYY-MM-DD": the first day the date can mean (the event's sort key)
    end: str  # "YYYY-MM-DD" of the end of a period it spans; "" for a point
    label: str  # the date as people read it: "early October 2025"
    text: str
    source: str  # where it comes from: "#3 BBC News"


@dataclass(frozen=True, slots=True)
class PictureSpec:
    title: str
    subtitle: str  # what the picture covers and the chat's time zone
    events: tuple[PictureEvent, ...]
    lang: str = "en"
    dark: bool = False


def render_png(spec: PictureSpec) -> bytes:
    """The picture as PNG bytes. Runs in a worker process."""
    from views import timeline_picture  # matplotlib: see the module's docstring

    return timeline_picture.render_png(spec)
