"""Reading 预约服务: who may edit hours, the slots of a day with their free seats, each user's bookings and
visits (scoped: staff their branch unless centre-wide, members their own, units their own), the branch's day and
the no-show counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from fund.people.models import Branch, Post
from fund.people.roles import roles_of
from fund.people.selectors import get_or_404, scoped, staff_scope
from fund.policy.selectors import policy_value

from .hours import periods_on, slot_times
from .models import Booking, BookingState, HomeVisit, HoursException, PeriodLabel, ServicePeriod, Slot


def hours_may_edit(user: Any, branch_id: int | None = None) -> bool:
    """The branch's head (审批 or director's post, staff of that branch) or centre-wide staff."""
    roles = roles_of(user)
    if roles.staff is None:
        return False
    if roles.staff.centre_wide:
        return True
    head = roles.has_post(Post.APPROVE) or roles.has_post(Post.DIRECTOR)
    return head and (branch_id is None or roles.staff.branch_id == branch_id)


def branches_public() -> QuerySet[Branch]:
    return Branch.objects.order_by("code")


def hours_of(branch_id: int) -> dict[str, Any]:
    """A branch's weekly pattern and its exceptions from today on, for the public hours page and the editor."""
    today = timezone.localdate()
    return {
        "periods": list(ServicePeriod.objects.filter(branch_id=branch_id).order_by("weekday", "start")),
        "exceptions": list(HoursException.objects.filter(branch_id=branch_id, day__gte=today).order_by("day", "start")),
    }


@dataclass
class FreeSlot:
    start: time
    end: time
    capacity: int
    booked: int
    label: str
    past: bool = False

    @property
    def label_text(self) -> str:
        return PeriodLabel(self.label).label if self.label in PeriodLabel.values else self.label

    @property
    def remaining(self) -> int:
        return max(self.capacity - self.booked, 0)

    @property
    def bookable(self) -> bool:
        return self.remaining > 0 and not self.past


@dataclass
class DaySlots:
    day: date
    note: str
    slots: list[FreeSlot] = field(default_factory=list)


def day_slots(branch_id: int, day: date) -> DaySlots:
    """The branch's slots on `day` with the seats left (what the booking page and the API show)."""
    periods, note = periods_on(branch_id, day)
    taken = {s.start: s.booked for s in Slot.objects.filter(branch_id=branch_id, day=day)}
    now = timezone.now()
    out = DaySlots(day=day, note=note)
    for slot in slot_times(periods):
        out.slots.append(FreeSlot(start=slot.start, end=slot.end, capacity=slot.capacity, label=slot.label,
                                  booked=taken.get(slot.start, 0),
                                  past=timezone.make_aware(datetime.combine(day, slot.start)) <= now))
    return out


def bookable_days(on: date | None = None) -> list[date]:
    today = on or timezone.localdate()
    ahead = int(policy_value("appointments_days_ahead", on=today))
    return [today + timedelta(days=n) for n in range(ahead + 1)]


def bookings_for_user(user: Any) -> QuerySet[Booking]:
    return scoped(Booking.objects.select_related("branch", "person", "employer"), user, branch="branch",
                  employer="employer", person="person")


def booking_get_for_user(user: Any, pk: Any) -> Booking:
    return get_or_404(bookings_for_user(user), pk=pk)


def own_bookings(user: Any) -> QuerySet[Booking]:
    """我的预约: the member's own and their units' bookings (never the branch's, even for staff who are members)."""
    roles = roles_of(user)
    if not getattr(user, "is_authenticated", False):
        return Booking.objects.none()
    mine = Q(person_id=user.person_id) if user.person_id else Q(pk__in=[])
    if roles.employers:
        mine |= Q(person__isnull=True, employer__in=[e.pk for e in roles.employers])
    return Booking.objects.filter(mine).select_related("branch", "person", "employer").order_by("-day", "-start", "-id")


def own_booking_get(user: Any, pk: Any) -> Booking:
    return get_or_404(own_bookings(user), pk=pk)


def staff_branch_get(user: Any, pk: Any) -> Branch:
    """A branch whose day a member of staff may see: their own, or any when centre-wide (404 otherwise)."""
    return get_or_404(scoped(Branch.objects.all(), user, branch=""), pk=pk)


def staff_default_branch(user: Any) -> Branch | None:
    roles = roles_of(user)
    return roles.staff.branch if roles.staff is not None else None


@dataclass
class SlotRow:
    start: time
    end: time
    capacity: int
    bookings: list[Booking]


