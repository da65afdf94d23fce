"""自愿扣划: agreements signed by the holder (a co-borrower's only with their consent), and the close's deduction
taking what is due from the agreed accounts in order, each up to its balance, once per loan, date and account."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from deposits.models import MemberState
from fund.ledger.selectors import ledger_reconcile
from loans.models import (
    CoBorrower,
    Instalment,
    InstalmentState,
    Repayment,
    RepaymentAgreement,
    RepaymentChannel,
)
from loans.services.fund_deduction import agreement_end, agreement_sign, fund_deduct_due
from tests.clients import page
from tests.conftest import deposit_months, open_member

pytestmark = pytest.mark.django_db

DUE = date(2026, 4, 20)


def _balance(account: Any) -> Decimal:
    account.sub_account.refresh_from_db()
    return account.sub_account.balance


@pytest.fixture
def couple(ln: Any) -> Any:
    """A loan whose instalment (≈ 28 400 a month) is more than the borrower's fund account holds, with the
    borrower's spouse (world.account_b, 12 months deposited) as co-borrower."""
    loan = ln.active_loan(principal="3000000.00", rate="2.600", months=120, day=20, disbursed_on=date(2026, 3, 20))
    spouse = ln.world.account_b
    deposit_months(ln.world.clerk_b, spouse, 12)
    CoBorrower.objects.create(application=loan.application, person=spouse.person, account=spouse, relation="spouse")
    return loan


def test_the_close_takes_the_borrowers_account_then_the_co_borrowers_by_agreement_once_per_date(
        ln: Any, couple: Any) -> None:
    loan, spouse = couple, ln.world.account_b
    agreement_sign(actor=ln.world.member_a, loan=loan, account=ln.account)
    agreement_sign(actor=ln.world.clerk, loan=loan, account=spouse, consent=True)
    own_before, spouse_before = _balance(ln.account), _balance(spouse)
    first = Instalment.objects.get(loan=loan, number=1)
    due = first.principal + first.interest
    assert due > own_before  # the premise: the borrower's account alone cannot pay it

    taken = fund_deduct_due(loan.pk, DUE)

    from_spouse = min(due - own_before, spouse_before)
    assert taken == own_before + from_spouse
    assert _balance(ln.account) == 0 and _balance(spouse) == spouse_before - from_spouse
    rows = list(Repayment.objects.filter(loan=loan).order_by("id"))
    assert [(r.fund_account_id, r.from_fund, r.channel) for r in rows] == [
        (ln.account.pk, own_before, RepaymentChannel.FUND), (spouse.pk, from_spouse, RepaymentChannel.FUND)]
    assert ledger_reconcile() == []
    # the close run again for the same date takes nothing more
    assert fund_deduct_due(loan.pk, DUE) == 0
    assert Repayment.objects.filter(loan=loan).count() == 2 and _balance(spouse) == spouse_before - from_spouse


def test_the_deduction_takes_only_what_is_due_and_nothing_before_the_due_date(ln: Any) -> None:
    loan = ln.active_loan(principal="300000.00", rate="2.600", months=240, day=20, disbursed_on=date(2026, 3, 20))
    agreement_sign(actor=ln.world.member_a, loan=loan, account=ln.account)
    before = _balance(ln.account)
    assert fund_deduct_due(loan.pk, date(2026, 4, 19)) == 0
    assert fund_deduct_due(loan.pk, DUE) == Decimal("1604.36")
    assert _balance(ln.account) == before - Decimal("1604.36")
    assert Instalment.objects.get(loan=loan, number=1).state == InstalmentState.PAID
    assert Instalment.objects.get(loan=loan, number=2).interest_paid == 0


def test_a_frozen_account_and_an_ended_agreement_are_not_deducted(ln: Any) -> None:
    loan = ln.active_loan(principal="300000.00", rate="2.600", months=240, day=20, disbursed_on=date(2026, 3, 20))
    agreement = agreement_sign(actor=ln.world.member_a, loan=loan, account=ln.account)
    type(ln.account).objects.filter(pk=ln.account.pk).update(state=MemberState.FROZEN)
    assert fund_deduct_due(loan.pk, DUE) == 0
    type(ln.account).objects.filter(pk=ln.account.pk).update(state=MemberState.NORMAL)
    agreement_end(actor=ln.world.member_a, agreement=agreement)
    assert fund_deduct_due(loan.pk, DUE) == 0
    assert not Repayment.objects.exists()


def test_it_refuses_a_co_borrowers_agreement_without_consent_or_signed_by_the_borrower_online(
        ln: Any, couple: Any) -> None:
    loan, spouse = couple, ln.world.account_b
    with pytest.raises(ValidationError) as no_consent:
        agreement_sign(actor=ln.world.clerk, loan=loan, account=spouse)
    assert "consent" in no_consent.value.message_dict
    with pytest.raises(ValidationError) as online:
        agreement_sign(actor=ln.world.member_a, loan=loan, account=spouse)
    assert online.value.message_dict["account"] == ["网上只能为本人的公积金账户签订自愿扣划协议"]
    with pytest.raises(ValidationError) as stranger:
        agreement_sign(actor=ln.world.clerk, loan=loan, account=open_member(ln.world.clerk, ln.world.unit_a, 9),
                       consent=True)
    assert "account" in stranger.value.message_dict
    with pytest.raises(PermissionDenied):
        agreement_sign(actor=ln.world.member_b, loan=loan, account=spouse)
    assert not RepaymentAgreement.objects.exists()


def test_a_second_agreement_for_the_same_account_is_refused(ln: Any) -> None:
    loan = ln.active_loan(principal="300000.00", rate="2.600", months=240, day=20, disbursed_on=date(2026, 3, 20))
    agreement_sign(actor=ln.world.member_a, loan=loan, account=ln.account)
    with pytest.raises(ValidationError) as twice:
        agreement_sign(actor=ln.world.clerk, loan=loan, account=ln.account, consent=True)
    assert twice.value.message_dict["account"] == ["该公积金账户已签订本笔贷款的自愿扣划协议"]


def test_the_counter_signs_a_co_borrowers_agreement_and_repays_from_that_account(ln: Any, couple: Any) -> None:
    from loans.services.repayment import repay_now

    loan, spouse = couple, ln.world.account_b
    client = page(ln.world.clerk)
    answer = client.post(f"/staff/loans/{loan.pk}/agreements/", {"account": spouse.pk, "consent": "on"})
    assert answer.status_code == 302, answer.content.decode()
    listed = client.get(f"/staff/loans/{loan.pk}/agreements/").content.decode()
    assert spouse.number in listed and "有效" in listed
    before = _balance(spouse)
    repayment = repay_now(actor=ln.world.clerk, loan=loan, amount="1000.00", source="fund", client_token="cb",
                          account=spouse, on=DUE)
    assert repayment.fund_account_id == spouse.pk and _balance(spouse) == before - Decimal("1000.00")
    assert ledger_reconcile() == []
    # the member sees the agreement and may not end their spouse's
    member_page = page(ln.world.member_a).get(f"/member/loans/{loan.pk}/agreements/").content.decode()
    assert spouse.number in member_page
    agreement = RepaymentAgreement.objects.get(account=spouse)
    assert page(ln.world.member_a).post(f"/member/loans/agreements/{agreement.pk}/end/").status_code == 403
    assert page(ln.world.member_b).post(f"/member/loans/agreements/{agreement.pk}/end/").status_code == 404
    assert RepaymentAgreement.objects.get(pk=agreement.pk).active
