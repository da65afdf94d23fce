"""Loan eligibility: every rule passing and failing with its evidence, each switched off by a policy row from a
date (before it the rule decides, from it the rule is not checked), co-borrowers' own checks, and the home
order from the property registry for the household.

The `ln` borrower has deposited every month from 2025-02 to 2026-01, so the checks run on 2026-02-10.
"""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from deposits.models import MemberAccount, MemberState
from fund.demo import make_id_number
from fund.integrations.base import Unavailable
from fund.policy.models import PolicyValue
from loans.models import ConstructionState, ProjectState
from loans.services.eligibility import (
    EligibilitySubject,
    eligibility_check,
    home_order_for,
    subsidy_check,
)
from risk.models import BlacklistEntry
from tests.clock import travel_to

pytestmark = pytest.mark.django_db

ON = date(2026, 2, 10)


def subject(ln: Any, **fields: Any) -> EligibilitySubject:
    values: dict[str, Any] = dict(
        person=ln.person, account=ln.account, co_borrowers=[], household_id_numbers=[ln.person.id_number],
        home_kind="second_hand", project=None, on=ON, exclude_application_id=None,
    )
    values.update(fields)
    return EligibilitySubject(**values)


def verdicts(ln: Any, **fields: Any) -> dict[str, Any]:
    """The verdicts by code (the co-borrower rule gives one per co-borrower: the last is kept)."""
    return {v.code: v for v in eligibility_check(subject(ln, **fields))}


def switch_off(code: str, effective_from: date) -> None:
    PolicyValue.objects.create(name=f"loan_rule_{code}", text="off", effective_from=effective_from, note="测试")


def blacklist(world: Any, id_number: str, name: str = "失信人") -> BlacklistEntry:
    return BlacklistEntry.objects.create(
        subject_kind="person", id_number=id_number, name=name, category="fraud_loan", reason="骗贷",
        listed_on=date(2025, 1, 1), until=date(2030, 1, 1), listed_by=world.director,
    )


def test_a_clean_borrower_passes_every_rule_with_its_evidence(ln):
    found = eligibility_check(subject(ln))
    assert [v.code for v in found] == ["account_normal", "deposit_months", "no_unpaid_loan", "not_blacklisted",
                                       "credit", "co_borrowers", "project_admitted", "home_count"]
    assert all(v.passed for v in found), [v.message for v in found if not v.passed]
    by = {v.code: v for v in found}
    assert by["deposit_months"].evidence == {"account": ln.account.number, "months": 12, "through": "2026-01",
                                             "required": 6}
    assert by["credit"].evidence["report_number"] and by["credit"].evidence["credit_call_id"]
    assert by["home_count"].evidence["property_call_ids"]


# ---- each rule failing --------------------------------------------------------------------------------------

def test_it_refuses_an_account_that_is_not_normal(ln):
    MemberAccount.objects.filter(pk=ln.account.pk).update(state=MemberState.FROZEN)
    ln.account.refresh_from_db()
    verdict = verdicts(ln)["account_normal"]
    assert not verdict.passed and "冻结" in verdict.message


def test_it_refuses_fewer_continuous_months_than_policy(ln):
    PolicyValue.objects.create(name="loan_min_deposit_months", number=Decimal(13), effective_from=date(2026, 2, 1),
                               note="测试")
    assert verdicts(ln, on=date(2026, 1, 31))["deposit_months"].passed  # 6 months asked then
    verdict = verdicts(ln)["deposit_months"]
    assert not verdict.passed and verdict.evidence["months"] == 12 and verdict.evidence["required"] == 13


def test_it_refuses_deposits_that_stopped_before_last_month(ln):
    verdict = verdicts(ln, on=date(2026, 4, 10))["deposit_months"]  # February and March unpaid
    assert not verdict.passed and "及上月均未缴存" in verdict.message


def test_the_current_month_counts_when_it_is_paid(ln):
    with travel_to(date(2026, 4, 10)):  # April may be posted only once it has come
        ln.deposit_through(date(2026, 4, 1))
    verdict = verdicts(ln, on=date(2026, 4, 10))["deposit_months"]
    assert verdict.passed and verdict.evidence["months"] == 15 and verdict.evidence["through"] == "2026-04"


def test_it_counts_only_the_months_in_a_row_up_to_now(ln):
    from deposits.models import MonthlyDeposit

    # A gap in 2025-09: from 2025-10 to 2026-01 is four months in a row.
    MonthlyDeposit.objects.filter(account=ln.account, month=date(2025, 9, 1)).update(
        reversal=MonthlyDeposit.objects.filter(account=ln.account).first().entry)
    verdict = verdicts(ln)["deposit_months"]
    assert not verdict.passed and verdict.evidence["months"] == 4


