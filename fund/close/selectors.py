"""Reading the nightly close: the business date, which dates are still to close, the runs, and who may see them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from fund.people.models import Post
from fund.people.roles import roles_of

from .models import CloseRun, CloseRunState, CloseStepRun


def close_may_view(user: Any) -> bool:
    """Centre-wide staff, and the 财务 and 委贷管理 posts (whose work the close does), see the close."""
    roles = roles_of(user)
    if roles.staff is None:
        return False
    return roles.staff.centre_wide or roles.has_post(Post.FINANCE) or roles.has_post(Post.LOAN_ADMIN)


def close_may_start(user: Any) -> bool:
    """Only a centre-wide director starts a close by hand: it moves every loan of the centre."""
    roles = roles_of(user)
    return bool(roles.staff is not None and roles.staff.centre_wide and roles.has_post(Post.DIRECTOR))


def close_date_next() -> date | None:
    """The business date the close must run next: the one after the last done, or a failed or interrupted
    one still to finish; None before the first close ever (it then starts at `close_start_date`)."""
    last = CloseRun.objects.order_by("-business_date").only("business_date", "state").first()
    if last is None:
        return None
    return last.business_date + timedelta(days=1) if last.state == CloseRunState.DONE else last.business_date


def close_start_date(today: date) -> date:
    """Where the very first close starts: FUND_CLOSE_START, or `today`."""
    start: date | None = settings.FUND_CLOSE_START
    return start if start is not None else today


def close_dates_pending(through: date) -> list[date]:
    """Every business date not yet closed up to `through`, in the order the close runs them."""
    start = close_date_next() or close_start_date(through)
    return [start + timedelta(days=n) for n in range((through - start).days + 1)]


def business_date_current() -> date:
    """The business date staff work in: the day after the last date closed (today before any close)."""
    last = CloseRun.objects.filter(state=CloseRunState.DONE).order_by("-business_date").only("business_date").first()
    return last.business_date + timedelta(days=1) if last is not None else timezone.localdate()


def close_date_due(now: datetime | None = None) -> date:
    """The last date whose close is due: today once the evening's FUND_CLOSE_HOUR has come, else yesterday.

    What a close started by hand runs through, so that a director catching up missed dates in the morning does
    not close today early (its instalments would fall overdue before the day's repayments came in)."""
    local = timezone.localtime(now)
    return local.date() if local.time() >= settings.FUND_CLOSE_HOUR else local.date() - timedelta(days=1)


def close_runs() -> QuerySet[CloseRun]:
    """Every run, newest date first, with its steps in the order they run."""
    return (CloseRun.objects.select_related("triggered_by").order_by("-business_date")
            .prefetch_related(Prefetch("steps", queryset=CloseStepRun.objects.order_by("position"))))


def close_run_live() -> CloseRun | None:
    """The run going now (or left going by a lost worker), if any."""
    return close_runs().filter(state=CloseRunState.RUNNING).first()


def close_run_get(business_date: date) -> CloseRun:
    """One run by its date; CloseRun.DoesNotExist when that date has none."""
    return close_runs().get(business_date=business_date)
