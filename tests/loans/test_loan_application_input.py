"""Bad input to the loan application API is a 400 naming the field in Chinese, and nothing is written; any body
at all gets an answer, never a 500."""

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loans.models import CoBorrower, LoanApplication
from tests.clients import api
from tests.loans.applications_support import new_home_form, second_hand_form

# Applications are made "now": the borrower has deposited up to this month.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("deposits_to_date")]

URL = "/api/loans/applications/"


def post(user, body):
    return api(user).post(URL, json.dumps(body, allow_nan=True), content_type="application/json")


def refused_on(ln, field, **form):
    body = {"account": ln.account.pk, **second_hand_form(**form)}
    body.update(form.pop("_extra", {}))
    response = post(ln.world.member_a, body)
    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors, errors
    assert any("\u4e00" <= ch <= "\u9fff" for ch in json.dumps(errors, ensure_ascii=False))
    assert LoanApplication.objects.count() == 0 and CoBorrower.objects.count() == 0
    return errors[field]


def test_a_member_applies_through_the_api(ln):
    response = post(ln.world.member_a, {"account": ln.account.pk, **second_hand_form()})
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "submitted" and response.json()["channel"] == "api"


def test_it_refuses_an_invalid_co_borrower_id(ln):
    body = {"account": ln.account.pk, **second_hand_form(),
            "co_borrowers": [{"id_number": "370802199001011235", "name": "林大哥", "relation": "other"}]}
    response = post(ln.world.member_a, body)
    assert response.status_code == 400
    assert "第1位共同借款人身份证号码" in response.json()["co_borrowers"][0]
    assert LoanApplication.objects.count() == 0


@pytest.mark.parametrize("price", ["-1", "0", "1e999", "1000000000000000", "九十万", "NaN"])
def test_it_refuses_a_negative_or_absurd_price(ln, price):
    assert "房屋总价" in refused_on(ln, "price", price=price)[0]


def test_it_refuses_a_term_over_the_limit(ln):
    assert "贷款期限不能超过" in refused_on(ln, "term_months", term_months=361)[0]


def test_it_refuses_a_building_year_in_the_future(ln):
    assert "建成年份不能晚于今年" in refused_on(ln, "building_year", building_year=date.today().year + 1)[0]


def test_it_refuses_someone_elses_account(ln):
    body = {"account": ln.world.account_b.pk, **second_hand_form()}
    response = post(ln.world.member_a, body)
    assert response.status_code == 400 and "account" in response.json()
    assert LoanApplication.objects.count() == 0


def test_it_refuses_more_than_the_quota_naming_the_binding_limit(ln):
    assert "可贷额度" in refused_on(ln, "amount_requested", amount_requested="720000.00")[0]


FUZZ = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
KEYS = ["account", "id_number", "home_kind", "project", "home_address", "certificate_number", "price", "area",
        "building_year", "seller_name", "seller_account", "seller_bank", "monthly_income", "amount_requested",
        "term_months", "method", "product", "commercial_amount", "co_borrowers", "materials"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**20, max_value=10**20),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40),
                    st.sampled_from(["new", "second_hand", "1e999", "NaN", "-0.00", "0.001", "１２３", "360"]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(st.text(max_size=10), inner, max_size=3)),
                      max_leaves=6)


@FUZZ
@given(body=st.dictionaries(st.sampled_from(KEYS), values, max_size=len(KEYS)), start_valid=st.booleans())
def test_any_body_gets_an_answer_not_a_500(ln, body, start_valid):
    if start_valid:  # half start from a valid form, so the checks past the first field are reached too
        body = {"account": ln.account.pk, **second_hand_form(), **body}
    before = LoanApplication.objects.count()
    response = post(ln.world.member_a, body)
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert LoanApplication.objects.count() == before


def test_the_api_refuses_a_borrower_name_that_is_not_the_id_numbers_and_writes_nothing(ln: Any) -> None:
    before = LoanApplication.objects.count()
    answer = api(ln.world.dev_a).post("/api/loans/applications/", {
        **new_home_form(ln.project), "id_number": ln.person.id_number, "borrower_name": "冒名者",
    }, format="json")
    assert answer.status_code == 400 and "姓名" in str(answer.json())
    assert LoanApplication.objects.count() == before
