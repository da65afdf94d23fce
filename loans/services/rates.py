"""The fund loan rate (贷款利率) by home order and term, as policy sets it on a day (PBoC: first home ≤ 5 years
2.10 %, > 5 years 2.60 %; second home 2.525 % / 3.075 % from 2025-05-08)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fund.policy.selectors import policy_value

from ..models import HomeOrder

FIVE_YEARS = 60
HUNDRED = Decimal("100")
RATE_PLACES = Decimal("0.001")


def rate_policy_name(*, home_order: str, term_months: int) -> str:
    order = "second" if home_order == HomeOrder.SECOND else "first"
    span = "upto5" if term_months <= FIVE_YEARS else "over5"
    return f"loan_rate_{order}_{span}"


def loan_rate(*, home_order: str, term_months: int, on: date) -> Decimal:
    """The annual rate in percent (Decimal("2.600")) for a loan of `term_months` on a first or second home,
    as in force on `on`. Policy keeps it as a fraction; loans and the schedule speak percent."""
    if home_order not in (HomeOrder.FIRST, HomeOrder.SECOND):
        raise ValueError(f"no fund loan rate for home order {home_order!r}")
    fraction = Decimal(policy_value(rate_policy_name(home_order=home_order, term_months=term_months), on))
    return (fraction * HUNDRED).quantize(RATE_PLACES)
