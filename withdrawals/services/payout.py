"""Paying an approved withdrawal to the card, exactly once, through `fund.payments`.

The decision takes the money into 提取待付款 (221) and makes the payment; the payments service sends each
attempt under its reference (the bank's idempotency key) and applies the answer once. This module is the
withdrawal's part of each outcome, registered as the `withdrawals.payout` purpose:

- paid: 221 → 住房公积金存款 (101) is posted by the payments service; the withdrawal is 已到账 and the member
  gets an SMS;
- refused: the attempt's debit is reversed, so the money is back in the member's account (and a closed account
  reopens as it was, through deposits); the withdrawal waits as 付款失败待重试, and the payments service makes
  the next attempt (a new debit, `withdrawal_take`, and a new reference) after the policy's back-off, then hands
  the payment to people;
- still processing (a held payment): left pending; the payments poll asks the bank again later.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from deposits.services.account_closing import account_reopen_after_refused_payout
from fund.audit.masking import mask_bank_card
from fund.audit.services import audit_log
from fund.integrations.bank import bank_account_verify
from fund.integrations.base import IntegrationError
from fund.ledger import chart
from fund.ledger.models import JournalEntry
from fund.ledger.services import entry_reverse
from fund.money import format_money
from fund.payments.models import AttemptStatus, Payment, PaymentAttempt
from fund.payments.purposes import NextAttempt, Purpose, register_purpose
from fund.payments.services import attempt_send, payment_of, payment_retry
from fund.people.roles import roles_of
from fund.validation import clean_bank_card
from fund.workflow.moves import move_status

from ..models import Withdrawal, WithdrawalState
from .decision import withdrawal_decide, withdrawal_take
from .states import PAYOUT_PURPOSE, WITHDRAWAL_MOVES, withdrawal_notify


def _locked(payment: Payment) -> Withdrawal:
    return Withdrawal.objects.select_for_update(of=("self",)).select_related("account__person").get(
        pk=payment.subject_id)


def _paid(payment: Payment, attempt: PaymentAttempt) -> None:
    withdrawal = _locked(payment)
    now = timezone.now()
    move_status(withdrawal, WithdrawalState.PAID, table=WITHDRAWAL_MOVES, action="withdrawals.paid", actor=None,
                note={"payout": attempt.reference, "serial": attempt.bank_serial}, paid_at=now, ended_at=now)
    withdrawal_notify(withdrawal, f"您的住房公积金提取（{withdrawal.number}）{format_money(attempt.amount)} 元已转入尾号"
                                  f"{attempt.payee_account[-4:]}的银行卡。")


def _refused(payment: Payment, attempt: PaymentAttempt) -> JournalEntry | None:
    """The money back into the member's account, the account reopened as it was, the withdrawal waiting."""
    withdrawal = _locked(payment)
    reversal = None
    if attempt.hold_entry is not None:
        reversal = entry_reverse(entry=attempt.hold_entry, value_date=timezone.localdate(), actor=None,
                                 reason=f"付款失败退回：{attempt.reason}"[:200]).entry
    if withdrawal.closes_account and withdrawal.prior_account_state:
        account_reopen_after_refused_payout(account=withdrawal.account, prior_state=withdrawal.prior_account_state,
                                            withdrawal_number=withdrawal.number)
    move_status(withdrawal, WithdrawalState.PAYOUT_FAILED, table=WITHDRAWAL_MOVES, action="withdrawals.payout_failed",
                actor=None, note={"payout": attempt.reference, "reason": attempt.reason,
                                  "retry_after": payment.retry_after})
    tail = "系统将自动重试" if payment.retry_after else "请核对银行卡信息后联系中心重新付款"
    withdrawal_notify(withdrawal, f"您的住房公积金提取（{withdrawal.number}）付款失败（{attempt.reason}），"
                                  f"款项已退回公积金账户，{tail}。")
    return reversal


def _next_attempt(payment: Payment, number: int, actor: Any) -> NextAttempt:
    """Take the money again for the next attempt (a refused attempt's money went back to the account)."""
    withdrawal = _locked(payment)
    if withdrawal.state != WithdrawalState.PAYOUT_FAILED:
        raise WITHDRAWAL_MOVES.refusal(withdrawal.state, WithdrawalState.APPROVED, "重新付款")
    taken = withdrawal_take(withdrawal=withdrawal, account=None, attempt=number, actor=actor)
    return NextAttempt(amount=taken.amount, payee_account=taken.card, payee_name=taken.name, hold_entry=taken.entry)


