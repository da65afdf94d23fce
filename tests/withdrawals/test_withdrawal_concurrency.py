"""Races against the real database (threads, each with its own connection, committing for real; tasks run
eagerly in the thread that committed): one withdrawal in flight per account, and one payment per payout."""

import time
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fund.integrations.models import SandboxBankPayment
from fund.ledger.models import JournalEntry
from fund.ledger.selectors import ledger_reconcile
from fund.payments.models import AttemptStatus as PayoutStatus
from fund.payments.models import PaymentAttempt as Payout
from fund.payments.services import attempt_send
from tests.deposits.test_concurrency import race
from tests.withdrawals.conftest import set_policy_today
from withdrawals.models import Withdrawal, WithdrawalState
from withdrawals.services import withdrawal_review, withdrawal_submit

pytestmark = pytest.mark.django_db(transaction=True)

N = 20
CERT = "鲁(2026)示范市不动产权第0000601号"


def test_twenty_submissions_at_once_make_one_withdrawal(wd):
    wd.home(wd.person.id_number, CERT)  # rent goes to review, so the first stays in flight while the others try
    before = wd.balance
    results = race(N, lambda i: withdrawal_submit(
        actor=wd.world.member_a, account=wd.account, reason="07", channel="online", amount=str(before),
        client_token=f"race-{i}"))
    made = [r for r in results if isinstance(r, Withdrawal)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(made) == 1 and len(refused) == N - 1, [type(r).__name__ for r in results]
    assert all("account" in r.message_dict for r in refused)
    assert Withdrawal.objects.count() == 1
    assert Withdrawal.objects.get().state == WithdrawalState.REVIEW
    assert wd.balance == before >= 0
    assert ledger_reconcile() == []


def test_twenty_members_apps_retrying_at_once_never_take_more_than_the_balance(wd):
    """Each withdrawal is decided and paid by 秒批 in the thread that submitted it, so the account is free
    again for the next; twenty clients retry while one is in flight, together asking for five times the
    balance. They take all of it, in four payments, and not a fen more."""
    set_policy_today("withdrawal_rent_cap_per_year", "1000000.00")  # the balance, not the yearly cap, binds
    before = wd.balance
    each = before / 4

    def apply(i: int) -> Withdrawal | ValidationError:
        # Retry while another is in flight, until a deadline rather than a count of tries: on a loaded machine
        # the one in flight may take seconds to be paid.
        deadline, attempt = time.monotonic() + 300, 0
        while time.monotonic() < deadline:
            try:
                return withdrawal_submit(actor=wd.world.member_a, account=wd.account, reason="07", channel="online",
                                         amount=str(each), client_token=f"race-paid-{i}-{attempt}")
            except ValidationError as exc:
                if "正在办理" not in str(exc):
                    return exc
                attempt += 1
                time.sleep(0.01)
        raise AssertionError(f"still in flight after {attempt} tries in 300 s")

    results = race(N, apply)
    assert all(isinstance(r, Withdrawal | ValidationError) for r in results), results
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert refused and all("余额" in str(r) for r in refused)
    paid = Withdrawal.objects.filter(state=WithdrawalState.PAID)
    assert paid.count() == 4 and Withdrawal.objects.count() == 4
    assert sum(w.amount for w in paid) == before and wd.balance == 0
    assert sum(p.amount for p in Payout.objects.filter(status=PayoutStatus.SUCCEEDED)) == before
    assert ledger_reconcile() == []


def test_twenty_approvals_at_once_pay_once(wd):
    wd.home(wd.person.id_number, CERT)
    w = withdrawal_submit(actor=wd.world.member_a, account=wd.account, reason="07", channel="online", amount="2000.00")
    w.refresh_from_db()
    assert w.state == WithdrawalState.REVIEW
    withdrawal_review(actor=wd.reviewer, withdrawal=w, approve=True, opinion="同意")
    before, entries = wd.balance, JournalEntry.objects.count()
    results = race(N, lambda i: withdrawal_review(actor=wd.approver, withdrawal=w, approve=True, opinion="同意"))
    done = [r for r in results if isinstance(r, Withdrawal)]
    refused = [r for r in results if isinstance(r, ValidationError | PermissionDenied)]
    assert len(done) == 1 and len(refused) == N - 1, [type(r).__name__ for r in results]
    w.refresh_from_db()
    assert w.state == WithdrawalState.PAID
    assert w.payouts.count() == 1
    assert SandboxBankPayment.objects.filter(account_number=wd.card).count() == 1
    assert JournalEntry.objects.count() == entries + 2
    assert wd.balance == before - Decimal("2000.00") >= 0
    assert ledger_reconcile() == []


def test_twenty_sends_of_the_same_payout_pay_once(wd):
    # Approve, but leave the bank call to the race (the decide task sends it inline, or queues it).
    with mock.patch("withdrawals.services.payout.attempt_send"), mock.patch("fund.payments.tasks.payment_send_task.delay"):
        w = withdrawal_submit(actor=wd.world.member_a, account=wd.account, reason="07", channel="online",
                              amount="1500.00")
    w.refresh_from_db()
    assert w.state == WithdrawalState.APPROVED
    payout = w.payouts.get()
    assert payout.sent_at is None
    entries = JournalEntry.objects.count()
    results = race(N, lambda i: attempt_send(attempt_id=payout.pk))
    assert all(isinstance(r, Payout) for r in results), [r for r in results if not isinstance(r, Payout)]
    w.refresh_from_db()
    assert w.state == WithdrawalState.PAID
    assert Payout.objects.get(pk=payout.pk).status == PayoutStatus.SUCCEEDED
    assert SandboxBankPayment.objects.filter(reference=payout.reference).count() == 1
    wd.bank_account.refresh_from_db()
    assert wd.bank_account.balance == Decimal("1500.00")
    assert JournalEntry.objects.count() == entries + 1
    assert ledger_reconcile() == []
