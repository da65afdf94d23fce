"""The estimator pages: public (anonymous, everything typed), the member's hall (prefilled from the centre's data)
and the developer portal; each limit with its figure and bar, the binding one marked; bad input named on its
field; the navigation offers them."""

from datetime import date
from typing import Any

import pytest
from django.test import Client

from fund.demo import make_id_number
from tests.clients import page
from tests.clock import travel_to

pytestmark = pytest.mark.django_db

BORROWER = make_id_number(birth=date(1990, 3, 7), seq=601)


def form(**fields: Any) -> dict[str, Any]:
    values = {"price": "900000", "home_kind": "new", "home_order": "first", "monthly_income": "6000",
              "monthly_debt": "2000", "balance": "50000", "term_years": "20", "id_number": BORROWER,
              "product": "ordinary", "building_year": "", "co_borrower_balances": "", "conversion_balance": ""}
    values.update(fields)
    return values


@pytest.fixture
def on_a_february_morning():
    with travel_to(date(2026, 2, 10)):
        yield


def test_the_public_estimator_shows_each_limit_with_its_bar_and_marks_the_binding_one(db, on_a_february_morning):
    body = Client().post("/loans/estimate/", form()).content.decode()
    assert "186,000.00" in body and "186,989.96" in body and "720,000.00" in body
    assert body.count('class="quota-limit') == 4 and body.count("is-binding") == 1
    assert "起决定作用" in body and 'style="width: 24%"' in body  # 186 989.96 against the largest, 750 000


def test_the_public_estimator_shows_both_parts_of_a_combination_loan(db, on_a_february_morning):
    body = Client().post("/loans/estimate/", form(product="combination")).content.decode()
    assert "公积金贷款部分" in body and "商业贷款部分" in body and "534,000.00" in body


@pytest.mark.parametrize("fields, words", [
    ({"price": "-5"}, "房屋总价必须大于 0"),
    ({"price": "99999999999"}, "房屋总价超出合理范围"),
    ({"home_kind": "second_hand", "building_year": "2030"}, "房屋建成年份不能晚于今年"),
    ({"id_number": "110101199003071234"}, "借款人身份证号码"),
])
def test_the_public_estimator_names_a_bad_field(db, on_a_february_morning, fields, words):
    answer = Client().post("/loans/estimate/", form(**fields))
    assert answer.status_code == 200
    body = answer.content.decode()
    assert words in body and "试算结果" not in body


def test_the_public_home_links_the_estimator(db):
    assert "/loans/estimate/" in Client().get("/").content.decode()


def test_the_member_estimator_is_prefilled_from_the_centres_data(ln, on_a_february_morning):
    spouse_id, spouse_name = ln.spouse()
    ln.home([spouse_id], "鲁(2015)示范市不动产权第0000401号")
    ln.credit_loan(instalment="800.00")
    client = page(ln.world.member_a)
    assert "贷款额度试算" in client.get("/member/").content.decode()  # the navigation offers it
    body = client.post("/member/loans/estimate/", {"price": "900000", "home_kind": "new", "monthly_income": "10000",
                                                   "term_years": "20", "product": "ordinary",
                                                   "with_spouse": "on"}).content.decode()
    assert spouse_name in body and "800.00" in body
    # The spouse, who has no account here, is a co-borrower checked on the blacklist and credit: the joint cap.
    assert f"共同借款人核验（{spouse_name}）" in body and "有共同借款人贷款最高额度 800,000.00 元" in body
    assert "本市已有 1 套，所购认定为二套" in body
    assert "二套住房最高贷款比例" in body and "3.075" in body
    assert "连续缴存月数" in body and "符合" in body


def test_the_developer_estimates_for_a_buyer(ln, on_a_february_morning):
    client = page(ln.world.dev_a)
    assert "额度试算" in client.get("/developer/").content.decode()
    body = client.post("/developer/loans/estimate/", form()).content.decode()
    assert "186,000.00" in body and ln.project.name in body


@pytest.mark.parametrize("who, url", [
    ("member_a", "/developer/loans/estimate/"), ("dev_a", "/member/loans/estimate/"),
    ("outsider", "/member/loans/estimate/"), ("clerk", "/developer/loans/estimate/"),
])
def test_each_portals_estimator_is_its_own(ln, who, url):
    assert page(getattr(ln.world, who)).get(url).status_code == 404
