"""The money-per-month chart of a what-if, drawn server-side as SVG: two bars a month, as decided and under the
draft, on one scale."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from fund.money import format_money

from .selectors import MonthRow

WIDTH, HEIGHT, LEFT, TOP, BOTTOM = 520, 220, 70, 16, 190


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    title: str
    draft: bool


@dataclass(frozen=True)
class Label:
    x: int
    text: str


@dataclass(frozen=True)
class MoneyChart:
    bars: list[Bar]
    labels: list[Label]
    top_label: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    axis_y: int = BOTTOM


def money_chart(months: list[MonthRow]) -> MoneyChart | None:
    if not months:
        return None
    peak = max(max(m.old_moved, m.new_moved) for m in months) or Decimal(1)
    slot = (WIDTH - LEFT - 10) // len(months)
    bar = max(4, min(28, (slot - 8) // 2))
    bars, labels = [], []
    for i, m in enumerate(months):
        x = LEFT + i * slot + max(0, (slot - 2 * bar) // 2)
        for j, (value, draft) in enumerate(((m.old_moved, False), (m.new_moved, True))):
            h = int(Decimal(BOTTOM - TOP) * value / peak)
            who = "模拟" if draft else "原审批"
            bars.append(Bar(x=x + j * bar, y=BOTTOM - h, width=bar - 1, height=h, draft=draft,
                            title=f"{m.month:%Y年%m月} {who} {format_money(value)} 元"))
        labels.append(Label(x=x + bar, text=f"{m.month:%Y-%m}"))
    return MoneyChart(bars=bars, labels=labels, top_label=f"{format_money(peak)}")
