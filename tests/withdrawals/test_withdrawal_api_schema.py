"""The withdrawals API answers as its OpenAPI schema says, through a whole life: 秒批 and payout, the staff's
view with evidence, the two-person review, a receipt, the loans list (and its 503), standing instructions."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.api_contract import Contract
from tests.withdrawals.conftest import illness

pytestmark = pytest.mark.django_db


def as_user(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def contract(db: Any) -> Contract:
    return Contract.load()


def test_a_paid_withdrawal_and_its_receipt_answer_as_documented(wd: Any, contract: Contract,
                                                                 django_capture_on_commit_callbacks: Any) -> None:
    member, clerk = as_user(wd.world.member_a), as_user(wd.world.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        created = contract.call(member, "post", "/api/withdrawals/", {"account": wd.account.pk, "reason": "07",
                                                                      "amount": "1500.00"},
                                headers={"Idempotency-Key": "schema-1"})
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    again = contract.call(member, "post", "/api/withdrawals/", {"account": wd.account.pk, "reason": "07",
                                                                "amount": "1500.00"}, headers={"Idempotency-Key": "schema-1"})
    assert again.status_code == 200 and again.json()["id"] == pk
    paid = contract.call(member, "get", "/api/withdrawals/{id}/", id=pk).json()
    assert paid["state"] == "paid" and paid["payouts"] and paid["checks"]
    staff_view = contract.call(clerk, "get", "/api/withdrawals/{id}/", id=pk).json()
    assert all("evidence" in c for c in staff_view["checks"])
    assert contract.call(member, "post", "/api/withdrawals/{id}/receipt/", id=pk).status_code == 202
    assert contract.call(clerk, "post", "/api/withdrawals/{id}/retry-payout/", id=pk).status_code == 400
    assert contract.call(as_user(wd.world.member_b), "get", "/api/withdrawals/{id}/", id=pk).status_code == 404
    listed = contract.call(member, "get", "/api/withdrawals/", query={"state": "paid", "reason": "07"}).json()
    assert [w["id"] for w in listed["results"]] == [pk] and listed["count"] == 1


def test_the_review_by_two_staff_answers_as_documented(wd: Any, contract: Contract,
                                                       django_capture_on_commit_callbacks: Any) -> None:
    body = {"account": wd.account.pk, "reason": "09", "details": illness("30000"), "amount": "6000.00",
            "materials": ["diagnosis", "medical_bills"]}
    with django_capture_on_commit_callbacks(execute=True):
        created = contract.call(as_user(wd.world.clerk), "post", "/api/withdrawals/", body)
    pk = created.json()["id"]
    review = "/api/withdrawals/{id}/review/"
    assert contract.call(as_user(wd.reviewer), "post", review, {"approve": "maybe"}, id=pk).status_code == 400
    assert contract.call(as_user(wd.world.member_a), "post", review, {"approve": True}, id=pk).status_code == 403
    assert contract.call(as_user(wd.reviewer), "post", review, {"approve": True, "opinion": "已核"}, id=pk).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert contract.call(as_user(wd.reviewer2), "post", review, {"approve": True}, id=pk).status_code == 200


def test_loans_and_standing_instructions_answer_as_documented(wd: Any, contract: Contract, settings: Any) -> None:
    wd.commercial_loan()
    member = as_user(wd.world.member_a)
    loans = contract.call(member, "get", "/api/withdrawals/accounts/{id}/loans/", id=wd.account.pk).json()
    signed = contract.call(member, "post", "/api/withdrawals/standing/",
                           {"account": wd.account.pk, "loan": loans[0]["key"], "payee_card": wd.card})
    assert signed.status_code == 201, signed.content
    assert contract.call(member, "get", "/api/withdrawals/standing/").json()[0]["id"] == signed.json()["id"]
    ended = contract.call(member, "post", "/api/withdrawals/standing/{id}/end/", {"reason": "已结清"}, id=signed.json()["id"])
    assert ended.json()["state"] == "ended"
    # The credit bureau down: the loans list answers its documented 503, in Chinese.
    settings.FUND_INTEGRATIONS_OVERRIDES = {"credit": "http"}
    settings.FUND_INTEGRATIONS_HTTP_BASE = ""
    down = contract.call(member, "get", "/api/withdrawals/accounts/{id}/loans/", id=wd.account.pk)
    assert down.status_code == 503 and "暂时无法查询住房贷款" in down.json()["detail"]
