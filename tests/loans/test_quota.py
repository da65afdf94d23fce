"""The quota estimate: SPEC §2.3's four limits worked by hand, the binding one, rounding, the term rules and the
rate, each read from policy on the day estimated (a policy row effective from a date changes the answer from
that date only).

Hand-worked figures (rates per annum; r = rate ÷ 12; 等额本息 principal = payment × [(1+r)^n − 1] ÷ [r(1+r)^n]):
  2.600 %, 240 months: (1+r)^240 = 1.681 1…, factor = 0.681 1 ÷ (0.002 166 7 × 1.681 1) = 186.989 96…
  so 1 000.00 a month repays 186 989.96 and 3 500.00 a month 654 464.88.
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from fund.policy.models import PolicyValue
from loans.services.quota import QuotaInput, months_until, principal_for_payment, quota_estimate
from loans.services.rates import loan_rate

pytestmark = pytest.mark.django_db

ON = date(2026, 2, 10)
BASE = QuotaInput(
    price=Decimal("900000.00"), home_kind="new", home_order="first", monthly_income=Decimal("6000.00"),
    monthly_debt=Decimal("2000.00"), balances=[Decimal("50000.00")], co_borrowers=0, term_months=240,
    birth_date=date(1990, 3, 7), sex="1", building_year=None, on=ON,
)


def policy(name: str, value: str, effective_from: date) -> None:
    field = {"text": value} if not value[0].isdigit() else {"number": Decimal(value)}
    PolicyValue.objects.create(name=name, effective_from=effective_from, note="测试", **field)


def amounts(result) -> dict[str, Decimal]:
    return {x.code: x.amount for x in result.limits}


def test_each_limit_is_worked_by_hand_and_the_lowest_binds():
    result = quota_estimate(BASE)
    # capacity: 6 000 × 50 % − 2 000 = 1 000 a month → 186 989.96; price: 900 000 × 80 % = 720 000;
    # balance: 50 000 × 15 = 750 000; cap (single): 600 000.
    assert amounts(result) == {"capacity": Decimal("186989.96"), "price": Decimal("720000.00"),
                               "balance": Decimal("750000.00"), "cap": Decimal("600000.00")}
    assert result.binding.code == "capacity"
    assert [x.code for x in result.limits if x.binding] == ["capacity"]
    assert result.amount == Decimal("186000.00")  # rounded down to the 1 000 yuan unit
    assert result.rate == Decimal("2.600")
    assert "6,000.00 元 × 还款能力系数 50% − 现有月还款额 2,000.00 元" in result.binding.explanation
    assert "186,989.96 元" in result.binding.explanation
    assert result.term_problems == []


def test_the_price_limit_binds_with_the_first_home_ratio():
    result = quota_estimate(replace(BASE, price=Decimal("500000.00"), monthly_income=Decimal("20000.00")))
    assert result.binding.code == "price"
    assert result.binding.amount == Decimal("400000.00")  # 500 000 × 80 %
    assert result.amount == Decimal("400000.00")
    assert "房屋总价 500,000.00 元 × 首套住房最高贷款比例 80% = 400,000.00 元" in result.binding.explanation


def test_a_second_home_takes_the_second_ratio_and_the_second_home_rate():
    result = quota_estimate(replace(BASE, price=Decimal("500000.00"), home_order="second", term_months=360,
                                    monthly_income=Decimal("8000.00")))
    # capacity: 8 000 × 50 % − 2 000 = 2 000 a month at 3.075 % over 360 months → 469 858.87
    assert amounts(result)["capacity"] == Decimal("469858.87")
    assert result.binding.code == "price" and result.binding.amount == Decimal("350000.00")  # 500 000 × 70 %
    assert result.rate == Decimal("3.075")


def test_the_balance_limit_counts_every_co_borrower_and_the_joint_cap_applies():
    result = quota_estimate(replace(BASE, monthly_income=Decimal("20000.00"), co_borrowers=1,
                                    balances=[Decimal("10000.00"), Decimal("5000.00")]))
    assert result.binding.code == "balance"
    assert result.binding.amount == Decimal("225000.00")  # (10 000 + 5 000) × 15
    assert "借款人 10,000.00 + 共同借款人 5,000.00" in result.binding.explanation
    assert result.limit("cap").amount == Decimal("800000.00")  # joint cap


def test_the_city_cap_binds_single_and_joint():
    rich = replace(BASE, price=Decimal("3000000.00"), monthly_income=Decimal("50000.00"),
                   balances=[Decimal("100000.00")])
    single = quota_estimate(rich)
    assert single.binding.code == "cap" and single.amount == Decimal("600000.00")
    joint = quota_estimate(replace(rich, co_borrowers=1, balances=[Decimal("100000.00"), Decimal("0.00")]))
    assert joint.binding.code == "cap" and joint.amount == Decimal("800000.00")


def test_no_income_left_after_debt_lends_nothing():
    result = quota_estimate(replace(BASE, monthly_debt=Decimal("3000.00")))  # 6 000 × 50 % − 3 000 = 0
    assert amounts(result)["capacity"] == Decimal("0.00") and result.amount == Decimal("0.00")


def test_a_conversion_is_limited_to_the_commercial_balance():
    result = quota_estimate(replace(BASE, monthly_income=Decimal("20000.00"), conversion_balance=Decimal("123456.78")))
    assert result.binding.code == "conversion" and result.amount == Decimal("123000.00")


def test_a_combination_loan_shows_the_bank_part_as_price_times_ratio_less_the_fund_part():
    result = quota_estimate(BASE)
    assert result.combination() == (Decimal("186000.00"), Decimal("534000.00"))  # 720 000 − 186 000


def test_rounding_unit_and_mode_are_policy_from_their_date():
    q = replace(BASE, price=Decimal("500700.00"), monthly_income=Decimal("20000.00"))  # price limit 400 560
    assert quota_estimate(q).amount == Decimal("400000.00")
    policy("loan_quota_rounding_mode", "half_up", date(2026, 3, 1))
    policy("loan_quota_rounding_unit", "100", date(2026, 4, 1))
    assert quota_estimate(q).amount == Decimal("400000.00")  # before either row
    assert quota_estimate(replace(q, on=date(2026, 3, 1))).amount == Decimal("401000.00")
    assert quota_estimate(replace(q, on=date(2026, 4, 1))).amount == Decimal("400600.00")


def test_a_limit_policy_changed_from_a_date_applies_from_that_date():
    policy("loan_balance_multiple", "20", date(2026, 3, 1))
    assert amounts(quota_estimate(BASE))["balance"] == Decimal("750000.00")
    assert amounts(quota_estimate(replace(BASE, on=date(2026, 3, 1))))["balance"] == Decimal("1000000.00")


# ---- term rules ---------------------------------------------------------------------------------------------

def test_the_term_may_not_pass_the_maximum_years():
    result = quota_estimate(replace(BASE, birth_date=date(2000, 1, 1), term_months=361))
    assert result.amount == Decimal("0.00") and result.max_term_months == 360
    assert result.term_problems == ["贷款期限 361 个月超过最长 30 年（360 个月）"]
    assert quota_estimate(replace(BASE, birth_date=date(2000, 1, 1), term_months=360)).term_problems == []


def test_a_mans_age_plus_term_may_not_pass_65():
    # Born 1990-03-07, 65 on 2055-03-07; from 2026-02-10 that is 29 years and 25 days: 348 whole months.
    assert months_until(ON, date(2055, 3, 7)) == 348
    assert quota_estimate(replace(BASE, term_months=348)).term_problems == []
    refused = quota_estimate(replace(BASE, term_months=349))
    assert refused.amount == 0 and refused.max_term_months == 348
    assert "年龄与贷款期限之和不得超过 65 岁" in refused.term_problems[0]


def test_a_womans_age_plus_term_may_not_pass_60():
    # Born 1991-05-06, 60 on 2051-05-06; from 2026-02-10: 25 years 2 months and 26 days = 302 months.
    woman = replace(BASE, sex="2", birth_date=date(1991, 5, 6))
    assert quota_estimate(replace(woman, term_months=302)).term_problems == []
    assert quota_estimate(replace(woman, term_months=303)).amount == 0
    assert quota_estimate(replace(woman, term_months=302)).max_term_months == 302


def test_the_age_limit_is_policy_from_its_date():
    policy("loan_age_limit_male", "70", date(2026, 3, 1))
    assert quota_estimate(replace(BASE, term_months=360)).term_problems != []
    # From 2026-03-10, 70 on 2060-03-07: 33 years less 3 days → 407 months; the 30-year maximum binds.
    assert quota_estimate(replace(BASE, term_months=360, on=date(2026, 3, 10))).term_problems == []


def test_a_second_hand_homes_age_plus_term_may_not_pass_50():
    second = replace(BASE, home_kind="second_hand", building_year=2000)  # 26 years old in 2026: 24 years left
    assert quota_estimate(replace(second, term_months=288)).term_problems == []
    refused = quota_estimate(replace(second, term_months=289))
    assert refused.amount == 0 and refused.max_term_months == 288
    assert "房龄 26 年" in refused.term_problems[0]


def test_a_building_year_in_the_future_is_refused():
    refused = quota_estimate(replace(BASE, home_kind="second_hand", building_year=2027))
    assert refused.amount == 0 and refused.max_term_months == 0
    assert refused.term_problems == ["房屋建成年份 2027 年晚于今年（2026 年）"]


def test_a_second_hand_home_needs_its_building_year():
    refused = quota_estimate(replace(BASE, home_kind="second_hand", building_year=None))
    assert refused.amount == 0 and refused.term_problems == ["二手房须填写房屋建成年份"]


def test_the_building_age_limit_does_not_apply_to_new_homes():
    assert quota_estimate(replace(BASE, building_year=1970)).term_problems == []


# ---- rates ----------------------------------------------------------------------------------------------------

def test_the_rate_follows_home_order_and_term_and_its_effective_date():
    assert loan_rate(home_order="first", term_months=60, on=ON) == Decimal("2.100")
    assert loan_rate(home_order="first", term_months=61, on=ON) == Decimal("2.600")
    assert loan_rate(home_order="second", term_months=60, on=ON) == Decimal("2.525")
    assert loan_rate(home_order="second", term_months=61, on=ON) == Decimal("3.075")
    # Before the PBoC cut of 2025-05-08.
    assert loan_rate(home_order="first", term_months=240, on=date(2025, 5, 7)) == Decimal("2.850")


def test_the_capacity_limit_is_worked_at_the_rate_of_the_term():
    short = quota_estimate(replace(BASE, monthly_debt=Decimal("0.00"),
                                   monthly_income=Decimal("7000.00"), term_months=60))
    # 7 000 × 50 % = 3 500 a month over 60 months at 2.100 % → 199 185.70
    assert short.rate == Decimal("2.100") and amounts(short)["capacity"] == Decimal("199185.70")
    assert principal_for_payment(Decimal("3500.00"), Decimal("2.600"), 240) == Decimal("654464.88")
