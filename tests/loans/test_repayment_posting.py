"""Posting a repayment: the allocation order, the balanced entry with the loan's sub-ledger row, exactly once."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction

from fund.ledger.models import JournalEntry
from loans.allocation import allocate
from loans.models import Instalment, InstalmentState, RepaymentChannel
from loans.services.repayment_posting import Sources, loan_locked, owed_total, owing_rows, repayment_post

pytestmark = pytest.mark.django_db


def test_a_disbursed_loan_stores_its_schedule_through_the_year_with_the_first_period_by_days(ln: Any) -> None:
    loan = ln.active_loan(principal="300000.00", rate="2.600", months=240, day=20, disbursed_on=date(2026, 3, 5))
    rows = list(Instalment.objects.filter(loan=loan).order_by("number"))
    assert [r.due_on for r in rows] == [date(2026, m, 20) for m in range(4, 13)]
    # 5 March → 20 April: 46 days × 300000 × 2.6 % ÷ 360 = 996.67
    assert rows[0].interest == Decimal("996.67")
    # the principal is the formula's: 1604.36 (the 等额本息 payment) − 650.00 (a month's interest)
    assert rows[0].principal == Decimal("954.36")
    assert rows[1].interest == Decimal("647.93")  # (300000 − 954.36) × 2.6 % ÷ 12


def _pay(loan: Any, amount: str, on: date, key: str) -> Any:
    with transaction.atomic():
        loan = loan_locked(loan)
        rows = owing_rows(loan, on)
        allocation = allocate(Decimal(amount), [o for _, o in rows])
        repayment, _ = repayment_post(loan=loan, on=on, rows=rows, allocation=allocation,
                                      sources=Sources(from_card=Decimal(amount)), channel=RepaymentChannel.COUNTER,
                                      idempotency_key=key)
    return repayment


def test_a_partial_payment_clears_penalty_then_overdue_interest_before_principal(ln: Any) -> None:
    loan = ln.active_loan(principal="300000.00", rate="2.600", months=240, day=20, disbursed_on=date(2026, 3, 20))
    first = Instalment.objects.get(loan=loan, number=1)
    Instalment.objects.filter(pk=first.pk).update(state=InstalmentState.OVERDUE)
    on = date(2026, 4, 30)  # ten days late
    with transaction.atomic():
        rows = owing_rows(loan_locked(loan), on)
    # penalty: 954.36 (principal) × 2.6 % × 1.5 ÷ 360 × 10 days = 1.03
    assert rows[0][1].penalty == Decimal("1.03")
    repayment = _pay(loan, "500.00", on, "t1")
    assert (repayment.penalty, repayment.overdue_interest, repayment.overdue_principal) == (
        Decimal("1.03"), Decimal("498.97"), Decimal("0.00"))
    first.refresh_from_db()
    assert first.interest_paid == Decimal("498.97") and first.state == InstalmentState.OVERDUE
    again = _pay(loan, "500.00", on, "t1")
    assert again.pk == repayment.pk
    assert JournalEntry.objects.filter(idempotency_key="loans.repayment:t1").count() == 1
    with transaction.atomic():
        assert owed_total(owing_rows(loan_locked(loan), on)) == first.principal + first.interest - Decimal("498.97")