def branch_day(branch: Branch, day: date) -> dict[str, Any]:
    """The branch's day by slot: every slot of its hours and each booking in it (cancelled and moved left out)."""
    bookings = list(Booking.objects.filter(branch=branch, day=day)
                    .exclude(state__in=[BookingState.CANCELLED, BookingState.MOVED])
                    .select_related("person", "employer").order_by("start", "id"))
    by_start: dict[time, list[Booking]] = {}
    for booking in bookings:
        by_start.setdefault(booking.start, []).append(booking)
    rows = [SlotRow(s.start, s.end, s.capacity, by_start.pop(s.start, [])) for s in slot_times(periods_on(branch.pk, day)[0])]
    # Bookings in a slot the hours no longer have (edited since) still show, at their own time.
    rows += [SlotRow(b[0].start, b[0].end, len(b), b) for b in by_start.values()]
    counts = {state: sum(1 for b in bookings if b.state == state) for state in BookingState.values}
    return {"rows": sorted(rows, key=lambda r: r.start), "counts": counts, "total": len(bookings),
            "note": periods_on(branch.pk, day)[1]}


def booking_blocked_until(*, person_id: int | None, employer_id: int | None, on: date) -> date | None:
    """The last day online booking is paused for this person (or unit), or None: when their latest
    `appointments_no_show_limit` no-shows fall within `appointments_no_show_window_days`, booking pauses for
    `appointments_block_days` after the latest one."""
    limit = int(policy_value("appointments_no_show_limit", on=on))
    window = int(policy_value("appointments_no_show_window_days", on=on))
    block = int(policy_value("appointments_block_days", on=on))
    rows = Booking.objects.filter(state=BookingState.NO_SHOW, day__lt=on, day__gte=on - timedelta(days=window + block))
    if person_id:
        rows = rows.filter(person_id=person_id)
    elif employer_id:
        rows = rows.filter(person__isnull=True, employer_id=employer_id)
    else:
        return None
    days = list(rows.order_by("-day").values_list("day", flat=True)[:limit])
    if len(days) < limit or (days[0] - days[-1]).days >= window:
        return None
    until = days[0] + timedelta(days=block)
    return until if until >= on else None


def no_show_summary(user: Any, month: date) -> dict[str, Any]:
    """爽约 counted per branch and per person for `month` (a no-show is one booking row, counted once), within
    what the user may see; with each branch's bookings that month for the rate."""
    start = month.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1)
    rows = bookings_for_user(user).filter(day__gte=start, day__lt=end)
    by_branch: list[dict[str, Any]] = [dict(row) for row in rows.values("branch__name").annotate(
        total=Count("id", filter=~Q(state__in=[BookingState.CANCELLED, BookingState.MOVED])),
        no_shows=Count("id", filter=Q(state=BookingState.NO_SHOW))).order_by("branch__name")]
    for row in by_branch:
        row["percent"] = round(100 * row["no_shows"] / row["total"]) if row["total"] else 0
    by_person = list(rows.filter(state=BookingState.NO_SHOW).values("person__name", "employer__name")
                     .annotate(no_shows=Count("id")).order_by("-no_shows", "person__name")[:20])
    return {"month": start, "by_branch": by_branch, "by_person": by_person}


def no_shows_by_month(user: Any, *, person_id: int | None = None) -> list[dict[str, Any]]:
    rows = bookings_for_user(user).filter(state=BookingState.NO_SHOW)
    if person_id:
        rows = rows.filter(person_id=person_id)
    counted = rows.annotate(month=TruncMonth("day")).values("month").annotate(no_shows=Count("id")).order_by("-month")
    return [dict(row) for row in counted]


def home_visits_for_user(user: Any) -> QuerySet[HomeVisit]:
    """Staff: their branch's (all when centre-wide); a member: visits for them and those they asked for."""
    if not getattr(user, "is_authenticated", False):
        return HomeVisit.objects.none()
    base = HomeVisit.objects.select_related("branch", "person", "assigned_to", "requested_by")
    is_staff, branch_id = staff_scope(user)
    allowed = Q(requested_by=user)
    if user.person_id:
        allowed |= Q(person_id=user.person_id)
    if is_staff:
        if branch_id is None:
            return base
        allowed |= Q(branch_id=branch_id)
    return base.filter(allowed)


def home_visit_get_for_user(user: Any, pk: Any) -> HomeVisit:
    return get_or_404(home_visits_for_user(user), pk=pk)


def branch_staff(branch_id: int) -> list[Any]:
    from fund.people.models import User

    return list(User.objects.filter(staff_profile__branch_id=branch_id, is_active=True).order_by("username"))
