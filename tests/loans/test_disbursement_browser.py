"""The 放款 page as 委贷管理 and 财务 use it, and the member's loan in the personal hall, in Chromium (screenshots
loans-disbursements-*.png and member-loan*.png for a person to look at)."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from loans.models import Disbursement, DisbursementState
from tests.browser_support import SHOTS, sign_in
from tests.loans.conftest import available_becomes, mortgaged_loan

pytestmark = pytest.mark.django_db(transaction=True)


def test_loan_admin_notices_finance_releases_and_the_member_follows_the_loan(
        ln: Any, live_server: Any, page: Any, django_capture_on_commit_callbacks: Any) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = timezone.now() - timedelta(days=2)
    mine = mortgaged_loan(ln, borrower=ln.person, home_kind="new", project=ln.project, decided_at=base)
    big = mortgaged_loan(ln, amount="2000000.00", home_kind="new", project=ln.project,
                         decided_at=base - timedelta(hours=1))
    mortgaged_loan(ln, amount="300000.00", decided_at=base + timedelta(hours=1))
    available_becomes("1500000.00", "browser")

    sign_in(page, live_server, ln.loan_admin.username)
    page.goto(f"{live_server.url}/staff/loans/disbursements/")
    page.screenshot(path=str(SHOTS / "loans-disbursements-notice.png"), full_page=True)
    for loan in (big, mine):
        page.goto(f"{live_server.url}/staff/loans/disbursements/")
        with page.expect_navigation():
            page.locator(f"form[action$='/applications/{loan.application_id}/disbursement-notice/'] button").click()
    assert page.locator("text=已出具放款通知").count() >= 1
    page.screenshot(path=str(SHOTS / "loans-disbursements-noticed.png"), full_page=True)
    page.context.clear_cookies()

    sign_in(page, live_server, ln.finance.username)
    for loan in (big, mine):  # the 2 000 000 one is short and waits; the earlier approval is first in the queue
        d = Disbursement.objects.get(loan=loan)
        page.goto(f"{live_server.url}/staff/loans/disbursements/?tab=noticed")
        with page.expect_navigation():
            page.locator(f"form[action$='/disbursements/{d.pk}/release/'] button").click()
    assert Disbursement.objects.get(loan=big).state == DisbursementState.QUEUED
    assert Disbursement.objects.get(loan=mine).state == DisbursementState.QUEUED  # an earlier approval waits
    page.goto(f"{live_server.url}/staff/loans/disbursements/?tab=queued")
    assert page.locator("text=轮候顺序").count() == 1
    page.screenshot(path=str(SHOTS / "loans-disbursements-queued.png"), full_page=True)

    from loans.services.disbursement import disbursement_queue_drain
    from tests.loans.conftest import money_arrives

    money_arrives("1200000.00", "browser-more")
    with django_capture_on_commit_callbacks(execute=True):
        assert disbursement_queue_drain() == 2
    page.goto(f"{live_server.url}/staff/loans/disbursements/?tab=paid")
    page.screenshot(path=str(SHOTS / "loans-disbursements-paid.png"), full_page=True)
    page.context.clear_cookies()

    sign_in(page, live_server, ln.person.id_number)
    page.goto(f"{live_server.url}/member/")
    assert page.locator("#loan-panel").count() == 1
    page.locator("#loan-panel").screenshot(path=str(SHOTS / "member-loan-panel.png"))
    page.goto(f"{live_server.url}/member/loans/")
    assert page.locator("text=近期还款计划").count() == 1
    page.screenshot(path=str(SHOTS / "member-loan.png"), full_page=True)
