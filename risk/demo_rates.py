"""Demo: the risk steps of the close (五级分类, 个贷逾期率, 征信告知 and 贷后停缴) run over the demo's loans for
today, so the pages show what the close keeps; and 89 earlier days of the series for the chart.

The earlier days are made up for the demonstration (the close can only measure the book as it stands): the
centre's and each branch's rows of today, scaled along a falling line from one and a half times today's rate (the way
Liaoyuan brought its rate from 0.51 % to 0.1 %), marked by nothing else — a demo database only.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from .models import OverdueRate
from .services.rates import classification_step, overdue_rate_step
from .services.warnings import warnings_step

HISTORY_DAYS = 89


def demo_rates(*, today: date) -> None:
    """Run the steps for `today`, then write the earlier days of the series from today's rows."""
    classification_step(today)
    overdue_rate_step(today)
    warnings_step(today)
    rows = list(OverdueRate.objects.filter(on=today))
    earlier = []
    for back in range(1, HISTORY_DAYS + 1):
        factor = Decimal(1) + Decimal("0.5") * back / HISTORY_DAYS  # half as much again 89 days ago
        wobble = Decimal((back * 37) % 11 - 5) / 200  # a little day-to-day noise, deterministic
        for row in rows:
            overdue = min(row.loan_balance, (row.overdue_balance * (factor + wobble)).quantize(Decimal("0.01")))
            rate = (overdue / row.loan_balance).quantize(Decimal("0.0000000001")) if row.loan_balance else Decimal(0)
            earlier.append(OverdueRate(
                on=today - timedelta(days=back), scope=row.scope, scope_id=row.scope_id, loans=row.loans,
                loan_balance=row.loan_balance, overdue_loans=row.overdue_loans, overdue_balance=overdue,
                overdue_principal=row.overdue_principal, borrowers=row.borrowers, rate=rate,
            ))
    OverdueRate.objects.bulk_create(earlier, ignore_conflicts=True)
