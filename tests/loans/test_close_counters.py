"""Step 60 loans.counters: overdue_since, periods and days overdue, and the cumulative count of instalments
ever overdue, from the instalments; only loans that change are written."""

from datetime import date
from typing import Any

import pytest
from django.db import transaction

from loans.allocation import allocate
from loans.close import counters_step, overdue_step
from loans.models import Loan, RepaymentChannel
from loans.services.repayment_posting import Sources, loan_locked, owed_total, owing_rows, repayment_post

pytestmark = pytest.mark.django_db


def counters(loan: Any) -> tuple[Any, int, int, int]:
    loan = Loan.objects.get(pk=loan.pk)
    return loan.overdue_since, loan.periods_overdue, loan.days_overdue, loan.periods_overdue_total


def pay_all(loan: Any, on: date) -> None:
    with transaction.atomic():
        locked = loan_locked(loan)
        rows = owing_rows(locked, on)
        amount = owed_total(rows)
        repayment_post(loan=locked, on=on, rows=rows, allocation=allocate(amount, [o for _, o in rows]),
                       sources=Sources(from_card=amount), channel=RepaymentChannel.COUNTER, idempotency_key=f"c{on}")


def test_counters_follow_the_overdue_instalments_and_the_total_keeps_the_history(ln: Any) -> None:
    loan = ln.active_loan()
    for day in (date(2026, 5, 21), date(2026, 6, 10)):
        overdue_step(day)
        counters_step(day)
    # 20 April and 20 May unpaid on 10 June
    assert counters(loan) == (date(2026, 4, 20), 2, 51, 2)
    assert counters_step(date(2026, 6, 10)) == {"loans": 0}
    pay_all(loan, date(2026, 6, 11))
    assert counters_step(date(2026, 6, 11)) == {"loans": 0}  # the repayment refreshed them; the close agrees
    assert counters(loan) == (None, 0, 0, 2)


def test_an_instalment_paid_the_day_after_it_fell_due_counts_as_ever_overdue(ln: Any) -> None:
    loan = ln.active_loan()
    pay_all(loan, date(2026, 4, 21))  # the debit failed on the 20th; paid at the counter before the close
    counters_step(date(2026, 4, 21))
    assert counters(loan) == (None, 0, 0, 1)
