"""The withdrawal's move table, and what every withdrawal service tells the member. Shared by the decision,
the payout and the application modules, which import it and never each other's private helpers."""

from __future__ import annotations

from django.db import transaction

from fund.workflow.moves import MoveTable

from ..models import PAYOUT_PURPOSE, Withdrawal, WithdrawalState

S = WithdrawalState

__all__ = ["PAYOUT_PURPOSE", "WITHDRAWAL_MOVES", "payee_of", "withdrawal_notify"]

WITHDRAWAL_MOVES = MoveTable(Withdrawal, noun="提取", moves={
    S.SUBMITTED: {S.REVIEW, S.APPROVED, S.REJECTED, S.CANCELLED},
    S.REVIEW: {S.APPROVED, S.REJECTED, S.CANCELLED},
    S.APPROVED: {S.PAID, S.PAYOUT_FAILED},
    # A refused payout's money is back in the account: the next attempt takes it again.
    S.PAYOUT_FAILED: {S.APPROVED},
})


def withdrawal_notify(withdrawal: Withdrawal, text: str) -> None:
    """Text the member after commit (nothing is sent for a transaction that rolls back)."""
    phone = withdrawal.account.person.phone
    if not phone:
        return
    from fund.people.tasks import send_sms

    transaction.on_commit(lambda: send_sms.delay(phone, text), robust=True)


def payee_of(withdrawal: Withdrawal) -> tuple[str, str]:
    """The card (and holder) every attempt of this withdrawal pays: the one the business names. A standing
    withdrawal pays the card its instruction was signed for; any other, the card on the withdrawal (given at
    submission, or named by the window at a retry, `payout_retry`). Never the account's card on file: that
    card was not what the member signed or asked for, and the texts and the instruction would name another."""
    standing = withdrawal.standing if withdrawal.standing_id is not None else None
    if standing is not None:
        return standing.payee_card, standing.payee_name
    return withdrawal.payee_card, withdrawal.payee_name