def test_it_refuses_a_household_with_an_unpaid_loan_here(ln):
    loan = ln.loan()
    verdict = verdicts(ln)["no_unpaid_loan"]
    assert not verdict.passed and loan.contract_number in verdict.message
    assert verdict.evidence["loans"] == [loan.contract_number]
    # The application being assessed is not "another": its own loan and itself are left out.
    assert verdicts(ln, exclude_application_id=loan.application_id)["no_unpaid_loan"].passed


def test_it_refuses_a_household_with_another_application_in_flight_the_spouses_included(ln):
    spouse_id, _ = ln.spouse()
    other = ln.application(spouse_id_number=spouse_id, household_key="x")
    verdict = verdicts(ln, household_id_numbers=[ln.person.id_number, spouse_id])["no_unpaid_loan"]
    assert not verdict.passed and verdict.evidence["applications"] == [other.number]
    assert verdicts(ln, household_id_numbers=[ln.person.id_number, spouse_id],
                    exclude_application_id=other.pk)["no_unpaid_loan"].passed


def test_it_refuses_a_fund_loan_at_another_centre_on_the_spouses_credit_report(ln):
    spouse_id, _ = ln.spouse()
    ln.credit_loan(spouse_id, kind="fund", lender="北京住房公积金管理中心", balance="120000.00")
    verdict = verdicts(ln, household_id_numbers=[ln.person.id_number, spouse_id])["no_unpaid_loan"]
    assert not verdict.passed and "北京住房公积金管理中心" in verdict.message
    assert verdict.evidence["fund_loans_on_credit_reports"][0]["balance"] == "120000.00"


def test_a_settled_loan_here_does_not_block(ln):
    ln.loan(status="closed")
    assert verdicts(ln)["no_unpaid_loan"].passed


def test_it_refuses_a_blacklisted_borrower(ln):
    entry = blacklist(ln.world, ln.person.id_number)
    verdict = verdicts(ln)["not_blacklisted"]
    assert not verdict.passed and "诚信黑名单" in verdict.message
    assert verdict.evidence["blacklist_entries"] == [entry.pk]


def test_it_refuses_a_credit_report_with_a_bad_record(ln):
    report = ln.credit_report()
    report.acceptable = False
    report.remark = "呆账"
    report.save()
    verdict = verdicts(ln)["credit"]
    assert not verdict.passed and "不良记录" in verdict.message
    assert verdict.evidence["report_number"] == report.report_number


def test_it_refuses_three_months_overdue_in_a_row(ln):
    ln.credit_loan(repayment_history="NNNNNNNNNNNN123NNNNNNNNN")
    verdict = verdicts(ln)["credit"]
    assert not verdict.passed and "连续逾期 3 个月" in verdict.message


def test_two_months_in_a_row_pass(ln):
    ln.credit_loan(repayment_history="NNNNNNNNNNNN12NNNNNNNNNN")
    assert verdicts(ln)["credit"].passed


def test_it_refuses_six_overdue_months_in_all_on_settled_loans_too(ln):
    ln.credit_loan(repayment_history="NN1NN1NN1NNNNNNNNNNNNNNN")
    ln.credit_loan(repayment_history="1NNN1NNN1NNNNNNNNNNNNNNC", settled=True, balance="0", instalment="0")
    verdict = verdicts(ln)["credit"]
    assert not verdict.passed and "累计逾期 6 个月" in verdict.message
    assert verdict.evidence["overdue_months"] == 6


def test_five_overdue_months_in_all_pass(ln):
    ln.credit_loan(repayment_history="NN1NN1NN1NNNNNNNNNN1NN1N")
    assert verdicts(ln)["credit"].passed


def test_the_credit_window_and_limits_are_policy_from_their_date(ln):
    ln.credit_loan(repayment_history="123NNNNNNNNNNNNNNNNNNNNN")  # the run is 22–24 months ago
    PolicyValue.objects.create(name="loan_credit_window_months", number=Decimal(12), effective_from=date(2026, 2, 1),
                               note="测试")
    assert not verdicts(ln, on=date(2026, 1, 31))["credit"].passed
    assert verdicts(ln)["credit"].passed
    PolicyValue.objects.create(name="loan_credit_consecutive_limit", number=Decimal(1), effective_from=date(2026, 2, 5),
                               note="测试")
    PolicyValue.objects.create(name="loan_credit_window_months", number=Decimal(24), effective_from=date(2026, 2, 5),
                               note="测试")
    ln.credit_loan(repayment_history="NNNNNNNNNNNNNNNNNNNNNN1N", lender="另一银行")
    verdict = verdicts(ln)["credit"]
    assert not verdict.passed and "达到 1 个月" in verdict.message


