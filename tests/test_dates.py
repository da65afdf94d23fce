"""Month and year arithmetic (fund.dates): the edges every caller relies on."""

from datetime import date

import pytest

from fund.dates import add_months, add_years, first_of_month, month_index, months_ago, months_between


def test_first_of_month_drops_the_day() -> None:
    assert first_of_month(date(2026, 7, 31)) == date(2026, 7, 1)


@pytest.mark.parametrize(("month", "count", "expected"), [
    (date(2026, 1, 31), 1, date(2026, 2, 1)),     # the day is dropped, so 31 January never overflows February
    (date(2026, 12, 1), 1, date(2027, 1, 1)),     # into the next year
    (date(2027, 1, 15), -1, date(2026, 12, 1)),   # back over the year boundary
    (date(2026, 6, 1), -18, date(2024, 12, 1)),
    (date(2026, 6, 1), 0, date(2026, 6, 1)),
    (date(2026, 6, 1), 24, date(2028, 6, 1)),
])
def test_add_months_lands_on_the_first_of_the_month(month: date, count: int, expected: date) -> None:
    assert add_months(month, count) == expected


def test_month_index_makes_consecutive_months_differ_by_one_across_a_year() -> None:
    assert month_index(date(2027, 1, 1)) - month_index(date(2026, 12, 31)) == 1


@pytest.mark.parametrize(("start", "end", "expected"), [
    (date(2026, 1, 1), date(2026, 3, 1), 3),
    (date(2026, 5, 1), date(2026, 5, 31), 1),
    (date(2026, 11, 1), date(2027, 2, 1), 4),
    (date(2026, 12, 1), date(2027, 12, 1), 13),
])
def test_months_between_counts_both_ends(start: date, end: date, expected: int) -> None:
    assert months_between(start, end) == expected


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2026, 5, 31), 3, date(2026, 2, 28)),    # 31st into a shorter month: its last day
    (date(2024, 5, 31), 3, date(2024, 2, 29)),    # ... which in a leap year is the 29th
    (date(2026, 3, 31), 1, date(2026, 2, 28)),
    (date(2026, 7, 31), 1, date(2026, 6, 30)),
    (date(2027, 1, 15), 1, date(2026, 12, 15)),   # over the year boundary
    (date(2027, 2, 10), 24, date(2025, 2, 10)),
    (date(2026, 6, 30), 0, date(2026, 6, 30)),
    (date(2026, 12, 31), 6, date(2026, 6, 30)),
])
def test_months_ago_keeps_the_day_or_the_last_day_of_a_shorter_month(day: date, months: int, expected: date) -> None:
    assert months_ago(day, months) == expected


@pytest.mark.parametrize(("day", "years", "expected"), [
    (date(2024, 2, 29), 5, date(2029, 3, 1)),     # leap day into a common year: 1 March, never a day short
    (date(2024, 2, 29), 4, date(2028, 2, 29)),    # leap year to leap year keeps the 29th
    (date(2024, 2, 29), -1, date(2023, 3, 1)),
    (date(2026, 12, 31), 1, date(2027, 12, 31)),
    (date(2026, 6, 30), -6, date(2020, 6, 30)),
])
def test_add_years_moves_a_leap_day_to_the_first_of_march(day: date, years: int, expected: date) -> None:
    assert add_years(day, years) == expected
