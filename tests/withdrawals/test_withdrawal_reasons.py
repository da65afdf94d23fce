"""Each reason's eligibility and amount against the sandboxes, varied one fact at a time: what 秒批 pays, what
goes to people, and that the books reconcile afterwards."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from deposits.models import AccountEvent, MemberAccount, MemberState
from deposits.models.lifecycle import AccountBusiness
from deposits.services.interest import interest_to_date
from fund.demo import make_id_number
from fund.integrations.models import SandboxBankPayment, SandboxInvoice
from fund.ledger.models import SubAccount
from fund.ledger.selectors import ledger_reconcile
from fund.payments.models import AttemptStatus as PayoutStatus
from tests.clock import travel_to
from tests.withdrawals.conftest import failed_rules, illness, online, submit_decided, window
from withdrawals.models import Withdrawal, WithdrawalState

pytestmark = pytest.mark.django_db

CERT = "鲁(2026)示范市不动产权第0000201号"


# ---- 01 purchase -----------------------------------------------------------------------------------------------

def test_purchase_of_own_home_in_the_city_is_paid_at_once_capped_at_the_price(wd, django_capture_on_commit_callbacks):
    wd.home(wd.person.id_number, CERT, price="5000.00")
    before = wd.balance
    w = online(wd, django_capture_on_commit_callbacks, "01", details={"certificate_number": CERT})
    assert w.state == WithdrawalState.PAID, w.decision_note
    assert w.decider == "auto" and w.home_key == CERT.upper()
    assert w.amount == Decimal("5000.00")  # the price, although the balance is larger
    assert wd.balance == before - Decimal("5000.00")
    assert not failed_rules(w)
    assert ledger_reconcile() == []


def test_purchase_asking_less_than_the_price_pays_what_was_asked(wd, django_capture_on_commit_callbacks):
    wd.home(wd.person.id_number, CERT, price="900000.00")
    w = online(wd, django_capture_on_commit_callbacks, "01", amount="1234.56", details={"certificate_number": CERT})
    assert w.state == WithdrawalState.PAID and w.amount == Decimal("1234.56")
    assert ledger_reconcile() == []


def test_purchase_out_of_the_city_goes_to_review(wd, django_capture_on_commit_callbacks):
    before = wd.balance
    wd.home(wd.person.id_number, CERT, in_city=False)
    w = online(wd, django_capture_on_commit_callbacks, "01", details={"certificate_number": CERT})
    assert w.state == WithdrawalState.REVIEW
    assert failed_rules(w) == {"local"}
    assert wd.balance == before and not w.payouts.exists()
    assert ledger_reconcile() == []


def test_purchase_outside_the_window_goes_to_review(wd, django_capture_on_commit_callbacks):
    wd.home(wd.person.id_number, CERT, registered_on=timezone.localdate() - timedelta(days=400))
    w = online(wd, django_capture_on_commit_callbacks, "01", details={"certificate_number": CERT})
    assert w.state == WithdrawalState.REVIEW
    assert failed_rules(w) == {"window"}
    assert "已超过 12 个月时限" in w.checks.get(rule="window").detail
    assert ledger_reconcile() == []


def test_purchase_of_a_home_in_nobodys_records_goes_to_review(wd, django_capture_on_commit_callbacks):
    w = online(wd, django_capture_on_commit_callbacks, "01", details={"certificate_number": CERT})
    assert w.state == WithdrawalState.REVIEW and "home" in failed_rules(w)
    assert ledger_reconcile() == []


def test_purchase_of_the_spouses_home_with_a_marriage_record_passes(wd, django_capture_on_commit_callbacks):
    spouse_id, spouse_name = wd.spouse()
    wd.home(spouse_id, CERT, price="8000.00")
    w = online(wd, django_capture_on_commit_callbacks, "01", relation="spouse", other_id_number=spouse_id,
               other_name=spouse_name, details={"certificate_number": CERT})
    assert w.other_id_number == spouse_id
    assert w.state == WithdrawalState.PAID, w.decision_note
    assert w.checks.get(rule="relation").passed and w.amount == Decimal("8000.00")
    assert ledger_reconcile() == []


def test_purchase_of_a_spouses_home_without_a_marriage_record_goes_to_review(wd, django_capture_on_commit_callbacks):
    other = make_id_number(birth=date(1992, 1, 2), seq=611, male=False)
    wd.person_record(other, "某女", male=False)
    wd.home(other, CERT)
    w = online(wd, django_capture_on_commit_callbacks, "01", relation="spouse", other_id_number=other,
               other_name="某女", details={"certificate_number": CERT})
    assert w.state == WithdrawalState.REVIEW and failed_rules(w) == {"relation"}
    assert ledger_reconcile() == []


def test_purchase_of_a_childs_home_through_the_household_relation_passes(wd, django_capture_on_commit_callbacks):
    child_id, child_name = wd.child()
    wd.home(child_id, CERT, price="6000.00")
    w = online(wd, django_capture_on_commit_callbacks, "01", relation="child", other_id_number=child_id,
               other_name=child_name, details={"certificate_number": CERT})
    assert w.state == WithdrawalState.PAID, w.decision_note
    assert w.checks.get(rule="relation").passed and w.amount == Decimal("6000.00")
    assert ledger_reconcile() == []


def test_purchase_of_a_new_home_by_a_valid_invoice_passes_and_a_cancelled_one_goes_to_review(
    wd, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    SandboxInvoice.objects.create(invoice_number="37002600000001", buyer_id_number=wd.person.id_number,
                                  buyer_name=wd.person.name, seller_name="示范置业", amount=Decimal("7000.00"),
                                  issued_on=today, address="示范市新城一号")
    SandboxInvoice.objects.create(invoice_number="37002600000002", buyer_id_number=wd.person.id_number,
                                  buyer_name=wd.person.name, seller_name="示范置业", amount=Decimal("7000.00"),
                                  issued_on=today, address="示范市新城二号", valid=False)
    bad = online(wd, django_capture_on_commit_callbacks, "01", details={"invoice_number": "37002600000002"})
    assert bad.state == WithdrawalState.REVIEW and "home" in failed_rules(bad)
    assert "作废" in bad.checks.get(rule="home").detail
    from withdrawals.services import withdrawal_cancel

    withdrawal_cancel(actor=wd.world.member_a, withdrawal=bad)
    good = online(wd, django_capture_on_commit_callbacks, "01", details={"invoice_number": "37002600000001"})
    assert good.state == WithdrawalState.PAID, good.decision_note
    assert good.amount == Decimal("7000.00") and good.home_key == "37002600000001"
    assert ledger_reconcile() == []


# ---- 03 retirement ---------------------------------------------------------------------------------------------

@pytest.fixture
def thirty_days_in_one_interest_year() -> Any:
    """From 1 to 30 June the next 30 days cross 30 June, where interest is settled and a new year starts: the
    clock moves a month back for the test below, which checks 30 days of interest within one year."""
    from fund.ledger.services import interest_period_start

    today = timezone.localdate()
    if interest_period_start(today + timedelta(days=30)) <= today:
        yield today
        return
    with travel_to(today - timedelta(days=31)):
        yield timezone.localdate()


def test_retirement_pays_the_whole_balance_with_interest_and_closes_the_account(
    thirty_days_in_one_interest_year, wd, django_capture_on_commit_callbacks
):
    from fund.ledger.services import interest_period_start
    from fund.policy.selectors import policy_value
    from withdrawals.services import withdrawal_decide, withdrawal_submit

    wd.social(employer=False, retired_on=date(2026, 1, 1))
    sub = SubAccount.objects.get(pk=wd.account.sub_account_id)
    balance = sub.balance
    # The deposits were posted with today's value date: decide 30 days later, so 30 days of 积数 have run.
    later = timezone.localdate() + timedelta(days=30)
    assert interest_period_start(later) <= timezone.localdate()  # one interest period (no 6-30 in between)
    current, prior = interest_to_date(sub, later - timedelta(days=1))
    rate = Decimal(policy_value("deposit_interest_rate", later))
    by_hand = (balance * 30 * rate / 360).quantize(Decimal("0.01"))
    with django_capture_on_commit_callbacks(execute=False):
        w = withdrawal_submit(actor=wd.world.member_a, account=wd.account, reason="03", channel="online")
    with django_capture_on_commit_callbacks(execute=True):
        withdrawal_decide(withdrawal_id=w.pk, today=later)
    w.refresh_from_db()
    assert w.state == WithdrawalState.PAID, w.decision_note
    assert w.interest > 0
    assert w.interest == current + prior == by_hand
    assert w.amount == balance + w.interest
    wd.account.refresh_from_db()
    assert wd.account.state == MemberState.WITHDRAWN
    assert wd.balance == 0
    paid = SandboxBankPayment.objects.get(account_number=wd.card)
    assert paid.amount == w.amount
    assert ledger_reconcile() == []


def test_retirement_not_in_the_social_insurance_data_goes_to_review(wd, django_capture_on_commit_callbacks):
    w = online(wd, django_capture_on_commit_callbacks, "03")
    assert w.state == WithdrawalState.REVIEW and failed_rules(w) == {"retired"}
    wd.account.refresh_from_db()
    assert wd.account.state == MemberState.NORMAL and w.amount is None
    assert ledger_reconcile() == []


# ---- 99-leave leaving the city ---------------------------------------------------------------------------------

def _leaver(wd: Any, *, local: bool = False, seal: bool = True) -> None:
    wd.person_record(wd.person.id_number, wd.person.name, local=local)
    wd.social(employer=False)
    if seal:
        wd.seal()


def test_leaving_the_city_without_local_hukou_sealed_and_unemployed_is_paid_and_closed(
    wd, django_capture_on_commit_callbacks
):
    _leaver(wd)
    w = online(wd, django_capture_on_commit_callbacks, "99-leave")
    assert w.state == WithdrawalState.PAID, w.decision_note
    wd.account.refresh_from_db()
    assert wd.account.state == MemberState.WITHDRAWN and wd.balance == 0
    assert ledger_reconcile() == []


def test_leaving_the_city_with_local_hukou_goes_to_review(wd, django_capture_on_commit_callbacks):
    _leaver(wd, local=True)
    w = online(wd, django_capture_on_commit_callbacks, "99-leave")
    assert w.state == WithdrawalState.REVIEW and failed_rules(w) == {"hukou"}
    assert ledger_reconcile() == []


def test_leaving_the_city_not_sealed_goes_to_review(wd, django_capture_on_commit_callbacks):
    _leaver(wd, seal=False)
    w = online(wd, django_capture_on_commit_callbacks, "99-leave")
    assert w.state == WithdrawalState.REVIEW and failed_rules(w) == {"sealed"}
    wd.account.refresh_from_db()
    assert wd.account.state == MemberState.NORMAL
    assert ledger_reconcile() == []


# ---- 07 rent ---------------------------------------------------------------------------------------------------

def test_rent_with_a_home_of_the_spouse_goes_to_review(wd, django_capture_on_commit_callbacks):
    spouse_id, _ = wd.spouse()
    wd.home(spouse_id, CERT)
    w = online(wd, django_capture_on_commit_callbacks, "07", amount="1000.00")
    assert w.state == WithdrawalState.REVIEW and failed_rules(w) == {"no_home"}
    assert "配偶" in w.checks.get(rule="no_home").detail
    assert ledger_reconcile() == []


def test_rent_with_too_few_deposit_months_goes_to_review(wd, django_capture_on_commit_callbacks):
    from tests.withdrawals.conftest import second_member

    account, user = second_member(wd, months=2)  # the policy asks for 3
    w = submit_decided(django_capture_on_commit_callbacks, actor=user, account=account, reason="07", amount="100.00")
    assert w.state == WithdrawalState.REVIEW and failed_rules(w) == {"deposit_months"}
    assert "仅缴存 2 个月" in w.checks.get(rule="deposit_months").detail
    assert ledger_reconcile() == []


# ---- 06 loan repayment -----------------------------------------------------------------------------------------

def test_loan_repayment_on_the_credit_report_pays_at_most_the_loan_balance(wd, django_capture_on_commit_callbacks):
    wd.commercial_loan(balance="3000.00", instalment="2500.00")
    w = online(wd, django_capture_on_commit_callbacks, "06")
    assert w.state == WithdrawalState.PAID, w.decision_note
    assert w.amount == Decimal("3000.00")
    assert w.details["loan"].startswith("commercial:")
    assert ledger_reconcile() == []


def test_loan_repayment_of_the_spouses_loan_is_paid_capped_at_its_balance(wd, django_capture_on_commit_callbacks):
    """本人或配偶的住房贷款: the spouse is the one the marriage registry names, the loan on the spouse's report."""
    spouse_id, spouse_name = wd.spouse()
    wd.commercial_loan(balance="2600.00", instalment="1800.00", holder=spouse_id, lender="工商银行示范分行")
    w = online(wd, django_capture_on_commit_callbacks, "06", amount="5000.00")
    assert w.state == WithdrawalState.PAID, w.decision_note
    assert w.amount == Decimal("2600.00")
    check = w.checks.get(rule="loan")
    assert spouse_name in check.detail and "工商银行示范分行" in check.detail
    assert check.evidence["marriage_call_id"] and check.evidence["credit_call_id"]
    assert ledger_reconcile() == []


