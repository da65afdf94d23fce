"""Booking a slot, cancelling, moving, marking at the window, and the nightly no-shows.

Never over-booked: each slot has one counter row (`Slot`); a booking inserts it if missing (ON CONFLICT DO
NOTHING), locks it (SELECT … FOR UPDATE) and takes a seat only while `booked < capacity`, in the transaction that
writes the booking — racing bookers queue on the row, and the last seat goes to one of them. A CHECK constraint
(booked ≤ capacity) backs it. One active booking per person (or unit) per item and day: checked for a clear message,
and a partial unique index settles a race. The SMS goes after commit (fund.people.tasks.send_sms).
"""

from __future__ import annotations

import functools
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from fund.audit.services import audit_log
from fund.catalogue.registry import Channel, ServiceItem, catalogue_item
from fund.numbers import next_number
from fund.people.models import Branch, Employer, Person
from fund.people.roles import roles_of
from fund.policy.selectors import policy_value
from fund.validation import MOBILE
from fund.workflow.moves import move_status

from ..hours import SlotTime, slots_on
from ..models import ACTIVE_STATES, BOOKING_MOVES, WEEKDAYS, Booking, BookingState, Slot
from ..selectors import booking_blocked_until

NUMBER_SEQUENCE = "appointments_booking_number"
SMS_MAX = 480  # the gateway takes 500 characters; leave room for its own signature


def bookable_item(code: Any) -> ServiceItem:
    """The catalogue item to book for: one that is done at a window (an online-only item needs no visit)."""
    try:
        item = catalogue_item(str(code))
    except KeyError:
        raise ValidationError({"item_code": ["请选择办理事项"]}) from None
    if Channel.WINDOW not in item.channels:
        raise ValidationError({"item_code": [f"“{item.name}”无需到窗口办理，请在网厅直接申请"]})
    return item


def _applicant(actor: Any, employer_id: Any) -> tuple[Person | None, Employer | None]:
    """Who books: a unit operator for their unit when `employer_id` is given (or they are only an operator),
    else the member themself."""
    roles = roles_of(actor)
    if employer_id not in (None, ""):
        employer = next((e for e in roles.employers if str(e.pk) == str(employer_id)), None)
        if employer is None:
            raise PermissionDenied("您不是该单位的经办人")
        return None, employer
    if roles.is_member:
        return actor.person, None
    if roles.employer is not None:
        return None, roles.employer
    raise PermissionDenied("只有职工本人或单位经办人可以预约")


def _phone(actor: Any, person: Person | None, employer: Employer | None) -> str:
    for candidate in ((person.phone if person else ""), getattr(actor, "phone", ""),
                      (employer.contact_phone if employer else "")):
        value = (candidate or "").replace(" ", "").replace("-", "")
        if MOBILE.fullmatch(value):
            return value
    return ""


def _when(day: date, start: time, end: time) -> str:
    return f"{day.month}月{day.day}日（{WEEKDAYS[day.weekday()]}）{start:%H:%M}-{end:%H:%M}"


def materials_text(item: ServiceItem, budget: int) -> str:
    """The paper materials to bring, as one line within `budget` characters (the rest named by count)."""
    names = []
    for m in item.paper_materials:
        copies = f"{m.copies}份" if m.copies > 1 else ""
        condition = f"（{m.condition}）" if m.condition else ""
        names.append(f"{m.name}{m.form_label}{copies}{condition}")
    if not names:
        return "有效身份证件"
    text = ""
    for index, name in enumerate(names):
        more = f"等{len(names)}项，详见办事指南"
        candidate = f"{text}、{name}" if text else name
        if len(candidate) + (len(more) if index < len(names) - 1 else 0) > budget:
            return f"{text}{more}" if text else more
        text = candidate
    return text


def booked_text(booking: Booking, item: ServiceItem) -> str:
    branch = booking.branch
    where = f"{branch.name}（{branch.address}）" if branch.address else branch.name
    head = (f"【住房公积金】您已预约{_when(booking.day, booking.start, booking.end)}到{where}办理“{booking.item_name}”，"
            f"预约号{booking.number}。请携带：")
    tail = "。如需取消或改约，请登录网厅。"
    return head + materials_text(item, SMS_MAX - len(head) - len(tail)) + tail


def _send(phone: str, text: str) -> None:
    if not phone:
        return
    from fund.people.tasks import send_sms

    transaction.on_commit(functools.partial(send_sms.delay, phone, text), robust=True)


def _slot_for(branch_id: int, day: date, start: time) -> SlotTime:
    for slot in slots_on(branch_id, day):
        if slot.start == start:
            return slot
    raise ValidationError({"start": [f"{day:%Y-%m-%d} {start:%H:%M} 不是该管理部的预约时段，请重新选择"]})


