"""Service hours as data: weekend slots only where a branch opens weekends, none on a public holiday unless an
exception opens it, a make-up working day (调休) on the working-day pattern, and who may edit them."""

from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fund.appointments.hours import DayKind, day_kind, slots_on
from fund.appointments.models import HoursException, PeriodLabel
from fund.appointments.services.hours import hours_exception_add, service_period_add
from tests.service.appointments.conftest import week

pytestmark = pytest.mark.django_db

# 2026: Thursday 24 September a working day; Friday 25 the Mid-Autumn holiday and Saturday 26 inside it;
# Saturday 10 October a make-up working day (调休) for National Day; Saturday 17 October an ordinary weekend.
THURSDAY, MID_AUTUMN, HOLIDAY_SATURDAY = date(2026, 9, 24), date(2026, 9, 25), date(2026, 9, 26)
MAKEUP_SATURDAY, SATURDAY = date(2026, 10, 10), date(2026, 10, 17)


def test_the_calendar_tells_working_makeup_weekend_and_holiday_days():
    assert [day_kind(d) for d in (THURSDAY, MID_AUTUMN, HOLIDAY_SATURDAY, MAKEUP_SATURDAY, SATURDAY)] == [
        DayKind.WORKING, DayKind.HOLIDAY, DayKind.HOLIDAY, DayKind.MAKEUP, DayKind.WEEKEND]


def test_weekend_slots_only_where_the_branch_opens_on_weekends(hall):
    week(hall.branch_a, range(5))
    week(hall.branch_b, range(5))
    week(hall.branch_a, [5], start=time(9), end=time(12), minutes=60, capacity=3, label=PeriodLabel.WEEKEND)
    saturday_a = slots_on(hall.branch_a.pk, SATURDAY)
    assert [(s.start, s.end, s.capacity) for s in saturday_a] == [
        (time(9), time(10), 3), (time(10), time(11), 3), (time(11), time(12), 3)]
    assert slots_on(hall.branch_b.pk, SATURDAY) == []
    assert len(slots_on(hall.branch_b.pk, THURSDAY)) == 4  # 09:00–11:00 in 30-minute slots


def test_it_offers_no_slots_on_a_public_holiday_unless_an_exception_opens_it(hall):
    week(hall.branch_a, range(7))  # open every day of the week, weekends included
    assert slots_on(hall.branch_a.pk, MID_AUTUMN) == [] and slots_on(hall.branch_a.pk, HOLIDAY_SATURDAY) == []
    hours_exception_add(actor=hall.head_a, branch=hall.branch_a, day=MID_AUTUMN, closed=False, start=time(9),
                        end=time(10), slot_minutes=30, capacity=5, note="中秋节不打烊")
    assert [(s.start, s.capacity) for s in slots_on(hall.branch_a.pk, MID_AUTUMN)] == [(time(9), 5), (time(9, 30), 5)]
    assert slots_on(hall.branch_a.pk, HOLIDAY_SATURDAY) == []


def test_a_makeup_working_day_follows_the_working_day_pattern_and_a_closing_exception_empties_a_day(hall):
    week(hall.branch_b, range(5), start=time(8, 30), end=time(9, 30))  # no weekend rows at all
    assert [s.start for s in slots_on(hall.branch_b.pk, MAKEUP_SATURDAY)] == [time(8, 30), time(9)]
    HoursException.objects.create(branch=hall.branch_b, day=THURSDAY, closed=True, note="系统升级")
    assert slots_on(hall.branch_b.pk, THURSDAY) == []


def test_lunch_time_periods_add_slots_beside_the_day_and_may_not_overlap(hall):
    service_period_add(actor=hall.head_a, branch=hall.branch_a, weekday=3, start=time(9), end=time(12),
                       slot_minutes=60, capacity=2, label=PeriodLabel.WORKDAY)
    service_period_add(actor=hall.head_a, branch=hall.branch_a, weekday=3, start=time(12), end=time(13, 30),
                       slot_minutes=45, capacity=1, label=PeriodLabel.LUNCH)
    assert [(s.start, s.label) for s in slots_on(hall.branch_a.pk, THURSDAY)][-2:] == [
        (time(12), PeriodLabel.LUNCH), (time(12, 45), PeriodLabel.LUNCH)]
    with pytest.raises(ValidationError) as refused:
        service_period_add(actor=hall.head_a, branch=hall.branch_a, weekday=3, start=time(11), end=time(12, 30),
                           slot_minutes=30, capacity=1, label=PeriodLabel.LUNCH)
    assert "重叠" in refused.value.message_dict["start"][0]


def test_it_refuses_hours_edits_from_a_clerk_and_from_another_branchs_head(hall):
    for actor, branch in ((hall.clerk_a, hall.branch_a), (hall.head_a, hall.branch_b)):
        with pytest.raises(PermissionDenied):
            service_period_add(actor=actor, branch=branch, weekday=0, start=time(9), end=time(10), slot_minutes=30,
                               capacity=1, label=PeriodLabel.WORKDAY)
    service_period_add(actor=hall.director, branch=hall.branch_b, weekday=0, start=time(9), end=time(10),
                       slot_minutes=30, capacity=1, label=PeriodLabel.WORKDAY)  # centre-wide: any branch
