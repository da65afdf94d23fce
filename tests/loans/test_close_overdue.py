"""Step 20 loans.overdue: past-due instalments become overdue, and the penalty computed in SQL is the one
`allocation.penalty_to` computes, on random rows; a second run, or a late run for a past date, changes nothing."""

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from fund.policy.selectors import policy_value
from loans.allocation import penalty_to
from loans.close import overdue_step
from loans.models import Instalment, InstalmentState, Loan

pytestmark = pytest.mark.django_db


def test_the_penalty_in_sql_is_the_penalty_in_python_on_random_rows(ln: Any) -> None:
    rnd = random.Random(14)
    on = date(2026, 12, 31)
    markup = Decimal(policy_value("loan_penalty_markup", on))
    loans = [ln.active_loan(principal=f"{rnd.randint(50_000, 900_000)}.{rnd.randint(0, 99):02d}",
                            rate=f"{rnd.choice(['2.600', '3.100', '2.850', '3.325'])}", card_balance="0.00")
             for _ in range(4)]
    for loan in loans:
        Loan.objects.filter(pk=loan.pk).update(rate=Decimal(rnd.randint(1000, 4999)) / 1000)
        for inst in Instalment.objects.filter(loan=loan):
            paid = (inst.principal * Decimal(rnd.random())).quantize(Decimal("0.01")) if rnd.random() < 0.5 else 0
            frozen = Decimal(rnd.randint(0, 5000)) / 100 if paid else Decimal("0.00")
            since = inst.due_on + timedelta(days=rnd.randint(0, 40)) if paid else None
            Instalment.objects.filter(pk=inst.pk).update(principal_paid=paid, penalty_frozen=frozen, penalty=frozen,
                                                         penalty_from=since)
    overdue_step(on)
    rows = list(Instalment.objects.filter(loan__in=loans).select_related("loan"))
    assert rows and all(r.state == InstalmentState.OVERDUE for r in rows if r.due_on < on)
    for r in rows:
        expected = penalty_to(on=on, unpaid_principal=r.principal - r.principal_paid, rate=r.loan.rate,
                              markup=markup, frozen=r.penalty_frozen, since=r.penalty_from or r.due_on)
        assert r.penalty == expected, (r.pk, r.principal, r.principal_paid, r.loan.rate, r.penalty_from)


def test_an_instalment_becomes_overdue_the_day_after_its_due_date_and_a_second_run_changes_nothing(ln: Any) -> None:
    loan = ln.active_loan()
    assert overdue_step(date(2026, 4, 20)) == {"overdue": 0, "penalty": 0}
    assert overdue_step(date(2026, 4, 30)) == {"overdue": 1, "penalty": 1}
    first = Instalment.objects.get(loan=loan, number=1)
    # 954.36 × 2.6 % × 1.5 ÷ 360 × 10 days = 1.03
    assert (first.state, first.penalty_from, first.penalty) == (InstalmentState.OVERDUE, date(2026, 4, 20),
                                                                Decimal("1.03"))
    assert overdue_step(date(2026, 4, 30)) == {"overdue": 0, "penalty": 0}
    # A late run for an earlier date (catch-up after a repayment brought the penalty further) never lowers it.
    assert overdue_step(date(2026, 4, 25)) == {"overdue": 0, "penalty": 0}
    first.refresh_from_db()
    assert first.penalty == Decimal("1.03")
