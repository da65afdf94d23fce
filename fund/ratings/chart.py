"""Horizontal bars drawn server-side as SVG (no script, no chart library): the stars of the ratings page and the
scores of the window assessment. The geometry is computed here; ratings/_bars.html draws it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

WIDTH, LEFT, RIGHT, ROW, TOP = 640, 120, 70, 24, 8


@dataclass(frozen=True)
class Bar:
    label: str
    text: str  # the value as shown at the bar's end
    title: str  # the tooltip
    x: int
    y: int
    width: float
    text_x: float  # where the value's text starts, just past the bar
    tone: str  # "good" / "bad" / "" (CSS colour picked by the template)


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int
    caption: str
    bars: list[Bar]


def bar_chart(rows: Sequence[tuple[str, Decimal | int | float, str, str]], *, caption: str,
              tone: str = "") -> BarChart | None:
    """`rows` are (label, value, text, tone); bars are as long as value ÷ the largest value (a value at or
    below zero draws no bar, its text still shows). None without rows."""
    if not rows:
        return None
    high = max((float(value) for _, value, _, _ in rows), default=0.0)
    span = WIDTH - LEFT - RIGHT
    bars = []
    for index, (label, value, text, row_tone) in enumerate(rows):
        length = round(span * float(value) / high, 1) if high > 0 and float(value) > 0 else 0.0
        bars.append(Bar(label=label[:10], text=text, title=f"{label}：{text}", x=LEFT, y=TOP + index * ROW,
                        width=length, text_x=round(LEFT + length + 6, 1), tone=row_tone or tone))
    return BarChart(width=WIDTH, height=TOP * 2 + ROW * len(rows), left=LEFT, caption=caption, bars=bars)
