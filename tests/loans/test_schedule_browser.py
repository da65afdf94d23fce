"""The loan page in Chromium, for the borrower in the personal hall and for the clerk at the window (screenshots
loan-member-list.png, loan-member-schedule.png and loan-staff-schedule.png for a person to look at): the dues, the chart, the schedule
with its projection, and the Excel download."""

from typing import Any

import pytest

from tests.browser_support import SHOTS, sign_in
from tests.clock import travel_to
from tests.loans.schedule_support import TODAY, loan_with_history

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_borrower_and_the_clerk_read_the_schedule_and_download_it(
        ln: Any, live_server: Any, page: Any) -> None:  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    with travel_to(TODAY):
        loan = loan_with_history(ln)
        sign_in(page, live_server, ln.person.id_number)
        page.click("nav >> text=我的贷款")
        page.screenshot(path=str(SHOTS / "loan-member-list.png"), full_page=True)
        page.click("text=还款计划与详情")
        assert page.locator("[data-overdue-total]").inner_text().startswith("1,604.88")
        assert page.locator("svg[aria-label='每年应还本金与利息'] rect").count() == 2 * 21  # 2026 … 2046
        assert page.locator("tr[data-projected]").count() == 231
        page.screenshot(path=str(SHOTS / "loan-member-schedule.png"), full_page=True)
        with page.expect_download() as download:
            page.click("text=导出Excel")
        assert download.value.suggested_filename.endswith(".xlsx")
        page.context.clear_cookies()

        sign_in(page, live_server, ln.world.clerk.username)
        page.goto(f"{live_server.url}/staff/loans/{loan.pk}/")
        assert page.locator("[data-segments] tr[data-current]").count() == 1
        page.screenshot(path=str(SHOTS / "loan-staff-schedule.png"), full_page=True)