def test_loan_repayment_does_not_take_a_former_spouses_loan(wd, django_capture_on_commit_callbacks):
    from fund.integrations.models import SandboxMarriage

    spouse_id, _ = wd.spouse()
    SandboxMarriage.objects.filter(party_b=spouse_id).update(ended_on=date(2024, 1, 1), ended_by="divorce")
    wd.commercial_loan(balance="2600.00", instalment="1800.00", holder=spouse_id, lender="工商银行示范分行")
    with pytest.raises(ValidationError) as err:  # no loan of the household now: nothing to repay
        online(wd, django_capture_on_commit_callbacks, "06", amount="1000.00")
    assert "未查到您或配偶名下未结清的住房贷款" in err.value.message_dict["reason"][0]
    assert not Withdrawal.objects.exists()


def test_a_second_loan_repayment_within_12_months_goes_to_review(wd, django_capture_on_commit_callbacks):
    wd.commercial_loan()
    first = online(wd, django_capture_on_commit_callbacks, "06", amount="1000.00")
    assert first.state == WithdrawalState.PAID
    second = online(wd, django_capture_on_commit_callbacks, "06", amount="1000.00")
    assert second.state == WithdrawalState.REVIEW and failed_rules(second) == {"frequency"}
    assert ledger_reconcile() == []


