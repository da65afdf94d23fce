"""Posting: the only code that writes journal lines, sub-ledger rows and sub-account balances.

By topic: `posting` (one entry: entry_post, entry_reverse, debit, credit, sub_account_open), `set_posting`
(one entry over many sub-accounts in SQL: entry_post_set) and `interest` (settlement, 积数 to a day, interest
on closing). Callers import from here.
"""

from ..models import interest_period_start
from .interest import (
    PeriodAccumulation,
    Settled,
    accumulation_through,
    interest_settle_set,
    sub_account_interest_close,
)
from .posting import (
    BALANCE_FIELDS,
    InsufficientBalance,
    Leg,
    Movement,
    Posted,
    PostingError,
    chart_accounts,
    chart_forget,
    credit,
    debit,
    entry_post,
    entry_reverse,
    sub_account_open,
)
from .set_posting import entry_post_set

__all__ = [
    "BALANCE_FIELDS", "InsufficientBalance", "Leg", "Movement", "PeriodAccumulation", "Posted", "PostingError",
    "Settled", "accumulation_through", "chart_accounts", "chart_forget", "credit", "debit", "entry_post",
    "entry_post_set", "entry_reverse", "interest_period_start", "interest_settle_set", "sub_account_interest_close",
    "sub_account_open",
]
