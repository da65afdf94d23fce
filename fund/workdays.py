"""Working days in China: weekends, public holidays and the make-up working days (调休).

A year's schedule comes from what staff entered on the 节假日安排 page (fund.holidays) when there is one — it
wins over chinesecalendar, since staff enter a year to correct or complete what the installed package knows —
else from chinesecalendar, which carries the State Council's schedule for the years it knows; outside both we
fall back to "Monday to Friday", which is what a centre would assume until the year's schedule is published.
"""

from datetime import date, timedelta

import chinese_calendar

from fund.holidays.calendar import entered_year


def package_is_working_day(day: date) -> bool | None:
    """What chinesecalendar says of `day`, or None for a year it does not know."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


def is_working_day(day: date) -> bool:
    entered = entered_year(day.year)
    if entered is not None:
        return entered.is_working(day)
    known = package_is_working_day(day)
    return day.weekday() < 5 if known is None else known


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (before it when negative); `start` itself never counts.

    A deadline of "4 working days" for something submitted on a Friday before a holiday lands after the
    holiday.
    """
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    current = start
    while remaining:
        current += timedelta(days=step)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]; how many working days a deadline gave."""
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        count += is_working_day(current)
    return count


def package_covers(year: int) -> bool:
    """Whether chinesecalendar knows the State Council's holiday schedule for `year`."""
    return package_is_working_day(date(year, 6, 1)) is not None


def calendar_covers(year: int) -> bool:
    """Whether the schedule of `year` is known: entered by staff (fund.holidays) or in chinesecalendar."""
    return entered_year(year) is not None or package_covers(year)
