"""Paying an approved withdrawal to the card, exactly once.

Each attempt is a `Payout` whose reference the bank treats as an idempotency key: sending it again (a task
retried by Celery, a worker that died after the call, the beat job re-sending) returns the first payment's
state and moves no money. The outcome is applied by compare-and-set on the payout's status, so it is applied
once, and the ledger entries are keyed by the reference as well:

- paid: 提取待付款 (221) → 住房公积金存款 (101); the withdrawal is 已到账 and the member gets an SMS;
- refused: the attempt's debit is reversed, so the money is back in the member's account (and a closed
  account reopens as it was); the withdrawal waits as 付款失败待重试, and `payouts_retry_due` starts a new
  attempt (a new debit and a new reference) after a back-off, up to `MAX_ATTEMPTS`;
- still processing (a held payment): left pending; `payouts_poll` asks the bank again later.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from deposits.models import MemberAccount, MemberState
from fund.audit.masking import mask_bank_card
from fund.audit.services import audit_log
from fund.integrations import entrusted_bank
from fund.integrations.bank import bank_account_verify
from fund.integrations.base import IntegrationError
from fund.ledger import chart
from fund.ledger.models import BusinessType
from fund.ledger.services import credit, debit, entry_post, entry_reverse
from fund.money import format_money
from fund.people.roles import roles_of
from fund.validation import clean_bank_card

from ..models import Payout, PayoutStatus, Withdrawal, WithdrawalState
from .decision import _move, _notify, approve_and_instruct

MAX_ATTEMPTS = 3
BACKOFF = (timedelta(minutes=10), timedelta(hours=1), timedelta(hours=4))
POLL_AFTER = timedelta(minutes=1)


def payout_send(*, payout_id: int, payout: Payout | None = None) -> Payout:
    """Send one attempt to the bank and apply what it answers. Safe to call any number of times.

    `payout`: the attempt as the caller has just read it with its withdrawal (the decide task), to save a read."""
    if payout is None or payout.pk != payout_id:
        payout = Payout.objects.select_related("withdrawal").get(pk=payout_id)
    if payout.status != PayoutStatus.PENDING:
        return payout
    Payout.objects.filter(pk=payout.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    payment = entrusted_bank().payout(
        card_number=payout.card, name=payout.name, amount=payout.amount, reference=payout.reference,
        purpose=f"住房公积金提取 {payout.withdrawal.number}",
    )
    return payout_apply(payout_id=payout.pk, payment=payment)


def payout_apply(*, payout_id: int, payment: Any) -> Payout:
    """Apply the bank's answer (a `fund.integrations.bank.Payment`) to a pending attempt, once."""
    if not (payment.succeeded or payment.failed):
        return Payout.objects.get(pk=payout_id)
    with transaction.atomic():
        # The attempt and its withdrawal locked in one statement (each row read as it is once locked).
        payout = (Payout.objects.select_for_update(of=("self", "withdrawal"))
                  .select_related("withdrawal__account__person").get(pk=payout_id))
        if payout.status != PayoutStatus.PENDING:
            return payout
        withdrawal = payout.withdrawal
        now, today = timezone.now(), timezone.localdate()
        if payment.succeeded:
            posted = entry_post(
                business_type=BusinessType.GJ_CLOSING_WITHDRAWAL if withdrawal.closes_account
                else BusinessType.GJ_PARTIAL_WITHDRAWAL,
                reference=f"withdrawals:{withdrawal.number}", idempotency_key=f"withdrawals.paid:{payout.reference}",
                value_date=today, legs=[debit(chart.WITHDRAWAL_PAYABLE, payout.amount), credit(chart.BANK, payout.amount)],
                memo=f"提取 {withdrawal.number} 银行付款 {payment.bank_serial}",
            )
            settled = {"status": PayoutStatus.SUCCEEDED, "bank_serial": payment.bank_serial, "finished_at": now,
                       "settle_entry": posted.entry}
            Payout.objects.filter(pk=payout.pk).update(**settled)
            old = _move(withdrawal, WithdrawalState.PAID, paid_at=now, ended_at=now)
            audit_log(actor=None, action="withdrawals.paid", target=withdrawal, old={"state": old},
                      new={"state": WithdrawalState.PAID, "payout": payout.reference, "serial": payment.bank_serial})
            _notify(withdrawal, f"您的住房公积金提取（{withdrawal.number}）{format_money(payout.amount)} 元已转入尾号"
                                f"{payout.card[-4:]}的银行卡。")
        else:
            reversal = entry_reverse(entry=payout.debit_entry, value_date=today, actor=None,
                                     reason=f"付款失败退回：{payment.reason}"[:200])
            retry_after = now + BACKOFF[min(payout.attempt, len(BACKOFF)) - 1] if payout.attempt < MAX_ATTEMPTS else None
            settled = {"status": PayoutStatus.FAILED, "reason": payment.reason[:200], "finished_at": now,
                       "settle_entry": reversal.entry, "retry_after": retry_after}
            Payout.objects.filter(pk=payout.pk).update(**settled)
            if withdrawal.closes_account and withdrawal.prior_account_state:
                MemberAccount.objects.filter(pk=withdrawal.account_id, state=MemberState.WITHDRAWN).update(
                    state=withdrawal.prior_account_state
                )
            old = _move(withdrawal, WithdrawalState.PAYOUT_FAILED)
            audit_log(actor=None, action="withdrawals.payout_failed", target=withdrawal, old={"state": old},
                      new={"state": WithdrawalState.PAYOUT_FAILED, "payout": payout.reference, "reason": payment.reason,
                           "retry_after": retry_after})
            tail = "系统将自动重试" if retry_after else "请核对银行卡信息后联系中心重新付款"
            _notify(withdrawal, f"您的住房公积金提取（{withdrawal.number}）付款失败（{payment.reason}），"
                                f"款项已退回公积金账户，{tail}。")
        for name, value in settled.items():  # what the update wrote, without reading the row back
            setattr(payout, name, value)
        return payout


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
    with transaction.atomic():
        withdrawal = Withdrawal.objects.select_for_update().get(pk=withdrawal_id)
        if withdrawal.state != WithdrawalState.PAYOUT_FAILED:
            return withdrawal
        last = withdrawal.payouts.order_by("-attempt").first()
        if not force and (last is None or last.retry_after is None or last.retry_after > timezone.now()):
            return withdrawal
        if card and card != withdrawal.payee_card:
            Withdrawal.objects.filter(pk=withdrawal.pk).update(payee_card=card)
            audit_log(actor=actor, action="withdrawals.payee_changed", target=withdrawal,
                      old={"card": mask_bank_card(withdrawal.payee_card)}, new={"card": mask_bank_card(card)})
            withdrawal.payee_card = card
        return approve_and_instruct(withdrawal=withdrawal, decider=withdrawal.decider, note=withdrawal.decision_note,
                                    actor=actor)


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


