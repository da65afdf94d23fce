"""The schedule as a picture: each year's principal and interest as stacked bars, drawn on the server as SVG
(no script, no CDN), so the member sees at a glance how the interest share shrinks as the balance falls."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from fund.money import ZERO

from .services.schedule_store import ScheduleRow

WIDTH, HEIGHT = 720, 220
LEFT, RIGHT, TOP, BOTTOM = 56, 8, 12, 28


@dataclass(frozen=True)
class Bar:
    year: int
    principal: Decimal
    interest: Decimal
    projected: bool
    x: float
    width: float
    principal_y: float
    principal_height: float
    interest_y: float
    interest_height: float
    label: bool

    @property
    def title(self) -> str:
        kind = "（预计）" if self.projected else ""
        return f"{self.year}年{kind}：本金 {self.principal:,.2f} 元，利息 {self.interest:,.2f} 元"


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    top_value: Decimal
    axis_y: float
    left: int
    top: int


def schedule_chart(rows: Sequence[ScheduleRow]) -> Chart | None:
    """Yearly bars from the schedule's rows (stored and projected); None when there is nothing to draw."""
    years: dict[int, list[Decimal]] = {}
    projected: dict[int, bool] = {}
    for row in rows:
        totals = years.setdefault(row.due_on.year, [ZERO, ZERO])
        totals[0] += row.principal
        totals[1] += row.interest
        projected[row.due_on.year] = projected.get(row.due_on.year, True) and row.projected
    if not years:
        return None
    top = max(p + i for p, i in years.values()) or Decimal(1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / len(years)
    every = max(1, len(years) // 10)  # at most about ten year labels under the bars
    bars = []
    for index, (year, (principal, interest)) in enumerate(sorted(years.items())):
        p_h = float(principal / top) * plot_h
        i_h = float(interest / top) * plot_h
        base = TOP + plot_h
        bars.append(Bar(year=year, principal=principal, interest=interest, projected=projected[year],
                        x=round(LEFT + index * step + step * 0.15, 1), width=round(step * 0.7, 1),
                        principal_y=round(base - p_h, 1), principal_height=round(p_h, 1),
                        interest_y=round(base - p_h - i_h, 1), interest_height=round(i_h, 1),
                        label=index % every == 0))
    return Chart(width=WIDTH, height=HEIGHT, bars=bars, top_value=top, axis_y=TOP + plot_h, left=LEFT, top=TOP)
