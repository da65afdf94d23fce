"""The quota API: anyone estimates with every figure typed (POST /api/loans/quota/); a member from the centre's
own data (GET /api/loans/quota/mine/). Bad input is a 400 naming the field in Chinese; no input answers 500."""

from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from fund.demo import make_id_number
from tests.clients import api
from tests.clock import travel_to

pytestmark = pytest.mark.django_db

URL = "/api/loans/quota/"
MINE = "/api/loans/quota/mine/"
BORROWER = make_id_number(birth=date(1990, 3, 7), seq=501)


def body(**fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {"price": "900000", "home_kind": "new", "monthly_income": "6000", "monthly_debt": "2000",
                              "balance": "50000", "term_months": 240, "id_number": BORROWER}
    values.update(fields)
    return {k: v for k, v in values.items() if v is not None}


@pytest.fixture
def on_a_february_morning():
    with travel_to(date(2026, 2, 10)):
        yield


def test_anyone_estimates_with_everything_typed_and_sees_each_limit(db, on_a_february_morning):
    answer = APIClient().post(URL, body(), format="json")
    assert answer.status_code == 200, answer.json()
    data = answer.json()
    assert data["amount"] == "186000.00" and data["binding"] == "capacity" and data["rate"] == "2.600"
    assert {x["code"]: x["amount"] for x in data["limits"]} == {
        "capacity": "186989.96", "price": "720000.00", "balance": "750000.00", "cap": "600000.00"}
    assert [x["binding"] for x in data["limits"]] == [True, False, False, False]
    assert data["combination"] == {"fund_part": "186000.00", "bank_part": "534000.00"}


def test_co_borrower_balances_and_the_joint_cap(db, on_a_february_morning):
    data = APIClient().post(URL, body(monthly_income="30000", co_borrower_balances=["10000", "5000.50"]),
                            format="json").json()
    limits = {x["code"]: x["amount"] for x in data["limits"]}
    assert limits["balance"] == "975007.50" and limits["cap"] == "800000.00"  # (50 000 + 10 000 + 5 000.50) × 15


def test_an_age_past_the_limit_answers_the_reason_with_no_quota(db, on_a_february_morning):
    data = APIClient().post(URL, body(term_months=349), format="json").json()
    assert data["amount"] == "0.00" and data["max_term_months"] == 348 and data["term_problems"]


@pytest.mark.parametrize("fields, field, words", [
    ({"price": "-1"}, "price", "房屋总价必须大于 0"),
    ({"price": "0"}, "price", "房屋总价必须大于 0"),
    ({"price": "999999999999"}, "price", "房屋总价超出合理范围"),
    ({"price": "abc"}, "price", "房屋总价必须是数字"),
    ({"price": None}, "price", "请填写房屋总价"),
    ({"term_months": 361}, "term_months", "贷款期限不能超过 30 年"),
    ({"term_months": 0}, "term_months", "必须大于 0"),
    ({"term_months": None, "term_years": 31}, "term_years", "贷款期限不能超过 30 年"),
    ({"home_kind": "second_hand", "building_year": 2027}, "building_year", "房屋建成年份不能晚于今年"),
    ({"home_kind": "second_hand"}, "building_year", "二手房须填写房屋建成年份"),
    ({"id_number": "110101199003071234"}, "id_number", "借款人身份证号码"),
    ({"id_number": None}, "birth_date", "请填写借款人身份证号码"),
    ({"home_kind": "castle"}, "home_kind", "房屋类型只能是"),
    ({"home_order": "third"}, "home_order", "首套/二套只能是"),
    ({"monthly_debt": "-5"}, "monthly_debt", "现有月还款额不能为负数"),
    ({"co_borrower_balances": ["1", "x"]}, "co_borrower_balances", "第 2 位"),
    ({"product": "conversion"}, "conversion_balance", "请填写原商业贷款余额"),
    ({"monthly_income": "1.234"}, "monthly_income", "最多保留两位小数"),
])
def test_it_refuses_bad_input_naming_the_field(db, on_a_february_morning, fields, field, words):
    answer = APIClient().post(URL, body(**fields), format="json")
    assert answer.status_code == 400
    assert field in answer.json() and words in "".join(answer.json()[field]), answer.json()


def test_a_body_that_is_not_an_object_is_a_400(db):
    answer = APIClient().post(URL, [1, 2], format="json")
    assert answer.status_code == 400


FUZZ_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**20, max_value=10**20), st.text(max_size=30),
    st.floats(allow_nan=False, allow_infinity=False), st.lists(st.text(max_size=8), max_size=7),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.sampled_from(["900000", "1e400", "NaN", "-0", "0.001", "１２３", "2027", "second_hand", "new", "first",
                     "conversion", "combination", BORROWER, "11010119900307123X", "1990-03-07", "2"]),
)
FIELDS = ["price", "home_kind", "home_order", "monthly_income", "monthly_debt", "balance", "co_borrower_balances",
          "term_months", "term_years", "id_number", "birth_date", "sex", "building_year", "product",
          "conversion_balance"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(FIELDS), FUZZ_VALUES, max_size=len(FIELDS)))
