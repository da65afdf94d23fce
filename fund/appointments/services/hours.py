"""Editing a branch's service hours: the weekly pattern's periods and the dated exceptions.

Only the branch's head (审批 or the director's post, in that branch) or centre-wide staff edit them; every change
leaves an audit event with what it added or removed. Bookings already made keep their slot: hours changed later
apply to new bookings (a slot's seats never drop below the seats already taken).
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from fund.audit.services import audit_log
from fund.people.models import Branch
from fund.validation import clean_line

from ..hours import overlapping
from ..models import WEEKDAYS, HoursException, PeriodLabel, ServicePeriod
from ..selectors import hours_may_edit

MAX_CAPACITY = 200


def _require_editor(actor: Any, branch: Branch) -> None:
    if not hours_may_edit(actor, branch.pk):
        raise PermissionDenied("只有本管理部负责人（审批岗）或全中心范围的工作人员可以设置服务时间")


def _period_errors(start: Any, end: Any, slot_minutes: Any, capacity: Any, label: Any) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not isinstance(start, time):
        errors["start"] = ["请填写开始时间"]
    if not isinstance(end, time):
        errors["end"] = ["请填写结束时间"]
    elif isinstance(start, time) and end <= start:
        errors["end"] = ["结束时间应晚于开始时间"]
    if not isinstance(slot_minutes, int) or not 5 <= slot_minutes <= 240:
        errors["slot_minutes"] = ["每个时段应为 5 到 240 分钟"]
    if not isinstance(capacity, int) or not 1 <= capacity <= MAX_CAPACITY:
        errors["capacity"] = [f"每时段可预约人数应为 1 到 {MAX_CAPACITY} 人"]
    if label not in PeriodLabel.values:
        errors["label"] = ["请选择类别"]
    return errors


@transaction.atomic(durable=True)
def service_period_add(*, actor: Any, branch: Branch, weekday: Any, start: Any, end: Any, slot_minutes: Any,
                       capacity: Any, label: Any = PeriodLabel.WORKDAY) -> ServicePeriod:
    """Add one period to the branch's weekly pattern; periods of one weekday may not overlap."""
    _require_editor(actor, branch)
    errors = _period_errors(start, end, slot_minutes, capacity, label)
    if not isinstance(weekday, int) or not 0 <= weekday <= 6:
        errors["weekday"] = ["请选择星期"]
    if not errors:
        # Locks the branch's row so two editors adding periods to one weekday cannot both pass the overlap check.
        Branch.objects.select_for_update().get(pk=branch.pk)
        taken = list(ServicePeriod.objects.filter(branch=branch, weekday=weekday).values_list("start", "end"))
        if overlapping(taken, start, end):
            errors["start"] = [f"与{WEEKDAYS[weekday]}已有的服务时间重叠"]
    if errors:
        raise ValidationError(errors)
    period = ServicePeriod.objects.create(branch=branch, weekday=weekday, start=start, end=end,
                                          slot_minutes=slot_minutes, capacity=capacity, label=label)
    audit_log(actor=actor, action="appointments.period.added", target=branch, new=_period_record(period))
    return period


def _period_record(period: ServicePeriod | HoursException) -> dict[str, Any]:
    record: dict[str, Any] = {"period_label": period.label}
    if isinstance(period, ServicePeriod):
        record["weekday"] = WEEKDAYS[period.weekday]
    else:
        record["hours_day"] = period.day
        if period.closed:
            return {"hours_day": period.day, "closed_day": True, "note": period.note}
        record["note"] = period.note
    record.update({"from_time": f"{period.start:%H:%M}", "to_time": f"{period.end:%H:%M}",
                   "slot_minutes": period.slot_minutes, "capacity": period.capacity})
    return record


@transaction.atomic(durable=True)
def service_period_remove(*, actor: Any, period: ServicePeriod) -> None:
    _require_editor(actor, period.branch)
    record = _period_record(period)
    period.delete()
    audit_log(actor=actor, action="appointments.period.removed", target=period.branch, old=record)


@transaction.atomic(durable=True)
def hours_exception_add(*, actor: Any, branch: Branch, day: Any, closed: bool, start: Any = None, end: Any = None,
                        slot_minutes: Any = None, capacity: Any = None, label: Any = PeriodLabel.HOLIDAY,
                        note: Any = "") -> HoursException:
    """A dated exception: `closed` (the branch does not open that day) or one open period. A day is either closed
    or open: a closing row and open periods on one day contradict each other and are refused."""
    _require_editor(actor, branch)
    errors: dict[str, list[str]] = {}
    if not isinstance(day, date):
        errors["day"] = ["请填写日期"]
    try:
        note = clean_line(note, label="说明", max_length=60, required=False)
    except ValidationError as exc:
        errors["note"] = exc.messages
    if not closed:
        errors.update(_period_errors(start, end, slot_minutes, capacity, label))
    if not errors:
        Branch.objects.select_for_update().get(pk=branch.pk)
        existing = list(HoursException.objects.filter(branch=branch, day=day))
        if closed and existing:
            errors["day"] = [f"{day:%Y-%m-%d} 已设置例外，请先删除后再设置为不开放"]
        elif any(e.closed for e in existing):
            errors["day"] = [f"{day:%Y-%m-%d} 已设置为不开放，请先删除该例外"]
        elif overlapping([(e.start, e.end) for e in existing if e.start and e.end], start, end):
            errors["start"] = [f"与 {day:%Y-%m-%d} 已设置的开放时间重叠"]
    if errors:
        raise ValidationError(errors)
    if closed:
        start = end = slot_minutes = capacity = None
    exception = HoursException.objects.create(
        branch=branch, day=day, closed=closed, start=start, end=end, slot_minutes=slot_minutes, capacity=capacity,
        label=label if not closed else PeriodLabel.HOLIDAY, note=note)
    audit_log(actor=actor, action="appointments.exception.added", target=branch, new=_period_record(exception))
    return exception


@transaction.atomic(durable=True)
def hours_exception_remove(*, actor: Any, exception: HoursException) -> None:
    _require_editor(actor, exception.branch)
    record = _period_record(exception)
    exception.delete()
    audit_log(actor=actor, action="appointments.exception.removed", target=exception.branch, old=record)
