"""The repayment schedule: hand-worked payments, fen rounding absorbed by the last instalment."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loans.models import RepaymentMethod
from loans.schedule import (
    annuity_payment,
    first_due_on,
    instalments,
    segment_new,
    segment_shortened,
    segment_walk,
    summary,
)


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


# ---- hand-worked schedules (first months by hand: balance × annual rate ÷ 12; the payment by the formula) -------

@pytest.mark.parametrize(("principal", "rate", "months", "payment", "first", "second", "last", "total_interest"), [
    # 500000 × 3.075 % ÷ 12 = 1281.25 interest; 2791.80 − 1281.25 = 1510.55 principal
    ("500000", "3.075", 240, "2791.80", ("1510.55", "1281.25"), ("1514.42", "1277.38"), ("2784.09", "7.13"),
     "170031.42"),
    # 100000 × 2.1 % ÷ 12 = 175.00; 1757.15 − 175.00 = 1582.15
    ("100000", "2.1", 60, "1757.15", ("1582.15", "175.00"), ("1584.92", "172.23"), ("1754.39", "3.07"), "5429.31"),
    # 300000 × 2.525 % ÷ 12 = 631.25; 2831.51 − 631.25 = 2200.26
    ("300000", "2.525", 120, "2831.51", ("2200.26", "631.25"), ("2204.89", "626.62"), ("2825.44", "5.95"), "39781.08"),
])
def test_equal_instalment_schedules_match_the_hand_worked_figures(
    principal: str, rate: str, months: int, payment: str, first: tuple[str, str], second: tuple[str, str],
    last: tuple[str, str], total_interest: str,
) -> None:
    plan = instalments(principal=Decimal(principal), annual_rate_percent=Decimal(rate), months=months,
                       method=RepaymentMethod.EQUAL_INSTALMENT, first_due=date(2027, 1, 20), day=20)
    assert plan[0].payment == Decimal(payment)
    assert (plan[0].principal, plan[0].interest) == tuple(map(Decimal, first))
    assert (plan[1].principal, plan[1].interest) == tuple(map(Decimal, second))
    # the last instalment absorbs the rounding: it repays exactly what is left
    assert (plan[-1].principal, plan[-1].interest) == tuple(map(Decimal, last))
    assert summary(plan).total_interest == Decimal(total_interest)


def test_the_first_period_is_counted_by_days_when_disbursed_off_the_repayment_day() -> None:
    # 等额本金 200000 over 36 months, disbursed 5 March, repaid on the 20th: 5 March → 20 April is 46 days,
    # 200000 × 2.6 % × 46 ÷ 360 = 664.44; the principal is the formula's 200000 ÷ 36 = 5555.56
    plan = instalments(principal=Decimal("200000"), annual_rate_percent=Decimal("2.6"), months=36,
                       method=RepaymentMethod.EQUAL_PRINCIPAL, first_due=first_due_on(date(2026, 3, 5), 20), day=20,
                       disbursed_on=date(2026, 3, 5))
    assert plan[0].due_on == date(2026, 4, 20)
    assert (plan[0].principal, plan[0].interest) == (Decimal("5555.56"), Decimal("664.44"))
    # then the formula: (200000 − 5555.56) × 2.6 % ÷ 12 = 421.30
    assert (plan[1].principal, plan[1].interest) == (Decimal("5555.56"), Decimal("421.30"))
    # 35 × 5555.56 = 194444.60 repaid before the last, which takes the 5555.40 left
    assert plan[-1].principal == Decimal("5555.40") and plan[-1].due_on == date(2029, 3, 20)


def test_disbursed_on_the_repayment_day_the_first_month_is_the_formulas() -> None:
    with_day = instalments(principal=Decimal("300000"), annual_rate_percent=Decimal("2.6"), months=240,
                           method=RepaymentMethod.EQUAL_INSTALMENT, first_due=date(2026, 4, 20), day=20,
                           disbursed_on=date(2026, 3, 20))
    assert with_day[0].interest == Decimal("650.00")  # 300000 × 2.6 % ÷ 12, not 31 days' worth


@given(
    principal=st.decimals(min_value=Decimal("10000"), max_value=Decimal("1000000"), places=2),
    rate=st.sampled_from([Decimal("2.1"), Decimal("2.6"), Decimal("3.075")]),
    months=st.integers(min_value=2, max_value=360),
    method=st.sampled_from(list(RepaymentMethod)),
    cut=st.integers(min_value=1, max_value=359),
)
def test_walking_a_segment_from_any_instalment_continues_it_exactly(principal: Decimal, rate: Decimal, months: int,
                                                                    method: str, cut: int) -> None:
    """What the stored schedule relies on: the next year's instalments, walked from the last stored one's
    balance, are those of the whole schedule."""
    cut = min(cut, months - 1)
    segment = segment_new(balance=principal, rate=rate, method=method, first_number=1, last_number=months,
                          first_due=date(2027, 1, 15), day=15, interest_from=date(2026, 12, 3))
    whole = segment_walk(segment)
    assert segment_walk(segment, start=cut + 1, balance=whole[cut - 1].balance_after) == whole[cut:]
    assert segment_walk(segment, through=whole[cut - 1].due_on) == whole[:cut]


def test_shortening_keeps_the_payment_and_ends_the_loan_sooner() -> None:
    # 缩期 after repaying 100000 of a 300000 loan at its start: 1604.36 a month on 200000 at 2.6 %
    segment = segment_shortened(balance=Decimal("200000"), rate=Decimal("2.6"), method=RepaymentMethod.EQUAL_INSTALMENT,
                                payment=Decimal("1604.36"), first_number=1, last_number=240,
                                first_due=date(2027, 1, 20), day=20)
    plan = segment_walk(segment)
    assert all(i.payment == Decimal("1604.36") for i in plan[:-1]) and plan[-1].payment <= Decimal("1604.36")
    assert plan[-1].balance_after == 0 and len(plan) == segment.months < 240
    # one instalment fewer would leave principal owing at that payment
    assert plan[-2].balance_after > 0


def test_reducing_the_payment_keeps_the_last_date() -> None:
    segment = segment_new(balance=Decimal("200000"), rate=Decimal("2.6"), method=RepaymentMethod.EQUAL_INSTALMENT,
                          first_number=13, last_number=240, first_due=date(2027, 1, 20), day=20)
    plan = segment_walk(segment)
    assert plan[0].number == 13 and plan[-1].number == 240 and plan[-1].due_on == date(2045, 12, 20)
    assert segment.payment == annuity_payment(Decimal("200000"), Decimal("2.6"), 228)
