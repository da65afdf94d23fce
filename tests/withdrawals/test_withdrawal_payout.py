"""Paying out: a refused payment puts the money back and is retried; a held one is polled; a closing
withdrawal's account reopens and closes again; and however often the tasks run, the member is paid once."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.utils import timezone

from deposits.models import MemberAccount, MemberState
from fund.integrations.models import PaymentStatus, SandboxBankAccount, SandboxBankPayment
from fund.ledger.models import JournalEntry
from fund.ledger.selectors import ledger_reconcile
from fund.payments.models import AttemptStatus as PayoutStatus
from fund.payments.models import Payment, PaymentAttempt
from fund.payments.services import attempt_send, payments_poll, payments_retry_due
from fund.policy.selectors import policy_value
from tests.withdrawals.conftest import submit_decided
from withdrawals.models import Withdrawal, WithdrawalState
from withdrawals.services import payout_retry, withdrawal_decide, withdrawal_submit

pytestmark = pytest.mark.django_db


def rent(wd: Any, capture: Any, amount: str = "1500.00") -> Withdrawal:
    return submit_decided(capture, actor=wd.world.member_a, account=wd.account, reason="07", amount=amount)


def bank(wd: Any, **flags: bool) -> None:
    SandboxBankAccount.objects.filter(pk=wd.bank_account.pk).update(**flags)


def paid_to_card(wd: Any) -> Decimal:
    rows = SandboxBankPayment.objects.filter(account_number=wd.card, status=PaymentStatus.SUCCEEDED)
    return rows.aggregate(s=Sum("amount"))["s"] or Decimal("0.00")


def make_due(w: Withdrawal) -> None:
    """Let the back-off pass (a payment without a retry_after — after the last attempt — is left without one)."""
    Payment.objects.filter(pk=payment(w).pk, retry_after__isnull=False).update(
        retry_after=timezone.now() - timedelta(minutes=1))


def payment(w: Withdrawal) -> Payment:
    return Payment.objects.get(subject_id=w.pk, purpose="withdrawals.payout")


def test_a_refused_payout_restores_the_balance_and_the_retry_pays_once(wd, django_capture_on_commit_callbacks):
    bank(wd, fail_payouts=True)
    before = wd.balance
    w = rent(wd, django_capture_on_commit_callbacks)
    assert w.state == WithdrawalState.PAYOUT_FAILED
    first = w.payouts.get()
    assert first.status == PayoutStatus.FAILED and payment(w).retry_after is not None and payment(w).retry_after > timezone.now()
    assert wd.balance == before  # the money is back
    assert first.settle_entry.reverses_id == first.hold_entry_id  # the debit reversed
    assert ledger_reconcile() == []

    assert payments_retry_due() == 0  # the back-off has not passed
    bank(wd, fail_payouts=False)
    make_due(w)
    with django_capture_on_commit_callbacks(execute=True):
        assert payments_retry_due() == 1
    w.refresh_from_db()
    assert w.state == WithdrawalState.PAID
    assert [(p.attempt, p.status) for p in w.payouts.all()] == [(1, PayoutStatus.FAILED), (2, PayoutStatus.SUCCEEDED)]
    assert paid_to_card(wd) == Decimal("1500.00")
    assert wd.balance == before - Decimal("1500.00")
    with django_capture_on_commit_callbacks(execute=True):
        assert payments_retry_due() == 0
    assert paid_to_card(wd) == Decimal("1500.00")
    assert ledger_reconcile() == []


def test_a_closing_withdrawal_whose_payout_fails_reopens_the_account_and_the_retry_closes_it(
    wd, django_capture_on_commit_callbacks
):
    wd.social(employer=False, retired_on=date(2026, 1, 1))
    bank(wd, fail_payouts=True)
    before = wd.balance
    w = submit_decided(django_capture_on_commit_callbacks, actor=wd.world.member_a, account=wd.account, reason="03")
    assert w.state == WithdrawalState.PAYOUT_FAILED
    account = MemberAccount.objects.get(pk=wd.account.pk)
    assert account.state == MemberState.NORMAL  # back to what it was
    assert wd.balance == before + w.interest
    assert ledger_reconcile() == []

    bank(wd, fail_payouts=False)
    make_due(w)
    with django_capture_on_commit_callbacks(execute=True):
        payments_retry_due()
    w.refresh_from_db()
    assert w.state == WithdrawalState.PAID, w.decision_note
    assert MemberAccount.objects.get(pk=wd.account.pk).state == MemberState.WITHDRAWN
    assert wd.balance == 0
    assert paid_to_card(wd) == w.amount == before + w.interest
    assert ledger_reconcile() == []


def test_a_held_payout_stays_approved_until_the_poll_finds_it_paid(wd, django_capture_on_commit_callbacks):
    bank(wd, hold_payouts=True)
    w = rent(wd, django_capture_on_commit_callbacks)
    assert w.state == WithdrawalState.APPROVED
    payout = w.payouts.get()
    assert payout.status == PayoutStatus.PENDING and payout.sent_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        payments_poll()  # not stale yet, and still held
    assert Withdrawal.objects.get(pk=w.pk).state == WithdrawalState.APPROVED

    # The bank settles the held payment (as the sandbox's tests do), and the poll picks it up.
    SandboxBankPayment.objects.filter(reference=payout.reference).update(status=PaymentStatus.SUCCEEDED,
                                                                         finished_at=timezone.now())
    PaymentAttempt.objects.filter(pk=payout.pk).update(requested_at=timezone.now() - timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert payments_poll() == 1
    w.refresh_from_db()
    assert w.state == WithdrawalState.PAID and w.payouts.get().status == PayoutStatus.SUCCEEDED
    assert SandboxBankPayment.objects.filter(account_number=wd.card).count() == 1
    assert ledger_reconcile() == []


def test_sending_three_times_and_deciding_twice_pays_and_posts_once(wd, django_capture_on_commit_callbacks):
    entries = JournalEntry.objects.count()
    with django_capture_on_commit_callbacks(execute=False):
        w = withdrawal_submit(actor=wd.world.member_a, account=wd.account, reason="07", channel="online", amount="800")
    with django_capture_on_commit_callbacks(execute=False):
        withdrawal_decide(withdrawal_id=w.pk)
    with django_capture_on_commit_callbacks(execute=False):
        withdrawal_decide(withdrawal_id=w.pk)
    payout = w.payouts.get()
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            attempt_send(attempt_id=payout.pk)
    w.refresh_from_db()
    assert w.state == WithdrawalState.PAID
    assert w.payouts.count() == 1
    assert SandboxBankPayment.objects.filter(account_number=wd.card).count() == 1
    assert JournalEntry.objects.count() == entries + 2  # the debit into 提取待付款, and the bank payment
    assert JournalEntry.objects.filter(reference=f"withdrawals:{w.number}").count() == 2
    assert paid_to_card(wd) == Decimal("800.00")
    assert ledger_reconcile() == []


def test_after_max_attempts_only_a_clerk_retries(wd, django_capture_on_commit_callbacks):
    MAX_ATTEMPTS = int(policy_value("payment_attempts_max"))  # noqa: N806 — the policy's number, as the constant was
    bank(wd, fail_payouts=True)
    w = rent(wd, django_capture_on_commit_callbacks)
    for _ in range(MAX_ATTEMPTS - 1):
        make_due(w)
        with django_capture_on_commit_callbacks(execute=True):
            assert payments_retry_due() == 1
    w.refresh_from_db()
    assert w.state == WithdrawalState.PAYOUT_FAILED and w.payouts.count() == MAX_ATTEMPTS
    assert payment(w).retry_after is None
    make_due(w)
    with django_capture_on_commit_callbacks(execute=True):
        assert payments_retry_due() == 0  # no further automatic retry
    assert w.payouts.count() == MAX_ATTEMPTS

    bank(wd, fail_payouts=False)
    with pytest.raises(PermissionDenied):
        payout_retry(withdrawal_id=w.pk, actor=wd.world.member_a, force=True)
    with django_capture_on_commit_callbacks(execute=True):
        payout_retry(withdrawal_id=w.pk, actor=wd.world.clerk, force=True)
    w.refresh_from_db()
    assert w.state == WithdrawalState.PAID and w.payouts.count() == MAX_ATTEMPTS + 1
    assert paid_to_card(wd) == Decimal("1500.00")
    assert ledger_reconcile() == []


def test_a_payout_the_bank_did_not_answer_is_retried_by_celery_and_paid_once(wd, django_capture_on_commit_callbacks,
                                                                              settings):
    """The bank down when the decision sends the payout: the payout task is queued and asks Celery to retry
    (each call logged, nothing paid); with the bank back, the task pays it, and running it again pays nothing
    more."""
    from celery.exceptions import Retry

    from fund.integrations.models import IntegrationCall
    from fund.payments.tasks import payment_send_task as payout_send_task

    with django_capture_on_commit_callbacks(execute=False) as decide:  # submitted while the bank checks the card
        withdrawal_submit(actor=wd.world.member_a, account=wd.account, reason="07", channel="online", amount="1500.00")
    settings.FUND_INTEGRATIONS_OVERRIDES = {"bank": "http"}  # the HTTP client with no address: unavailable
    settings.FUND_INTEGRATIONS_HTTP_BASE = ""
    # risk's screening on commit and 我的办件's step listeners aside
    (decide_task,) = [c for c in decide if not hasattr(c, "audit_key") and not c.__module__.startswith("fund.tracking.")]
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Retry):
        decide_task()  # decided; its own send and the payout task it hands the payout to both meet the outage
    w = Withdrawal.objects.get()
    payout = w.payouts.get()
    assert w.state == WithdrawalState.APPROVED and payout.status == PayoutStatus.PENDING
    calls = IntegrationCall.objects.filter(system="bank", operation="payout", reference=payout.reference)
    assert calls.count() == 2 and not calls.filter(ok=True).exists()
    with pytest.raises(Retry):
        payout_send_task.apply(args=[payout.pk])
    assert calls.count() == 3 and not SandboxBankPayment.objects.exists()
    assert PaymentAttempt.objects.get(pk=payout.pk).status == PayoutStatus.PENDING

    settings.FUND_INTEGRATIONS_OVERRIDES = {}
    with django_capture_on_commit_callbacks(execute=True):
        assert payout_send_task.apply(args=[payout.pk]).get() == PayoutStatus.SUCCEEDED
        assert payout_send_task.apply(args=[payout.pk]).get() == PayoutStatus.SUCCEEDED
    w.refresh_from_db()
    assert w.state == WithdrawalState.PAID
    assert SandboxBankPayment.objects.filter(reference=payout.reference).count() == 1
    assert calls.filter(ok=True).count() == 1  # the second run found the payout settled and called nobody
    assert ledger_reconcile() == []
