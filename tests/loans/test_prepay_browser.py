"""The borrower in the personal hall, in Chromium: previews and makes a 缩期 prepayment from the fund account,
then pays the loan off and prints the 结清证明 (screenshots loans-prepay-*.png for a person to look at)."""

from datetime import date
from typing import Any

import pytest

from loans.models import Repayment, RepaymentKind
from tests.browser_support import SHOTS, sign_in
from tests.clock import travel_to

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def on_the_due_day() -> Any:
    with travel_to(date(2026, 4, 20)):
        yield


def test_a_borrower_prepays_from_the_fund_account_then_pays_off_and_prints_the_certificate(
        ln: Any, live_server: Any, page: Any, on_the_due_day: None) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    loan = ln.active_loan(principal="300000.00", rate="2.600", months=240, day=20, disbursed_on=date(2026, 3, 20),
                          card_balance="400000.00")
    sign_in(page, live_server, ln.person.id_number)
    page.goto(f"{live_server.url}/member/loans/{loan.pk}/prepay/")
    page.check("input[name=mode][value=term]")
    page.check("input[name=source][value=fund]")
    page.fill("input[name=amount]", "15000.00")
    with page.expect_navigation():
        page.click("button[name=preview]")
    preview = page.locator("[data-preview]")
    assert preview.count() == 1 and "缩短" in preview.inner_text()
    # 1 604.36 due today, then 13 395.64 of principal; the payment stays 1 604.36
    assert "1,604.36 → 1,604.36" in page.locator("[data-new-payment]").inner_text()
    page.screenshot(path=str(SHOTS / "loans-prepay-preview.png"), full_page=True)
    assert not Repayment.objects.exists()
    with page.expect_navigation():
        page.click("button[name=confirm]")
    assert page.locator("[data-prepay-done]").count() == 1
    page.screenshot(path=str(SHOTS / "loans-prepay-done.png"), full_page=True)
    partial = Repayment.objects.get()
    assert partial.kind == RepaymentKind.PREPAY_PARTIAL and partial.from_fund == partial.amount

    page.goto(f"{live_server.url}/member/loans/{loan.pk}/prepay/")
    page.check("input[name=mode][value=full]")
    page.check("input[name=source][value=card]")
    with page.expect_navigation():
        page.click("button[name=preview]")
    assert "贷款结清" in page.locator("[data-preview]").inner_text()
    page.screenshot(path=str(SHOTS / "loans-prepay-full-preview.png"), full_page=True)
    with page.expect_navigation():
        page.click("button[name=confirm]")
    loan.refresh_from_db()
    assert loan.status == "closed"
    with page.expect_navigation():
        page.click("text=打印结清证明")
    with page.expect_navigation():  # the reload must not race the form's own redirect
        page.click("[data-issue-certificate]")
    page.reload()
    page.screenshot(path=str(SHOTS / "loans-payoff-certificate.png"), full_page=True)
    href = page.get_attribute("[data-download]", "href")
    pdf = page.request.get(f"{live_server.url}{href}")  # the browser shows it inline; read what it was sent
    assert pdf.ok and pdf.body().startswith(b"%PDF-")
    (SHOTS / "loans-payoff-certificate.pdf").write_bytes(pdf.body())
