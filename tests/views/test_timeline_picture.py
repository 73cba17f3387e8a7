"""The time line as a picture: it decodes, it is phone-sized, labels never overlap, Cyrillic and dark mode."""

from __future__ import annotations

import io
import itertools
import warnings
from datetime import date, datetime, timedelta

import matplotlib.image
import pytest
from PIL import Image

from analysis.pipeline import analyze
from analysis.timeline import sort_key
from tests.e2e.timeline_articles import ARCHIVE_TALKS
from views.timeline_picture import MAX_HEIGHT_PX, WIDTH_PX, PictureEvent, PictureSpec, draw, render_png

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def article_spec(dark: bool = False) -> PictureSpec:
    """The events of a test-written article shaped like the seed, as the bot builds them."""
    analysis = analyze(ARCHIVE_TALKS, datetime(2025, 11, 20))
    events = tuple(
        PictureEvent(
            e.sort_key,
            sort_key(e.end_value) if e.end_value else "",
            e.label,
            f"{e.speaker}: {e.text}" if e.speaker else e.text,
            "#1 talks.txt",
        )
        for e in analysis.events
    )
    assert len(events) >= 5
    return PictureSpec("Timeline of #1 · Archive Opens Record", "6 dated events from 1 article", events, "en", dark)


def many_events(n: int = 200) -> PictureSpec:
    start = date(1950, 3, 1)
    events = []
    for i in range(n):
        day = start + timedelta(days=(i * i * 37) % (75 * 365))
        events.append(
            PictureEvent(
                day.isoformat(),
                "",
                day.strftime("%d %b %Y"),
                f"Event number {i} with a line long enough to wrap over two or three lines of the label",
                f"#{i % 17 + 1} wire",
            )
        )
    return PictureSpec("Timeline: many things", f"{n} dated events", tuple(events))


def decode(png: bytes) -> Image.Image:
    assert png.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(png))
    image.load()
    assert matplotlib.image.imread(io.BytesIO(png), format="png").shape[:2] == (image.height, image.width)
    return image


def pixel_boxes(spec: PictureSpec) -> tuple[list[tuple[float, float, float, float]], list[list[tuple]]]:
    """Each label's box and the extents of its texts as the renderer draws them, in display pixels."""
    drawn = draw(spec)
    renderer = drawn.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    height = drawn.figure.bbox.height
    boxes = [(x, height - y - h, x + w, height - y) for x, y, w, h in drawn.label_boxes]
    texts = [[t.get_window_extent(renderer).extents for t in artists] for artists in drawn.label_texts]
    return boxes, texts


def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def assert_readable_layout(spec: PictureSpec) -> None:
    boxes, texts = pixel_boxes(spec)
    assert boxes
    for a, b in itertools.combinations(boxes, 2):
        assert not overlap(a, b), (a, b)
    for box, extents in zip(boxes, texts, strict=True):
        for x0, y0, x1, y1 in extents:  # every text stays inside its own label
            assert box[0] <= x0 and x1 <= box[2] + 0.5 and box[1] - 0.5 <= y0 and y1 <= box[3] + 0.5, (box, x0, y1)
    every = [e for extents in texts for e in extents]
    for a, b in itertools.combinations(every, 2):
        assert not overlap(a, b) or a == b


def test_the_articles_time_line_is_a_phone_sized_png() -> None:
    png = render_png(article_spec())
    image = decode(png)
    assert image.width == WIDTH_PX and 400 <= image.height <= MAX_HEIGHT_PX
    assert image.getpixel((5, 5))[:3] == (255, 255, 255)


def test_the_articles_labels_do_not_overlap() -> None:
    assert_readable_layout(article_spec())


@pytest.mark.slow
def test_two_hundred_events_are_grouped_by_period_and_stay_readable() -> None:
    spec = many_events(200)
    drawn = draw(spec)
    assert 1 < len(drawn.label_boxes) <= 16  # grouped, not 200 labels
    assert_readable_layout(spec)
    image = decode(render_png(spec))
    assert image.width == WIDTH_PX and image.height <= MAX_HEIGHT_PX


def test_dark_mode_has_a_dark_background_and_light_text() -> None:
    image = decode(render_png(article_spec(dark=True))).convert("RGB")
    r, g, b = image.getpixel((5, 5))
    assert r + g + b < 120
    title_pixels = [image.getpixel((x, 40)) for x in range(36, 400)]
    assert max(sum(p) for p in title_pixels) > 600  # the title is drawn light


def test_cyrillic_renders_with_no_missing_glyph() -> None:
    spec = PictureSpec(
        "Хронология: Путин",
        "событий с датами: 2 · время — как в статьях",
        (
            PictureEvent("1954-01-01", "", "1954", "Советский Союз подал заявку на вступление в НАТО", "#1 РИА"),
            PictureEvent("2022-02-24", "", "24 февраля 2022", "Началось полномасштабное вторжение", "#2 ТАСС"),
        ),
        "ru",
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = render_png(spec)
    assert not [w for w in caught if "missing from" in str(w.message).lower()]
    decode(png)
    assert_readable_layout(spec)
