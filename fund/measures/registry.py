"""Measures that other lines compute from their own tables: a line registers a source, the efficiency figures
show its value per month beside the ones computed from the register of applications.

fund never imports a business line: risk fills the overdue rate (个贷逾期率) in risk/measures.py. A source is
not per catalogue item (a loan book's overdue rate belongs to no single item); it answers per branch and for
the centre.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

# A source's answer for one month: value by branch id, and under None the centre-wide value. A branch or the
# centre without a figure that month is simply absent.
SourceValues = dict[int | None, Decimal]


@dataclass(frozen=True)
class MeasureSource:
    code: str  # "overdue_rate"
    label: str  # 个贷逾期率
    # fn(month_start, month_end) — the first and last day of the month, both included.
    fn: Callable[[date, date], SourceValues]
    percent_places: int = 2  # a fraction shown as a percentage to this many places (0.0003 → 0.0300%)
    note: str = ""  # how it is taken, for the page: 月末日终数


_SOURCES: dict[str, MeasureSource] = {}


def register_measure_source(source: MeasureSource) -> None:
    """Register (or replace: ready() may run twice) one source of a monthly figure."""
    _SOURCES[source.code] = source


def unregister_measure_source(code: str) -> None:
    _SOURCES.pop(code, None)


def measure_sources() -> list[MeasureSource]:
    return list(_SOURCES.values())