def payouts_retry_due() -> int:
    """Beat: every failed withdrawal whose back-off has passed gets its next attempt."""
    due = Withdrawal.objects.filter(
        state=WithdrawalState.PAYOUT_FAILED, payouts__status=PayoutStatus.FAILED,
        payouts__retry_after__lte=timezone.now(),
    ).values_list("pk", flat=True).distinct()
    n = 0
    for pk in due:
        try:
            if payout_retry(withdrawal_id=pk).state == WithdrawalState.APPROVED:
                n += 1
        except ValidationError:
            continue
    return n


def payouts_poll() -> int:
    """Beat: pending attempts not settled a minute after they were requested are sent (or asked) again.
    The bank answers a known reference with its state and never pays it twice."""
    stale = Payout.objects.filter(status=PayoutStatus.PENDING, requested_at__lte=timezone.now() - POLL_AFTER)
    n = 0
    for pk in stale.values_list("pk", flat=True):
        try:
            payout_send(payout_id=pk)
            n += 1
        except IntegrationError:
            continue
    return n


def withdrawal_decide_and_send(*, withdrawal_id: int) -> tuple[Withdrawal, list[int]]:
    """Decide, and when approved send the payout at once rather than queue it behind other decisions.
    Returns the withdrawal and the payouts the bank did not answer for, which the caller hands to the
    payout task (the reference makes a resend safe; the beat job re-sends anything still pending)."""
    from .decision import withdrawal_decide

    withdrawal = withdrawal_decide(withdrawal_id=withdrawal_id, queue_payout=False)
    unsent: list[int] = []
    if withdrawal.state == WithdrawalState.APPROVED:
        # The attempt this decision made; a withdrawal approved before (the task run again) is read back.
        instructed = getattr(withdrawal, "instructed", None)
        pending = [instructed] if instructed is not None else withdrawal.payouts.filter(
            status=PayoutStatus.PENDING, sent_at__isnull=True).select_related("withdrawal")
        for payout in pending:
            try:
                payout_send(payout_id=payout.pk, payout=payout)
            except IntegrationError:
                unsent.append(payout.pk)
    return withdrawal, unsent
