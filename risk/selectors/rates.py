"""Read helpers of the overdue rate series (个贷逾期率) and the five-tier classification. Placeholder until they
land: the dashboard reads `rate_series` and `tier_counts`."""

from __future__ import annotations

from datetime import date
from typing import Any


def rate_series(user: Any, *, on: date, days: int = 90) -> list[dict[str, Any]]:
    """The daily centre-wide series (the user's branch for branch staff) up to `on`, oldest first:
    [{"date": date, "rate": Decimal (a fraction: 0.0003 = 0.03 %), "overdue_balance": Decimal,
      "loan_balance": Decimal, "borrowers": int (overdue borrowers)}]"""
    return []


def tier_counts(user: Any, *, on: date) -> list[dict[str, Any]]:
    """Loans by five-tier class as of `on`: [{"tier": code, "label": 正常/关注/…, "count": int, "balance": Decimal}]"""
    return []
