"""The entered schedules as `fund.workdays` reads them: loaded once per process and kept in memory, because
working days are counted in loops (a deadline, a close over thousands of rows).

Freshness: the first lookup after a request or a Celery task starts (`holidays_recheck`, connected in apps.py)
asks the database one cheap question — the highest schedule id and the count, with today's date — and reloads
only when the answer differs from what was loaded. An entry in this process reloads at once (`holidays_changed`).
Before migrations (no table yet) or without a database, nothing is entered: chinesecalendar and the week decide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.utils import timezone


@dataclass(frozen=True)
class YearSchedule:
    """The version of one year's schedule in force: its days off and its make-up working days, by date."""

    year: int
    schedule_id: int
    version: int
    off: dict[date, str] = field(default_factory=dict)
    work: dict[date, str] = field(default_factory=dict)

    def is_working(self, day: date) -> bool:
        if day in self.work:
            return True
        if day in self.off:
            return False
        return day.weekday() < 5


_years: dict[int, YearSchedule] = {}
_token: Any = None
_stale = True


def holidays_recheck(*args: Any, **kwargs: Any) -> None:
    """Ask the database again at the next lookup (a request or a task has started; signal receiver)."""
    global _stale
    _stale = True


def holidays_changed() -> None:
    """A schedule was entered (or rolled back): reload at the next lookup, whatever the token says."""
    global _stale, _token
    _token = None
    _stale = True


_TOKEN_SQL = "SELECT coalesce(max(id), 0), count(*) FROM holidays_holidayschedule"


def _load(today: date) -> dict[int, YearSchedule]:
    from .models import HolidayDay, HolidaySchedule

    # The version in force for each year: the latest effective by today (the later entry on the same date).
    in_force = (HolidaySchedule.objects.filter(effective_from__lte=today)
                .order_by("year", "-effective_from", "-version").distinct("year").values_list("id", "year", "version"))
    years = {pk: YearSchedule(year=year, schedule_id=pk, version=version) for pk, year, version in in_force}
    for schedule_id, day, kind, name in HolidayDay.objects.filter(schedule_id__in=list(years)).values_list(
            "schedule_id", "day", "kind", "name"):
        target = years[schedule_id].work if kind == "work" else years[schedule_id].off
        target[day] = name
    return {schedule.year: schedule for schedule in years.values()}


def _refresh() -> None:
    global _years, _token, _stale
    _stale = False
    today = timezone.localdate()
    try:
        # In a savepoint: a missing table (checks run before migrate) must not break the caller's transaction.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(_TOKEN_SQL)
                token = (tuple(cursor.fetchone()), today)
            if token == _token:
                return
            years = _load(today)
    except (DatabaseError, RuntimeError):
        # RuntimeError: the database may not be used here (pytest-django blocks it in tests without one).
        _years, _token = {}, None
        return
    _years, _token = years, token


def entered_year(year: int) -> YearSchedule | None:
    """The entered schedule in force today for `year`, or None when staff have entered none."""
    if _stale:
        _refresh()
    return _years.get(year)
