"""The overdue rate by day as an SVG line drawn server-side (no script, no CDN): the points, the axis labels and
the rate in words, for risk/staff/_rate_chart.html."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

WIDTH, HEIGHT, LEFT, TOP, BOTTOM = 640, 200, 64, 12, 28


def rate_text(rate: Decimal) -> str:
    """A fraction as a percentage to four places: 0.0003 → 0.0300%; the national line is 0.03 %."""
    return f"{Decimal(rate) * 100:.4f}%"


@dataclass(frozen=True)
class RateChart:
    width: int
    height: int
    left: int
    top: int
    axis_y: int
    points: str  # "x,y x,y …" for <polyline>
    dots: list[dict[str, Any]]
    top_label: str
    first_label: str
    last_label: str


def rate_chart(series: list[dict[str, Any]]) -> RateChart | None:
    """The series (oldest first, as `rate_series` gives it) as a chart, or None with fewer than one point."""
    if not series:
        return None
    axis_y = HEIGHT - BOTTOM
    high = max((row["rate"] for row in series), default=Decimal("0"))
    high = high if high > 0 else Decimal("0.0001")
    span = WIDTH - LEFT - 8
    step = span / max(len(series) - 1, 1)
    dots = []
    for i, row in enumerate(series):
        x = round(LEFT + i * step, 1)
        y = round(axis_y - float(row["rate"] / high) * (axis_y - TOP), 1)
        dots.append({"x": x, "y": y, "title": f"{row['date']:%Y-%m-%d} {rate_text(row['rate'])}，"
                                            f"逾期借款人 {row.get('borrowers', 0)} 人"})
    return RateChart(width=WIDTH, height=HEIGHT, left=LEFT, top=TOP, axis_y=axis_y,
                     points=" ".join(f"{d['x']},{d['y']}" for d in dots), dots=dots, top_label=rate_text(high),
                     first_label=f"{series[0]['date']:%m-%d}", last_label=f"{series[-1]['date']:%m-%d}")


def rate_bars(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of `rate_breakdown` for includes/bar_chart.html (bar length relative to the worst)."""
    high = max((r["rate"] for r in rows), default=Decimal("0"))
    return [{"label": r["name"], "value": rate_text(r["rate"]),
             "percent": round(float(r["rate"] / high) * 100, 1) if high > 0 else 0} for r in rows]
