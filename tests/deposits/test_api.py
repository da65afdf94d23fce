"""The deposits API: the first money flow end to end, and bad input answered 4xx in Chinese, never 500."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from deposits.models import MemberAccount, UnitAccount
from fund.dates import add_months, first_of_month
from fund.demo import make_credit_code, make_id_number
from fund.ledger.selectors import ledger_reconcile
from tests.conftest import bank_account_at_the_bank

pytestmark = pytest.mark.django_db

UNIT = {
    "name": "新开单位", "credit_code": make_credit_code(300), "bank_name": "工商银行", "bank_account": "1234567890",
    "unit_ratio": "0.10", "member_ratio": "0.10", "pay_day": 10,
}


@pytest.fixture(autouse=True)
def _unit_account_at_the_bank(db):
    bank_account_at_the_bank(UNIT["bank_account"], UNIT["name"], UNIT["credit_code"])  # opening checks it


def as_user(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_open_unit_member_and_deposit_through_the_api(world):
    clerk = as_user(world.clerk)
    unit = clerk.post("/api/deposits/units/", UNIT, format="json")
    assert unit.status_code == 201, unit.content
    assert unit.json()["branch"] == "市直管理部"
    member = clerk.post(
        "/api/deposits/members/",
        {"unit": unit.json()["id"], "id_number": make_id_number(birth=date(1992, 2, 2), seq=300),
         "name": "新职工", "base": "9000.00"},
        format="json",
    )
    assert member.status_code == 201, member.content
    account = MemberAccount.objects.get(pk=member.json()["id"])
    today = timezone.localdate()
    assert account.first_month == add_months(first_of_month(today), 1)  # new employees start next month
    early = clerk.post(f"/api/deposits/members/{account.pk}/deposits/", {"month": f"{today:%Y-%m}"}, format="json")
    assert early.status_code == 400 and "起缴" in early.json()["month"][0]
    # An account opened earlier (the fixture's, January 2025) takes its deposit, once however often sent.
    posted = clerk.post(f"/api/deposits/members/{world.account_a.pk}/deposits/", {"month": "2025-02"}, format="json")
    again = clerk.post(f"/api/deposits/members/{world.account_a.pk}/deposits/", {"month": "2025-02"}, format="json")
    assert posted.status_code == 201 and posted.json()["created"] is True
    assert again.status_code == 200 and again.json()["created"] is False
    assert again.json()["entry_number"] == posted.json()["entry_number"]
    assert Decimal(clerk.get(f"/api/deposits/members/{world.account_a.pk}/").json()["balance"]) == Decimal("1920.00")
    assert ledger_reconcile() == []


def test_a_member_sees_the_posting_in_their_statement(world):
    as_user(world.clerk).post(f"/api/deposits/members/{world.account_a.pk}/deposits/", {"month": "2025-02"}, format="json")
    rows = as_user(world.member_a).get(f"/api/deposits/members/{world.account_a.pk}/statement/").json()["results"]
    assert [(r["business_type"], r["amount"]) for r in rows] == [("GJ02", "1920.00")]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"credit_code": "91370800MA0000000X"}, "credit_code", "统一社会信用代码校验位不正确"),
        ({"unit_ratio": "0.20"}, "unit_ratio", "单位缴存比例须在 5% 至 12% 之间"),
        ({"unit_ratio": "abc"}, "unit_ratio", None),
        ({"member_ratio": "0.123456"}, "member_ratio", None),
        ({"pay_day": 31}, "pay_day", None),
        ({"bank_account": "abc"}, "bank_account", "单位银行账号应为8至32位数字"),
        ({"name": ""}, "name", None),
    ],
)
def test_bad_unit_input_names_the_field(world, change, field, message):
    response = as_user(world.clerk).post("/api/deposits/units/", {**UNIT, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    if message:
        assert response.json()[field] == [message]
    assert UnitAccount.objects.count() == 2


def test_bad_member_input_names_the_field(world):
    payload = {"unit": world.unit_a.pk, "id_number": "110101199003071235", "name": "某人", "base": "8000.00",
               "bank_card": "4111111111111112"}
    before = MemberAccount.objects.count()
    response = as_user(world.clerk).post("/api/deposits/members/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["id_number"] == ["身份证号码校验位不正确"]
    assert response.json()["bank_card"] == ["银行卡号校验位不正确"]
    assert MemberAccount.objects.count() == before


def test_an_operator_cannot_open_members_in_another_unit(world):
    payload = {"unit": world.unit_b.pk, "id_number": make_id_number(birth=date(1990, 1, 1), seq=301),
               "name": "某人", "base": "8000.00"}
    response = as_user(world.unit_a_op).post("/api/deposits/members/", payload, format="json")
    assert response.status_code == 400 and response.json()["unit"] == ["单位账户不存在"]


@pytest.mark.parametrize("month", ["2025-13", "abc", "", "2025-02-30", None])
def test_bad_months_are_400(world, month):
    response = as_user(world.clerk).post(f"/api/deposits/members/{world.account_a.pk}/deposits/", {"month": month}, format="json")
    assert response.status_code == 400 and "month" in response.json()


JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**30, max_value=10**30), st.text(max_size=40),
    st.floats(allow_nan=False, allow_infinity=False), st.lists(st.integers(), max_size=3),
    st.sampled_from(["NaN", "Infinity", "-0", "1e999", "0.0000001", "１２"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(list(UNIT) + ["branch", "unit", "id_number", "base", "month"]), JUNK, max_size=8))
def test_no_input_makes_the_api_answer_500(world, payload):
    clerk = as_user(world.clerk)
    for url in ("/api/deposits/units/", "/api/deposits/members/", f"/api/deposits/members/{world.account_a.pk}/deposits/"):
        response = clerk.post(url, {**UNIT, **payload}, format="json")
        assert response.status_code < 500, (url, payload, response.content[:300])
