"""Deposit services by topic: accounts (opening, a month's deposit), remittance (bills), interest
(annual settlement), base adjustment. Callers import from the topic module; the names below are the
account services most callers need."""

from .accounts import (
    add_months,
    base_bounds,
    first_of_month,
    member_account_open,
    monthly_amounts,
    monthly_deposit_post,
    unit_account_open,
)

__all__ = [
    "add_months", "base_bounds", "first_of_month", "member_account_open", "monthly_amounts",
    "monthly_deposit_post", "unit_account_open",
]
