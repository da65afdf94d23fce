"""Which slots a branch offers on a day, from its weekly pattern, its dated exceptions and the calendar.

- A day with exceptions of the branch: exactly what they say (a closing row: nothing; open rows: their periods).
- A public holiday (a weekday the calendar does not work, or a weekend inside a holiday period such as the
  National Day week's Sunday): nothing.
- A make-up working day (调休, a Saturday or Sunday the calendar works): the working-day pattern — that of the
  first of Monday to Friday the branch has periods for, since the calendar does not say which weekday it stands for.
- Any other day: the pattern's periods of that weekday (a branch with no Saturday rows is closed on Saturdays).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

import chinese_calendar
from django.db.models import Q

from fund.workdays import is_working_day

from .models import HoursException, PeriodLabel, ServicePeriod


class DayKind(StrEnum):
    WORKING = "working"
    MAKEUP = "makeup"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"

    @property
    def label(self) -> str:
        return {"working": "工作日", "makeup": "调休工作日", "weekend": "周末", "holiday": "法定节假日"}[self.value]


def day_kind(day: date) -> DayKind:
    """The calendar's kind of `day`. Working days come from fund.workdays (the one calendar of the system); a
    weekend day counts as a holiday only when the holiday calendar names it part of one."""
    if is_working_day(day):
        return DayKind.MAKEUP if day.weekday() >= 5 else DayKind.WORKING
    if day.weekday() < 5:
        return DayKind.HOLIDAY
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:  # a year the calendar does not know: an ordinary weekend
        return DayKind.WEEKEND
    return DayKind.HOLIDAY if on_holiday and name else DayKind.WEEKEND


@dataclass(frozen=True)
class Period:
    start: time
    end: time
    slot_minutes: int
    capacity: int
    label: str


@dataclass(frozen=True)
class SlotTime:
    start: time
    end: time
    capacity: int
    label: str


def _pattern(branch_id: int) -> dict[int, list[Period]]:
    by_day: dict[int, list[Period]] = {}
    for row in ServicePeriod.objects.filter(branch_id=branch_id).order_by("weekday", "start"):
        by_day.setdefault(row.weekday, []).append(
            Period(row.start, row.end, row.slot_minutes, row.capacity, row.label))
    return by_day


def periods_on(branch_id: int, day: date) -> tuple[list[Period], str]:
    """The periods the branch opens on `day`, and why (shown beside the day: 周末不打烊, 法定节假日 …)."""
    exceptions = list(HoursException.objects.filter(branch_id=branch_id, day=day).order_by("start"))
    if exceptions:
        if any(e.closed for e in exceptions):
            note = next((e.note for e in exceptions if e.note), "")
            return [], f"当日不开放{f'（{note}）' if note else ''}"
        periods = [Period(e.start, e.end, e.slot_minutes, e.capacity, e.label)  # type: ignore[arg-type]
                   for e in exceptions]
        note = next((e.note for e in exceptions if e.note), "")
        return periods, note or PeriodLabel(exceptions[0].label).label
    kind = day_kind(day)
    if kind is DayKind.HOLIDAY:
        return [], kind.label
    pattern = _pattern(branch_id)
    if kind is DayKind.MAKEUP:
        weekday = next((d for d in range(5) if pattern.get(d)), None)
        return (pattern[weekday] if weekday is not None else []), kind.label
    return pattern.get(day.weekday(), []), kind.label


def slot_times(periods: list[Period]) -> list[SlotTime]:
    """Each period cut into whole slots of its length (a remainder shorter than a slot is not offered)."""
    out: list[SlotTime] = []
    anchor = date(2000, 1, 3)
    for period in periods:
        at = datetime.combine(anchor, period.start)
        end = datetime.combine(anchor, period.end)
        step = timedelta(minutes=period.slot_minutes)
        while at + step <= end:
            out.append(SlotTime(at.time(), (at + step).time(), period.capacity, period.label))
            at += step
    return sorted(out, key=lambda s: s.start)


def slots_on(branch_id: int, day: date) -> list[SlotTime]:
    return slot_times(periods_on(branch_id, day)[0])


def overlapping(periods: list[tuple[time, time]], start: time, end: time) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in periods)


def weekend_open_branches() -> Q:
    """Branches with a Saturday or Sunday period (the public hours page marks them 周末不打烊)."""
    return Q(pk__in=ServicePeriod.objects.filter(weekday__gte=5).values("branch_id"))
