"""A time line drawn as a picture: a PNG for `/timeline`'s 🖼 Picture button and `precis timeline --png`.

The picture is 1280 px wide, what a phone shows a photo at full width. A horizontal axis at the top runs at
the scale of the events (decades, years, months or days), with a break (≈) where a decade or more is empty;
each event is a mark on the axis and a label below it: its date, its line wrapped to a readable width, where
it comes from. Labels are placed one by one at the first height where they touch no label already placed,
so none overlaps another; when there are more events than fit as labels, events are grouped by period
(decade, year, month or day) and each group gets one label that lists its first events.

Drawing is CPU work: it runs in the worker pool (through views.picture.render_png), never on the event
loop. matplotlib's Agg backend draws without a display, and the font is the DejaVu Sans that ships inside
matplotlib, which covers Latin and Cyrillic on any machine.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import FancyBboxPatch

from views.picture import PictureEvent, PictureSpec

# The figure is drawn on an Agg canvas of its own; pyplot and a display are never used.
matplotlib.use("Agg")

WIDTH_PX = 1280
DPI = 100
MAX_LABELS = 16  # more events than this are grouped by period
MAX_HEIGHT_PX = 6000
_LABEL_WIDTH_PX = 390
_MARGIN_PX = 36
_AXIS_Y_PX = 150  # from the top
_GAP_PX = 14
_LINE_PX = 22.5  # one line of a label's text: 12 pt at 100 dpi with 1.35 line spacing
_LINES = 4  # most lines of an event's text
_BREAK_YEARS = 10  # a gap longer than this between events is drawn as a break
_FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"

_MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "ru": ("янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"),
}
_MORE = {"en": "and {n} more", "ru": "и ещё {n}"}
_EVENTS = {"en": "{n} events", "ru": "событий: {n}"}


@dataclass(frozen=True, slots=True)
class Theme:
    background: str
    text: str
    muted: str
    axis: str
    mark: str
    box: str
    edge: str


LIGHT = Theme("#ffffff", "#1b1b1f", "#5c5f66", "#33363d", "#2a6fdb", "#f3f5f9", "#c9d1de")
DARK = Theme("#17181c", "#eceef2", "#a4a9b3", "#c5c9d1", "#6ea8ff", "#24262d", "#3a3e48")


@dataclass(slots=True)
class _Label:
    x: float  # the mark on the axis, px from the left
    x_end: float  # the end of a span's bar; == x for a point
    date: str
    lines: list[str]
    source: str
    box: tuple[float, float, float, float] = (0, 0, 0, 0)  # left, top, width, height in px from the top-left


@dataclass(slots=True)
class Drawn:
    """The figure and where its labels went, in pixels from the top-left (for checks)."""

    figure: Figure
    label_boxes: list[tuple[float, float, float, float]] = field(default_factory=list)
    label_texts: list[list[Any]] = field(default_factory=list)  # the text artists of each label
    texts: list[Any] = field(default_factory=list)


def render_png(spec: PictureSpec) -> bytes:
    """The picture as PNG bytes. Runs in a worker process."""
    drawn = draw(spec)
    out = io.BytesIO()
    drawn.figure.savefig(out, format="png", dpi=DPI, facecolor=drawn.figure.get_facecolor())
    return out.getvalue()


def draw(spec: PictureSpec) -> Drawn:
    theme = DARK if spec.dark else LIGHT
    regular = FontProperties(fname=str(_FONT_DIR / "DejaVuSans.ttf"))
    bold = FontProperties(fname=str(_FONT_DIR / "DejaVuSans-Bold.ttf"))
    scale = _Scale([e for e in spec.events], WIDTH_PX - 2 * _MARGIN_PX - 40)
    labels = _labels(spec, scale)
    height = _place(labels)
    height_px = min(max(height + 80, 420), MAX_HEIGHT_PX)
    figure = Figure(figsize=(WIDTH_PX / DPI, height_px / DPI), dpi=DPI, facecolor=theme.background)
    FigureCanvasAgg(figure)
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, WIDTH_PX)
    ax.set_ylim(height_px, 0)  # y grows downwards, as the layout's pixels do
    ax.axis("off")
    drawn = Drawn(figure)

    def text(x: float, y: float, s: str, size: float, font: FontProperties, color: str, **kw: Any) -> Any:
        artist = ax.text(x, y, s, fontproperties=font, fontsize=size, color=color, **kw)
        drawn.texts.append(artist)
        return artist

    text(_MARGIN_PX, 22, _shorten(spec.title, 70), 20, bold, theme.text, va="top")
    text(_MARGIN_PX, 62, spec.subtitle, 12.5, regular, theme.muted, va="top")
    # The axis, its ticks and breaks.
    left, right = scale.x_of(scale.first), scale.x_of(scale.last)
    for a, b in scale.segments_px():
        ax.plot([a, b], [_AXIS_Y_PX, _AXIS_Y_PX], color=theme.axis, linewidth=2.2, solid_capstyle="butt")
    for x in scale.breaks_px():
        text(x, _AXIS_Y_PX, "≈", 18, bold, theme.axis, ha="center", va="center")
    for x, tick in scale.ticks(spec.lang):
        ax.plot([x, x], [_AXIS_Y_PX - 6, _AXIS_Y_PX + 6], color=theme.axis, linewidth=1.2)
        text(x, _AXIS_Y_PX - 12, tick, 11, regular, theme.muted, ha="center", va="bottom")
    del left, right
    for label in labels:
        lx, top, w, h = label.box
        anchor_x = min(max(label.x, lx + 8), lx + w - 8)
        ax.plot([label.x, anchor_x], [_AXIS_Y_PX, top], color=theme.edge, linewidth=1, zorder=1)
        if label.x_end > label.x + 1:  # a span, or a group's period
            ax.plot([label.x, label.x_end], [_AXIS_Y_PX, _AXIS_Y_PX], color=theme.mark, linewidth=5, alpha=0.55)
        ax.plot([label.x], [_AXIS_Y_PX], marker="o", markersize=8, color=theme.mark, zorder=3)
        ax.add_patch(
            FancyBboxPatch(
                (lx, top),
                w,
                h,
                boxstyle="round,pad=0,rounding_size=8",
                facecolor=theme.box,
                edgecolor=theme.edge,
                linewidth=1,
                zorder=2,
            )
        )
        artists = [text(lx + 12, top + 10, label.date, 13.5, bold, theme.text, va="top", zorder=4)]
        for i, line in enumerate(label.lines):
            artists.append(text(lx + 12, top + 40 + _LINE_PX * i, line, 12, regular, theme.text, va="top", zorder=4))
        artists.append(text(lx + 12, top + h - 9, label.source, 10.5, regular, theme.muted, va="bottom", zorder=4))
        drawn.label_boxes.append(label.box)
        drawn.label_texts.append(artists)
    return drawn


# -- the time scale ----------------------------------------------------------------------------------------


def _day(key: str) -> date:
    try:
        return date.fromisoformat(key[:10])
    except ValueError:
        return date(int(key[:4]), 1, 1)


class _Scale:
    """Days to pixels, piecewise: stretches with events run at one scale, empty decades shrink to a break."""

    def __init__(self, events: Sequence[PictureEvent], width: float) -> None:
        days = sorted({_day(e.start).toordinal() for e in events} | {_day(e.end).toordinal() for e in events if e.end})
        if not days:
            days = [date.today().toordinal()]
        self.first, self.last = days[0], days[-1]
        self.days = days
        # Stretches: runs of dates with no gap longer than _BREAK_YEARS.
        stretches: list[list[int]] = [[days[0], days[0]]]
        for d in days[1:]:
            if d - stretches[-1][1] > _BREAK_YEARS * 365:
                stretches.append([d, d])
            else:
                stretches[-1][1] = d
        self.stretches = stretches
        break_px = 46.0
        usable = width - break_px * (len(stretches) - 1)
        spans = [max(b - a, 1) for a, b in stretches]
        total = sum(spans)
        # Every stretch gets room in proportion to its length, and at least some room of its own.
        floor = min(120.0, usable / len(stretches))
        widths = [max(floor, usable * s / total) for s in spans]
        shrink = usable / sum(widths)
        self.widths = [w * shrink for w in widths]
        self.lefts: list[float] = []
        x = _MARGIN_PX + 20.0
        for w in self.widths:
            self.lefts.append(x)
            x += w + break_px

    def x_of(self, ordinal: int) -> float:
        for (a, b), left, w in zip(self.stretches, self.lefts, self.widths, strict=True):
            if ordinal <= b or (a, b) == tuple(self.stretches[-1]):
                if b == a:
                    return left + w / 2
                return left + w * (min(max(ordinal, a), b) - a) / (b - a)
        return self.lefts[-1] + self.widths[-1]

    def segments_px(self) -> list[tuple[float, float]]:
        return [(left - 10, left + w + 10) for left, w in zip(self.lefts, self.widths, strict=True)]

    def breaks_px(self) -> list[float]:
        return [(self.lefts[i] + self.widths[i] + self.lefts[i + 1]) / 2 for i in range(len(self.lefts) - 1)]

    def ticks(self, lang: str) -> list[tuple[float, str]]:
        """Tick marks at the scale of each stretch: decades, years, months or days."""
        out: list[tuple[float, str]] = []
        months = _MONTHS.get(lang, _MONTHS["en"])
        for (a, b), w in zip(self.stretches, self.widths, strict=True):
            first, last = date.fromordinal(a), date.fromordinal(b)
            span_days = b - a
            candidates: list[tuple[date, str]] = []
            whole_years = all(date.fromordinal(d).timetuple().tm_yday == 1 for d in self.days if a <= d <= b)
            if span_days == 0 or (whole_years and span_days <= 40 * 365):
                step = 1 if span_days < 12 * 365 else 2 if span_days < 24 * 365 else 5
                candidates = [(date(y, 1, 1), str(y)) for y in range(first.year, last.year + 1) if y % step == 0]
            elif span_days > 40 * 365:
                candidates = [(date(y, 1, 1), str(y)) for y in range(first.year // 10 * 10, last.year + 1, 10)]
            elif span_days > 3 * 365:
                step = 1 if span_days < 12 * 365 else 2 if span_days < 24 * 365 else 5
                candidates = [(date(y, 1, 1), str(y)) for y in range(first.year, last.year + 1) if y % step == 0]
            elif span_days > 62:
                d = date(first.year, first.month, 1)
                while d <= last:
                    name = months[d.month - 1] + (f" {d.year}" if d.month == 1 or not candidates else "")
                    candidates.append((d, name))
                    d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
            else:
                d = first
                while d <= last:
                    candidates.append((d, f"{d.day} {months[d.month - 1]}"))
                    d = date.fromordinal(d.toordinal() + max(1, span_days // 8))
            if not candidates:
                candidates = [(first, str(first.year))]
            inside = [(self.x_of(d.toordinal()), name) for d, name in candidates if a <= d.toordinal() <= b]
            if not inside:
                inside = [(self.x_of(a), str(first.year))]
            # Keep ticks apart: at most one per 70 px.
            kept: list[tuple[float, str]] = []
            for x, name in inside:
                if not kept or x - kept[-1][0] >= 70:
                    kept.append((x, name))
            out += kept[: max(1, int(w // 70) + 1)]
        return out


# -- labels ------------------------------------------------------------------------------------------------


_MEASURE = RendererAgg(WIDTH_PX, 100, DPI)
_BODY = FontProperties(fname=str(_FONT_DIR / "DejaVuSans.ttf"), size=12)
_DATE = FontProperties(fname=str(_FONT_DIR / "DejaVuSans-Bold.ttf"), size=13.5)
_SOURCE = FontProperties(fname=str(_FONT_DIR / "DejaVuSans.ttf"), size=10.5)
_TEXT_PX = _LABEL_WIDTH_PX - 24  # a label's padding is 12 px on each side


def _width_px(text: str, font: FontProperties = _BODY) -> float:
    """The drawn width of a line in pixels, measured by the renderer that draws it."""
    width, _, _ = _MEASURE.get_text_width_height_descent(text, font, ismath=False)
    return float(width)


def _fit(text: str, font: FontProperties) -> str:
    """The line shortened with "…" until it fits a label."""
    while len(text) > 1 and _width_px(text, font) > _TEXT_PX:
        text = text[:-2].rstrip() + "…"
    return text


def _wrap(text: str, lines: int = _LINES, indent: str = "") -> list[str]:
    """Lines that fit the label, measured in pixels; the last shortened with "…" when there are too many."""
    wrapped: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if _width_px(indent + candidate) <= _TEXT_PX or not current:
            current = candidate
        else:
            wrapped.append(current)
            current = word
        if len(wrapped) > lines:
            break
    wrapped.append(current)
    wrapped = [w if _width_px(indent + w) <= _TEXT_PX else _cut(w, indent) for w in wrapped]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = _cut(wrapped[-1] + " …", indent)
    return wrapped


def _cut(line: str, indent: str = "") -> str:
    while len(line) > 1 and _width_px(indent + line) > _TEXT_PX:
        line = line[:-2].rstrip() + "…"
    return line


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _labels(spec: PictureSpec, scale: _Scale) -> list[_Label]:
    events = sorted(spec.events, key=lambda e: e.start)
    if len(events) <= MAX_LABELS:
        return [
            _Label(
                scale.x_of(_day(e.start).toordinal()),
                scale.x_of(_day(e.end).toordinal()) if e.end else scale.x_of(_day(e.start).toordinal()),
                _fit(e.label, _DATE),
                _wrap(e.text),
                _fit(e.source, _SOURCE),
            )
            for e in events
        ]
    return _grouped(events, spec.lang, scale)


def _grouped(events: list[PictureEvent], lang: str, scale: _Scale) -> list[_Label]:
    """Many events: one label per period, the coarsest unit that brings them under MAX_LABELS."""
    months = _MONTHS.get(lang, _MONTHS["en"])
    units = (
        ("day", lambda d: (d.year, d.month, d.day), lambda d: f"{d.day} {months[d.month - 1]} {d.year}"),
        ("month", lambda d: (d.year, d.month), lambda d: f"{months[d.month - 1]} {d.year}"),
        ("year", lambda d: (d.year,), lambda d: str(d.year)),
        ("decade", lambda d: (d.year // 10,), lambda d: f"{d.year // 10 * 10}s"),
        ("century", lambda d: (d.year // 100,), lambda d: f"{d.year // 100 * 100}s"),
    )
    groups: list[list[PictureEvent]] = []
    name = units[-1][2]
    for _, key, unit_name in units:
        name = unit_name
        groups = []
        last: tuple[int, ...] | None = None
        for e in events:
            k = key(_day(e.start))
            if k != last:
                groups.append([])
                last = k
            groups[-1].append(e)
        if len(groups) <= MAX_LABELS:
            break
    labels = []
    for group in groups:
        first, last_day = _day(group[0].start), _day(group[-1].start)
        shown = group[:3]
        lines = []
        for e in shown:
            wrapped = _wrap(e.text, 2, indent="• ")
            lines += ["• " + line if i == 0 else "   " + line for i, line in enumerate(wrapped)]
        if len(group) > len(shown):
            lines.append(_MORE.get(lang, _MORE["en"]).format(n=len(group) - len(shown)))
        sources = sorted({e.source.split(" ")[0] for e in group}, key=lambda n: (len(n), n))  # #2 before #10
        labels.append(
            _Label(
                scale.x_of(first.toordinal()),
                scale.x_of(last_day.toordinal()),
                _fit(f"{name(first)} · " + _EVENTS.get(lang, _EVENTS["en"]).format(n=len(group)), _DATE),
                lines,
                _fit(", ".join(sources), _SOURCE),
            )
        )
    return labels


def _label_height(label: _Label) -> float:
    return 44 + _LINE_PX * len(label.lines) + 30


def _place(labels: list[_Label]) -> float:
    """Each label near its mark, at the first height where it overlaps no label placed before it, moved
    sideways when that is much higher; returns the bottom of the lowest label."""
    placed: list[tuple[float, float, float, float]] = []
    bottom = float(_AXIS_Y_PX)
    lowest, highest = float(_MARGIN_PX), float(WIDTH_PX - _MARGIN_PX - _LABEL_WIDTH_PX)
    for label in labels:
        height = _label_height(label)
        preferred = min(max(label.x - _LABEL_WIDTH_PX / 2, lowest), highest)
        options = {preferred, lowest, highest}
        step = (_LABEL_WIDTH_PX + _GAP_PX) / 2
        for k in range(1, 8):
            options |= {min(max(preferred + sign * k * step, lowest), highest) for sign in (1, -1)}
        best: tuple[float, float, float] | None = None  # cost, top, left
        for left in sorted(options):
            top = _free_top(placed, left, height)
            cost = top + 0.35 * abs(left - preferred)
            if best is None or cost < best[0]:
                best = (cost, top, left)
        assert best is not None
        _, top, left = best
        label.box = (left, top, float(_LABEL_WIDTH_PX), height)
        placed.append(label.box)
        bottom = max(bottom, top + height)
    return bottom


def _free_top(placed: list[tuple[float, float, float, float]], left: float, height: float) -> float:
    top = _AXIS_Y_PX + 40.0
    moved = True
    while moved:
        moved = False
        for px, py, pw, ph in placed:
            beside = left < px + pw + _GAP_PX and px < left + _LABEL_WIDTH_PX + _GAP_PX
            if beside and top < py + ph + _GAP_PX and py < top + height + _GAP_PX:
                top = py + ph + _GAP_PX
                moved = True
    return top