# ---- 08 death --------------------------------------------------------------------------------------------------

def test_death_by_an_heir_always_goes_to_review_and_pays_the_heirs_card(wd, django_capture_on_commit_callbacks):
    from tests.withdrawals.conftest import make_card
    from withdrawals.services import withdrawal_review

    spouse_id, spouse_name = wd.spouse()
    wd.person_record(wd.person.id_number, wd.person.name, death_date=date(2026, 1, 5))
    heir_card = make_card(77)
    from fund.integrations.models import SandboxBankAccount

    SandboxBankAccount.objects.create(account_number=heir_card, name=spouse_name, holder_id=spouse_id, bank_name="工商银行")
    w = window(wd, django_capture_on_commit_callbacks, "08", other_id_number=spouse_id, other_name=spouse_name,
               payee_card=heir_card, details={"heir_relation": "spouse"})
    assert w.relation == "heir" and w.payee_name == spouse_name and w.payee_card == heir_card
    assert w.state == WithdrawalState.REVIEW and not failed_rules(w)
    with django_capture_on_commit_callbacks(execute=True):
        withdrawal_review(actor=wd.reviewer, withdrawal=w, approve=True, opinion="继承关系已核")
    with django_capture_on_commit_callbacks(execute=True):
        withdrawal_review(actor=wd.approver, withdrawal=w, approve=True, opinion="同意")
    w.refresh_from_db()
    assert w.state == WithdrawalState.PAID
    assert SandboxBankPayment.objects.get(account_number=heir_card).amount == w.amount
    assert not SandboxBankPayment.objects.filter(account_number=wd.card).exists()
    assert ledger_reconcile() == []


