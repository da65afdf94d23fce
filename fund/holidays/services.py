"""Entering a year's holiday schedule (节假日安排): parsed from the State Council's notice as staff type it, checked
whole, stored as a new version that supersedes the year's previous one from its effective date. Nothing is
changed or deleted; the entry is audited."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from fund.audit.services import audit_log
from fund.validation import clean_into, clean_line, clean_text

from .calendar import holidays_changed
from .models import DayKind, HolidayDay, HolidaySchedule
from .selectors import holiday_may_enter, schedule_summary

MAX_PERIOD_DAYS = 15  # the longest holiday so far is the Spring Festival's nine days
WORK_WORDS = ("调休上班", "上班", "调休")
RANGE_WORDS = ("至", "到", "~", "～")
_FULL = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_SHORT = re.compile(r"(\d{1,2})[-/.月](\d{1,2})日?")


@dataclass
class HolidayPeriod:
    """One holiday of the notice: its name, its days off (start to end, weekends inside included) and its
    make-up working days."""

    name: str
    start: date
    end: date
    workdays: list[date] = field(default_factory=list)


def _parse_day(token: str, year: int) -> date | None:
    if match := _FULL.fullmatch(token):
        y, m, d = (int(part) for part in match.groups())
    elif match := _SHORT.fullmatch(token):
        y, (m, d) = year, (int(part) for part in match.groups())
    else:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def holiday_lines_parse(text: str, *, year: int) -> list[HolidayPeriod]:
    """Lines as the page takes them, one holiday each: `名称 开始日期 [至 结束日期] [调休上班 日期 …]`, dates as
    2027-02-06, 02-06 or 2月6日 (in `year`). A refusal names the line: {"lines": ["第2行：…"]}."""
    text = clean_text(text, label="放假安排", max_length=2000)
    periods: list[HolidayPeriod] = []
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        tokens = raw.replace("，", " ").replace(",", " ").replace("、", " ").split()
        if not tokens:
            continue
        name, rest = tokens[0], tokens[1:]
        days: list[date] = []
        workdays: list[date] = []
        target = days
        problem = ""
        for token in rest:
            if token in WORK_WORDS:
                target = workdays
                continue
            if token in RANGE_WORDS:
                continue
            day = _parse_day(token, year)
            if day is None:
                problem = f"“{token}”不是有效日期（如 {year}-10-01、10-01 或 10月1日）"
                break
            target.append(day)
        if not problem and not days:
            problem = "缺少放假日期"
        elif not problem and len(days) > 2:
            problem = "放假日期只能写开始日期和结束日期；调休上班的日期写在“调休上班”之后"
        if problem:
            errors.append(f"第{number}行：{problem}")
            continue
        periods.append(HolidayPeriod(name=name, start=days[0], end=days[-1], workdays=workdays))
    if errors:
        raise ValidationError({"lines": errors})
    return periods


def _check_periods(periods: list[HolidayPeriod], year: int) -> list[str]:
    """Every reason the schedule is not a valid one for `year`, each naming the holiday."""
    problems: list[str] = []
    if not periods:
        return ["请至少填写一个节日的放假安排"]
    off: dict[date, str] = {}
    for period in periods:
        try:
            period.name = clean_line(period.name, label="节日名称", max_length=20)
        except ValidationError as exc:
            problems.extend(exc.messages)
            continue
        label = period.name
        if period.start.year != year or period.end.year != year:
            problems.append(f"{label}：放假日期须在 {year} 年内")
            continue
        if period.end < period.start:
            problems.append(f"{label}：结束日期 {period.end} 早于开始日期 {period.start}")
            continue
        if (period.end - period.start).days + 1 > MAX_PERIOD_DAYS:
            problems.append(f"{label}：连续放假不能超过 {MAX_PERIOD_DAYS} 天")
            continue
        day = period.start
        while day <= period.end:
            if day in off:
                problems.append(f"{label}：{day} 已是{off[day]}的放假日期")
                break
            off[day] = label
            day += timedelta(days=1)
    seen: set[date] = set()
    for period in periods:
        for day in period.workdays:
            if day.year != year:
                problems.append(f"{period.name}：调休上班日期 {day} 须在 {year} 年内")
            elif day.weekday() < 5:
                problems.append(f"{period.name}：调休上班日期 {day} 不是周六或周日")
            elif day in off:
                problems.append(f"{period.name}：{day} 既是放假日期又是调休上班日期")
            elif day in seen:
                problems.append(f"{period.name}：调休上班日期 {day} 重复")
            seen.add(day)
    return problems


def holiday_schedule_enter(*, actor: Any, year: Any, periods: list[HolidayPeriod], effective_from: date | None = None,
                           notice: str = "", note: str = "") -> HolidaySchedule:
    """Store `periods` as the next version of `year`'s schedule, in force from `effective_from` (today).

    Refused whole, with every reason by field, when the schedule is not valid: dates outside the year, overlapping
    holidays, a make-up day that is not a weekend day or falls inside a holiday, an effective date in the past
    (deadlines already counted stay as they were) or after the year's end."""
    if not holiday_may_enter(actor):
        raise PermissionDenied("只有分管领导或全中心范围的受理岗可以录入节假日安排")
    today = timezone.localdate()
    effective_from = effective_from or today
    errors: dict[str, list[str]] = {}
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": ["请填写年度，如 2027"]}) from None
    if not today.year <= year <= today.year + 2:
        errors["year"] = [f"年度须在 {today.year} 至 {today.year + 2} 之间"]
    elif not today <= effective_from <= date(year, 12, 31):
        errors["effective_from"] = [f"启用日期须在 {today} 至 {year}-12-31 之间：已按原安排算出的期限不因补录而改变"]
    notice = clean_into(errors, "notice", clean_line, notice, label="通知文号", max_length=60, required=False) or ""
    note = clean_into(errors, "note", clean_line, note, label="说明", max_length=200, required=False) or ""
    if "year" not in errors and (problems := _check_periods(periods, year)):
        errors["lines"] = problems
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # One entry per year at a time (the first one too, when there is no row to lock): the next version
        # number is read under a lock on the year, so two entries never both take it.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('holidays.schedule'), %s)", [year])
        previous = list(HolidaySchedule.objects.filter(year=year).order_by("-version")[:1])
        version = (previous[0].version if previous else 0) + 1
        schedule = HolidaySchedule.objects.create(year=year, version=version, effective_from=effective_from,
                                                  notice=notice, note=note, entered_by=actor)
        rows = []
        for period in periods:
            day = period.start
            while day <= period.end:
                rows.append(HolidayDay(schedule=schedule, day=day, kind=DayKind.OFF, name=period.name))
                day += timedelta(days=1)
            rows.extend(HolidayDay(schedule=schedule, day=day, kind=DayKind.WORK, name=period.name)
                        for day in period.workdays)
        HolidayDay.objects.bulk_create(rows)
        audit_log(actor=actor, action="holidays.schedule.entered", target=schedule,
                  old={"version": previous[0].version, **schedule_summary(previous[0])} if previous else None,
                  new={"year": year, "version": version, "effective_from": effective_from, "notice": notice,
                       **schedule_summary(schedule)},
                  reason=note)
        # This process reads the new version at once; others at their next request or task (the token changes).
        holidays_changed()
        transaction.on_commit(holidays_changed)
    return schedule
