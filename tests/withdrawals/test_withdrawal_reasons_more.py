"""More reasons against the sandboxes, one fact varied at a time: loss of working ability (04) and
emigration (05) end in people's hands and close the account when approved; the amount caps of build (02),
lift (99-lift) and minimum living allowance (99-dibao); and purchase for a parent's home (01), the relation
read from the hukou register's family records."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from deposits.models import MemberState
from deposits.services.interest import interest_to_date
from fund.demo import make_id_number
from fund.integrations.models import SandboxBankPayment, SandboxHouseholdRelation, SandboxMarriage
from fund.ledger.models import SubAccount
from fund.ledger.selectors import ledger_reconcile
from fund.money import format_money
from tests.withdrawals.conftest import (
    failed_rules,
    online,
    paper_codes,
    second_member,
    submit_decided,
    window,
)
from withdrawals.models import Withdrawal, WithdrawalState
from withdrawals.services import withdrawal_review, withdrawal_submit

pytestmark = pytest.mark.django_db

CERT = "鲁(2026)示范市不动产权第0000301号"


def approve(wd: Any, capture: Any, w: Withdrawal, amount: Any = None) -> Withdrawal:
    """初审 then 审批 by two different people; the money moves and the bank is paid on commit."""
    with capture(execute=True):
        withdrawal_review(actor=wd.reviewer, withdrawal=w, approve=True, opinion="材料已核")
    with capture(execute=True):
        withdrawal_review(actor=wd.approver, withdrawal=w, approve=True, opinion="同意", amount=amount)
    w.refresh_from_db()
    return w


def paid_to_card(wd: Any) -> Decimal:
    return sum((p.amount for p in SandboxBankPayment.objects.filter(account_number=wd.card)), Decimal("0.00"))


def in_review_with_every_rule_passed(w: Withdrawal) -> None:
    assert not failed_rules(w), [(c.rule, c.detail) for c in w.checks.all() if not c.passed]
    assert w.state == WithdrawalState.REVIEW and "该提取原因须人工审核" in w.decision_note
    assert not w.payouts.exists()


def expected_interest(wd: Any) -> Decimal:
    """The interest a closing withdrawal approved today settles: accumulated to yesterday, as `_approve` does."""
    sub = SubAccount.objects.get(pk=wd.account.sub_account_id)
    current, prior = interest_to_date(sub, timezone.localdate() - timedelta(days=1))
    return current + prior


def assert_closed_with_the_whole_balance(wd: Any, w: Withdrawal, before: Decimal, interest: Decimal) -> None:
    assert w.state == WithdrawalState.PAID, w.decision_note
    assert w.closes_account and w.decider == "manual"
    assert w.interest == interest
    assert w.amount == before + interest  # the whole balance, with interest settled to the day
    wd.account.refresh_from_db()
    assert wd.account.state == MemberState.WITHDRAWN
    assert wd.balance == 0
    assert paid_to_card(wd) == w.amount
    assert ledger_reconcile() == []


# ---- 04 complete loss of working ability ---------------------------------------------------------------------

def _disabled(wd: Any) -> None:
    """Employment ended: the account sealed and the social-insurance record without a local employer."""
    wd.seal()
    wd.social(employer=False)


def test_disability_sealed_and_not_insured_locally_goes_to_review_and_closes_with_the_whole_balance(
    wd, django_capture_on_commit_callbacks
):
    _disabled(wd)
    w = window(wd, django_capture_on_commit_callbacks, "04")
    in_review_with_every_rule_passed(w)
    assert {c.rule for c in w.checks.all()} >= {"identity", "sealed", "no_employer"}
    assert w.amount is None  # the whole balance, fixed when the money is taken
    before, interest = wd.balance, expected_interest(wd)
    w = approve(wd, django_capture_on_commit_callbacks, w)
    assert_closed_with_the_whole_balance(wd, w, before, interest)


def test_disability_with_a_local_employer_in_the_social_insurance_data_fails_that_rule(
    wd, django_capture_on_commit_callbacks
):
    wd.seal()
    wd.social(employer=True)  # the only fact changed: still insured by a unit in the city
    before = wd.balance
    w = window(wd, django_capture_on_commit_callbacks, "04")
    assert w.state == WithdrawalState.REVIEW and failed_rules(w) == {"no_employer"}
    assert wd.account.unit.employer.name in w.checks.get(rule="no_employer").detail
    assert w.checks.get(rule="no_employer").evidence.get("call_id")  # the social-insurance call it relied on
    wd.account.refresh_from_db()
    assert wd.account.state == MemberState.SEALED and wd.balance == before and not w.payouts.exists()
    assert ledger_reconcile() == []


def test_disability_is_window_only_and_never_auto_approved(wd):
    from withdrawals.reasons import REASONS

    assert REASONS["04"].closes_account and not REASONS["04"].auto and not REASONS["04"].online
    with pytest.raises(ValidationError) as err:
        withdrawal_submit(actor=wd.world.member_a, account=wd.account, reason="04", channel="online")
    assert "reason" in err.value.message_dict


# ---- 05 emigration -------------------------------------------------------------------------------------------

def test_emigration_sealed_with_a_matching_identity_goes_to_review_and_closes_with_the_whole_balance(
    wd, django_capture_on_commit_callbacks
):
    wd.seal()
    wd.person_record(wd.person.id_number, wd.person.name, local=False)  # the hukou has moved out of the city
    w = window(wd, django_capture_on_commit_callbacks, "05")
    in_review_with_every_rule_passed(w)
    assert w.checks.get(rule="identity").evidence.get("call_id")
    before, interest = wd.balance, expected_interest(wd)
    w = approve(wd, django_capture_on_commit_callbacks, w)
    assert_closed_with_the_whole_balance(wd, w, before, interest)


def test_emigration_with_a_different_name_in_the_identity_registry_fails_the_identity_rule(
    wd, django_capture_on_commit_callbacks
):
    wd.seal()
    wd.person_record(wd.person.id_number, "另一个名字", local=False)  # the hukou moved out; the name differs
    before = wd.balance
    w = window(wd, django_capture_on_commit_callbacks, "05")
    assert w.state == WithdrawalState.REVIEW and failed_rules(w) == {"identity"}
    assert "姓名不一致" in w.checks.get(rule="identity").detail
    wd.account.refresh_from_db()
    assert wd.account.state == MemberState.SEALED and wd.balance == before and not w.payouts.exists()
    assert ledger_reconcile() == []


def test_emigration_with_the_hukou_still_in_the_city_fails_the_hukou_rule(wd, django_capture_on_commit_callbacks):
    wd.seal()
    w = window(wd, django_capture_on_commit_callbacks, "05")
    assert w.state == WithdrawalState.REVIEW and failed_rules(w) == {"hukou"}
    assert "户籍仍在本市" in w.checks.get(rule="hukou").plain and w.checks.get(rule="hukou").evidence["call_id"]


def test_emigration_not_sealed_fails_the_sealed_rule(wd, django_capture_on_commit_callbacks):
    wd.person_record(wd.person.id_number, wd.person.name, local=False)
    w = window(wd, django_capture_on_commit_callbacks, "05")
    assert w.state == WithdrawalState.REVIEW and failed_rules(w) == {"sealed"}
    wd.account.refresh_from_db()
    assert wd.account.state == MemberState.NORMAL


# ---- amount caps ---------------------------------------------------------------------------------------------

def test_build_asking_more_than_the_cost_proposes_and_pays_the_cost(wd, django_capture_on_commit_callbacks):
    wd.home(wd.person.id_number, CERT)
    before = wd.balance
    w = window(wd, django_capture_on_commit_callbacks, "02", amount="5000.00",
               details={"certificate_number": CERT, "cost": "3000.00"})
    in_review_with_every_rule_passed(w)
    assert w.amount_requested == Decimal("5000.00") and w.amount == Decimal("3000.00")
    with pytest.raises(ValidationError) as err:  # the approver cannot raise it past the cap either
        approve(wd, django_capture_on_commit_callbacks, w, amount="3000.01")
    assert "amount" in err.value.message_dict
    w.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        withdrawal_review(actor=wd.approver, withdrawal=w, approve=True, opinion="同意")
    w.refresh_from_db()
    assert w.state == WithdrawalState.PAID and w.amount == Decimal("3000.00")
    assert wd.balance == before - Decimal("3000.00") and paid_to_card(wd) == Decimal("3000.00")
    assert ledger_reconcile() == []


def test_build_without_an_amount_proposes_the_cost(wd, django_capture_on_commit_callbacks):
    wd.home(wd.person.id_number, CERT)
    w = window(wd, django_capture_on_commit_callbacks, "02", details={"certificate_number": CERT, "cost": "4321.00"})
    in_review_with_every_rule_passed(w)
    assert w.amount_requested is None and w.amount == Decimal("4321.00")
    w = approve(wd, django_capture_on_commit_callbacks, w)
    assert w.state == WithdrawalState.PAID and paid_to_card(wd) == Decimal("4321.00")
    assert ledger_reconcile() == []


def test_lift_asking_more_than_the_share_proposes_and_pays_the_share(wd, django_capture_on_commit_callbacks):
    wd.home(wd.person.id_number, CERT)
    w = window(wd, django_capture_on_commit_callbacks, "99-lift", amount="5000.00",
               details={"certificate_number": CERT, "share": "2000.00"})
    in_review_with_every_rule_passed(w)
    assert w.amount == Decimal("2000.00")
    w = approve(wd, django_capture_on_commit_callbacks, w)
    assert w.state == WithdrawalState.PAID and w.amount == Decimal("2000.00")
    assert paid_to_card(wd) == Decimal("2000.00")
    assert ledger_reconcile() == []


def test_lift_without_an_amount_proposes_the_share(wd, django_capture_on_commit_callbacks):
    wd.home(wd.person.id_number, CERT)
    w = window(wd, django_capture_on_commit_callbacks, "99-lift", details={"certificate_number": CERT, "share": "1800.50"})
    in_review_with_every_rule_passed(w)
    assert w.amount_requested is None and w.amount == Decimal("1800.50")


def test_lift_share_already_taken_for_the_home_by_the_spouse_leaves_nothing(wd, django_capture_on_commit_callbacks):
    wd.home(wd.person.id_number, CERT)
    first = window(wd, django_capture_on_commit_callbacks, "99-lift", details={"certificate_number": CERT, "share": "2000.00"})
    first = approve(wd, django_capture_on_commit_callbacks, first)
    assert first.state == WithdrawalState.PAID and first.amount == Decimal("2000.00")

    spouse_account, _ = second_member(wd, months=12)
    SandboxMarriage.objects.create(party_a=spouse_account.person.id_number, party_b=wd.person.id_number,
                                   married_on=date(2018, 1, 1))
    # Nothing could ever be paid for it again: refused at the window, with the reason, instead of going to
    # people with an amount of 0.
    with pytest.raises(ValidationError) as err:
        submit_decided(django_capture_on_commit_callbacks, actor=wd.world.clerk_b, account=spouse_account,
                       reason="99-lift", channel="window", materials=paper_codes("99-lift"), relation="spouse",
                       other_id_number=wd.person.id_number, other_name=wd.person.name,
                       details={"certificate_number": CERT, "share": "2000.00"})
    assert "同一住房只能提取一次" in err.value.message_dict["reason"][0]
    assert not Withdrawal.objects.filter(account=spouse_account).exists()


def test_dibao_asking_more_than_the_balance_is_refused_and_without_an_amount_the_whole_balance_is_paid(
    wd, django_capture_on_commit_callbacks
):
    balance = wd.balance
    with pytest.raises(ValidationError) as err:
        withdrawal_submit(actor=wd.world.clerk, account=wd.account, reason="99-dibao", channel="window",
                          materials=paper_codes("99-dibao"), amount=str(balance + Decimal("0.01")))
    assert "amount" in err.value.message_dict and format_money(balance) in err.value.message_dict["amount"][0]
    assert not Withdrawal.objects.filter(account=wd.account).exists()

    w = window(wd, django_capture_on_commit_callbacks, "99-dibao")
    in_review_with_every_rule_passed(w)
    assert w.amount == balance
    w = approve(wd, django_capture_on_commit_callbacks, w)
    assert w.state == WithdrawalState.PAID and w.amount == balance and not w.closes_account
    assert wd.balance == 0 and paid_to_card(wd) == balance
    wd.account.refresh_from_db()
    assert wd.account.state == MemberState.NORMAL  # a partial withdrawal: the account stays open
    assert ledger_reconcile() == []


def test_dibao_asking_less_than_the_balance_proposes_what_was_asked(wd, django_capture_on_commit_callbacks):
    w = window(wd, django_capture_on_commit_callbacks, "99-dibao", amount="999.99")
    in_review_with_every_rule_passed(w)
    assert w.amount == Decimal("999.99")


# ---- 01 purchase of a parent's home ----------------------------------------------------------------------------

def _parent(wd: Any) -> tuple[str, str]:
    """A parent of the member, as the household register records it."""
    number = make_id_number(birth=date(1962, 4, 5), seq=wd.next_seq())
    wd.person_record(number, "父亲甲")
    SandboxHouseholdRelation.objects.create(parent_id_number=number, child_id_number=wd.person.id_number)
    return number, "父亲甲"


def test_purchase_of_a_parents_home_through_the_household_register_passes(wd, django_capture_on_commit_callbacks):
    parent_id, parent_name = _parent(wd)
    wd.home(parent_id, CERT, price="6500.00")
    before = wd.balance
    w = online(wd, django_capture_on_commit_callbacks, "01", relation="parent", other_id_number=parent_id,
               other_name=parent_name, details={"certificate_number": CERT})
    assert w.relation == "parent" and w.other_id_number == parent_id
    assert w.state == WithdrawalState.PAID, w.decision_note
    relation = w.checks.get(rule="relation")
    assert relation.passed and "父母" in relation.detail and relation.evidence.get("call_id")
    assert parent_id not in relation.detail  # masked in what staff read
    assert w.amount == Decimal("6500.00") and wd.balance == before - Decimal("6500.00")
    assert ledger_reconcile() == []


def _stranger(wd: Any) -> str:
    number = make_id_number(birth=date(1961, 8, 9), seq=wd.next_seq())
    wd.person_record(number, "某人")
    return number


def _child(wd: Any) -> str:
    return wd.child()[0]  # related, but the member's child, not a parent


@pytest.mark.parametrize("other", [_stranger, _child], ids=["stranger", "child"])
def test_purchase_of_a_home_of_someone_not_a_parent_fails_the_relation_rule(
    wd, django_capture_on_commit_callbacks, other
):
    other_id = other(wd)
    wd.home(other_id, CERT, price="6500.00")
    before = wd.balance
    w = online(wd, django_capture_on_commit_callbacks, "01", relation="parent", other_id_number=other_id,
               other_name="某人", details={"certificate_number": CERT})
    assert w.state == WithdrawalState.REVIEW and failed_rules(w) == {"relation"}
    assert "户籍数据中未查到该亲属关系" in w.checks.get(rule="relation").detail
    assert wd.balance == before and not w.payouts.exists()
    assert ledger_reconcile() == []
