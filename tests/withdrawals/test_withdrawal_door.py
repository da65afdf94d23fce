"""An application that can never succeed is refused at submission, with the reason in Chinese, on the page, at
the window and through the API, instead of going to people with an amount of 0: 06 with no housing loan in the
household (or a loan it does not have), a home already used (the same home rule), nothing left under a limit
this database tells (rent's yearly cap, a build's cost). What only an outside system can tell, and cannot tell
now (the credit bureau down), is accepted: the decision sends it to people, who decide."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fund.integrations.models import IntegrationCall
from fund.ledger.selectors import ledger_reconcile
from tests.clients import api
from tests.withdrawals.conftest import paper_codes, submit_decided, window
from withdrawals.models import Withdrawal, WithdrawalState
from withdrawals.services import withdrawal_review, withdrawal_submit

pytestmark = pytest.mark.django_db

URL = "/api/withdrawals/"
NO_LOAN = "未查到您或配偶名下未结清的住房贷款"
CERT = "鲁(2026)示范市不动产权第0000901号"


def test_it_refuses_a_loan_repayment_through_the_api_when_the_household_has_no_housing_loan(wd: Any) -> None:
    wd.spouse()  # married, and neither has a loan
    before = IntegrationCall.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = api(wd.world.member_a).post(URL, {"account": wd.account.pk, "reason": "06", "amount": "1000.00"},
                                          format="json", HTTP_IDEMPOTENCY_KEY="no-loan")
    assert response.status_code == 400
    [message] = response.json()["reason"]
    assert "偿还购房贷款本息" in message and NO_LOAN in message
    assert not Withdrawal.objects.exists()
    # The answer was the credit bureau's, for the member and the spouse the marriage registry names.
    asked = IntegrationCall.objects.filter(id__gt=before).values_list("system", flat=True)
    assert set(asked) == {"credit", "marriage"}  # and not the bank: the card of a refused application is not asked


def test_it_refuses_it_on_the_members_page_and_at_the_window(wd: Any) -> None:
    client = Client()
    client.force_login(wd.world.member_a)
    page = client.post(reverse("member:withdrawal_apply", args=["06"]), {"amount": "1000.00", "client_token": "t1"})
    assert page.status_code == 200 and NO_LOAN in page.content.decode()
    with pytest.raises(ValidationError) as err:
        withdrawal_submit(actor=wd.world.clerk, account=wd.account, reason="06", channel="window", amount="1000.00",
                          materials=paper_codes("06"))
    assert NO_LOAN in err.value.message_dict["reason"][0]
    assert not Withdrawal.objects.exists()


def test_it_refuses_a_loan_the_household_does_not_have(wd: Any) -> None:
    wd.commercial_loan()
    response = api(wd.world.member_a).post(URL, {"account": wd.account.pk, "reason": "06", "amount": "1000.00",
                                                 "details": {"loan": "commercial:R-SETTLED-1"}}, format="json")
    assert response.status_code == 400 and "所选的住房贷款" in response.json()["reason"][0]
    assert not Withdrawal.objects.exists()


def test_a_spouses_loan_is_a_household_loan_and_is_accepted(wd: Any, django_capture_on_commit_callbacks: Any) -> None:
    spouse_id, _ = wd.spouse()
    wd.commercial_loan(balance="80000.00", instalment="900.00", holder=spouse_id)
    with django_capture_on_commit_callbacks(execute=True):
        response = api(wd.world.member_a).post(URL, {"account": wd.account.pk, "reason": "06", "amount": "1000.00"},
                                              format="json")
    assert response.status_code == 201, response.content
    assert Withdrawal.objects.get().state == WithdrawalState.PAID


def test_with_the_credit_bureau_down_it_is_accepted_and_people_decide(
    wd: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    """The centre would rather take the application than turn a member away for its own outage: the rule
    fails on the outage too, so the application goes to 初审/审批, who check the loan contract."""
    settings.FUND_INTEGRATIONS_OVERRIDES = {"credit": "http"}  # the HTTP client with no address: unavailable
    settings.FUND_INTEGRATIONS_HTTP_BASE = ""
    with django_capture_on_commit_callbacks(execute=True):
        response = api(wd.world.member_a).post(URL, {"account": wd.account.pk, "reason": "06", "amount": "1000.00"},
                                              format="json")
    assert response.status_code == 201, response.content
    w = Withdrawal.objects.get()
    assert w.state == WithdrawalState.REVIEW and "外部系统" in w.checks.get(rule="loan").detail


def test_it_refuses_a_build_whose_cost_the_home_has_already_had(wd: Any, django_capture_on_commit_callbacks: Any) -> None:
    """02 pays at most the works' cost less what the home has had; with nothing left the last approval could
    only refuse, so the window refuses it at once."""
    wd.home(wd.person.id_number, CERT)
    details = {"certificate_number": CERT, "cost": "3000.00"}
    first = window(wd, django_capture_on_commit_callbacks, "02", details=details)
    with django_capture_on_commit_callbacks(execute=True):
        withdrawal_review(actor=wd.reviewer, withdrawal=first, approve=True, opinion="材料已核")
        withdrawal_review(actor=wd.approver, withdrawal=first, approve=True, opinion="同意")
    first.refresh_from_db()
    assert first.state == WithdrawalState.PAID and first.amount == Decimal("3000.00")
    # Past the same-home months, the same cost again: nothing left under it.
    Withdrawal.objects.filter(pk=first.pk).update(decided_at=timezone.now() - timedelta(days=400))
    with pytest.raises(ValidationError) as err:
        submit_decided(django_capture_on_commit_callbacks, actor=wd.world.clerk, account=wd.account, reason="02",
                       channel="window", materials=paper_codes("02"), details=details)
    message = err.value.message_dict["reason"][0]
    assert "建造、翻建、大修自住住房" in message and "已无可提取金额" in message and "3,000.00" in message
    assert Withdrawal.objects.count() == 1
    assert ledger_reconcile() == []
