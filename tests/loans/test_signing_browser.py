"""In Chromium: a clerk signs an off-plan loan and pre-mortgages it in one screen, then sees the loan's page and its
mortgage page (screenshots loans-sign.png, loans-loan.png, loans-mortgage.png)."""

import pytest

from loans.models import Loan
from tests.browser_support import SHOTS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_clerk_signs_and_pre_mortgages_an_off_plan_loan_in_one_screen(ln, live_server, page, browser):  # noqa: F811
    application = ln.off_plan()
    sign_in(page, live_server, ln.world.clerk.username)
    page.goto(f"{live_server.url}/staff/loans/applications/{application.pk}/sign/")
    page.select_option("select[name=bank]", str(ln.bank.pk))
    page.fill("input[name=repayment_day]", "18")
    page.fill("input[name=repayment_card]", ln.card())
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "loans-sign.png"), full_page=True)
    with page.expect_navigation():
        page.click("button[name=and_mortgage]")
    loan = Loan.objects.get()
    assert page.url.endswith(f"/staff/loans/{loan.pk}/")
    assert loan.mortgage_kind == "pre"
    text = page.inner_text("main") if page.query_selector("main") else page.content()
    assert loan.contract_number in text and loan.mortgage_number in text and "预抵押" in text
    page.screenshot(path=str(SHOTS / "loans-loan.png"), full_page=True)
    page.goto(f"{live_server.url}/staff/loans/{loan.pk}/mortgage/")
    assert "预抵押转抵押" in page.content()
    page.screenshot(path=str(SHOTS / "loans-mortgage.png"), full_page=True)