def _reference(payment: Payment, number: int) -> str:
    return f"{payment.ledger_reference.removeprefix('withdrawals:')}-{number}"


register_purpose(Purpose(
    code=PAYOUT_PURPOSE, label="提取付款", debit_account=chart.WITHDRAWAL_PAYABLE, reference=_reference,
    on_paid=_paid, on_refused=_refused, on_retry=_next_attempt,
))


def payout_retry(*, withdrawal_id: int, actor: Any = None, force: bool = False, payee_card: str = "") -> Withdrawal:
    """Start the next attempt of a withdrawal whose last payout failed: when its back-off has passed, or at
    once by a window clerk (`force`). Every attempt pays the card the withdrawal names (`payee_of`); the clerk
    may name another with `payee_card` (the member's new card after a refused one), checked with the bank first.
    A standing withdrawal keeps its instruction's card: a new card is a new instruction."""
    card = (payee_card or "").strip()
    if force and (actor is None or not roles_of(actor).can_accept):
        raise PermissionDenied("只有受理岗可以重新付款")
    if card:
        if not force:
            raise PermissionDenied("只有受理岗可以改付至新银行卡")
        card = _new_payee_card(Withdrawal.objects.get(pk=withdrawal_id), card)
    withdrawal = Withdrawal.objects.get(pk=withdrawal_id)
    payment = payment_of(withdrawal, PAYOUT_PURPOSE)
    if payment is None:
        return withdrawal
    with transaction.atomic():
        # The payment first, then the withdrawal: the order every applier of a bank answer locks them in.
        Payment.objects.select_for_update().filter(pk=payment.pk).exists()
        withdrawal = Withdrawal.objects.select_for_update().get(pk=withdrawal_id)
        if withdrawal.state != WithdrawalState.PAYOUT_FAILED:
            return withdrawal
        if card and card != withdrawal.payee_card:
            Withdrawal.objects.filter(pk=withdrawal.pk).update(payee_card=card)
            audit_log(actor=actor, action="withdrawals.payee_changed", target=withdrawal,
                      old={"card": mask_bank_card(withdrawal.payee_card)}, new={"card": mask_bank_card(card)})
        payment_retry(payment_id=payment.pk, actor=actor, force=force)
    withdrawal.refresh_from_db()
    return withdrawal


def _new_payee_card(withdrawal: Withdrawal, card: str) -> str:
    """The card a clerk names for the next attempt, cleaned and known to the bank under the payee's name.
    Asks the bank, so it runs before the retry's transaction."""
    if withdrawal.standing_id is not None:
        raise ValidationError({"payee_card": ["逐月提取按协议约定的还款卡付款；更换银行卡请终止协议后重新签订"]})
    if withdrawal.state != WithdrawalState.PAYOUT_FAILED:
        raise ValidationError({"state": [f"提取状态为“{withdrawal.get_state_display()}”，不能改付"]})
    try:
        card = clean_bank_card(card)
    except ValidationError as exc:
        raise ValidationError({"payee_card": list(exc.messages)}) from exc
    bank_account_verify(field="payee_card", label="收款银行卡号", account_number=card, name=withdrawal.payee_name)
    return card


def withdrawal_decide_and_send(*, withdrawal_id: int) -> tuple[Withdrawal, list[int]]:
    """Decide, and when approved send the payout at once rather than queue it behind other decisions.
    Returns the withdrawal and the attempts the bank did not answer for, which the caller hands to the
    payments task (the reference makes a resend safe; the poll re-sends anything still pending)."""
    withdrawal = withdrawal_decide(withdrawal_id=withdrawal_id, queue_payout=False)
    unsent: list[int] = []
    if withdrawal.state == WithdrawalState.APPROVED:
        # The attempt this decision made (or, the task run again, the one it made before), read back.
        for attempt in withdrawal.payouts.filter(status=AttemptStatus.PENDING, sent_at__isnull=True).select_related(
                "payment"):
            try:
                attempt_send(attempt_id=attempt.pk, attempt=attempt)
            except IntegrationError:
                unsent.append(attempt.pk)
    return withdrawal, unsent
