"""Deposit services by topic: accounts (opening, a month's deposit), remittance (bills), interest
(annual settlement), base adjustment. Callers import from the topic module; the names below are the
account services most callers need."""

from .accounts import member_account_open, monthly_deposit_post, unit_account_open
from .contribution import base_bounds, monthly_amounts

__all__ = [
    "base_bounds", "member_account_open", "monthly_amounts", "monthly_deposit_post", "unit_account_open",
]
