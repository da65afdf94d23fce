"""Booking: a seat per booking within capacity, one active booking per person, item and day, cancel frees the
seat, move keeps one booking, the SMS after commit with the materials, no-shows counted once and the policy's
pause, and access (a member sees only their own; staff of another branch get 404)."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from fund.appointments.models import Booking, BookingState, Slot
from fund.appointments.selectors import booking_get_for_user, branch_day, no_show_summary, own_bookings
from fund.appointments.services.booking import (
    booking_cancel,
    booking_create,
    booking_mark,
    booking_move,
    no_shows_step,
)
from fund.integrations.models import SandboxSms
from fund.workflow.models import StatusChange
from tests import clock
from tests.service.appointments.conftest import ITEM, member_name, week

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 10, 12)  # the clock's day: 10:00 on an ordinary Monday
TUESDAY, WEDNESDAY = MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)


@pytest.fixture
def monday(hall):
    week(hall.branch_a, range(5), capacity=2)
    week(hall.branch_b, range(5), capacity=2)
    with clock.travel_to(MONDAY):
        yield hall


def book(hall, user, day=TUESDAY, at=time(9), **kw):
    return booking_create(actor=user, branch=kw.pop("branch", hall.branch_a), item_code=kw.pop("item", ITEM), day=day,
                          start=at, **kw)


def test_a_booking_takes_a_seat_and_texts_the_date_branch_address_and_materials(monday, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(monday, monday.owner)
    assert booking.number.startswith("YY20261012") and booking.state == BookingState.BOOKED
    assert Slot.objects.get(pk=booking.slot_id).booked == 1
    text = SandboxSms.objects.get(phone="13900000001").text
    assert "10月13日（星期二）09:00-09:30" in text and "市直管理部（示范市人民路1号）" in text
    assert booking.number in text and "请携带：" in text and "病历" in text  # 大病医疗's paper materials
    assert len(text) <= 500


def test_it_refuses_a_full_slot_and_a_second_booking_of_the_item_that_day(monday):
    book(monday, monday.owner)
    book(monday, monday.colleague)
    with pytest.raises(ValidationError) as full:
        book(monday, monday.member(3))
    assert "约满" in full.value.message_dict["start"][0]
    with pytest.raises(ValidationError) as twice:
        book(monday, monday.owner, at=time(10))
    assert "当天已预约该事项" in twice.value.message_dict["day"][0]
    assert Slot.objects.get(day=TUESDAY, start=time(9)).booked == 2 and Booking.objects.count() == 2


def test_it_refuses_a_time_that_is_not_a_slot_the_past_and_beyond_the_horizon(monday):
    for day, at, field in ((TUESDAY, time(9, 10), "start"), (MONDAY - timedelta(days=1), time(9), "day"),
                           (MONDAY + timedelta(days=30), time(9), "day"), (MONDAY, time(9), "start")):
        with pytest.raises(ValidationError) as refused:
            book(monday, monday.owner, day=day, at=at)
        assert field in refused.value.message_dict, (day, at)
    assert not Booking.objects.exists()


def test_cancel_frees_the_seat_for_someone_else(monday, django_capture_on_commit_callbacks):
    first, _ = book(monday, monday.owner), book(monday, monday.colleague)
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(actor=monday.owner, booking=first)
    assert Slot.objects.get(pk=first.slot_id).booked == 1
    assert "已取消" in SandboxSms.objects.filter(phone="13900000001").first().text
    book(monday, monday.member(3))  # the freed seat
    with pytest.raises(ValidationError):
        booking_cancel(actor=monday.owner, booking=Booking.objects.get(pk=first.pk))  # already cancelled


def test_move_keeps_one_booking_and_moves_the_seat(monday, django_capture_on_commit_callbacks):
    old = book(monday, monday.owner)
    with django_capture_on_commit_callbacks(execute=True):
        new = booking_move(actor=monday.owner, booking=old, day=WEDNESDAY, start=time(10))
    old.refresh_from_db()
    assert old.state == BookingState.MOVED and new.moved_from_id == old.pk and new.state == BookingState.BOOKED
    assert list(own_bookings(monday.owner).filter(state__in=["booked", "arrived"])) == [new]
    assert Slot.objects.get(pk=old.slot_id).booked == 0 and Slot.objects.get(pk=new.slot_id).booked == 1
    assert "已改为10月14日" in SandboxSms.objects.filter(phone="13900000001").first().text


def test_a_move_to_a_full_slot_changes_nothing(monday):
    old = book(monday, monday.owner)
    book(monday, monday.colleague, day=WEDNESDAY)
    book(monday, monday.member(3), day=WEDNESDAY)
    with pytest.raises(ValidationError):
        booking_move(actor=monday.owner, booking=old, day=WEDNESDAY, start=time(9))
    old.refresh_from_db()
    assert old.state == BookingState.BOOKED and Slot.objects.get(pk=old.slot_id).booked == 1
    assert Booking.objects.count() == 3


def test_a_unit_operator_books_for_the_unit(monday):
    booking = book(monday, monday.unit_op, item="GJ-05", employer_id=monday.employer.pk)
    assert booking.employer == monday.employer and booking.person is None and booking.phone == "13911112222"
    with pytest.raises(PermissionDenied):
        book(monday, monday.owner, employer_id=monday.employer.pk)


def test_a_no_show_is_counted_once_and_arrived_ones_are_not(monday):
    came, missed = book(monday, monday.owner), book(monday, monday.colleague)
    with clock.travel_to(TUESDAY):
        booking_mark(actor=monday.clerk_a, booking=came, state=BookingState.ARRIVED)
    assert no_shows_step(TUESDAY) == {"no_shows": 1}
    assert no_shows_step(TUESDAY) == {"no_shows": 0} and no_shows_step(WEDNESDAY) == {"no_shows": 0}
    missed.refresh_from_db()
    assert missed.state == BookingState.NO_SHOW
    assert StatusChange.objects.filter(subject_id=missed.pk, new=BookingState.NO_SHOW).count() == 1
    summary = no_show_summary(monday.director, TUESDAY)
    assert [(r["branch__name"], r["total"], r["no_shows"]) for r in summary["by_branch"]] == [("市直管理部", 2, 1)]
    assert [(r["person__name"], r["no_shows"]) for r in summary["by_person"]] == [(member_name(2), 1)]


def test_it_pauses_online_booking_after_the_policys_no_shows(monday):
    for n, day in enumerate((MONDAY - timedelta(days=20), MONDAY - timedelta(days=10), MONDAY - timedelta(days=3))):
        slot = Slot.objects.create(branch=monday.branch_a, day=day, start=time(9), end=time(9, 30), capacity=2, booked=1)
        Booking.objects.create(number=f"YYOLD{n}", slot=slot, branch=monday.branch_a, day=day, start=time(9),
                               end=time(9, 30), item_code=ITEM, item_name="大病医疗提取", person=monday.owner.person,
                               booked_by=monday.owner, state=BookingState.NO_SHOW)
    with pytest.raises(ValidationError) as paused:
        book(monday, monday.owner)
    assert "爽约达 3 次" in paused.value.message_dict["day"][0] and "2026-11-08" in paused.value.message_dict["day"][0]
    book(monday, monday.colleague)  # others book as before


def test_staff_mark_arrivals_only_on_the_day_and_see_their_branchs_day(monday):
    booking = book(monday, monday.owner)
    with pytest.raises(ValidationError):
        booking_mark(actor=monday.clerk_a, booking=booking, state=BookingState.ARRIVED)  # tomorrow's
    with clock.travel_to(TUESDAY):
        booking_mark(actor=monday.clerk_a, booking=booking, state=BookingState.SERVED)
    day = branch_day(monday.branch_a, TUESDAY)
    assert day["rows"][0].bookings == [booking] and day["counts"]["served"] == 1 and len(day["rows"]) == 4


def test_a_member_sees_only_their_own_bookings_and_staff_of_another_branch_get_404(monday):
    booking = book(monday, monday.owner)
    assert booking_get_for_user(monday.owner, booking.pk) == booking
    assert booking_get_for_user(monday.clerk_a, booking.pk) == booking
    assert booking_get_for_user(monday.director, booking.pk) == booking
    for stranger in (monday.colleague, monday.clerk_b, monday.unit_op, monday.outsider):
        with pytest.raises(Http404):
            booking_get_for_user(stranger, booking.pk)
    assert list(own_bookings(monday.colleague)) == []
