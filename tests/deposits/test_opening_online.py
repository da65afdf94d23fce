"""Online unit opening: an employer applies without a login, a 受理 clerk approves (account + login) or
rejects; the unit hall opens member accounts for its own unit only."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.hashers import check_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from deposits.models import MemberAccount, OpeningRequestState, UnitAccount, UnitOpeningRequest
from deposits.services.opening import (
    unit_opening_request_approve,
    unit_opening_request_reject,
    unit_opening_request_submit,
)
from fund.audit.models import AuditEvent
from fund.demo import make_credit_code, make_id_number
from fund.ledger.selectors import ledger_reconcile
from fund.people import tasks as people_tasks
from fund.people.models import Employer, User
from fund.people.roles import roles_of
from tests.conftest import PASSWORD, bank_account_at_the_bank

pytestmark = pytest.mark.django_db
APPLY_URL = "/apply/unit/"
GOOD_PASSWORD = "Kaihu#2026pw"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sms(monkeypatch):
    sent: list[dict] = []
    monkeypatch.setattr(people_tasks.send_sms, "delay", lambda **kw: sent.append(kw))
    return sent


def _page_data(world, seq: int = 501, **overrides) -> dict:
    data = {
        "name": f"网上申请单位{seq}", "credit_code": make_credit_code(seq), "branch": world.branch_a.pk,
        "address": "烟台路1号", "contact_name": "王会计", "contact_phone": "13912340000",
        "bank_name": "建设银行", "bank_account": f"3705{seq:09d}", "unit_ratio": "12", "member_ratio": "10",
        "pay_day": "15", "username": f"applicant{seq}", "operator_name": "王经办", "operator_phone": "13912345678",
        "password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD,
    }
    data.update(overrides)
    bank_account_at_the_bank(data["bank_account"], data["name"], data["credit_code"])  # approval checks it
    return data


def _service_data(world, seq: int = 601, **overrides) -> dict:
    data = _page_data(world, seq)
    data.update(branch=world.branch_a, unit_ratio=Decimal("0.12"), member_ratio=Decimal("0.10"), pay_day=15)
    data.update(overrides)
    return data


def _submit(world, seq: int = 601, **overrides) -> UnitOpeningRequest:
    return unit_opening_request_submit(**_service_data(world, seq, **overrides))


# Submitting -----------------------------------------------------------------------------------------

def test_anonymous_page_submission_stores_a_pending_request_with_a_hashed_password(world, client):
    response = client.post(APPLY_URL, _page_data(world))
    assert response.status_code == 302 and response.url.endswith("/apply/unit/submitted/")
    applied = UnitOpeningRequest.objects.get()
    assert applied.state == OpeningRequestState.PENDING
    assert applied.unit_ratio == Decimal("0.1200") and applied.member_ratio == Decimal("0.1000")
    assert applied.password != GOOD_PASSWORD and check_password(GOOD_PASSWORD, applied.password)
    assert not User.objects.filter(username="applicant501").exists()  # no login before approval
    assert not Employer.objects.filter(credit_code=applied.credit_code).exists()
    done = client.get(response.url)
    assert "网上申请单位501" in done.content.decode() and "待审核" in done.content.decode()
    assert AuditEvent.objects.filter(action="deposits.unit_request.submitted").count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("credit_code", make_credit_code(501)[:-1] + ("0" if make_credit_code(501)[-1] != "0" else "1"), "校验位"),
        ("unit_ratio", "4", "单位缴存比例须在 5% 至 12% 之间"),
        ("member_ratio", "13", "个人缴存比例须在 5% 至 12% 之间"),
        ("password", "12345678", "登录密码"),
        ("password_again", "Something#else1", "两次输入的密码不一致"),
        ("operator_phone", "12345", "经办人手机号码应为以1开头的11位手机号码"),
        ("username", "unit_a", "该登录用户名已被使用"),
    ],
)
def test_bad_field_is_named_and_nothing_is_written(world, client, field, value, message):
    overrides = {field: value, "password_again": value} if field == "password" else {field: value}
    response = client.post(APPLY_URL, _page_data(world, **overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field], errors
    assert message in " ".join(errors[field])
    assert not UnitOpeningRequest.objects.exists()


def test_a_credit_code_already_opened_or_pending_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        _submit(world, credit_code=world.unit_a.employer.credit_code)
    assert exc.value.message_dict["credit_code"] == ["该统一社会信用代码已开户"]
    _submit(world, 602)
    with pytest.raises(ValidationError) as exc:
        _submit(world, 603, credit_code=make_credit_code(602))
    assert exc.value.message_dict["credit_code"] == ["该统一社会信用代码已有待审核的开户申请"]
    assert UnitOpeningRequest.objects.count() == 1


def test_duplicate_pending_credit_code_through_the_page(world, client):
    _submit(world, 501)
    response = client.post(APPLY_URL, _page_data(world, 501, username="someone_else"))
    assert response.context["form"].errors["credit_code"] == ["该统一社会信用代码已有待审核的开户申请"]
    assert UnitOpeningRequest.objects.count() == 1


# Approving and rejecting ------------------------------------------------------------------------------

def test_approval_opens_the_unit_and_the_operator_can_sign_in(world, client, sms, django_capture_on_commit_callbacks):
    applied = _submit(world)
    with django_capture_on_commit_callbacks(execute=True):
        approved = unit_opening_request_approve(actor=world.clerk, request=applied, opinion="材料齐全")
    assert approved.state == OpeningRequestState.APPROVED and approved.reviewed_by == world.clerk
    unit = UnitAccount.objects.get(employer__credit_code=applied.credit_code)
    assert approved.unit == unit and unit.employer.branch == world.branch_a
    assert unit.unit_ratio == Decimal("0.12") and unit.member_ratio == Decimal("0.10") and unit.opened_by == world.clerk
    operator = User.objects.get(username="applicant601")
    assert roles_of(operator).employer == unit.employer
    assert client.login(username="applicant601", password=GOOD_PASSWORD)
    assert client.get("/unit/").status_code == 200
    assert client.get("/unit/profile/").context["unit"] == unit
    assert [m["phone"] for m in sms] == ["13912340000"] and unit.number in sms[0]["text"]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"deposits.unit.opened", "deposits.unit_request.approved", "people.operator.bound"} <= actions
    assert ledger_reconcile() == []


def test_approving_twice_opens_once(world, client):
    applied = _submit(world)
    unit_opening_request_approve(actor=world.clerk, request=applied)
    with pytest.raises(ValidationError) as exc:
        unit_opening_request_approve(actor=world.director, request=applied)
    assert "不能重复办理" in exc.value.messages[0]
    assert UnitAccount.objects.filter(employer__credit_code=applied.credit_code).count() == 1
    assert UnitOpeningRequest.objects.get().reviewed_by == world.clerk
    # and through the API: the second approval is a 400, not a second account
    client.force_login(world.director)
    response = client.post(f"/api/deposits/unit-requests/{applied.pk}/approve/", {}, content_type="application/json")
    assert response.status_code == 400 and "state" in response.json()
    assert AuditEvent.objects.filter(action="deposits.unit_request.approved").count() == 1


def test_a_failing_approval_writes_nothing(world):
    applied = _submit(world)
    User.objects.create_user(username="applicant601", password=PASSWORD)  # the name was taken meanwhile
    with pytest.raises(ValidationError) as exc:
        unit_opening_request_approve(actor=world.clerk, request=applied)
    assert "username" in exc.value.message_dict
    assert not Employer.objects.filter(credit_code=applied.credit_code).exists()
    assert UnitOpeningRequest.objects.get().state == OpeningRequestState.PENDING


def test_rejection_needs_an_opinion_and_records_the_reviewer(world, sms, django_capture_on_commit_callbacks):
    applied = _submit(world)
    with pytest.raises(ValidationError) as exc:
        unit_opening_request_reject(actor=world.clerk, request=applied, opinion=" ")
    assert exc.value.message_dict["opinion"] == ["退回申请须填写审核意见"]
    with django_capture_on_commit_callbacks(execute=True):
        rejected = unit_opening_request_reject(actor=world.clerk, request=applied, opinion="营业执照不清晰")
    assert (rejected.state, rejected.reviewed_by, rejected.opinion) == ("rejected", world.clerk, "营业执照不清晰")
    assert not Employer.objects.filter(credit_code=applied.credit_code).exists()
    assert not User.objects.filter(username="applicant601").exists()
    assert "营业执照不清晰" in sms[0]["text"]
    with pytest.raises(ValidationError):
        unit_opening_request_approve(actor=world.clerk, request=applied)
    # the employer may apply again once the earlier request is no longer pending
    assert _submit(world).state == OpeningRequestState.PENDING


def test_staff_pages_list_and_approve_in_scope(world, client):
    applied = _submit(world)
    client.force_login(world.clerk)
    listing = client.get("/staff/unit-requests/")
    assert list(listing.context["page_obj"]) == [applied]
    response = client.post(f"/staff/unit-requests/{applied.pk}/approve/", {"opinion": "同意"})
    assert response.status_code == 302
    applied.refresh_from_db()
    assert applied.state == "approved" and applied.opinion == "同意" and applied.unit is not None
    detail = client.get(f"/staff/unit-requests/{applied.pk}/").content.decode()
    assert applied.unit.number in detail and "审核通过并开户" not in detail


def test_other_branch_gets_404_and_auditor_gets_403(world, client):
    applied = _submit(world)
    client.force_login(world.clerk_b)
    assert list(client.get("/staff/unit-requests/").context["page_obj"]) == []
    assert client.get(f"/staff/unit-requests/{applied.pk}/").status_code == 404
    assert client.post(f"/staff/unit-requests/{applied.pk}/approve/").status_code == 404
    api = APIClient()
    api.force_authenticate(world.clerk_b)
    assert api.post(f"/api/deposits/unit-requests/{applied.pk}/approve/").status_code == 404
    assert api.get("/api/deposits/unit-requests/").json()["results"] == []
    client.force_login(world.auditor)
    assert client.get(f"/staff/unit-requests/{applied.pk}/").status_code == 200  # reads, centre-wide
    assert client.post(f"/staff/unit-requests/{applied.pk}/approve/").status_code == 403
    assert client.post(f"/staff/unit-requests/{applied.pk}/reject/", {"opinion": "x"}).status_code == 403
    api.force_authenticate(world.auditor)
    assert api.post(f"/api/deposits/unit-requests/{applied.pk}/reject/", {"opinion": "x"}).status_code == 403
    assert UnitOpeningRequest.objects.get().state == OpeningRequestState.PENDING
    for user in (world.outsider, world.unit_a_op, world.member_a):
        client.force_login(user)
        assert client.get("/staff/unit-requests/").status_code == 404


# API ----------------------------------------------------------------------------------------------

def _api_data(world, seq: int = 701, **overrides) -> dict:
    data = _page_data(world, seq, unit_ratio="0.12", member_ratio="0.10", pay_day=15)
    data.update(overrides)
    return data


def test_api_anonymous_can_apply_but_not_list(world):
    api = APIClient()
    response = api.post("/api/deposits/unit-requests/", _api_data(world), format="json")
    assert response.status_code == 201 and response.json()["state"] == "pending"
    assert "password" not in response.json()
    assert api.get("/api/deposits/unit-requests/").status_code in (401, 403)
    api.force_authenticate(world.outsider)
    assert api.get("/api/deposits/unit-requests/").status_code == 403
    api.force_authenticate(world.clerk)
    listed = api.get("/api/deposits/unit-requests/").json()["results"]
    assert [r["name"] for r in listed] == ["网上申请单位701"] and "password" not in listed[0]


def test_api_bad_input_is_400_by_field(world):
    api = APIClient()
    response = api.post("/api/deposits/unit-requests/", _api_data(world, unit_ratio="0.2", password="short"), format="json")
    assert response.status_code == 400
    body = response.json()
    assert "单位缴存比例" in body["unit_ratio"][0] and "登录密码" in body["password"][0]
    assert not UnitOpeningRequest.objects.exists()


def test_api_approve_and_reject(world):
    api = APIClient()
    first = api.post("/api/deposits/unit-requests/", _api_data(world, 711), format="json").json()["id"]
    second = api.post("/api/deposits/unit-requests/", _api_data(world, 712), format="json").json()["id"]
    api.force_authenticate(world.clerk)
    approved = api.post(f"/api/deposits/unit-requests/{first}/approve/", {"opinion": "同意"}, format="json")
    assert approved.status_code == 200 and approved.json()["unit_number"]
    assert api.post(f"/api/deposits/unit-requests/{second}/reject/", {}, format="json").json() == {
        "opinion": ["退回申请须填写审核意见"]
    }
    rejected = api.post(f"/api/deposits/unit-requests/{second}/reject/", {"opinion": "资料不全"}, format="json")
    assert rejected.json()["state"] == "rejected" and rejected.json()["reviewed_by"] == world.clerk.first_name


def test_api_submission_is_throttled(world):
    api = APIClient()
    codes = [api.post("/api/deposits/unit-requests/", {}, format="json").status_code for _ in range(11)]
    assert codes[:10] == [400] * 10 and codes[10] == 429


# The unit hall opens its own members ------------------------------------------------------------------

def test_unit_hall_opens_a_member_in_its_own_unit(world, client):
    client.force_login(world.unit_a_op)
    page = client.get("/unit/members/open/")
    assert list(page.context["form"].fields["unit"].queryset) == [world.unit_a]
    id_number = make_id_number(birth=date(1995, 5, 5), seq=321)
    data = {"unit": world.unit_a.pk, "id_number": id_number, "name": "新职工", "phone": "13800001111", "base": "6000"}
    response = client.post("/unit/members/open/", data, follow=True)
    account = MemberAccount.objects.get(person__id_number=id_number)
    assert account.unit == world.unit_a and account.opened_by == world.unit_a_op
    text = [str(m) for m in response.context["messages"]]
    assert any(account.number in t and f"{account.first_month:%Y年%m月} 起缴" in t for t in text)
    assert ledger_reconcile() == []


def test_unit_hall_refuses_another_unit(world, client):
    client.force_login(world.unit_a_op)
    id_number = make_id_number(birth=date(1995, 5, 5), seq=322)
    data = {"unit": world.unit_b.pk, "id_number": id_number, "name": "他单位职工", "base": "6000"}
    response = client.post("/unit/members/open/", data)
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert not MemberAccount.objects.filter(person__id_number=id_number).exists()
    for user in (world.clerk, world.member_a, world.outsider):
        client.force_login(user)
        assert client.get("/unit/members/open/").status_code == 404
