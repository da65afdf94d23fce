"""Working days in China: weekends, public holidays and the make-up working days (调休).

chinesecalendar carries the State Council's schedule for the years it knows; outside them we fall back to
"Monday to Friday", which is what a centre would assume until the year's schedule is published.
"""

from datetime import date, timedelta

import chinese_calendar


def is_working_day(day: date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


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


def calendar_covers(year: int) -> bool:
    """Whether chinesecalendar knows the State Council's holiday schedule for `year`."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True
