"""贴息: the policy's share of the interest an eligible borrower paid in a year, refunded to the card once per loan
and year through the payments core, with its own entry (Dr 502 / Cr 101) when the bank has paid."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction

from fund.integrations.models import SandboxBankPayment, SandboxSms
from fund.ledger.models import JournalEntry
from fund.ledger.selectors import ledger_reconcile
from fund.payments.models import PaymentState
from fund.payments.services import payment_of
from fund.workflow.models import StatusChange
from loans.allocation import allocate
from loans.models import Instalment, InstalmentState, RepaymentChannel, SubsidyRefund, SubsidyState
from loans.selectors.subsidy import subsidies_of
from loans.services.repayment_posting import Sources, loan_locked, owing_rows, repayment_post
from loans.services.subsidy import PURPOSE, subsidy_run, subsidy_step
from tests.clock import travel_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_year(ln: Any) -> Any:
    """The clock on 1 January 2027, when the first close of the year refunds 2026."""
    with travel_to(date(2027, 1, 1)):
        yield ln


def pay_due(loan: Any, on: date, key: str) -> Any:
    """The borrower pays everything owed on `on` at the counter."""
    with transaction.atomic():
        locked = loan_locked(loan)
        rows = owing_rows(locked, on)
        amount = sum((o.total for _, o in rows), Decimal("0.00"))
        allocation = allocate(amount, [o for _, o in rows])
        repayment, _ = repayment_post(loan=locked, on=on, rows=rows, allocation=allocation,
                                      sources=Sources(from_card=amount), channel=RepaymentChannel.COUNTER,
                                      idempotency_key=key)
    return repayment


def loan_with_2026_interest(ln: Any, *, subsidy: bool = True) -> Any:
    """300 000 at 2.6 % from 20 March 2026: April's instalment paid ten days late (with 1.03 of penalty), May's on
    time. Interest paid in 2026: 650.00 + 647.93 = 1297.93."""
    loan = ln.active_loan(principal="300000.00", rate="2.600", months=240, day=20, disbursed_on=date(2026, 3, 20),
                          subsidy=subsidy)
    Instalment.objects.filter(loan=loan, number=1).update(state=InstalmentState.OVERDUE)
    late = pay_due(loan, date(2026, 4, 30), f"t.sub:{loan.pk}:1")
    assert late.penalty == Decimal("1.03") and late.overdue_interest == Decimal("650.00")
    on_time = pay_due(loan, date(2026, 5, 20), f"t.sub:{loan.pk}:2")
    assert on_time.interest == Decimal("647.93")
    return loan


def test_the_subsidy_is_refunded_once_a_year_with_its_own_entry_when_paid(
        new_year: Any, django_capture_on_commit_callbacks: Any) -> None:
    ln = new_year
    loan = loan_with_2026_interest(ln)
    with django_capture_on_commit_callbacks(execute=True):
        counts = subsidy_run(2026)
    assert counts == {"refunds": 1, "no_card": 0}
    refund = SubsidyRefund.objects.get(loan=loan, year=2026)
    # 30 % (policy) of the interest paid in 2026, penalty not included: 1297.93 × 0.30 = 389.379 → 389.38
    assert (refund.interest_paid, refund.ratio, refund.amount) == (
        Decimal("1297.93"), Decimal("0.3000"), Decimal("389.38"))
    assert refund.card == loan.repayment_card and refund.state == SubsidyState.PAID and refund.paid_at is not None
    payment = payment_of(refund, PURPOSE)
    assert payment is not None and payment.state == PaymentState.PAID and refund.payment_id == payment.pk
    reference = payment.attempts.get().reference
    entry = JournalEntry.objects.get(idempotency_key=f"payments.paid:{reference}")
    assert sorted(entry.lines.values_list("account__code", "debit", "credit")) == [
        ("101", Decimal("0.00"), Decimal("389.38")), ("502", Decimal("389.38"), Decimal("0.00"))]
    assert SandboxBankPayment.objects.get(reference=reference).account_number == loan.repayment_card
    assert [c.new for c in StatusChange.objects.filter(subject_id=refund.pk, action__startswith="loans.subsidy")] == [
        "paid"]
    assert "389.38" in SandboxSms.objects.get(phone=loan.borrower.phone).text
    assert list(subsidies_of(loan)) == [refund]
    assert ledger_reconcile() == []

    with django_capture_on_commit_callbacks(execute=True):
        again = subsidy_run(2026)
    assert again == {"refunds": 0, "no_card": 0}
    assert SubsidyRefund.objects.filter(loan=loan).count() == 1
    assert JournalEntry.objects.filter(lines__account__code="502").distinct().count() == 1
    assert SandboxBankPayment.objects.filter(account_number=loan.repayment_card).count() == 1


def test_it_refunds_nothing_without_interest_paid_or_to_a_loan_not_eligible(new_year: Any) -> None:
    ln = new_year
    ln.active_loan(principal="200000.00", disbursed_on=date(2026, 11, 20), subsidy=True)  # nothing due in 2026
    loan_with_2026_interest(ln, subsidy=False)
    assert subsidy_run(2026) == {"refunds": 0, "no_card": 0}
    assert not SubsidyRefund.objects.exists()


def test_the_close_step_refunds_the_year_before_in_the_first_close_of_a_year(new_year: Any) -> None:
    ln = new_year
    loan = loan_with_2026_interest(ln)
    assert subsidy_step(date(2026, 12, 31)) == {}
    assert subsidy_step(date(2027, 1, 2)) == {}
    assert not SubsidyRefund.objects.exists()
    assert subsidy_step(date(2027, 1, 1)) == {"refunds": 1, "no_card": 0}
    assert subsidy_step(date(2027, 1, 1)) == {"refunds": 0, "no_card": 0}
    assert SubsidyRefund.objects.get().loan_id == loan.pk and SubsidyRefund.objects.get().year == 2026


def test_a_refused_refund_stays_paying_without_an_entry_and_a_retry_pays_it_once(
        new_year: Any, django_capture_on_commit_callbacks: Any) -> None:
    from fund.integrations.models import SandboxBankAccount
    from fund.payments.services import payment_retry

    ln = new_year
    loan = loan_with_2026_interest(ln)
    SandboxBankAccount.objects.filter(account_number=loan.repayment_card).update(fail_payouts=True)
    with django_capture_on_commit_callbacks(execute=True):
        subsidy_run(2026)
    refund = SubsidyRefund.objects.get(loan=loan)
    payment = payment_of(refund, PURPOSE)
    assert refund.state == SubsidyState.PAYING and payment.state == PaymentState.REFUSED
    assert not JournalEntry.objects.filter(lines__account__code="502").exists()
    SandboxBankAccount.objects.filter(account_number=loan.repayment_card).update(fail_payouts=False)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            payment_retry(payment_id=payment.pk, actor=ln.finance, force=True)
    refund.refresh_from_db()
    assert refund.state == SubsidyState.PAID
    assert JournalEntry.objects.filter(lines__account__code="502").distinct().count() == 1
    assert SandboxBankPayment.objects.filter(account_number=loan.repayment_card, status="succeeded").count() == 1
    assert ledger_reconcile() == []
