"""Playwright (the issue names it): the 12329 desk registers a hotline complaint the day before 国庆, assigns it to
a branch clerk, who answers it on the page before its deadline (13 October, past the holiday)."""

from datetime import date

import pytest

from fund.tickets.models import Ticket, TicketState
from tests import clock
from tests.browser_support import SHOTS, fill_form, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_hotline_ticket_is_registered_assigned_and_answered_before_its_deadline(people, live_server, page):
    with clock.travel_to(date(2026, 9, 30)):
        sign_in(page, live_server, people.desk.username)
        page.goto(f"{live_server.url}/staff/tickets/new/")
        fill_form(page, channel="hotline", category="complaint", name="王五", phone="13700000009",
                  subject="提取到账慢", content="9月20日申请的租房提取至今未到账。")
        page.click("form:has(textarea[name=content]) button[type=submit]")
        assert "答复期限 2026-10-13" in page.content()
        page.select_option("select[name=responsible]", str(people.clerk_a.pk))
        page.click("form[action$='/assign/'] button[type=submit]")
        assert "已转办给市直管理部clerk_a" in page.content()
        ticket = Ticket.objects.get()
    with clock.travel_to(date(2026, 10, 9)):
        page.context.clear_cookies()  # the desk signs out; the clerk sits at another desk
        sign_in(page, live_server, people.clerk_a.username)
        page.goto(f"{live_server.url}/staff/")
        page.click(f"a:has-text('{ticket.number}')")  # 我的工单 on the home page
        page.fill("textarea[name=reply]", "经核实，款项已于10月9日到账，请查收。")
        page.click("form[action$='/reply/'] button[type=submit]")
        assert "已答复" in page.text_content("[data-ticket-state]")
        assert "按时" in page.content()
        page.screenshot(path=str(SHOTS / "tickets_hotline_answered.png"), full_page=True)
    ticket.refresh_from_db()
    assert (ticket.state, ticket.first_due_on, ticket.first_replied_on) == (
        TicketState.REPLIED, date(2026, 10, 13), date(2026, 10, 9))