def test_death_is_window_only(wd):
    from django.core.exceptions import ValidationError

    from withdrawals.reasons import REASONS
    from withdrawals.services import withdrawal_submit

    assert not REASONS["08"].online and REASONS["08"].heirs and not REASONS["08"].auto
    with pytest.raises(ValidationError) as err:
        withdrawal_submit(actor=wd.world.member_a, account=wd.account, reason="08", channel="online",
                          other_id_number=make_id_number(birth=date(1991, 5, 6), seq=9, male=False), other_name="某")
    assert "reason" in err.value.message_dict


# ---- reasons people always decide --------------------------------------------------------------------------------

def _reviewed_though_rules_passed(w: Any) -> bool:
    """In people's hands with every rule passed, because the reason always needs them, and nothing paid."""
    assert not failed_rules(w), [(c.rule, c.detail) for c in w.checks.all() if not c.passed]
    return (w.state == WithdrawalState.REVIEW and "该提取原因须人工审核" in w.decision_note
            and not w.payouts.exists())


def test_illness_dibao_build_and_lift_always_go_to_review(wd, django_capture_on_commit_callbacks):
    from withdrawals.reasons import REASONS
    from withdrawals.services import withdrawal_cancel

    wd.home(wd.person.id_number, CERT)
    cases = [("09", illness("3000.00")), ("99-dibao", {}), ("02", {"certificate_number": CERT, "cost": "5000"}),
             ("99-lift", {"certificate_number": CERT, "share": "2000"})]
    for key, details in cases:
        assert not REASONS[key].auto
        w = window(wd, django_capture_on_commit_callbacks, key, details=details)
        assert _reviewed_though_rules_passed(w), (key, w.state, w.decision_note)
        withdrawal_cancel(actor=wd.world.clerk, withdrawal=w)
    assert ledger_reconcile() == []