def _check_when(day: Any, start: Any, today: date) -> None:
    errors: dict[str, list[str]] = {}
    if not isinstance(day, date):
        errors["day"] = ["请选择预约日期"]
    if not isinstance(start, time):
        errors["start"] = ["请选择预约时段"]
    if errors:
        raise ValidationError(errors)
    ahead = int(policy_value("appointments_days_ahead", on=today))
    if day < today:
        raise ValidationError({"day": ["不能预约已过去的日期"]})
    if day > today + timedelta(days=ahead):
        raise ValidationError({"day": [f"只能预约 {ahead} 天内的时段（至 {today + timedelta(days=ahead):%Y-%m-%d}）"]})
    if timezone.make_aware(datetime.combine(day, start)) <= timezone.now():
        raise ValidationError({"start": ["该时段已开始，请选择之后的时段"]})


def _check_not_blocked(person: Person | None, employer: Employer | None, today: date) -> None:
    until = booking_blocked_until(person_id=person.pk if person else None,
                                  employer_id=employer.pk if employer else None, on=today)
    if until is not None:
        limit = int(policy_value("appointments_no_show_limit", on=today))
        raise ValidationError({"day": [f"因多次预约未到（爽约达 {limit} 次），{until:%Y-%m-%d} 前暂停网上预约，"
                                       "可直接到窗口取号办理"]})


def _take_seat(branch: Branch, day: date, slot_time: SlotTime, *, also_lock: int | None = None) -> Slot:
    """The slot's counter row, locked, with one seat taken; ValidationError when it is full."""
    Slot.objects.bulk_create([Slot(branch=branch, day=day, start=slot_time.start, end=slot_time.end,
                                   capacity=slot_time.capacity)], ignore_conflicts=True)
    pk = Slot.objects.filter(branch=branch, day=day, start=slot_time.start).values_list("pk", flat=True).get()
    # Row locks in primary-key order (a move locks the old slot too), so two moves in opposite directions
    # cannot deadlock.
    locked = {s.pk: s for s in Slot.objects.select_for_update().filter(pk__in=[pk, also_lock or pk]).order_by("pk")}
    slot = locked[pk]
    # Hours edited since the row was made: new bookings follow the current seats, never fewer than are taken.
    capacity = max(slot_time.capacity, slot.booked)
    if slot.booked >= slot_time.capacity:
        raise ValidationError({"start": [f"{day:%Y-%m-%d} {slot_time.start:%H:%M} 时段已约满，请选择其他时段"]})
    slot.booked += 1
    slot.capacity = capacity
    slot.save(update_fields=["booked", "capacity"])
    return slot


def _free_seat(slot_id: int) -> None:
    slot = Slot.objects.select_for_update().get(pk=slot_id)
    slot.booked -= 1
    slot.save(update_fields=["booked"])


def _duplicate(person: Person | None, employer: Employer | None, item_code: str, day: date,
               *, ignore: int | None = None) -> Booking | None:
    rows = Booking.objects.filter(item_code=item_code, day=day, state__in=ACTIVE_STATES)
    rows = rows.filter(person=person) if person is not None else rows.filter(person__isnull=True, employer=employer)
    return rows.exclude(pk=ignore).first() if ignore else rows.first()


def _insert(**fields: Any) -> Booking:
    try:
        with transaction.atomic():
            return Booking.objects.create(**fields)
    except IntegrityError as exc:  # a second booking of the same item and day raced this one
        if "appointments_one_per" in str(exc):
            raise ValidationError({"day": ["当天已预约该事项，如需更换时段请改约"]}) from exc
        raise


def booking_create(*, actor: Any, branch: Branch, item_code: Any, day: Any, start: Any,
                   employer_id: Any = None) -> Booking:
    """Book a seat in one slot of `branch` for a catalogue item, for the member or (with `employer_id`) their unit."""
    person, employer = _applicant(actor, employer_id)
    item = bookable_item(item_code)
    today = timezone.localdate()
    _check_when(day, start, today)
    _check_not_blocked(person, employer, today)
    slot_time = _slot_for(branch.pk, day, start)
    if (same := _duplicate(person, employer, item.code, day)) is not None:
        raise ValidationError({"day": [f"当天已预约该事项（预约号 {same.number}），如需更换时段请改约"]})
    with transaction.atomic(durable=True):
        slot = _take_seat(branch, day, slot_time)
        booking = _insert(
            number=next_number(NUMBER_SEQUENCE, f"YY{today:%Y%m%d}", 6), slot=slot, branch=branch, day=day,
            start=slot_time.start, end=slot_time.end, item_code=item.code, item_name=item.name[:100], person=person,
            employer=employer, booked_by=actor, phone=_phone(actor, person, employer))
        audit_log(actor=actor, action="appointments.booking.booked", target=booking,
                  new={"number": booking.number, "item_name": item.name, "booking_day": day,
                       "booking_time": f"{start:%H:%M}", "branch": branch.name})
        _send(booking.phone, booked_text(booking, item))
    return booking