def test_the_quota_api_never_answers_500(db, fuzzed):
    answer = APIClient().post(URL, fuzzed, format="json")
    assert answer.status_code in (200, 400), (fuzzed, answer.content)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(FIELDS), FUZZ_VALUES, max_size=6))
def test_a_valid_estimate_with_fuzzed_extras_never_answers_500(db, fuzzed):
    answer = APIClient().post(URL, {**body(), **fuzzed}, format="json")
    assert answer.status_code in (200, 400), (fuzzed, answer.content)


# ---- the member's own ------------------------------------------------------------------------------------------

def test_a_member_estimates_from_the_centres_data(ln, on_a_february_morning):
    spouse_id, _ = ln.spouse()
    ln.home([spouse_id], "鲁(2015)示范市不动产权第0000301号")  # typed "first" would not matter: it is a second
    ln.credit_loan(instalment="800.00")
    answer = api(ln.world.member_a).get(MINE, {"price": "900000", "home_kind": "new", "monthly_income": "10000",
                                               "term_months": 240})
    assert answer.status_code == 200, answer.json()
    data = answer.json()
    assert data["home_order"] == "second" and data["homes"] == 1
    assert data["monthly_debt"] == "800.00"
    assert data["quota"]["rate"] == "3.075"
    assert {x["code"]: x["amount"] for x in data["quota"]["limits"]}["price"] == "630000.00"
    assert [v["code"] for v in data["verdicts"]][:2] == ["account_normal", "deposit_months"]


def test_a_member_names_a_bad_field_with_a_400(ln, on_a_february_morning):
    answer = api(ln.world.member_a).get(MINE, {"price": "-3", "home_kind": "new", "monthly_income": "10000",
                                               "term_months": 240})
    assert answer.status_code == 400 and "price" in answer.json()


@pytest.mark.parametrize("who", ["dev_a", "unit_a_op", "clerk", "outsider"])
def test_only_a_member_has_a_quota_of_their_own(ln, who):
    answer = api(getattr(ln.world, who)).get(MINE, {"price": "900000", "home_kind": "new", "monthly_income": "1000",
                                                    "term_months": 240})
    assert answer.status_code == 404


def test_an_anonymous_caller_has_no_quota_of_their_own(db):
    assert APIClient().get(MINE).status_code in (401, 403)


def test_an_outside_system_down_is_a_503(ln, monkeypatch, on_a_february_morning):
    from fund.integrations.base import Unavailable
    from fund.integrations.property import SandboxPropertyRegistry

    def down(self, *, id_number):
        raise Unavailable("不动产登记系统维护中")

    monkeypatch.setattr(SandboxPropertyRegistry, "homes", down)
    answer = api(ln.world.member_a).get(MINE, {"price": "900000", "home_kind": "new", "monthly_income": "10000",
                                               "term_months": 240})
    assert answer.status_code == 503 and "外部系统暂不可用" in answer.json()["detail"]


def test_the_estimate_writes_nothing(db, on_a_february_morning):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        APIClient().post(URL, body(), format="json")
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
