"""The repayment schedule: hand-worked payments, fen rounding absorbed by the last instalment."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loans.models import RepaymentMethod
from loans.schedule import annuity_payment, first_due_on, instalments, summary


def test_equal_instalments_of_300000_over_30_years_at_2_6_percent_are_1201_02_a_month() -> None:
    # 300000 × r(1+r)^360 / ((1+r)^360 − 1), r = 0.026/12: 1201.0191… → 1201.02
    assert annuity_payment(Decimal("300000"), Decimal("2.6"), 360) == Decimal("1201.02")


def test_equal_principal_pays_principal_over_months_plus_the_months_interest() -> None:
    plan = instalments(principal=Decimal("120000.00"), annual_rate_percent=Decimal("3.075"), months=120,
                       method=RepaymentMethod.EQUAL_PRINCIPAL, first_due=date(2027, 1, 20), day=20)
    # first month: 1000.00 principal + 120000 × 0.03075/12 = 307.50 interest
    assert (plan[0].principal, plan[0].interest) == (Decimal("1000.00"), Decimal("307.50"))
    assert (plan[1].principal, plan[1].interest) == (Decimal("1000.00"), Decimal("304.94"))
    assert plan[-1].due_on == date(2036, 12, 20) and plan[-1].balance_after == 0


def test_first_repayment_is_the_repayment_day_of_the_month_after_disbursement() -> None:
    assert first_due_on(date(2026, 12, 31), 20) == date(2027, 1, 20)
    assert first_due_on(date(2027, 1, 5), 28) == date(2027, 2, 28)


@given(
    principal=st.decimals(min_value=Decimal("1000"), max_value=Decimal("1500000"), places=2),
    rate=st.sampled_from([Decimal("2.1"), Decimal("2.6"), Decimal("2.525"), Decimal("3.075"), Decimal("0")]),
    months=st.integers(min_value=1, max_value=360),
    method=st.sampled_from(list(RepaymentMethod)),
)
def test_the_principal_parts_always_add_up_to_the_loan_to_the_fen(principal: Decimal, rate: Decimal, months: int,
                                                                  method: str) -> None:
    plan = instalments(principal=principal, annual_rate_percent=rate, months=months, method=method,
                       first_due=date(2027, 1, 15), day=15)
    assert sum(i.principal for i in plan) == principal
    assert all(i.principal >= 0 and i.interest >= 0 for i in plan)
    assert plan[-1].balance_after == 0 and len(plan) == months
    if method == RepaymentMethod.EQUAL_INSTALMENT and months > 1:
        # every payment but the last is the same; the last differs by the rounding only
        payments = {i.payment for i in plan[:-1]}
        assert len(payments) == 1 and abs(plan[-1].payment - payments.pop()) < Decimal("0.01") * months
    assert summary(plan).total_payment == principal + summary(plan).total_interest


def test_it_refuses_a_zero_principal() -> None:
    with pytest.raises(ValueError):
        instalments(principal=Decimal("0"), annual_rate_percent=Decimal("2.6"), months=12,
                    method=RepaymentMethod.EQUAL_INSTALMENT, first_due=date(2027, 1, 1), day=1)
