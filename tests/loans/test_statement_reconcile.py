"""Reconcile's loan check: each loan's sub-account under 111 equals the principal its stored schedule still
expects (open instalments' unpaid principal + the planned balance after the last stored one)."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import F

from fund.ledger.selectors import ledger_reconcile
from loans.allocation import allocate
from loans.models import Instalment, RepaymentChannel
from loans.services.repayment_posting import Sources, loan_locked, owing_rows, repayment_post

pytestmark = pytest.mark.django_db


def _pay(loan: Any, amount: str, on: date, key: str) -> None:
    with transaction.atomic():
        loan = loan_locked(loan)
        rows = owing_rows(loan, on)
        allocation = allocate(Decimal(amount), [o for _, o in rows])
        repayment_post(loan=loan, on=on, rows=rows, allocation=allocation, sources=Sources(from_card=Decimal(amount)),
                       channel=RepaymentChannel.COUNTER, idempotency_key=key)


def test_reconcile_reports_a_loan_whose_sub_account_differs_from_its_schedule(ln: Any) -> None:
    loan = ln.active_loan(principal="300000.00", rate="2.600", months=240, day=20, disbursed_on=date(2026, 3, 20))
    _pay(loan, "1000.00", date(2026, 4, 20), "r1")  # 650.00 interest, 350.00 of the principal
    assert ledger_reconcile() == []
    # Principal marked repaid on the schedule but not in the ledger: what a broken posting would leave.
    Instalment.objects.filter(loan=loan, number=1).update(principal_paid=F("principal_paid") + Decimal("10.00"))
    problems = ledger_reconcile()
    assert [p.what for p in problems] == [f"贷款 {loan.contract_number} 分户余额与还款计划剩余本金"]
    assert problems[0].actual - problems[0].expected == Decimal("10.00")
    with pytest.raises(CommandError):
        call_command("reconcile")


def test_a_closed_loan_must_have_nothing_left_on_its_sub_account(ln: Any) -> None:
    loan = ln.active_loan(principal="300000.00", rate="2.600", months=240, day=20, disbursed_on=date(2026, 3, 20))
    type(loan).objects.filter(pk=loan.pk).update(status="closed")
    assert [p.what for p in ledger_reconcile()] == [f"贷款 {loan.contract_number} 分户余额与还款计划剩余本金"]
