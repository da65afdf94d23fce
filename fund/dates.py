"""Month and year arithmetic on calendar dates, in one place.

Deposits count in months (a month is stored as its first day), withdrawal rules look back a number of months
from a day, and the blacklist runs for whole years. Working days (holidays, 调休) are a different question and
live in fund.workdays.
"""

import calendar
from datetime import date


def first_of_month(day: date) -> date:
    """The month `day` falls in, as its first day (how every deposit month is stored)."""
    return day.replace(day=1)


def month_index(month: date) -> int:
    """A month as one integer (year × 12 + month), so months subtract like numbers; SQL that counts months
    uses the same formula."""
    return month.year * 12 + month.month


def add_months(month: date, count: int) -> date:
    """The first day of the month `count` months after `month`'s (before it when negative); the day of
    `month` is dropped."""
    index = month_index(month) - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def months_between(start: date, end: date) -> int:
    """Months from `start`'s month to `end`'s, both included (January to March is 3)."""
    return month_index(end) - month_index(start) + 1


def months_ago(day: date, months: int) -> date:
    """The same day `months` months before `day`; a day the earlier month lacks becomes its last day
    (31 May less 3 months is 28 or 29 February)."""
    target = add_months(day, -months)
    last = calendar.monthrange(target.year, target.month)[1]
    return target.replace(day=min(day.day, last))


def add_years(day: date, years: int) -> date:
    """The same day `years` later (earlier when negative); 29 February becomes 1 March, so a period counted
    in years never falls a day short."""
    year = day.year + years
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return date(year, 3, 1)
    return day.replace(year=year)
