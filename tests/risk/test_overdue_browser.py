"""Playwright (the issue names it): a collector works a two-period overdue loan — opens it from the ledger,
records a home visit, prints the 《逾期贷款通知单》 and downloads the PDF."""

from datetime import date

import pytest

from risk.models import CaseState, Channel, CollectionContact, OverdueCase
from tests import clock
from tests.browser_support import SHOTS, sign_in
from tests.risk.conftest import overdue_night

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_collector_records_a_visit_and_prints_the_notice(ln, collectors, live_server, page):  # noqa: F811
    loan = ln.active_loan()
    overdue_night(date(2026, 5, 21))
    case = OverdueCase.objects.get(loan=loan, state=CaseState.OPEN)
    with clock.travel_to(date(2026, 5, 22)):
        sign_in(page, live_server, collectors.a1.username)
        page.goto(f"{live_server.url}/staff/risk/overdue/")
        page.click(f"text={loan.contract_number}")
        assert "上门及书面催收" in page.content()
        page.select_option("select[name=channel]", Channel.VISIT)
        page.fill("textarea[name=result]", "上门见到借款人，称下周发工资后还款")
        page.fill("input[name=promise_on]", "2026-05-29")
        with page.expect_navigation():
            page.click("form[action$='/contacts/'] button[type=submit]")
        assert "已登记上门催收记录" in page.content()
        with page.expect_navigation():  # the reload must not race the form's own redirect
            page.click("[data-print-notice]")
        page.reload()  # rendered eagerly in tests; a worker does it live
        href = page.get_attribute("[data-download]", "href")
        pdf = page.request.get(f"{live_server.url}{href}")
        assert pdf.ok and pdf.body().startswith(b"%PDF")
        page.screenshot(path=str(SHOTS / "risk_overdue_case.png"), full_page=True)
    channels = set(CollectionContact.objects.filter(case=case, by=collectors.a1).values_list("channel", flat=True))
    assert channels == {Channel.VISIT, Channel.LETTER}
    assert not case.tasks.filter(kind__in=["visit", "notice"], done_at__isnull=True).exists()
