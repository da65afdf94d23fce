"""Disbursement (放款): 委贷管理 issues the notice, 财务 (another person) releases it, the money goes to the seller
once; short of liquidity the loan waits in 轮候 in order of approval and is paid as money arrives; the entry debits
委托贷款 with the loan's sub-ledger row, and reconcile proves Σ loan balances = loans receivable."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from fund.integrations.models import SandboxBankAccount, SandboxBankPayment
from fund.ledger.models import JournalEntry, SubAccount, SubLedgerRow
from fund.ledger.selectors import ledger_reconcile
from fund.payments.models import Payment, PaymentState
from fund.payments.services import attempt_send, payment_of
from fund.payments.tasks import payment_send_task
from fund.people.models import Post
from fund.people.services import staff_create
from fund.printing.models import Document
from fund.workflow.moves import status_history
from loans.models import Disbursement, DisbursementState, LoanStatus
from loans.schedule import first_due_on
from loans.services.disbursement import (
    PURPOSE,
    disbursement_notice,
    disbursement_queue_drain,
    disbursement_release,
    liquidity,
    queue_position,
)
from tests.conftest import PASSWORD
from tests.loans.conftest import available_becomes, money_arrives, mortgaged_loan

pytestmark = pytest.mark.django_db

SELLER = "6217000000000000001"


@pytest.fixture
def seller(ln: Any) -> Any:
    return SandboxBankAccount.objects.create(account_number=SELLER, name="王卖方", bank_name="建设银行")


def notice_and_release(ln: Any, loan: Any) -> Disbursement:
    d = disbursement_notice(actor=ln.loan_admin, application=loan.application)
    return disbursement_release(actor=ln.finance, disbursement=d)


def test_a_released_disbursement_pays_the_seller_once_and_activates_the_loan(
        ln: Any, seller: Any, django_capture_on_commit_callbacks: Any) -> None:
    loan = mortgaged_loan(ln, borrower=ln.person)
    available_becomes("1000000.00", "a")
    d = disbursement_notice(actor=ln.loan_admin, application=loan.application)
    assert d.state == DisbursementState.NOTICED and d.payee_account == SELLER and d.amount == Decimal("600000.00")
    assert Document.objects.get(pk=d.notice_id).kind == "loans.disbursement_notice"
    with django_capture_on_commit_callbacks(execute=True):
        d = disbursement_release(actor=ln.finance, disbursement=d)
    d.refresh_from_db()
    loan.refresh_from_db()
    loan.application.refresh_from_db()
    assert d.state == DisbursementState.PAID and d.released_by == ln.finance
    today = timezone.localdate()
    assert loan.status == LoanStatus.ACTIVE and loan.disbursed_on == today
    assert loan.first_due_on == first_due_on(today, loan.repayment_day)
    assert loan.maturity_on is not None and loan.maturity_on.year * 12 + loan.maturity_on.month == (
        loan.first_due_on.year * 12 + loan.first_due_on.month + loan.term_months - 1)
    assert loan.application.state == "disbursed" and loan.application.disbursed_at is not None
    assert [c.new for c in status_history(loan.application)][-2:] == ["disbursing", "disbursed"]
    # The entry: Dr 111 with the loan's sub-ledger row / Cr 101, balanced, once.
    payment = payment_of(d, PURPOSE)
    entry = JournalEntry.objects.get(idempotency_key=f"payments.paid:{d.reference}")
    assert sorted(entry.lines.values_list("account__code", "debit", "credit")) == [
        ("101", Decimal("0.00"), Decimal("600000.00")), ("111", Decimal("600000.00"), Decimal("0.00"))]
    row = SubLedgerRow.objects.get(entry=entry)
    assert row.sub_account_id == loan.sub_account_id and row.amount == Decimal("600000.00")
    assert loan.sub_account.balance == Decimal("600000.00") and loan.balance == Decimal("600000.00")
    assert payment.state == PaymentState.PAID and payment.payee_account == SELLER
    assert ledger_reconcile() == []


def test_a_resent_bank_reference_and_a_rerun_task_pay_once(ln: Any, seller: Any) -> None:
    loan = mortgaged_loan(ln)
    available_becomes("1000000.00", "b")
    d = notice_and_release(ln, loan)
    attempt = payment_of(d, PURPOSE).attempts.get()
    for _ in range(3):
        payment_send_task.apply(args=[attempt.pk])
        attempt_send(attempt_id=attempt.pk)
    assert SandboxBankPayment.objects.filter(reference=d.reference).count() == 1
    assert JournalEntry.objects.filter(idempotency_key=f"payments.paid:{d.reference}").count() == 1
    assert SubLedgerRow.objects.filter(sub_account_id=loan.sub_account_id).count() == 1
    loan.refresh_from_db()
    assert loan.balance == Decimal("600000.00") and loan.status == LoanStatus.ACTIVE
    assert ledger_reconcile() == []


def test_it_refuses_a_notice_from_a_post_other_than_loan_admin(ln: Any) -> None:
    loan = mortgaged_loan(ln)
    for actor in (ln.finance, ln.reviewer, ln.world.clerk):
        with pytest.raises(PermissionDenied, match="委贷管理"):
            disbursement_notice(actor=actor, application=loan.application)
    assert not Disbursement.objects.exists()


def test_it_refuses_a_release_by_the_notice_issuer_or_a_post_other_than_finance(ln: Any) -> None:
    both = staff_create(actor=None, username="loan_both", name="兼岗", branch=ln.world.branch_a,
                        posts=[Post.LOAN_ADMIN, Post.FINANCE], employee_number="loan_both", password=PASSWORD)
    loan = mortgaged_loan(ln)
    d = disbursement_notice(actor=both, application=loan.application)
    with pytest.raises(PermissionDenied, match="不能再审核放行"):
        disbursement_release(actor=both, disbursement=d)
    for actor in (ln.loan_admin, ln.approver):
        with pytest.raises(PermissionDenied, match="财务"):
            disbursement_release(actor=actor, disbursement=d)
    d.refresh_from_db()
    assert d.state == DisbursementState.NOTICED and d.released_by is None and not Payment.objects.exists()


def test_it_refuses_a_notice_before_the_mortgage_and_gives_the_same_notice_twice(ln: Any) -> None:
    signed = ln.loan()
    with pytest.raises(ValidationError, match="抵押登记完成后"):
        disbursement_notice(actor=ln.loan_admin, application=signed.application)
    loan = mortgaged_loan(ln)
    first = disbursement_notice(actor=ln.loan_admin, application=loan.application)
    assert disbursement_notice(actor=ln.loan_admin, application=loan.application).pk == first.pk
    assert Disbursement.objects.count() == 1


def test_a_new_home_is_paid_to_the_projects_supervision_account(ln: Any) -> None:
    loan = mortgaged_loan(ln, home_kind="new", project=ln.project, seller_account="", seller_name="")
    d = disbursement_notice(actor=ln.loan_admin, application=loan.application)
    assert (d.payee_kind, d.payee_account, d.payee_name) == ("supervision", ln.project.payee_account,
                                                              ln.project.payee_name)


def test_a_conversion_pays_off_the_commercial_loan_at_its_bank(ln: Any) -> None:
    loan = mortgaged_loan(ln, product="conversion", commercial_bank="工商银行示范分行", seller_account="0200123400001",
                          seller_name="", seller_bank="工商银行示范分行")
    d = disbursement_notice(actor=ln.loan_admin, application=loan.application)
    assert (d.payee_kind, d.payee_account, d.payee_name) == ("commercial", "0200123400001", "工商银行示范分行")


def test_short_liquidity_queues_in_order_of_approval_and_pays_as_money_arrives(
        ln: Any, django_capture_on_commit_callbacks: Any) -> None:
    base = timezone.now() - timedelta(days=3)
    first = mortgaged_loan(ln, amount="300000.00", decided_at=base, home_kind="new", project=ln.project)
    second = mortgaged_loan(ln, amount="200000.00", decided_at=base + timedelta(hours=1), home_kind="new",
                            project=ln.project)
    third = mortgaged_loan(ln, amount="100000.00", decided_at=base + timedelta(hours=2), home_kind="new",
                           project=ln.project)
    available_becomes("150000.00", "q0")
    with django_capture_on_commit_callbacks(execute=True):
        d2 = notice_and_release(ln, second)  # 200 000 > 150 000: queued
        d3 = notice_and_release(ln, third)  # fits, but an earlier approval waits: queued behind it
        d1 = notice_and_release(ln, first)  # approved first: first in the queue, too big for now
    for d in (d1, d2, d3):
        d.refresh_from_db()
        assert d.state == DisbursementState.QUEUED
    assert [queue_position(d) for d in (d1, d2, d3)] == [1, 2, 3]
    assert not Payment.objects.exists() and disbursement_queue_drain() == 0
    money_arrives("200000.00", "q1")  # 350 000: the first (300 000) is paid; the second does not fit, the third waits
    with django_capture_on_commit_callbacks(execute=True):
        assert disbursement_queue_drain() == 1
    states = {d.pk: Disbursement.objects.get(pk=d.pk).state for d in (d1, d2, d3)}
    assert states == {d1.pk: "paid", d2.pk: "queued", d3.pk: "queued"}
    money_arrives("250000.00", "q2")  # 50 000 + 250 000 = 300 000: the second and the third
    with django_capture_on_commit_callbacks(execute=True):
        assert disbursement_queue_drain() == 2
        assert disbursement_queue_drain() == 0  # a drain run again pays nothing more
    assert set(Disbursement.objects.values_list("state", flat=True)) == {"paid"}
    assert Payment.objects.filter(purpose=PURPOSE, state=PaymentState.PAID).count() == 3
    assert SandboxBankPayment.objects.count() == 3
    paid_order = list(Disbursement.objects.order_by("paid_at", "id").values_list("pk", flat=True))
    assert paid_order == [d1.pk, d2.pk, d3.pk]
    assert liquidity().committed == Decimal("0.00") and ledger_reconcile() == []


def test_a_released_loan_commits_its_money_until_paid(ln: Any) -> None:
    loan = mortgaged_loan(ln, amount="300000.00", home_kind="new", project=ln.project)
    available_becomes("400000.00", "c")
    notice_and_release(ln, loan)  # the send waits for commit, which a test never reaches: still at the bank
    money = liquidity()
    assert money.committed == Decimal("300000.00") and money.available == Decimal("100000.00")
    other = mortgaged_loan(ln, amount="200000.00", home_kind="new", project=ln.project)
    assert notice_and_release(ln, other).state == DisbursementState.QUEUED


def test_reconcile_fails_when_a_loan_balance_is_tampered_with(ln: Any, seller: Any,
                                                              django_capture_on_commit_callbacks: Any) -> None:
    loan = mortgaged_loan(ln)
    available_becomes("1000000.00", "t")
    with django_capture_on_commit_callbacks(execute=True):
        notice_and_release(ln, loan)
    call_command("reconcile")
    SubAccount.objects.filter(pk=loan.sub_account_id).update(balance=Decimal("500000.00"),
                                                              current_year=Decimal("500000.00"))
    assert any("委托贷款" in str(p) for p in ledger_reconcile())
    with pytest.raises(CommandError, match="对账失败"):
        call_command("reconcile")


def test_a_refused_disbursement_is_retried_by_the_payments_core_and_paid_once(
        ln: Any, seller: Any, django_capture_on_commit_callbacks: Any) -> None:
    from fund.payments.services import payment_retry

    SandboxBankAccount.objects.filter(pk=seller.pk).update(fail_payouts=True)
    loan = mortgaged_loan(ln)
    available_becomes("1000000.00", "r")
    with django_capture_on_commit_callbacks(execute=True):
        d = notice_and_release(ln, loan)
    payment = payment_of(d, PURPOSE)
    assert payment.state == PaymentState.REFUSED and not JournalEntry.objects.filter(
        idempotency_key__startswith="payments.paid:FK").exists()
    d.refresh_from_db()
    assert d.state == DisbursementState.PAYING and liquidity().committed == Decimal("600000.00")
    SandboxBankAccount.objects.filter(pk=seller.pk).update(fail_payouts=False)
    with django_capture_on_commit_callbacks(execute=True):
        payment_retry(payment_id=payment.pk, force=True, actor=ln.finance)
    d.refresh_from_db()
    loan.refresh_from_db()
    assert d.state == DisbursementState.PAID and loan.status == LoanStatus.ACTIVE
    assert loan.balance == Decimal("600000.00") and SubLedgerRow.objects.filter(sub_account_id=loan.sub_account_id).count() == 1
    assert ledger_reconcile() == []
