"""Monthly trends as SVG line charts drawn on the server (no script, no CDN), like risk's overdue rate chart:
one or more lines over the report's months, for measures/staff/_line_chart.html."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

WIDTH, HEIGHT, LEFT, TOP, BOTTOM, RIGHT = 640, 200, 64, 12, 28, 8
COLOURS = ("var(--c-primary)", "var(--c-success)", "var(--c-warning)", "var(--c-accent)", "var(--c-danger)")


@dataclass(frozen=True)
class Line:
    label: str
    colour: str
    points: str  # "x,y x,y …" for <polyline>; a month without a value is left out
    dots: list[dict[str, Any]]


@dataclass(frozen=True)
class LineChart:
    title: str
    width: int
    height: int
    left: int
    top: int
    axis_y: int
    top_label: str
    lines: list[Line]
    x_labels: list[dict[str, Any]]


def line_chart(title: str, months: Sequence[date], series: Sequence[tuple[str, Sequence[Decimal | None]]],
               fmt: Callable[[Decimal], str], *, high: Decimal | None = None) -> LineChart | None:
    """`series` are (label, one value or None per month); the scale runs from 0 to `high` (default: the largest
    value). None when no series has a value."""
    values = [v for _, vs in series for v in vs if v is not None]
    if not values or not months:
        return None
    top = high if high is not None else max(values)
    top = top if top > 0 else Decimal(1)
    axis_y = HEIGHT - BOTTOM
    step = (WIDTH - LEFT - RIGHT) / max(len(months) - 1, 1)
    xs = [round(LEFT + i * step, 1) for i in range(len(months))]
    lines = []
    for index, (label, vs) in enumerate(series):
        dots = [{"x": xs[i], "y": round(axis_y - float(v / top) * (axis_y - TOP), 1),
                 "title": f"{months[i]:%Y-%m} {label} {fmt(v)}"} for i, v in enumerate(vs) if v is not None]
        lines.append(Line(label=label, colour=COLOURS[index % len(COLOURS)], dots=dots,
                          points=" ".join(f"{d['x']},{d['y']}" for d in dots)))
    # Month labels under the axis: every month up to twelve, then every other / third … so they never overlap.
    every = max(1, -(-len(months) // 12))
    x_labels = [{"x": xs[i], "text": f"{m:%y-%m}" if m.month == 1 or i == 0 else f"{m:%m}"}
                for i, m in enumerate(months) if i % every == 0]
    return LineChart(title=title, width=WIDTH, height=HEIGHT, left=LEFT, top=TOP, axis_y=axis_y,
                     top_label=fmt(top), lines=lines, x_labels=x_labels)


def percent_text(value: Decimal | None, places: int = 2) -> str:
    """A fraction as a percentage: 0.4444 → 44.44%; None → —."""
    if value is None:
        return "—"
    return f"{Decimal(value) * 100:.{places}f}%"


def number_text(value: Decimal | None, places: int = 2) -> str:
    return "—" if value is None else f"{value:.{places}f}"


def minutes_text(minutes: Decimal | None) -> str:
    """29.5 → "29.5分钟", 130 → "2小时10分", 3000 → "2.1天"; None → "—"."""
    if minutes is None:
        return "—"
    if minutes < 60:
        return f"{minutes.normalize():f}分钟" if minutes == minutes.to_integral() else f"{minutes}分钟"
    if minutes < 24 * 60:
        hours, rest = divmod(int(minutes.to_integral()), 60)
        return f"{hours}小时{rest}分" if rest else f"{hours}小时"
    return f"{minutes / 1440:.1f}天"
