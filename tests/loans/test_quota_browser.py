"""The estimators in Chromium: a visitor estimates on the public page, a member in the personal hall (prefilled
from the centre's data), a developer's operator for a buyer; each limit's bar is drawn and the binding one
marked. Screenshots for a person to look at (FUND_SCREENSHOTS)."""

from datetime import date

import pytest

from tests.browser_support import SHOTS, fill_form, sign_in
from tests.clock import travel_to

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def on_a_february_morning():
    with travel_to(date(2026, 2, 10)):
        yield


def test_a_visitor_estimates_and_sees_the_binding_limit(world, live_server, page, on_a_february_morning):  # noqa: F811
    page.goto(f"{live_server.url}/")
    page.click("text=贷款额度试算")
    fill_form(
        page, price="900000", home_kind="second_hand", building_year="2008", term_years="20", monthly_income="6000",
        monthly_debt="2000", balance="50000", id_number=world.account_a.person.id_number,
    )
    with page.expect_navigation():
        page.click("main button.btn-primary:has-text('试算')")
    binding = page.locator(".quota-limit.is-binding")
    assert binding.count() == 1 and "还款能力" in binding.inner_text()
    assert page.locator(".quota-limit .bar-fill").count() == 4
    page.screenshot(path=str(SHOTS / "loans-estimate-public.png"), full_page=True)


def test_a_member_estimates_in_the_hall(ln, live_server, page, on_a_february_morning):  # noqa: F811
    ln.spouse()
    ln.credit_loan(instalment="800.00")
    sign_in(page, live_server, ln.person.id_number)
    page.click("text=贷款额度试算")
    fill_form(page, price="1200000", home_kind="new", monthly_income="15000")
    page.check("input[name=with_spouse]")
    with page.expect_navigation():
        page.click("main button.btn-primary:has-text('试算')")
    assert page.locator(".quota-limit.is-binding").count() == 1
    assert "林晓梅" in page.inner_text("aside")
    page.screenshot(path=str(SHOTS / "loans-estimate-member.png"), full_page=True)


def test_a_developer_estimates_for_a_buyer(ln, live_server, page, on_a_february_morning):  # noqa: F811
    sign_in(page, live_server, "dev_a")
    page.click("text=额度试算")
    fill_form(
        page, price="1500000", home_kind="new", product="combination", monthly_income="20000", balance="30000",
        id_number=ln.person.id_number,
    )
    with page.expect_navigation():
        page.click("main button.btn-primary:has-text('试算')")
    assert "商业贷款部分" in page.inner_text("main")
    page.screenshot(path=str(SHOTS / "loans-estimate-developer.png"), full_page=True)
