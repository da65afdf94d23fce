"""Withdrawal services: submission (application), 秒批 and review (decision), bank payouts through fund.payments (payout), and
standing instructions (standing)."""

from .application import withdrawal_cancel, withdrawal_submit
from .decision import withdrawal_decide, withdrawal_review
from .payout import payout_retry
from .standing import standing_end, standing_run, standing_sign

__all__ = [
    "payout_retry", "standing_end", "standing_run",
    "standing_sign", "withdrawal_cancel", "withdrawal_decide", "withdrawal_review", "withdrawal_submit",
]
