"""assessment_for: a stored application assessed from shared data — the home order from the registry (never what
was typed), the existing debt from every credit report of the household, the balances of borrower and
co-borrowers, 商转公's commercial loan, and the eligibility verdicts (the application itself left out)."""

from datetime import date
from decimal import Decimal

import pytest

from loans.models import CoBorrower
from loans.services.assessment import assessment_for

pytestmark = pytest.mark.django_db

ON = date(2026, 2, 10)


def balance(account):
    account.sub_account.refresh_from_db()
    return account.sub_account.balance


def test_the_home_order_comes_from_the_registry_not_from_the_application(ln):
    ln.home([ln.person.id_number], "鲁(2015)示范市不动产权第0000201号")
    application = ln.application(home_order="first")
    found = assessment_for(application, on=ON)
    assert found.home_order.order == "second"
    assert found.quota.rate == Decimal("3.075")  # second home, over five years
    assert found.quota.limit("price").amount == Decimal("630000.00")  # 900 000 × 70 %


def test_the_debt_is_every_instalment_on_the_households_reports_and_the_quota_uses_it(ln):
    spouse_id, _ = ln.spouse()
    ln.credit_loan(instalment="1000.00")
    ln.credit_loan(spouse_id, instalment="500.00", kind="other", for_housing=False, balance="5000.00")
    application = ln.application(spouse_id_number=spouse_id, monthly_income=Decimal("5000.00"))
    found = assessment_for(application, on=ON)
    assert found.monthly_debt == Decimal("1500.00")
    # 5 000 × 50 % − 1 500 = 1 000 a month over 240 months at 2.600 % → 186 989.96
    assert found.quota.limit("capacity").amount == Decimal("186989.96")
    assert found.quota.limit("balance").amount == balance(ln.account) * 15 > Decimal("186989.96")
    assert found.quota.binding.code == "capacity" and found.quota.amount == Decimal("186000.00")
    assert all(v.passed for v in found.verdicts), [v.message for v in found.verdicts if not v.passed]


def test_co_borrowers_add_their_balance_and_pass_their_own_checks(ln):
    application = ln.application()
    co = ln.world.account_b
    CoBorrower.objects.create(application=application, person=co.person, account=co, relation="other",
                              monthly_income=Decimal("3000.00"))
    found = assessment_for(application, on=ON)
    assert found.quota.limit("cap").amount == Decimal("800000.00")
    total = balance(ln.account) + balance(co)
    assert total > 0 and found.quota.limit("balance").amount == total * 15
    assert [v.code for v in found.verdicts].count("co_borrowers") == 1


def test_a_conversion_is_capped_at_the_commercial_balance_whose_instalment_no_longer_counts(ln):
    ln.credit_loan(instalment="2500.00", balance="150000.00")
    application = ln.application(product="conversion", monthly_income=Decimal("6000.00"))
    found = assessment_for(application, on=ON)
    assert found.conversion is not None and found.conversion.balance == Decimal("150000.00")
    assert found.monthly_debt == Decimal("0.00")
    assert found.quota.binding.code in {"conversion", "balance"}
    assert found.quota.limit("conversion").amount == Decimal("150000.00")


def test_a_third_home_is_assessed_at_zero_with_the_reason(ln):
    ln.home([ln.person.id_number], "鲁(2015)示范市不动产权第0000202号")
    ln.home([ln.person.id_number], "鲁(2015)示范市不动产权第0000203号")
    found = assessment_for(ln.application(), on=ON)
    assert found.home_order.order is None and found.quota.amount == 0
    assert found.quota.term_problems[0].startswith("家庭住房套数超过")
    assert not found.eligible


def test_the_application_assessed_is_not_another_in_flight(ln):
    found = assessment_for(ln.application(), on=ON)
    assert next(v for v in found.verdicts if v.code == "no_unpaid_loan").passed


def test_a_low_income_first_home_is_marked_for_the_subsidy(ln):
    found = assessment_for(ln.application(monthly_income=Decimal("4800.00")), on=ON)
    assert found.subsidy.passed
    assert not assessment_for(ln.application(monthly_income=Decimal("12000.00"), household_key="k2"),
                              on=ON).subsidy.passed
