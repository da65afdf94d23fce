"""Who may make the centre ask an outside system about a member: the loans list (credit bureau and marriage
registry), a submission and a standing instruction through the API, and the last approval of a withdrawal for
a home (property registry). Everyone else gets the 404 of a missing object, and nothing is asked outside: the
integrations call log does not grow."""

from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from fund.integrations.models import IntegrationCall
from fund.people.services import operator_bind
from tests.withdrawals.conftest import submit_decided
from withdrawals.models import StandingInstruction, Withdrawal, WithdrawalState

pytestmark = pytest.mark.django_db

URL = "/api/withdrawals/"
CERT = "鲁(2026)示范市不动产权第0000711号"


def as_user(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def calls() -> int:
    return IntegrationCall.objects.count()


@pytest.fixture
def household(wd: Any) -> Any:
    """The member's loan, and a spouse (named in the marriage registry) with a loan of her own."""
    spouse_id, _ = wd.spouse()
    wd.commercial_loan(balance="300000.00", instalment="2500.00")
    wd.commercial_loan(balance="120000.00", instalment="1100.00", holder=spouse_id, lender="工商银行示范分行")
    return wd


def test_only_the_member_and_staff_in_scope_read_the_household_loans(household: Any) -> None:
    wd, world = household, household.world
    url = f"{URL}accounts/{wd.account.pk}/loans/"

    # The member, the window clerk of the account's branch, its 初审 and the centre-wide director.
    for user in (world.member_a, world.clerk, wd.reviewer, world.director):
        before = calls()
        response = as_user(user).get(url)
        assert response.status_code == 200, user
        loans = response.json()
        assert {loan["lender"] for loan in loans} == {"建设银行示范分行", "工商银行示范分行"}
        assert "配偶甲" in {loan["spouse_name"] for loan in loans}
        assert calls() > before  # asked the credit bureau and the marriage registry

    # The operator of the employee's own unit, a clerk of another branch, another member, another unit's
    # operator, a developer, a login with no role, and the centre's auditor (no withdrawal to take or decide).
    refused = (world.unit_a_op, world.clerk_b, world.member_b, world.unit_b_op, world.dev_a, world.outsider,
               world.auditor)
    before = calls()
    for user in refused:
        response = as_user(user).get(url)
        assert response.status_code == 404, user
        assert "工商银行" not in response.content.decode() and "配偶甲" not in response.content.decode()
    assert calls() == before  # nobody outside was asked anything


def test_it_refuses_a_window_clerk_of_another_branch_who_is_also_the_units_operator(household: Any) -> None:
    """Operating the employer's account makes nobody the employee's clerk: the employer path of the scope
    is not enough to read their loans or to apply for them at the window."""
    wd, world = household, household.world
    operator_bind(actor=None, user=world.clerk_b, employer=world.unit_a.employer)
    before = calls()
    assert as_user(world.clerk_b).get(f"{URL}accounts/{wd.account.pk}/loans/").status_code == 404
    response = as_user(world.clerk_b).post(URL, {"account": wd.account.pk, "reason": "06", "amount": "100.00",
                                                 "materials": []}, format="json")
    assert response.status_code == 404
    assert calls() == before and not Withdrawal.objects.exists()


def test_the_units_operator_can_neither_apply_nor_sign_for_an_employee(household: Any) -> None:
    wd, world = household, household.world
    client = as_user(world.unit_a_op)
    before = calls()
    applied = client.post(URL, {"account": wd.account.pk, "reason": "06", "amount": "100.00"}, format="json")
    signed = client.post(f"{URL}standing/", {"account": wd.account.pk, "loan": "commercial:x", "payee_card": wd.card},
                         format="json")
    assert applied.status_code == 404 and signed.status_code == 404
    assert calls() == before
    assert not Withdrawal.objects.exists() and not StandingInstruction.objects.exists()


def test_only_the_holder_of_the_last_step_makes_an_approval_ask_the_property_registry(
    wd: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The last approval of a withdrawal for a home reads the home's limit from the registry again. Anyone
    else who posts "approve" (another post, the first step, someone who may not decide it at all, a state
    with nothing to decide) is refused before anything is asked."""
    world = wd.world
    wd.home(wd.person.id_number, CERT, price="50000.00", in_city=False)  # out of the city: people decide
    w = submit_decided(django_capture_on_commit_callbacks, actor=world.member_a, account=wd.account, reason="01",
                       details={"certificate_number": CERT}, amount="1000.00")
    assert w.state == WithdrawalState.REVIEW
    review = f"{URL}{w.pk}/review/"

    before = calls()
    for user, status in ((world.clerk, 403), (world.auditor, 403), (wd.approver, 403), (world.unit_a_op, 403),
                         (world.member_a, 403), (world.clerk_b, 404)):
        assert as_user(user).post(review, {"approve": True}, format="json").status_code == status, user
    assert as_user(wd.reviewer).post(review, {"approve": True, "opinion": "同意"}, format="json").status_code == 200
    assert as_user(wd.reviewer).post(review, {"approve": True}, format="json").status_code == 403  # not twice
    assert calls() == before  # the first step decides on the evidence already gathered

    with django_capture_on_commit_callbacks(execute=True):
        approved = as_user(wd.approver).post(review, {"approve": True, "opinion": "同意"}, format="json")
    assert approved.status_code == 200 and Withdrawal.objects.get(pk=w.pk).state == WithdrawalState.PAID
    assert IntegrationCall.objects.filter(system="property").count() > 0 and calls() > before
    after = calls()
    assert as_user(wd.approver).post(review, {"approve": True}, format="json").status_code == 400  # paid already
    assert calls() == after
    assert Withdrawal.objects.get(pk=w.pk).amount == Decimal("1000.00")
