"""The overdue rate's trend as a server-drawn SVG line (no script, no CDN), in the manner of
loans/schedule_chart.py: the page gets coordinates, the template draws them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

WIDTH, HEIGHT = 640, 200
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 12, 28


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    title: str


@dataclass(frozen=True)
class RateChart:
    width: int
    height: int
    left: int
    top: int
    axis_y: int
    right_x: int
    points: list[Point]
    polyline: str
    top_label: str  # the highest rate on the axis, as a percentage
    first_label: str
    last_label: str


def percent_text(rate: Decimal) -> str:
    """0.0003 → "0.030%"."""
    return f"{(rate * 100).quantize(Decimal('0.001'))}%"


def rate_chart(series: list[dict[str, Any]]) -> RateChart | None:
    """The series (oldest first, each {"date", "rate", …}) scaled into the box; None when there is nothing to
    draw. The top of the axis is the highest rate (at least 0.05 %, so a flat zero line sits at the bottom)."""
    if not series:
        return None
    top_rate = max([Decimal(str(p["rate"])) for p in series] + [Decimal("0.0005")])
    inner_w, axis_y = WIDTH - LEFT - RIGHT, HEIGHT - BOTTOM
    inner_h = axis_y - TOP
    step = inner_w / (len(series) - 1) if len(series) > 1 else 0
    points = []
    for index, p in enumerate(series):
        rate = Decimal(str(p["rate"]))
        x = round(LEFT + index * step, 1) if len(series) > 1 else LEFT + inner_w / 2
        y = round(axis_y - float(rate / top_rate) * inner_h, 1)
        points.append(Point(x=x, y=y, title=f"{p['date']:%Y-%m-%d} 逾期率 {percent_text(rate)}"))
    return RateChart(
        width=WIDTH, height=HEIGHT, left=LEFT, top=TOP, axis_y=axis_y, right_x=WIDTH - RIGHT, points=points,
        polyline=" ".join(f"{pt.x},{pt.y}" for pt in points), top_label=percent_text(top_rate),
        first_label=f"{series[0]['date']:%m-%d}", last_label=f"{series[-1]['date']:%m-%d}",
    )
