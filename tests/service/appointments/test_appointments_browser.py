"""Playwright (the issue names it): a member books a Saturday slot at a branch open on Saturdays (周末不打烊), sees it
in 我的预约, and the SMS with the date, branch, address and materials is in the SMS sandbox's outbox."""

from datetime import date, time

import pytest

from fund.appointments.models import Booking, PeriodLabel
from fund.integrations.models import SandboxSms
from tests import clock
from tests.browser_support import SHOTS, sign_in
from tests.service.appointments.conftest import ITEM, week

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

THURSDAY, SATURDAY = date(2026, 10, 15), date(2026, 10, 17)  # an ordinary Saturday two days on


def test_a_member_books_a_saturday_slot_and_gets_the_sms(hall, live_server, page):
    week(hall.branch_a, range(5))
    week(hall.branch_a, [5], start=time(9), end=time(12), minutes=60, capacity=3, label=PeriodLabel.WEEKEND)
    with clock.travel_to(THURSDAY):
        sign_in(page, live_server, hall.owner.username)
        page.goto(f"{live_server.url}/member/appointments/book/")
        page.select_option("select[name=branch]", str(hall.branch_a.pk))
        page.select_option("select[name=item]", ITEM)
        page.select_option("select[name=day]", SATURDAY.isoformat())
        page.click("[data-book-filter] button[type=submit]")
        assert "周末不打烊" in page.content()
        page.click("[data-slot='10:00'] button[type=submit]")
        assert "预约成功" in page.content()
        page.screenshot(path=str(SHOTS / "appointments_saturday_booked.png"), full_page=True)
    booking = Booking.objects.get(person=hall.owner.person)
    assert (booking.day, booking.start, booking.state) == (SATURDAY, time(10), "booked")
    text = SandboxSms.objects.get(phone=hall.owner.person.phone).text
    assert "10月17日（星期六）10:00-11:00" in text and "示范市人民路1号" in text and booking.number in text
    assert "请携带：" in text
