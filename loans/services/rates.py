"""PLACEHOLDER for L1: `loan_rate` (the merger keeps L1's)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fund.policy.selectors import policy_value


def loan_rate(*, home_order: str, term_months: int, on: date) -> Decimal:
    """Annual % (2.600) for a first or second home over the term: the policy keeps fractions."""
    which = "second" if home_order == "second" else "first"
    span = "upto5" if term_months <= 60 else "over5"
    return (Decimal(policy_value(f"loan_rate_{which}_{span}", on=on)) * 100).quantize(Decimal("0.001"))