def _check_cancellable(booking: Booking, verb: str) -> None:
    if booking.state != BookingState.BOOKED:
        raise BOOKING_MOVES.refusal(booking.state, BookingState.CANCELLED, verb)
    if timezone.make_aware(datetime.combine(booking.day, booking.start)) <= timezone.now():
        raise ValidationError({"state": [f"预约时段已开始，不能{verb}"]})


def booking_cancel(*, actor: Any, booking: Booking) -> Booking:
    """Cancel before the slot starts: the seat is free again at once; a short SMS after commit."""
    _check_cancellable(booking, "取消")
    with transaction.atomic(durable=True):
        move_status(booking, BookingState.CANCELLED, table=BOOKING_MOVES, actor=actor, verb="取消",
                    action="appointments.booking.cancelled", cancelled_at=timezone.now())
        _free_seat(booking.slot_id)
        _send(booking.phone, f"【住房公积金】您{_when(booking.day, booking.start, booking.end)}在{booking.branch.name}"
                             f"办理“{booking.item_name}”的预约（{booking.number}）已取消。")
    return booking


def booking_move(*, actor: Any, booking: Booking, day: Any, start: Any, branch: Branch | None = None) -> Booking:
    """Move a booking to another slot (of the same or another branch): one transaction cancels the old one
    (state 已改约) and books the new one, so the person holds exactly one booking whatever fails."""
    _check_cancellable(booking, "改约")
    branch = branch or booking.branch
    today = timezone.localdate()
    _check_when(day, start, today)
    slot_time = _slot_for(branch.pk, day, start)
    if branch.pk == booking.branch_id and day == booking.day and slot_time.start == booking.start:
        raise ValidationError({"start": ["新时段与原预约相同"]})
    person, employer = booking.person, booking.employer
    if (same := _duplicate(person, employer, booking.item_code, day, ignore=booking.pk)) is not None:
        raise ValidationError({"day": [f"当天已预约该事项（预约号 {same.number}）"]})
    with transaction.atomic(durable=True):
        move_status(booking, BookingState.MOVED, table=BOOKING_MOVES, actor=actor, verb="改约",
                    action="appointments.booking.moved", cancelled_at=timezone.now())
        slot = _take_seat(branch, day, slot_time, also_lock=booking.slot_id)
        _free_seat(booking.slot_id)
        new = _insert(
            number=next_number(NUMBER_SEQUENCE, f"YY{today:%Y%m%d}", 6), slot=slot, branch=branch, day=day,
            start=slot_time.start, end=slot_time.end, item_code=booking.item_code, item_name=booking.item_name,
            person=person, employer=employer, booked_by=actor if not roles_of(actor).is_staff else booking.booked_by,
            phone=booking.phone, moved_from=booking)
        audit_log(actor=actor, action="appointments.booking.booked", target=new,
                  new={"number": new.number, "item_name": new.item_name, "booking_day": day,
                       "booking_time": f"{start:%H:%M}", "branch": branch.name, "moved_from": booking.number})
        where = f"{branch.name}（{branch.address}）" if branch.address else branch.name
        _send(new.phone, f"【住房公积金】您的预约已改为{_when(day, new.start, new.end)}，{where}，预约号{new.number}；"
                         f"原预约{booking.number}已取消。")
    return new


def booking_mark(*, actor: Any, booking: Booking, state: str) -> Booking:
    """签到 (arrived) or 已办理 (served) at the window, on the booking's day or after (never ahead of it)."""
    if not roles_of(actor).can_accept:
        raise PermissionDenied("只有受理岗可以登记预约签到和办理")
    if state not in (BookingState.ARRIVED, BookingState.SERVED):
        raise ValidationError({"state": ["只能登记签到或已办理"]})
    if booking.day > timezone.localdate():
        raise ValidationError({"state": [f"预约日期为 {booking.day:%Y-%m-%d}，当天才能登记"]})
    now = timezone.now()
    stamp: dict[str, Any] = {"arrived_at": now} if state == BookingState.ARRIVED else {"served_at": now}
    if state == BookingState.SERVED and booking.arrived_at is None:
        stamp["arrived_at"] = now
    verb = "签到" if state == BookingState.ARRIVED else "登记办理"
    with transaction.atomic(durable=True):
        move_status(booking, state, table=BOOKING_MOVES, actor=actor, verb=verb,
                    action=f"appointments.booking.{state}", marked_by=actor, **stamp)
    return booking


def no_shows_step(on: date) -> dict[str, int]:
    """Nightly close step `appointments.no_shows`: every booking of `on` or before still unmarked becomes 爽约,
    once (the move is compare-and-set from 已预约; a second run finds none). Its seat stays taken: the slot is over."""
    marked = 0
    with transaction.atomic():
        rows = list(Booking.objects.select_for_update(skip_locked=True)
                    .filter(state=BookingState.BOOKED, day__lte=on).order_by("pk"))
        for booking in rows:
            move_status(booking, BookingState.NO_SHOW, table=BOOKING_MOVES, expect=BookingState.BOOKED,
                        action="appointments.booking.no_show")
            marked += 1
    return {"no_shows": marked}
