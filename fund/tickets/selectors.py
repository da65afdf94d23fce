"""Reading tickets: who may do what, each user's tickets, and the 投诉台账's reply and on-time rates.

Who sees a ticket: staff of its responsible branch (every ticket when their post is centre-wide, the unassigned
ones included); the member or the unit that raised it online (their own); anyone else "not found".
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth

from fund.people.models import Post, User
from fund.people.roles import roles_of
from fund.people.selectors import get_or_404, scoped

from .models import CLOSING, Category, Ticket, TicketReminder, TicketState


def _staff(user: Any) -> Any:
    if not getattr(user, "is_authenticated", False):
        return None
    return roles_of(user).staff


def ticket_may_register(user: Any) -> bool:
    """Hotline and letter tickets: the 受理 posts (the 12329 seats sit at the window) and the director."""
    staff = _staff(user)
    return staff is not None and (Post.ACCEPT in staff.posts or Post.DIRECTOR in staff.posts)


def ticket_may_dispatch(user: Any) -> bool:
    """Assigns tickets to a branch and person, closes one whose caller cannot be reached: the centre's 12329
    desk — a centre-wide 受理 post — or the director."""
    staff = _staff(user)
    return staff is not None and (Post.DIRECTOR in staff.posts or (Post.ACCEPT in staff.posts and staff.centre_wide))


def ticket_may_reply(user: Any, ticket: Ticket) -> bool:
    """The person responsible answers; the desk may answer for them (a person away)."""
    return ticket.responsible_id == getattr(user, "pk", None) or ticket_may_dispatch(user)


def ticket_may_call_back(user: Any, ticket: Ticket) -> bool:
    """Records the complainant's satisfaction after a call-back: the desk or the branch's 受理/director — never
    the one who wrote the reply, whose own work the rating judges."""
    staff = _staff(user)
    if staff is None or ticket.replied_by_id == user.pk:
        return False
    return ticket_may_dispatch(user) or ticket_may_register(user)


def tickets_for_user(user: Any) -> QuerySet[Ticket]:
    queryset = Ticket.objects.select_related("branch", "responsible", "registered_by", "replied_by")
    return scoped(queryset, user, branch="branch", person="person", employer="employer")


def ticket_get_for_user(user: Any, pk: Any) -> Ticket:
    return get_or_404(tickets_for_user(user), pk=pk)


def responsible_choices(user: Any) -> QuerySet[User]:
    """Staff a dispatcher may name as responsible: anyone with a staff profile (the ticket goes to their branch)."""
    if not ticket_may_dispatch(user):
        return User.objects.none()
    return (User.objects.filter(staff_profile__isnull=False, is_active=True)
            .select_related("staff_profile__branch").order_by("staff_profile__branch__code", "username"))


def reminders_for_user(user: Any, *, unread: bool = True) -> QuerySet[TicketReminder]:
    queryset = TicketReminder.objects.filter(user=user).select_related("ticket")
    return queryset.filter(read_at__isnull=True) if unread else queryset


def ratio(part: int, whole: int) -> Decimal | None:
    """A share to four places (0.8333), or None when there is nothing to divide."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _counts(today: date) -> dict[str, Any]:
    answered_late = Q(first_replied_on__gt=F("first_due_on"))
    return {
        "registered": Count("id"),
        "replied": Count("id", filter=Q(first_replied_on__isnull=False)),
        "on_time": Count("id", filter=Q(first_replied_on__lte=F("first_due_on"))),
        "overdue": Count("id", filter=answered_late | Q(first_replied_on__isnull=True, first_due_on__lt=today)),
        "complaints": Count("id", filter=Q(category=Category.COMPLAINT)),
        "rated": Count("id", filter=~Q(satisfaction="")),
        "satisfied": Count("id", filter=Q(satisfaction__in=CLOSING)),
        "open": Count("id", filter=Q(state__in=[TicketState.REGISTERED, TicketState.ASSIGNED])),
    }


def _with_rates(row: dict[str, Any]) -> dict[str, Any]:
    """答复率 = 已答复 ÷ 受理; 按时率 = 按时答复 ÷ (按时答复 + 超期), 超期 being answered after the first deadline or
    still unanswered past it — a ticket not yet due and not yet answered counts in neither; 满意率 = (满意 + 基本满意)
    ÷ 已评价."""
    return {**row, "reply_rate": ratio(row["replied"], row["registered"]),
            "on_time_rate": ratio(row["on_time"], row["on_time"] + row["overdue"]),
            "satisfied_rate": ratio(row["satisfied"], row["rated"])}


def ticket_rates(user: Any, *, start: date, end: date, today: date) -> dict[str, Any]:
    """The 投诉台账's figures for tickets registered from `start` to `end` (inclusive) that `user` may see, by
    responsible branch and month and by month for the whole scope: {"rows": [{"branch", "branch_id", "month",
    counts…, rates…}], "months": [{"month", counts…, rates…}], "total": {counts…, rates…}}. A ticket not yet
    assigned counts under branch None (未转办). Each grouping is one GROUP BY."""
    tickets = tickets_for_user(user).filter(registered_on__gte=start, registered_on__lte=end)
    counts = _counts(today)
    by_branch = (tickets.annotate(month=TruncMonth("registered_on")).values("month", "branch_id", "branch__name")
                 .annotate(**counts).order_by("month", "branch__code"))
    rows = [_with_rates({**row, "branch": row.pop("branch__name") or "未转办"}) for row in map(dict, by_branch)]
    by_month = tickets.annotate(month=TruncMonth("registered_on")).values("month").annotate(**counts).order_by("month")
    months = [_with_rates(dict(row)) for row in by_month]
    total = _with_rates(dict(tickets.aggregate(**counts)))
    return {"rows": rows, "months": months, "total": total}
