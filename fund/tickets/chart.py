"""The reply rate and the on-time rate by month as paired SVG bars drawn server-side (no script, no CDN), for
tickets/staff/_rates_chart.html."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

WIDTH, HEIGHT, LEFT, TOP, BOTTOM, RIGHT = 640, 220, 44, 12, 30, 8


def _height(rate: Decimal | None, span: int) -> float:
    return 0.0 if rate is None else round(float(rate) * span, 1)


def rates_chart(months: list[dict[str, Any]]) -> dict[str, Any] | None:
    """{"width", "height", "left", "axis_y", "grid": [{"y", "label"}], "groups": [{"label", "bars": [{"x", "y",
    "width", "height", "tone", "title"}]}]} for the months (oldest first) of `ticket_rates`, or None when empty."""
    if not months:
        return None
    axis_y = HEIGHT - BOTTOM
    span = axis_y - TOP
    slot = (WIDTH - LEFT - RIGHT) / len(months)
    bar = max(min(slot * 0.35, 28), 3)
    groups = []
    for index, row in enumerate(months):
        x0 = LEFT + index * slot + (slot - 2 * bar) / 2
        bars = []
        for offset, (key, tone, name) in enumerate((("reply_rate", "primary", "答复率"), ("on_time_rate", "success", "按时率"))):
            rate = row[key]
            height = _height(rate, span)
            shown = "—" if rate is None else f"{rate * 100:.1f}%"
            bars.append({"x": round(x0 + offset * bar, 1), "y": round(axis_y - height, 1), "width": round(bar - 1, 1),
                         "height": height, "tone": tone, "title": f"{row['month']:%Y-%m} {name} {shown}"})
        groups.append({"label": f"{row['month']:%y-%m}", "x": round(LEFT + index * slot + slot / 2, 1), "bars": bars})
    grid = [{"y": round(axis_y - span * share / 100, 1), "label": f"{share}%"} for share in (0, 50, 100)]
    return {"width": WIDTH, "height": HEIGHT, "left": LEFT, "axis_y": axis_y, "grid": grid, "groups": groups}
