"""The overdue rate (个贷逾期率) as a measure of 服务效能 (fund.measures): each month's value is the last daily
figure the nightly close wrote in that month (risk.services.rates, step 120) — the month-end value for a month
that is over, the latest for the month running — for the centre and each branch. A month without a close has
no figure, and the dashboard shows none rather than a zero."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fund.measures.registry import MeasureSource, SourceValues, register_measure_source

from .models import OverdueRate, Scope


def overdue_rate_by_month(month_start: date, month_end: date) -> SourceValues:
    """{branch id: rate, None: the centre's rate} on the last date of the month with a figure, per scope."""
    rows = (OverdueRate.objects.filter(on__gte=month_start, on__lte=month_end, scope__in=[Scope.CENTRE, Scope.BRANCH])
            .order_by("scope", "scope_id", "-on").distinct("scope", "scope_id").values_list("scope", "scope_id", "rate"))
    values: dict[int | None, Decimal] = {}
    for scope, scope_id, rate in rows:
        values[None if scope == Scope.CENTRE else scope_id] = rate
    return values


# Registered on import, from RiskConfig.ready (as the screening checks are).
register_measure_source(MeasureSource(
    code="overdue_rate", label="个贷逾期率", fn=overdue_rate_by_month, percent_places=4,
    note="逾期贷款余额 ÷ 贷款余额，取当月最后一个日终的数（全国 0.03%）；按贷款，不分事项",
))
