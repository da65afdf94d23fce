"""Pages and API for the lives of accounts: who may see and do what (404 outside scope, 403 for a post that
may not act, auditors read only), bad input 400 never 500, four eyes through the API, deferral blocking
bills, voluntary depositors' eligibility at each edge."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from deposits.models import MemberAccount, MemberState, UnitAccount, UnitApplication, UnitState
from deposits.services.lifecycle import member_account_seal, voluntary_eligibility
from fund.audit.models import AuditEvent
from fund.dates import add_months
from fund.demo import make_id_number
from fund.integrations.models import SandboxSocialInsurance
from fund.ledger.selectors import ledger_reconcile
from fund.people.models import Post
from tests.clients import api, page
from tests.clock import this_month
from tests.conftest import PASSWORD, bank_account_at_the_bank

pytestmark = pytest.mark.django_db



def staff(username, branch, posts, centre_wide=False):
    from fund.people.services import staff_create

    return staff_create(actor=None, username=username, name=username, branch=branch, posts=posts,
                        employee_number=username, password=PASSWORD, centre_wide=centre_wide)


# ---- pages ----------------------------------------------------------------------------------------------

def test_staff_pages_render_and_scope(world):
    a, unit = world.account_a, world.unit_a
    urls = [f"/staff/members/{a.pk}/manage/", f"/staff/units/{unit.pk}/manage/", "/staff/applications/?show=all",
            "/staff/members/internal-transfer/", "/staff/members/voluntary/"]
    for url in urls:
        response = page(world.clerk).get(url)
        assert response.status_code == 200, url
    # Branch B's clerk: the member and unit of branch A do not exist for them.
    assert page(world.clerk_b).get(f"/staff/members/{a.pk}/manage/").status_code == 404
    assert page(world.clerk_b).get(f"/staff/units/{unit.pk}/manage/").status_code == 404
    for who in (world.unit_a_op, world.member_a, world.outsider, world.dev_a):
        assert page(who).get(f"/staff/members/{a.pk}/manage/").status_code == 404
        assert page(who).get("/staff/applications/").status_code == 404


def test_the_auditor_reads_but_cannot_act(world):
    client = page(world.auditor)
    body = client.get(f"/staff/members/{world.account_a.pk}/manage/").content.decode()
    assert "只能查询" in body and "确认封存" not in body
    assert client.post(f"/staff/members/{world.account_a.pk}/seal/", {"seal-reason": "x"}).status_code == 403
    assert client.post(f"/staff/units/{world.unit_a.pk}/change/", {"pay_day": 3}).status_code == 403
    assert api(world.auditor).post(f"/api/deposits/members/{world.account_a.pk}/freeze/", {"reason": "x"}).status_code == 403
    assert MemberAccount.objects.get(pk=world.account_a.pk).state == MemberState.NORMAL


def test_staff_seal_page_and_error_redisplay(world):
    client = page(world.clerk)
    bad = client.post(f"/staff/members/{world.account_a.pk}/seal/", {"seal-reason": ""})
    assert bad.status_code == 400 and "必填" in bad.content.decode()
    ok = client.post(f"/staff/members/{world.account_a.pk}/seal/", {"seal-reason": "离职"})
    assert ok.status_code == 302
    again = client.post(f"/staff/members/{world.account_a.pk}/seal/", {"seal-reason": "离职"})
    assert again.status_code == 400 and "不能封存" in again.content.decode()


def test_unit_hall_seals_its_member_and_transfers_in_by_id_number(world):
    op_a, op_b = page(world.unit_a_op), page(world.unit_b_op)
    assert op_b.get(f"/unit/members/{world.account_a.pk}/seal/").status_code == 404  # not B's member
    assert op_a.get(f"/unit/members/{world.account_a.pk}/seal/").status_code == 200
    assert op_a.post(f"/unit/members/{world.account_a.pk}/seal/", {"reason": "离职"}).status_code == 302
    response = op_b.post("/unit/transfer-in/", {"id_number": world.account_a.person.id_number, "base": "6000"})
    assert response.status_code == 302
    account = MemberAccount.objects.get(pk=world.account_a.pk)
    assert account.unit == world.unit_b and account.monthly_total == Decimal("1440.00")
    assert MemberAccount.objects.filter(person=account.person).count() == 1
    bad = op_b.post("/unit/transfer-in/", {"id_number": "12345", "base": "abc"})
    assert bad.status_code == 200 and "身份证号码" in bad.content.decode()
    for who in (world.member_a, world.clerk, world.outsider):
        assert page(who).get("/unit/transfer-in/").status_code == 404


def test_unit_hall_applies_and_sees_progress(world):
    client = page(world.unit_a_op)
    response = client.post("/unit/applications/", {
        "kind": "deferral", "start_month": f"{this_month():%Y-%m}", "end_month": f"{add_months(this_month(), 2):%Y-%m}",
        "reason": "经营困难",
    })
    assert response.status_code == 302
    body = client.get("/unit/applications/").content.decode()
    assert "待初审" in body and "steps" in body
    bad = client.post("/unit/applications/", {"kind": "ratio", "start_month": "2020-01", "end_month": "bad", "reason": ""})
    assert bad.status_code == 400
    assert UnitApplication.objects.count() == 1
    assert page(world.unit_a_op).get("/unit/profile/change/").status_code == 200
    bank_account_at_the_bank("62284800", world.unit_a.employer.name)  # the unit's new account, known to the bank
    changed = client.post("/unit/profile/change/", {"bank_name": "农业银行", "bank_account": "62284800", "pay_day": 8})
    assert changed.status_code == 302 and UnitAccount.objects.get(pk=world.unit_a.pk).pay_day == 8


def test_member_changes_own_phone_in_the_personal_hall(world):
    client = page(world.member_a)
    assert client.post("/member/account/change/", {"phone": "13700001111"}).status_code == 302
    assert MemberAccount.objects.get(pk=world.account_a.pk).person.phone == "13700001111"
    assert client.post("/member/account/change/", {"bank_card": "4111111111111112"}).status_code == 200


def test_review_and_approve_through_pages_with_four_eyes(world):
    reviewer = staff("reviewer", world.branch_a, [Post.REVIEW])
    both = staff("both", world.branch_a, [Post.REVIEW, Post.APPROVE])
    page(world.unit_a_op).post("/unit/applications/", {
        "kind": "ratio", "start_month": f"{this_month():%Y-%m}", "end_month": f"{this_month():%Y-%m}",
        "unit_ratio": "6", "member_ratio": "6", "reason": "困难",
    })
    application = UnitApplication.objects.get()
    assert "初审" in page(reviewer).get("/staff/applications/").content.decode()
    assert page(reviewer).post(f"/staff/applications/{application.pk}/review/", {"decision": "pass"}).status_code == 302
    refused = page(reviewer).post(f"/staff/applications/{application.pk}/approve/", {"decision": "pass"})
    assert refused.status_code == 403
    assert page(both).post(f"/staff/applications/{application.pk}/approve/", {"decision": "pass"}).status_code == 302
    unit = UnitAccount.objects.get(pk=world.unit_a.pk)
    assert (unit.unit_ratio, unit.member_ratio) == (Decimal("0.0600"), Decimal("0.0600"))
    assert page(world.clerk).get(f"/staff/units/{unit.pk}/manage/").content.decode().count("待补缴") >= 1


# ---- API ------------------------------------------------------------------------------------------------

def test_api_four_eyes_and_deferral_blocks_bills(world):
    from deposits.services.remittance import bill_generate

    reviewer = staff("reviewer", world.branch_a, [Post.REVIEW])
    created = api(world.unit_a_op).post("/api/deposits/applications/", {
        "unit": world.unit_a.pk, "kind": "deferral", "start_month": f"{this_month():%Y-%m}",
        "end_month": f"{add_months(this_month(), 1):%Y-%m}", "reason": "困难",
    }, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert api(world.unit_a_op).post(f"/api/deposits/applications/{pk}/review/", {"approve": True}, format="json").status_code == 403
    assert api(world.director).post(f"/api/deposits/applications/{pk}/approve/", {"approve": True}, format="json").status_code == 400
    assert api(reviewer).post(f"/api/deposits/applications/{pk}/review/", {"approve": True}, format="json").status_code == 200
    assert api(reviewer).post(f"/api/deposits/applications/{pk}/approve/", {"approve": True}, format="json").status_code == 403
    approved = api(world.director).post(f"/api/deposits/applications/{pk}/approve/", {"approve": True}, format="json")
    assert approved.status_code == 200 and approved.json()["state"] == "in_effect" and approved.json()["backpay_state"] == "owed"
    assert UnitAccount.objects.get(pk=world.unit_a.pk).state == UnitState.DEFERRED
    with pytest.raises(ValidationError, match="缓缴"):
        bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=this_month())
    # Other units' operators and members do not see the application.
    for who in (world.unit_b_op, world.member_a, world.outsider, world.clerk_b):
        assert api(who).get(f"/api/deposits/applications/{pk}/").status_code == 404
    assert api(world.auditor).get(f"/api/deposits/applications/{pk}/").status_code == 200
    assert [e["business_type"] for e in api(world.clerk).get(f"/api/deposits/units/{world.unit_a.pk}/events/").json()["results"]] == ["GJ13"]


def test_api_transfer_seal_freeze_and_ledger_unchanged(world):
    clerk = api(world.clerk)
    clerk.post(f"/api/deposits/members/{world.account_a.pk}/deposits/", {"month": "2025-02"}, format="json")
    assert api(world.unit_a_op).post(f"/api/deposits/members/{world.account_a.pk}/seal/", {"reason": "离职"}, format="json").status_code == 200
    moved = api(world.unit_b_op).post("/api/deposits/members/internal-transfer/", {
        "unit": world.unit_b.pk, "id_number": world.account_a.person.id_number, "base": "8000"}, format="json")
    assert moved.status_code == 200, moved.content
    assert moved.json()["unit_number"] == world.unit_b.number and moved.json()["balance"] == "1920.00"
    assert api(world.unit_b_op).post("/api/deposits/members/internal-transfer/", {
        "unit": world.unit_a.pk, "id_number": world.account_a.person.id_number, "base": "8000"}, format="json").status_code == 400
    events = api(world.member_a).get(f"/api/deposits/members/{world.account_a.pk}/events/").json()["results"]
    assert [e["business_type"] for e in events] == ["GJ06", "GJ05"]
    frozen = api(world.clerk_b).post(f"/api/deposits/members/{world.account_a.pk}/freeze/", {"reason": "法院"}, format="json")
    assert frozen.status_code == 200 and frozen.json()["state"] == "06"
    assert api(world.clerk).post(f"/api/deposits/members/{world.account_a.pk}/unfreeze/", {"reason": "x"}, format="json").status_code == 404
    assert ledger_reconcile() == []


@pytest.mark.parametrize(
    ("url", "payload"),
    [
        ("/api/deposits/members/{a}/seal/", {}),
        ("/api/deposits/members/{a}/seal/", {"reason": "x" * 300}),
        ("/api/deposits/members/{a}/change/", {"bank_card": "12"}),
        ("/api/deposits/members/{a}/change/", {"phone": []}),
        ("/api/deposits/members/internal-transfer/", {"unit": "abc", "id_number": "1", "base": "x"}),
        ("/api/deposits/members/internal-transfer/", {"unit": 999999, "id_number": "110101199003070011", "base": "8000"}),
        ("/api/deposits/units/{u}/change/", {"pay_day": "abc"}),
        ("/api/deposits/units/{u}/change/", {}),
        ("/api/deposits/units/{u}/close/", {"reason": "x"}),
        ("/api/deposits/units/{u}/unseal/", {"reason": "x"}),
        ("/api/deposits/applications/", {"unit": "{u}", "kind": "deferral", "start_month": "2026/12", "end_month": "x", "reason": ""}),
        ("/api/deposits/applications/", {"unit": "{u}", "kind": "ratio", "start_month": "{m}", "end_month": "{m}", "reason": "r", "unit_ratio": "5"}),
        ("/api/deposits/applications/", "not json"),
        ("/api/deposits/members/voluntary/", {"id_number": "110101199003070011", "name": "张三", "base": "8000", "bank_card": "4111111111111111"}),
    ],
)
def test_bad_api_input_is_400_never_500(world, url, payload):
    url = url.format(a=world.account_a.pk, u=world.unit_a.pk)
    if isinstance(payload, dict):
        payload = {k: (v.format(u=world.unit_a.pk, m=f"{this_month():%Y-%m}") if isinstance(v, str) else v) for k, v in payload.items()}
    response = api(world.clerk).post(url, payload, format="json")
    assert response.status_code == 400, response.content
    assert response.json()


def test_outsider_and_other_unit_get_404_from_every_api(world):
    a, u = world.account_a.pk, world.unit_a.pk
    for who in (world.outsider, world.unit_b_op, world.member_b, world.dev_a):
        client = api(who)
        assert client.post(f"/api/deposits/members/{a}/seal/", {"reason": "x"}, format="json").status_code == 404
        assert client.post(f"/api/deposits/members/{a}/change/", {"phone": "13800000000"}, format="json").status_code == 404
        assert client.post(f"/api/deposits/units/{u}/change/", {"pay_day": 3}, format="json").status_code == 404
        assert client.get(f"/api/deposits/units/{u}/events/").status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="deposits.member.sealed").exists()


# ---- voluntary depositors (灵活就业) ----------------------------------------------------------------------

def person(birth: date, male: bool, months: int | None, seq: int) -> str:
    number = make_id_number(birth=birth, seq=seq, male=male)
    if months is not None:
        SandboxSocialInsurance.objects.update_or_create(id_number=number, defaults={"months_local": months})
    return number


ON = date(2026, 6, 15)


@pytest.mark.parametrize(
    ("birth", "male", "months", "eligible", "why"),
    [
        (date(2008, 6, 15), True, 12, True, None),         # 18 today
        (date(2008, 6, 16), True, 12, False, "未满 18"),    # 18 tomorrow
        (date(1966, 6, 16), True, 12, True, None),         # a man of 59
        (date(1966, 6, 15), True, 12, False, "60 周岁以下"),  # a man of 60
        (date(1971, 6, 16), False, 12, True, None),        # a woman of 54
        (date(1971, 6, 15), False, 12, False, "55 周岁以下"),  # a woman of 55
        (date(1990, 1, 1), True, 11, False, "不足 12"),     # 11 months of social insurance
        (date(1990, 1, 1), True, None, False, "0 个月"),     # never insured here
    ],
)
def test_voluntary_eligibility_edges(reference_data, birth, male, months, eligible, why):
    problems, call_id = voluntary_eligibility(id_number=person(birth, male, months, 500), on=ON)
    assert (problems == []) is eligible, problems
    if why:
        assert why in "；".join(problems)
    assert call_id is not None  # the bureau's answer is evidence


def test_voluntary_opening_under_the_branch_special_unit(world):
    number = person(date(1990, 5, 5), False, 24, 600)
    bank_account_at_the_bank("4111111111111111", "灵活一")
    bank_account_at_the_bank("4012888888881881", "灵活二")
    client = api(world.clerk)
    first = client.post("/api/deposits/members/voluntary/", {
        "id_number": number, "name": "灵活一", "base": "5000", "bank_card": "4111111111111111"}, format="json")
    assert first.status_code == 201, first.content
    account = MemberAccount.objects.get(pk=first.json()["id"])
    assert account.unit.employer.is_special and account.unit.employer.branch == world.branch_a
    second = client.post("/api/deposits/members/voluntary/", {
        "id_number": person(date(1991, 5, 5), True, 30, 601), "name": "灵活二", "base": "5000",
        "bank_card": "4012888888881881"}, format="json")
    assert MemberAccount.objects.get(pk=second.json()["id"]).unit == account.unit  # one special unit per branch
    refused = client.post("/api/deposits/members/voluntary/", {
        "id_number": person(date(1960, 1, 1), True, 200, 602), "name": "灵活三", "base": "5000",
        "bank_card": "4111111111111111"}, format="json")
    assert refused.status_code == 400 and "60 周岁以下" in refused.json()["id_number"][0]
    assert api(world.unit_a_op).post("/api/deposits/members/voluntary/", {
        "id_number": number, "name": "x", "base": "5000", "bank_card": "4111111111111111"}, format="json").status_code == 403
    assert ledger_reconcile() == []


def test_sealed_member_is_not_billed(world):
    from deposits.services.remittance import bill_generate

    member_account_seal(actor=world.unit_a_op, account=world.account_a, reason="离职")
    with pytest.raises(ValidationError):
        bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=this_month())  # nobody billable
