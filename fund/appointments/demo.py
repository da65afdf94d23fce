"""Demo data of 预约服务: every branch's hours (市直 with lunch-time and Saturday service, Linyi's 不打烊), a few
bookings around today (served, a no-show, upcoming) and a door-to-door request, so the pages show something."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from .hours import slots_on
from .models import Booking, BookingState, HomeVisit, PeriodLabel, Requester, ServicePeriod, Slot, VisitReason


def seed_appointments(ctx: Any) -> None:
    periods = []
    for index, branch in enumerate(ctx.branches):
        for weekday in range(5):
            periods.append(ServicePeriod(branch=branch, weekday=weekday, start=time(9), end=time(11, 30), slot_minutes=30,
                                         capacity=4, label=PeriodLabel.WORKDAY))
            periods.append(ServicePeriod(branch=branch, weekday=weekday, start=time(13, 30), end=time(17), slot_minutes=30,
                                         capacity=4, label=PeriodLabel.WORKDAY))
            if index == 0:
                periods.append(ServicePeriod(branch=branch, weekday=weekday, start=time(12), end=time(13, 30),
                                             slot_minutes=45, capacity=2, label=PeriodLabel.LUNCH))
        if index == 0:
            periods += [ServicePeriod(branch=branch, weekday=d, start=time(9), end=time(12), slot_minutes=60, capacity=3,
                                      label=PeriodLabel.WEEKEND) for d in (5, 6)]
    ServicePeriod.objects.bulk_create(periods)
    people = list(ctx.people[:6])
    if not people or not ctx.branches:
        return
    branch, clerk = ctx.branches[0], ctx.staff.get("clerk01")
    # Past days are history (served, a no-show) written as they stand; upcoming ones as a booking leaves them.
    plan = [(-3, 0, BookingState.SERVED), (-3, 1, BookingState.NO_SHOW), (-1, 2, BookingState.SERVED),
            (0, 3, BookingState.BOOKED), (1, 4, BookingState.BOOKED), (2, 5, BookingState.BOOKED)]
    for n, (offset, who, state) in enumerate(plan, start=1):
        if who >= len(people):
            continue
        day = ctx.today + timedelta(days=offset)
        slots = slots_on(branch.pk, day)
        if not slots:
            continue
        at = slots[min(n, len(slots) - 1)]
        slot, _ = Slot.objects.get_or_create(branch=branch, day=day, start=at.start,
                                             defaults={"end": at.end, "capacity": at.capacity})
        Slot.objects.filter(pk=slot.pk).update(booked=slot.booked + 1)
        # A member without a login booked by phone: the window clerk made it for them.
        user = getattr(people[who], "user", None) or clerk
        Booking.objects.create(
            number=f"YY{ctx.today:%Y%m%d}D{n:05d}", slot=slot, branch=branch, day=day, start=at.start, end=at.end,
            item_code="TQ-03", item_name="离休、退休提取住房公积金", person=people[who], booked_by=user,
            phone=people[who].phone, state=state, marked_by=clerk if state == BookingState.SERVED else None)
    HomeVisit.objects.create(
        number=f"SM{ctx.today:%Y%m%d}D0001", branch=branch, person=people[0], requester=Requester.STAFF, requested_by=clerk, reason=VisitReason.ILL, item_code="TQ-03", item_name="离休、退休提取住房公积金",
        description="老人住院，行动不便，需上门办理退休提取", contact_name=people[0].name, contact_phone=people[0].phone or "13800000000",
        address="示范市人民医院住院部5楼")