def test_an_unreachable_credit_bureau_fails_the_rule_for_people_to_decide(ln, monkeypatch):
    from fund.integrations.credit import SandboxCreditBureau

    def down(self, *, id_number):
        raise Unavailable("征信系统维护中", call_id=None)

    monkeypatch.setattr(SandboxCreditBureau, "report", down)
    verdict = verdicts(ln)["credit"]
    assert not verdict.passed and "外部系统无法核验" in verdict.message


# ---- co-borrowers -------------------------------------------------------------------------------------------

def test_a_co_borrower_without_an_account_here_passes_on_blacklist_and_credit(ln):
    from fund.people.models import Person

    other = Person.objects.create(id_number=make_id_number(birth=date(1992, 1, 2), seq=881), name="周共借",
                                  sex="1", birth_date=date(1992, 1, 2))
    found = verdicts(ln, co_borrowers=[(other, None)])["co_borrowers"]
    assert found.passed and "周共借" in found.label


def test_it_refuses_a_co_borrower_whose_account_is_not_normal(ln):
    account = ln.world.account_b
    MemberAccount.objects.filter(pk=account.pk).update(state=MemberState.SEALED)
    account.refresh_from_db()
    found = verdicts(ln, co_borrowers=[(account.person, account)])["co_borrowers"]
    assert not found.passed and "封存" in found.message and found.evidence["account"] == account.number


def test_it_refuses_a_blacklisted_co_borrower_in_both_rules(ln):
    account = ln.world.account_b
    blacklist(ln.world, account.person.id_number, account.person.name)
    found = verdicts(ln, co_borrowers=[(account.person, account)])
    assert not found["co_borrowers"].passed and not found["not_blacklisted"].passed
    assert found["co_borrowers"].evidence["blacklist_entry"]


def test_it_refuses_a_co_borrower_with_bad_credit(ln):
    account = ln.world.account_b
    ln.credit_loan(account.person.id_number, repayment_history="NNNNNNNNNNNNNNNNNNNNN4NN")
    found = verdicts(ln, co_borrowers=[(account.person, account)])["co_borrowers"]
    assert not found.passed and "连续逾期 4 个月" in found.message
    assert found.evidence["report_number"]


def test_each_co_borrower_gets_a_verdict_of_its_own(ln):
    from fund.people.models import Person

    other = Person.objects.create(id_number=make_id_number(birth=date(1992, 1, 2), seq=882), name="吴共借",
                                  sex="2", birth_date=date(1992, 1, 2))
    blacklist(ln.world, other.id_number, other.name)
    found = [v for v in eligibility_check(subject(ln, co_borrowers=[(ln.world.account_b.person, ln.world.account_b),
                                                                     (other, None)])) if v.code == "co_borrowers"]
    assert [v.passed for v in found] == [True, False]


# ---- off-plan homes -------------------------------------------------------------------------------------------

def test_an_off_plan_home_in_an_admitted_project_passes(ln):
    assert verdicts(ln, home_kind="new", project=ln.project)["project_admitted"].passed


@pytest.mark.parametrize("state", [ProjectState.PENDING, ProjectState.SUSPENDED, ProjectState.REFUSED])
def test_it_refuses_an_off_plan_home_in_a_project_not_admitted(ln, state):
    ln.project.state = state
    ln.project.save()
    verdict = verdicts(ln, home_kind="new", project=ln.project)["project_admitted"]
    assert not verdict.passed and ln.project.name in verdict.message
    assert verdict.evidence["project"] == ln.project.pk


def test_a_built_new_home_needs_no_admission(ln):
    ln.project.state = ProjectState.PENDING
    ln.project.construction = ConstructionState.BUILT
    ln.project.save()
    assert verdicts(ln, home_kind="new", project=ln.project)["project_admitted"].passed


def test_it_refuses_a_new_home_without_its_project(ln):
    assert not verdicts(ln, home_kind="new", project=None)["project_admitted"].passed


# ---- homes ---------------------------------------------------------------------------------------------------

def test_the_home_order_comes_from_the_registry_for_the_household(ln):
    spouse_id, _ = ln.spouse()
    assert home_order_for([ln.person.id_number, spouse_id]).order == "first"
    ln.home([spouse_id], "鲁(2015)示范市不动产权第0000101号")
    found = home_order_for([ln.person.id_number, spouse_id])
    assert found.order == "second" and found.homes == 1
    assert found.evidence["certificates"] == ["鲁(2015)示范市不动产权第0000101号"]
    assert len(found.evidence["property_call_ids"]) == 2


