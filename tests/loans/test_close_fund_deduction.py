"""Step 30 loans.fund_deduction: 自愿扣划 is asked for each active loan with an active agreement that owes
something on the date (due that day, or overdue within the retry days), and for no other."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from loans.close import fund_deduction as step
from loans.models import RepaymentAgreement

pytestmark = pytest.mark.django_db


def test_it_asks_only_for_agreed_loans_that_owe_on_the_date(ln: Any, monkeypatch: Any) -> None:
    asked: list[tuple[int, date]] = []
    monkeypatch.setattr(step, "fund_deduct_due", lambda loan_id, on: asked.append((loan_id, on)) or Decimal("1.00"))
    agreed = ln.active_loan()
    ln.active_loan()  # no agreement: the bank's debit alone
    ended = ln.active_loan()
    RepaymentAgreement.objects.create(loan=agreed, account=ln.account, signed_by=ln.world.clerk)
    RepaymentAgreement.objects.create(loan=ended, account=ln.account, signed_by=ln.world.clerk, active=False)
    assert step.fund_deduction_step(date(2026, 4, 19)) == {"loans": 0, "deducted": 0}
    assert step.fund_deduction_step(date(2026, 4, 20)) == {"loans": 1, "deducted": 1}
    assert step.fund_deduction_step(date(2026, 4, 23)) == {"loans": 1, "deducted": 1}  # overdue, within 3 days
    assert step.fund_deduction_step(date(2026, 4, 24)) == {"loans": 0, "deducted": 0}
    assert asked == [(agreed.pk, date(2026, 4, 20)), (agreed.pk, date(2026, 4, 23))]
