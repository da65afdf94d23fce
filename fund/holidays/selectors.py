"""Reading the holiday schedules: who may enter one, each year's source and versions, a version's holidays
grouped as the notice states them, and where it differs from chinesecalendar."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet

from fund.people.models import Post
from fund.people.roles import roles_of
from fund.people.selectors import get_or_404

from .models import DayKind, HolidayDay, HolidaySchedule


def holiday_may_enter(user: Any) -> bool:
    """The calendar is the centre's: the director (分管副主任/主任), or a 受理 post whose scope is centre-wide
    (the office that keeps the window's calendar). Branch staff only read it."""
    if not getattr(user, "is_authenticated", False):
        return False
    roles = roles_of(user)
    if roles.staff is None:
        return False
    return roles.has_post(Post.DIRECTOR) or (roles.has_post(Post.ACCEPT) and roles.staff.centre_wide)


def holiday_schedules() -> QuerySet[HolidaySchedule]:
    return HolidaySchedule.objects.select_related("entered_by").prefetch_related("days")


def holiday_schedule_get(pk: Any) -> HolidaySchedule:
    """Any member of staff may read any version (the calendar is public knowledge); missing is 404."""
    return get_or_404(holiday_schedules(), pk=pk)


def schedule_in_force(year: int, on: date) -> HolidaySchedule | None:
    return (HolidaySchedule.objects.filter(year=year, effective_from__lte=on)
            .order_by("-effective_from", "-version").first())


@dataclass
class PeriodRow:
    name: str
    start: date
    end: date
    days: int
    workdays: list[date] = field(default_factory=list)


def schedule_periods(days: Iterable[HolidayDay]) -> list[PeriodRow]:
    """The days off grouped into holidays (consecutive days of one name), each with its make-up working days."""
    rows: list[PeriodRow] = []
    work: dict[str, list[date]] = {}
    for item in sorted(days, key=lambda d: d.day):
        if item.kind == DayKind.WORK:
            work.setdefault(item.name, []).append(item.day)
            continue
        last = rows[-1] if rows else None
        if last is not None and last.name == item.name and last.end + timedelta(days=1) == item.day:
            last.end, last.days = item.day, last.days + 1
        else:
            rows.append(PeriodRow(name=item.name, start=item.day, end=item.day, days=1))
    for row in rows:
        row.workdays = work.pop(row.name, [])
    for name, extra in work.items():  # make-up days of a holiday with no day off in this year
        rows.append(PeriodRow(name=name, start=extra[0], end=extra[0], days=0, workdays=extra))
    return rows


def schedule_lines(schedule: HolidaySchedule) -> str:
    """The version as the entry form's lines, to start the next version from."""
    out = []
    for row in schedule_periods(schedule.days.all()):
        line = f"{row.name} {row.start:%Y-%m-%d}" + (f" 至 {row.end:%Y-%m-%d}" if row.end != row.start else "")
        if row.workdays:
            line += " 调休上班 " + " ".join(f"{d:%Y-%m-%d}" for d in row.workdays)
        out.append(line)
    return "\n".join(out)


def schedule_summary(schedule: HolidaySchedule) -> dict[str, str]:
    """The audit event's values: the holidays and the make-up days in words."""
    rows = schedule_periods(schedule.days.all())
    return {
        "holidays": "；".join(f"{r.name} {r.start:%m-%d}至{r.end:%m-%d}（{r.days}天）" for r in rows if r.days),
        "workdays": "；".join(f"{r.name} {'、'.join(f'{d:%m-%d}' for d in r.workdays)}" for r in rows if r.workdays),
    }


def package_differences(schedule: HolidaySchedule) -> list[dict[str, Any]] | None:
    """Where the version differs from chinesecalendar, day by day; None when the package does not know the year."""
    from fund.workdays import package_covers, package_is_working_day

    if not package_covers(schedule.year):
        return None
    named = {item.day: item for item in schedule.days.all()}
    out = []
    day = date(schedule.year, 1, 1)
    while day.year == schedule.year:
        item = named.get(day)
        entered = (item.kind == DayKind.WORK) if item is not None else day.weekday() < 5
        if entered != package_is_working_day(day):
            out.append({"day": day, "entered": "工作日" if entered else "休息日",
                        "package": "休息日" if entered else "工作日", "name": item.name if item else ""})
        day += timedelta(days=1)
    return out


def holiday_years(today: date) -> list[dict[str, Any]]:
    """This year and the next two: where each one's working days come from today, and how many versions exist."""
    from fund.workdays import package_covers

    out = []
    for year in range(today.year, today.year + 3):
        current = schedule_in_force(year, today)
        versions = HolidaySchedule.objects.filter(year=year).count()
        if current is not None:
            source = f"已录入（第 {current.version} 版）"
        elif package_covers(year):
            source = "chinesecalendar"
        else:
            source = "未公布：按周一至周五计算"
        out.append({"year": year, "source": source, "current": current, "versions": versions,
                    "package": package_covers(year), "missing": current is None and not package_covers(year)})
    return out


# chinesecalendar names its holidays in English.
PACKAGE_NAMES = {"New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
                 "Dragon Boat Festival": "端午节", "National Day": "国庆节", "Mid-autumn Festival": "中秋节",
                 "Anti-Fascist 70th Day": "抗战胜利纪念日"}


def package_periods(year: int) -> list[dict[str, Any]]:
    """chinesecalendar's schedule of `year` as the entry takes it ({"name", "start", "end", "workdays"}), to start
    a version from what the package knows; empty when it does not know the year."""
    import chinese_calendar

    from fund.workdays import package_covers

    if not package_covers(year):
        return []
    periods: list[dict[str, Any]] = []
    for day, label in sorted((d, n) for d, n in chinese_calendar.holidays.items() if d.year == year):
        name = PACKAGE_NAMES.get(label, label)
        last = periods[-1] if periods else None
        if last is not None and last["name"] == name and last["end"] + timedelta(days=1) == day:
            last["end"] = day
        else:
            periods.append({"name": name, "start": day, "end": day, "workdays": []})
    for day, label in sorted((d, n) for d, n in chinese_calendar.workdays.items() if d.year == year and d.weekday() >= 5):
        name = PACKAGE_NAMES.get(label, label)
        target = next((p for p in periods if p["name"] == name), None)
        if target is not None:
            target["workdays"].append(day)
    return periods
