"""The pages and API over the same services: a member books from 预约办事 and sees it in 我的预约; the API books,
refuses bad input with the field named, and answers another member 404; staff of another branch get 404 on the day."""

from datetime import date

import pytest

from fund.appointments.models import Booking
from tests import clock
from tests.clients import api, page
from tests.service.appointments.conftest import ITEM, week

pytestmark = pytest.mark.django_db

MONDAY, TUESDAY = date(2026, 10, 12), date(2026, 10, 13)


@pytest.fixture
def open_hall(hall):
    week(hall.branch_a, range(5), capacity=2)
    with clock.travel_to(MONDAY):
        yield hall


def test_a_member_books_on_the_page_and_sees_it_in_my_bookings(open_hall):
    client = page(open_hall.owner)
    query = {"branch": open_hall.branch_a.pk, "item": ITEM, "day": "2026-10-13"}
    html = client.get("/member/appointments/book/", query).content.decode()
    assert "2 / 2" in html and "09:00–09:30" in html and "病历" in html
    response = client.post("/member/appointments/book/", {**query, "start": "09:00"})
    assert response.status_code == 302
    html = client.get("/member/appointments/").content.decode()
    assert Booking.objects.get().number in html and "已预约" in html
    assert "市直管理部" in client.get("/service/appointments/hours/").content.decode()


def test_the_api_books_refuses_bad_input_by_field_and_hides_others_bookings(open_hall):
    body = {"branch": open_hall.branch_a.pk, "item_code": ITEM, "day": "2026-10-13", "start": "09:00"}
    made = api(open_hall.owner).post("/api/service/appointments/", body, format="json")
    assert made.status_code == 201 and made.json()["state"] == "booked"
    bad = api(open_hall.colleague).post("/api/service/appointments/", {**body, "start": "09:10"}, format="json")
    assert bad.status_code == 400 and "start" in bad.json()
    pk = made.json()["id"]
    assert api(open_hall.colleague).get(f"/api/service/appointments/{pk}/").status_code == 404
    assert api(open_hall.clerk_b).post(f"/api/service/appointments/{pk}/cancel/").status_code == 404
    slots = api(open_hall.outsider).get("/api/service/appointments/slots/", {"branch": open_hall.branch_a.pk,
                                                                          "day": "2026-10-13"}).json()
    assert slots["slots"][0]["remaining"] == 1
    assert api(open_hall.owner).get("/api/service/appointments/slots/", {"branch": 1, "day": "x"}).status_code == 400


def test_staff_see_their_branchs_day_and_another_branch_is_404(open_hall):
    assert page(open_hall.clerk_a).get("/staff/appointments/", {"day": "2026-10-13"}).status_code == 200
    assert page(open_hall.clerk_b).get("/staff/appointments/", {"branch": open_hall.branch_a.pk}).status_code == 404
    assert page(open_hall.clerk_a).get("/staff/appointments/hours/").status_code == 200
    assert page(open_hall.clerk_a).get("/staff/home-visits/").status_code == 200
    assert page(open_hall.owner).get("/member/home-visits/").status_code == 200
    assert page(open_hall.unit_op).get("/unit/appointments/book/").status_code == 200
    refused = page(open_hall.clerk_a).post("/staff/appointments/hours/", {"form": "period", "weekday": 5,
                                                                          "start": "09:00", "end": "12:00"})
    assert refused.status_code == 403  # a clerk is not the branch's head
