"""The blacklist API: staff only (404 for everyone else), the same rules as the pages, 400s in Chinese."""

from datetime import date, timedelta

import pytest
from rest_framework.test import APIClient

from fund.audit.masking import mask_id_number
from fund.demo import make_credit_code, make_id_number
from risk.models import BlacklistEntry
from risk.selectors import blacklist_check
from risk.services import add_years
from tests.clock import today

pytestmark = pytest.mark.django_db

PERSON = make_id_number(birth=date(1985, 6, 12), seq=901)
UNIT = make_credit_code(951)
NEW = {"subject_kind": "person", "id_number": PERSON, "name": "郭某某", "category": "fraud_withdrawal",
       "reason": "伪造购房合同骗提"}


def as_user(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_an_officer_lists_a_person_and_another_lifts_the_entry(officers):
    created = as_user(officers.risk).post("/api/risk/blacklist/", NEW, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["id_number"] == PERSON and body["state"] == "in_force" and body["public"] is False
    assert body["bans_withdrawal"] and body["bans_loan"]
    assert body["listed_on"] == today().isoformat() and body["until"] == add_years(today(), 5).isoformat()
    assert blacklist_check(id_number=PERSON, business="withdrawal").pk == body["id"]

    lift = f"/api/risk/blacklist/{body['id']}/lift/"
    assert as_user(officers.risk).post(lift, {"reason": "自己解除"}, format="json").status_code == 403
    done = as_user(officers.risk_b).post(lift, {"reason": "复核认定有误"}, format="json")
    assert done.status_code == 200 and done.json()["state"] == "lifted" and done.json()["lift_reason"] == "复核认定有误"
    again = as_user(officers.risk_b).post(lift, {"reason": "再次解除"}, format="json")
    assert again.status_code == 400 and "已解除" in again.json()["reason"][0]
    assert blacklist_check(id_number=PERSON, business="withdrawal") is None


def test_a_unit_is_listed_public(officers):
    response = as_user(officers.risk).post(
        "/api/risk/blacklist/",
        {"subject_kind": "unit", "credit_code": UNIT, "name": "鑫达商贸", "category": "stopped_after_loan",
         "reason": "职工贷款后停缴", "bans_withdrawal": False},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["public"] is True and response.json()["bans_withdrawal"] is False


@pytest.mark.parametrize("who", ["outsider", "member_a", "unit_a_op", "dev_a"])
def test_the_api_does_not_exist_for_anyone_but_staff(world, officers, who):
    entry_id = as_user(officers.risk).post("/api/risk/blacklist/", NEW, format="json").json()["id"]
    client = as_user(getattr(world, who))
    assert client.get("/api/risk/blacklist/").status_code == 404
    assert client.get(f"/api/risk/blacklist/{entry_id}/").status_code == 404
    other = {**NEW, "id_number": make_id_number(birth=date(1990, 1, 1), seq=5)}
    assert client.post("/api/risk/blacklist/", other, format="json").status_code == 404
    assert client.post(f"/api/risk/blacklist/{entry_id}/lift/", {"reason": "解除"}, format="json").status_code == 404
    assert BlacklistEntry.objects.count() == 1 and BlacklistEntry.objects.get().lifted_at is None


def test_signed_out_callers_are_refused(officers):
    assert APIClient().get("/api/risk/blacklist/").status_code in (401, 403)


def test_a_clerk_reads_masked_ids_and_may_not_list_or_lift(world, officers):
    entry_id = as_user(officers.risk).post("/api/risk/blacklist/", NEW, format="json").json()["id"]
    clerk = as_user(world.clerk)
    rows = clerk.get("/api/risk/blacklist/").json()["results"]
    assert [r["id_number"] for r in rows] == [mask_id_number(PERSON)]
    assert clerk.get(f"/api/risk/blacklist/{entry_id}/").json()["id_number"] == mask_id_number(PERSON)
    other = {**NEW, "id_number": make_id_number(birth=date(1990, 1, 1), seq=5)}
    refused = clerk.post("/api/risk/blacklist/", other, format="json")
    assert refused.status_code == 403 and BlacklistEntry.objects.count() == 1
    assert clerk.post(f"/api/risk/blacklist/{entry_id}/lift/", {"reason": "解除"}, format="json").status_code == 403
    assert BlacklistEntry.objects.get().lifted_at is None


def test_the_list_filters(officers):
    client = as_user(officers.risk)
    client.post("/api/risk/blacklist/", NEW, format="json")
    client.post("/api/risk/blacklist/", {"subject_kind": "unit", "credit_code": UNIT, "name": "鑫达商贸",
                                         "category": "stopped_after_loan", "reason": "停缴"}, format="json")
    assert [r["name"] for r in client.get("/api/risk/blacklist/?kind=unit").json()["results"]] == ["鑫达商贸"]
    assert [r["name"] for r in client.get(f"/api/risk/blacklist/?q={PERSON}").json()["results"]] == ["郭某某"]
    assert client.get("/api/risk/blacklist/?state=lifted").json()["results"] == []


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"id_number": PERSON[:-1] + ("0" if PERSON[-1] != "0" else "1")}, "id_number", "身份证号码校验位不正确"),
        ({"id_number": "abc"}, "id_number", "身份证号码应为18位"),
        ({"subject_kind": "unit", "id_number": "", "credit_code": "91370800MA0000000X"}, "credit_code",
         "统一社会信用代码校验位不正确"),
        ({"subject_kind": "alien"}, "subject_kind", "请选择对象类型"),
        ({"category": "gossip"}, "category", "请选择失信类别"),
        ({"reason": "   "}, "reason", None),
        ({"reason": None}, "reason", None),
        ({"name": ""}, "name", None),
        ({"until": lambda today: (today - timedelta(days=1)).isoformat()}, "until", "限制截止日期须晚于列入日期"),
        ({"until": "not-a-date"}, "until", None),
        ({"listed_on": lambda today: (today + timedelta(days=3)).isoformat()}, "listed_on", "列入日期不能晚于今天"),
        ({"bans_loan": "maybe"}, "bans_loan", None),
        ({"bans_withdrawal": False, "bans_loan": False}, "bans_withdrawal", "至少限制"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(officers, change, field, message):
    change = {key: value(today()) if callable(value) else value for key, value in change.items()}  # dates: today's
    response = as_user(officers.risk).post("/api/risk/blacklist/", {**NEW, **change}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    if message:
        assert message in " ".join(response.json()[field])
    assert not BlacklistEntry.objects.exists()


def test_a_duplicate_listing_is_a_400(officers):
    as_user(officers.risk).post("/api/risk/blacklist/", NEW, format="json")
    response = as_user(officers.risk_b).post("/api/risk/blacklist/", NEW, format="json")
    assert response.status_code == 400 and "不能重复列入" in response.json()["category"][0]
    assert BlacklistEntry.objects.count() == 1


def test_a_lift_without_a_reason_is_a_400(officers):
    entry_id = as_user(officers.risk).post("/api/risk/blacklist/", NEW, format="json").json()["id"]
    response = as_user(officers.risk_b).post(f"/api/risk/blacklist/{entry_id}/lift/", {}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    assert as_user(officers.risk_b).post("/api/risk/blacklist/999999/lift/", {"reason": "x"}).status_code == 404
