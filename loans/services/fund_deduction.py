"""自愿扣划 in the nightly close. PLACEHOLDER for H3."""

from datetime import date
from decimal import Decimal


def fund_deduct_due(loan_id: int, on: date) -> Decimal:
    """Take what the loan owes on `on` from its agreed fund accounts; returns the amount taken. PLACEHOLDER for H3."""
    return Decimal("0.00")