def test_a_home_owned_jointly_counts_once_and_one_elsewhere_not_at_all(ln):
    spouse_id, _ = ln.spouse()
    ln.home([ln.person.id_number, spouse_id], "鲁(2015)示范市不动产权第0000102号")
    ln.home([ln.person.id_number], "京(2016)朝阳区不动产权第0000103号", in_city=False)
    assert home_order_for([ln.person.id_number, spouse_id]).homes == 1


def test_it_refuses_a_third_home(ln):
    ln.home([ln.person.id_number], "鲁(2015)示范市不动产权第0000104号")
    ln.home([ln.person.id_number], "鲁(2016)示范市不动产权第0000105号")
    assert home_order_for([ln.person.id_number]).order is None
    verdict = verdicts(ln)["home_count"]
    assert not verdict.passed and "第 3 套" in verdict.message


def test_the_most_homes_lent_for_is_policy(ln):
    ln.home([ln.person.id_number], "鲁(2015)示范市不动产权第0000106号")
    PolicyValue.objects.create(name="loan_max_home_order", number=Decimal(1), effective_from=date(2026, 2, 1),
                               note="测试")
    assert home_order_for([ln.person.id_number], on=date(2026, 1, 31)).order == "second"
    assert home_order_for([ln.person.id_number], on=ON).order is None


# ---- every rule switched off from a date -----------------------------------------------------------------

def _fail_everything(ln: Any) -> dict[str, Any]:
    """Make every rule fail; returns the subject fields that make the rest fail."""
    MemberAccount.objects.filter(pk=ln.account.pk).update(state=MemberState.FROZEN)
    ln.account.refresh_from_db()
    PolicyValue.objects.create(name="loan_min_deposit_months", number=Decimal(24), effective_from=date(2025, 1, 1),
                               note="测试")
    ln.loan()
    blacklist(ln.world, ln.person.id_number)
    ln.credit_loan(repayment_history="NNNNNNNNNNNNNNNNNNNNN333")
    ln.home([ln.person.id_number], "鲁(2015)示范市不动产权第0000107号")
    ln.home([ln.person.id_number], "鲁(2016)示范市不动产权第0000108号")
    ln.project.state = ProjectState.SUSPENDED
    ln.project.save()
    co = ln.world.account_b
    blacklist(ln.world, co.person.id_number, co.person.name)
    return {"home_kind": "new", "project": ln.project, "co_borrowers": [(co.person, co)]}


RULE_CODES = ["account_normal", "deposit_months", "no_unpaid_loan", "not_blacklisted", "credit", "co_borrowers",
              "project_admitted", "home_count"]


@pytest.mark.parametrize("code", RULE_CODES)
def test_each_rule_is_switched_off_by_a_policy_row_from_its_date(ln, code):
    fields = _fail_everything(ln)
    switch_off(code, date(2026, 2, 1))
    before = verdicts(ln, on=date(2026, 1, 31), **fields)
    assert not before[code].passed  # on before the row
    after = verdicts(ln, **fields)
    assert after[code].passed and after[code].evidence == {"switched_off": f"loan_rule_{code}"}
    assert "2026年02月01日" in after[code].message
    # The others still decide.
    assert not any(after[other].passed for other in RULE_CODES if other != code)


# ---- 贴息 --------------------------------------------------------------------------------------------------------

def test_a_low_income_first_home_is_marked_for_the_subsidy():
    verdict = subsidy_check(home_order="first", monthly_income=Decimal("5000.00"), on=ON)
    assert verdict.passed and verdict.evidence["income_limit"] == "5000.00"
    assert not subsidy_check(home_order="first", monthly_income=Decimal("5000.01"), on=ON).passed
    assert not subsidy_check(home_order="second", monthly_income=Decimal("3000.00"), on=ON).passed


def test_the_subsidy_limit_and_switch_are_policy_from_their_date():
    PolicyValue.objects.create(name="loan_subsidy_income_limit", number=Decimal(6000), effective_from=date(2026, 3, 1),
                               note="测试")
    assert not subsidy_check(home_order="first", monthly_income=Decimal("5500.00"), on=ON).passed
    assert subsidy_check(home_order="first", monthly_income=Decimal("5500.00"), on=date(2026, 3, 1)).passed
    switch_off("subsidy", date(2026, 4, 1))
    assert not subsidy_check(home_order="first", monthly_income=Decimal("5500.00"), on=date(2026, 4, 1)).passed
