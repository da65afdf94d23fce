"""Risk's overdue rate is a measure source: each month's value is the last daily figure of that month, for the
centre and each branch; a month without a close has none."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from fund.measures.registry import measure_sources
from fund.measures.selectors import measures_report
from risk.measures import overdue_rate_by_month
from risk.models import OverdueRate

pytestmark = pytest.mark.django_db


def rate(on: date, value: str, scope: str = "centre", scope_id: int = 0) -> None:
    OverdueRate.objects.create(on=on, scope=scope, scope_id=scope_id, loans=1, loan_balance=Decimal("1"),
                               overdue_loans=0, overdue_balance=Decimal("0"), overdue_principal=Decimal("0"),
                               borrowers=0, rate=Decimal(value))


def test_the_month_takes_the_last_close_of_the_month_per_branch_and_centre(centre: Any) -> None:
    a, b = centre.branch_a.pk, centre.branch_b.pk
    rate(date(2026, 3, 15), "0.0010")
    rate(date(2026, 3, 31), "0.0003")
    rate(date(2026, 3, 20), "0.0050", "branch", a)
    rate(date(2026, 3, 31), "0.0009", "bank", 7)  # a bank's figure is not a branch's
    rate(date(2026, 4, 10), "0.0004")
    assert overdue_rate_by_month(date(2026, 3, 1), date(2026, 3, 31)) == {None: Decimal("0.0003"), a: Decimal("0.0050")}
    assert [s.code for s in measure_sources()] == ["overdue_rate"]

    report = measures_report(user=centre.director, start=date(2026, 2, 1), end=date(2026, 4, 1))
    assert [m.sources["overdue_rate"] for m in report.months] == [None, Decimal("0.0003"), Decimal("0.0004")]
    assert report.period_sources == {"overdue_rate": Decimal("0.0004")}
    # The branch head of B sees B's figure, which no close has written: none, not the centre's.
    mine = measures_report(user=centre.head_b, start=date(2026, 3, 1), end=date(2026, 3, 1))
    assert mine.months[0].sources["overdue_rate"] is None and b not in overdue_rate_by_month(date(2026, 3, 1),
                                                                                           date(2026, 3, 31))
