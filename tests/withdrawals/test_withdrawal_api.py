"""The withdrawals API: reasons, submission with an Idempotency-Key, bad input answered 400 in Chinese naming
the field (never 500), scoping (404), cancel, the two-person review, payout retry, receipt, standing."""

from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from fund.ledger.selectors import ledger_reconcile
from tests.withdrawals.conftest import illness
from withdrawals.models import Withdrawal, WithdrawalState

pytestmark = pytest.mark.django_db

URL = "/api/withdrawals/"


def as_user(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def submit(client: APIClient, body: dict[str, Any], key: str = "") -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(URL, body, format="json", **headers)


def test_reasons_list(wd: Any) -> None:
    response = as_user(wd.world.member_a).get(f"{URL}reasons/")
    assert response.status_code == 200
    reasons = {r["key"]: r for r in response.json()}
    assert reasons["07"]["online"] and reasons["07"]["auto"] and reasons["07"]["catalogue_item"] == "TQ-07"
    assert not reasons["09"]["online"] and {m["code"] for m in reasons["09"]["paper_materials"]} >= {"diagnosis"}
    assert reasons["03"]["closes_account"] and reasons["08"]["heirs"]
    assert [i["name"] for i in reasons["01"]["inputs"]] == ["certificate_number", "invoice_number", "agent"]
    assert set(reasons["01"]["relations"]) == {"self", "spouse", "parent", "child"}
    assert {c["value"] for c in reasons["08"]["inputs"][0]["choices"]} >= {"spouse", "other"}


def test_member_submits_once_per_idempotency_key(wd: Any, django_capture_on_commit_callbacks: Any) -> None:
    client = as_user(wd.world.member_a)
    body = {"account": wd.account.pk, "reason": "07", "amount": "1500.00"}
    with django_capture_on_commit_callbacks(execute=True):
        first = submit(client, body, key="key-1")
    assert first.status_code == 201, first.content
    with django_capture_on_commit_callbacks(execute=True):
        again = submit(client, body, key="key-1")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Withdrawal.objects.count() == 1
    w = Withdrawal.objects.get()
    assert w.channel == "api" and w.client_token == "key-1"
    detail = client.get(f"{URL}{w.pk}/").json()
    assert detail["state"] == "paid" and Decimal(detail["amount"]) == Decimal("1500.00")
    assert detail["checks"] and all("plain" in c and "detail" not in c and "evidence" not in c for c in detail["checks"])
    assert [s["state"] for s in detail["timeline"]] == ["done"] * 4
    assert detail["payouts"][0]["status"] == "succeeded" and wd.card not in str(detail)  # card masked
    staff_view = as_user(wd.world.clerk).get(f"{URL}{w.pk}/").json()
    assert all("detail" in c and "evidence" in c for c in staff_view["checks"])
    assert wd.person.id_number not in str(staff_view)
    receipt = client.post(f"{URL}{w.pk}/receipt/")
    assert receipt.status_code == 202 and receipt.json()["url"] == f"/api/documents/{receipt.json()['id']}/"
    assert ledger_reconcile() == []


@pytest.mark.parametrize(("body", "field", "words"), [
    ({"amount": "-10"}, "amount", "大于 0"),
    ({"amount": "10.123"}, "amount", "两位小数"),
    ({"amount": "abc"}, "amount", "数字"),
    ({"amount": "999999999"}, "amount", "不能超过账户余额"),
    ({"reason": "77"}, "reason", "不存在"),
    ({"payee_card": "6217000000000000001"}, "payee_card", ""),
    ({"payee_card": "abc"}, "payee_card", ""),
    ({"reason": "01"}, "certificate_number", "不动产权证号"),
    ({"reason": "01", "relation": "spouse", "details": {"certificate_number": "X1"}}, "other_id_number", "身份证"),
    ({"reason": "01", "relation": "uncle", "details": {"certificate_number": "X1"}}, "relation", "只能由"),
    ({"reason": "03", "amount": "100"}, "amount", "销户提取"),
    ({"details": "not-an-object"}, "details", "对象"),
    ({"account": "abc"}, "account", "整数"),
    ({"reason": ""}, "reason", "提取原因"),
    ({"materials": "diagnosis"}, "materials", "列表"),
    ({"amount": "1e30"}, "amount", "过大"),
    ({"amount": "9" * 29}, "amount", "过大"),
    ({"reason": "01", "details": {"certificate_number": "A\u0000B"}}, "certificate_number", "控制字符"),
    ({"reason": "01", "details": {"certificate_number": "ß" * 60}}, "certificate_number", "60"),
])
def test_bad_input_is_a_400_naming_the_field(wd: Any, body: dict[str, Any], field: str, words: str) -> None:
    payload = {"account": wd.account.pk, "reason": "07", **body}
    response = submit(as_user(wd.world.member_a), payload)
    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors, errors
    message = errors[field][0] if isinstance(errors[field], list) else str(errors[field])
    assert words in message and any("\u4e00" <= ch <= "\u9fff" for ch in message), message  # Chinese
    assert not Withdrawal.objects.exists()


def test_paper_reason_is_refused_through_the_api(wd: Any) -> None:
    response = submit(as_user(wd.world.member_a), {"account": wd.account.pk, "reason": "09",
                                                    "details": illness("100")})
    assert response.status_code == 400 and "综合窗口" in response.json()["reason"][0]


def test_another_members_account_is_a_404(wd: Any) -> None:
    world = wd.world
    assert submit(as_user(world.member_b), {"account": wd.account.pk, "reason": "07"}).status_code == 404
    assert submit(as_user(world.clerk_b), {"account": wd.account.pk, "reason": "07"}).status_code == 404
    assert submit(as_user(world.unit_b_op), {"account": wd.account.pk, "reason": "07"}).status_code == 404
    # The unit's operator sees the account on the roster but may not apply for the employee: as for anyone
    # who may not, the account is not found.
    assert submit(as_user(world.unit_a_op), {"account": wd.account.pk, "reason": "07"}).status_code == 404
    assert submit(as_user(world.member_a), {"account": 10**12, "reason": "07"}).status_code == 404
    assert not Withdrawal.objects.exists()


def test_scoping_of_list_and_detail(wd: Any, django_capture_on_commit_callbacks: Any) -> None:
    world = wd.world
    wd.home(wd.person.id_number, "鲁(2025)示范市不动产权第0000888号")
    with django_capture_on_commit_callbacks(execute=True):
        created = submit(as_user(world.member_a), {"account": wd.account.pk, "reason": "07"})
    pk = created.json()["id"]
    assert as_user(world.member_a).get(URL).json()["count"] == 1
    assert as_user(world.clerk).get(URL + "?state=review").json()["count"] == 1
    for user in (world.member_b, world.clerk_b, world.unit_a_op, world.dev_a, world.outsider):
        assert as_user(user).get(URL).json()["count"] == 0, user
        assert as_user(user).get(f"{URL}{pk}/").status_code == 404, user
        assert as_user(user).post(f"{URL}{pk}/cancel/").status_code == 404, user
    assert APIClient().get(URL).status_code in (401, 403)


def test_cancel(wd: Any, django_capture_on_commit_callbacks: Any) -> None:
    wd.home(wd.person.id_number, "鲁(2025)示范市不动产权第0000889号")
    client = as_user(wd.world.member_a)
    with django_capture_on_commit_callbacks(execute=True):
        pk = submit(client, {"account": wd.account.pk, "reason": "07"}).json()["id"]
    response = client.post(f"{URL}{pk}/cancel/")
    assert response.status_code == 200 and response.json()["state"] == "cancelled"
    again = client.post(f"{URL}{pk}/cancel/")
    assert again.status_code == 400 and "不能撤回" in again.json()["state"][0]


def test_review_by_two_staff_and_window_submission(wd: Any, django_capture_on_commit_callbacks: Any) -> None:
    clerk = as_user(wd.world.clerk)
    body = {"account": wd.account.pk, "reason": "09", "details": illness("30000"), "amount": "6000.00",
            "materials": ["diagnosis"]}
    missing = submit(clerk, body)
    assert missing.status_code == 400 and "医疗费用票据及医保结算单" in missing.json()["materials"][0]
    assert submit(as_user(wd.reviewer), {**body, "materials": ["diagnosis", "medical_bills"]}).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        created = submit(clerk, {**body, "materials": ["diagnosis", "medical_bills"]}, key="win-1")
    assert created.status_code == 201 and created.json()["channel"] == "window"
    pk = created.json()["id"]
    assert created.json()["state"] in ("submitted", "review")
    review = f"{URL}{pk}/review/"
    assert as_user(wd.world.member_a).post(review, {"approve": True}, format="json").status_code == 403
    assert as_user(wd.world.clerk).post(review, {"approve": True}, format="json").status_code == 403  # 受理 ≠ 初审
    assert as_user(wd.reviewer).post(review, {"approve": "maybe"}, format="json").status_code == 400
    no_opinion = as_user(wd.reviewer).post(review, {"approve": False}, format="json")
    assert no_opinion.status_code == 400 and "opinion" in no_opinion.json()
    first = as_user(wd.reviewer).post(review, {"approve": True, "opinion": "诊断证明已核"}, format="json")
    assert first.status_code == 200 and first.json()["state"] == "review"
    assert as_user(wd.reviewer2).post(review, {"approve": True}, format="json").status_code == 200  # 审批 by another
    w = Withdrawal.objects.get(pk=pk)
    assert w.state in (WithdrawalState.APPROVED, WithdrawalState.PAID)
    assert as_user(wd.world.clerk).post(f"{URL}{pk}/retry-payout/").status_code == 400  # nothing failed
    assert ledger_reconcile() == []


def test_review_amount_is_checked(wd: Any, django_capture_on_commit_callbacks: Any) -> None:
    wd.home(wd.person.id_number, "鲁(2025)示范市不动产权第0000890号")
    with django_capture_on_commit_callbacks(execute=True):
        pk = submit(as_user(wd.world.member_a), {"account": wd.account.pk, "reason": "07", "amount": "800"}).json()["id"]
    review = f"{URL}{pk}/review/"
    as_user(wd.reviewer).post(review, {"approve": True, "opinion": "ok"}, format="json")
    for amount, words in (("-1", "大于 0"), ("1.001", "两位小数"), ("900", "不能超过")):
        bad = as_user(wd.approver).post(review, {"approve": True, "amount": amount}, format="json")
        assert bad.status_code == 400 and words in bad.json()["amount"][0]
    with django_capture_on_commit_callbacks(execute=True):
        ok = as_user(wd.approver).post(review, {"approve": True, "amount": "500.00"}, format="json")
    assert ok.status_code == 200
    assert Withdrawal.objects.get(pk=pk).amount == Decimal("500.00")


def test_standing_through_the_api(wd: Any) -> None:
    wd.commercial_loan()
    client = as_user(wd.world.member_a)
    loans = client.get(f"{URL}accounts/{wd.account.pk}/loans/").json()
    assert loans and loans[0]["lender"] == "建设银行示范分行"
    assert as_user(wd.world.member_b).get(f"{URL}accounts/{wd.account.pk}/loans/").status_code == 404
    bad = client.post(f"{URL}standing/", {"account": wd.account.pk, "loan": loans[0]["key"], "payee_card": wd.card,
                                          "day": 31}, format="json")
    assert bad.status_code == 400 and "day" in bad.json()
    signed = client.post(f"{URL}standing/", {"account": wd.account.pk, "loan": loans[0]["key"], "payee_card": wd.card},
                         format="json")
    assert signed.status_code == 201 and signed.json()["state"] == "active" and wd.card not in str(signed.json())
    pk = signed.json()["id"]
    assert as_user(wd.world.member_b).post(f"{URL}standing/{pk}/end/", {"reason": "x"}, format="json").status_code == 404
    assert client.post(f"{URL}standing/{pk}/end/", {}, format="json").status_code == 400
    ended = client.post(f"{URL}standing/{pk}/end/", {"reason": "已结清"}, format="json")
    assert ended.status_code == 200 and ended.json()["state"] == "ended"


def test_signing_while_the_credit_bureau_is_down_is_a_400_and_signs_nothing(wd: Any, settings: Any) -> None:
    """The loans are read from the credit report; an outage is the member's 400 to retry later, not a 500."""
    from withdrawals.models import StandingInstruction

    wd.commercial_loan()
    client = as_user(wd.world.member_a)
    key = client.get(f"{URL}accounts/{wd.account.pk}/loans/").json()[0]["key"]
    settings.FUND_INTEGRATIONS_OVERRIDES = {"credit": "http"}  # the HTTP client with no address: unavailable
    settings.FUND_INTEGRATIONS_HTTP_BASE = ""
    response = client.post(f"{URL}standing/", {"account": wd.account.pk, "loan": key, "payee_card": wd.card},
                           format="json")
    assert response.status_code == 400, response.content
    assert "稍后再试" in response.json()["loan"][0]
    assert not StandingInstruction.objects.exists()