def test_illness_amount_is_capped_at_the_expenses(wd, django_capture_on_commit_callbacks):
    w = window(wd, django_capture_on_commit_callbacks, "09", amount="5000.00", details=illness("3000.00"))
    assert w.state == WithdrawalState.REVIEW and w.amount == Decimal("3000.00")


def _sealed_months_ago(wd: Any, months: int) -> None:
    wd.seal()
    wd.social(employer=False)
    AccountEvent.objects.filter(account=wd.account, business_type=AccountBusiness.SEAL).update(
        at=timezone.now() - timedelta(days=31 * months))


def test_jobless_sealed_seven_months_goes_to_review_with_every_rule_passing(wd, django_capture_on_commit_callbacks):
    _sealed_months_ago(wd, 7)
    w = window(wd, django_capture_on_commit_callbacks, "99-jobless")
    assert _reviewed_though_rules_passed(w), (w.state, w.decision_note)


def test_jobless_not_sealed_long_enough_fails_the_sealed_months_rule(wd, django_capture_on_commit_callbacks):
    _sealed_months_ago(wd, 2)
    w = window(wd, django_capture_on_commit_callbacks, "99-jobless")
    assert w.state == WithdrawalState.REVIEW and "sealed_months" in failed_rules(w)
    assert MemberAccount.objects.get(pk=wd.account.pk).state == MemberState.SEALED


def test_a_paid_withdrawal_has_one_succeeded_payout(wd, django_capture_on_commit_callbacks):
    w = online(wd, django_capture_on_commit_callbacks, "07", amount="10.00")
    assert [p.status for p in w.payouts.all()] == [PayoutStatus.SUCCEEDED]
