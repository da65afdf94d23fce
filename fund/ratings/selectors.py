"""Reading ratings: the applicant's 待评价 list, the ratings staff may see, the rates by catalogue item, branch and
staff member (the application's `handled_by`) per month, and the follow-ups.

Staff see their branch's ratings and follow-ups (the application's branch), all of them when their post is
centre-wide; a member sees their own applications, a unit's operator the unit's; anything else answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from fund.catalogue.registry import catalogue_item
from fund.dates import add_months
from fund.people.selectors import get_or_404, scoped, staff_scope
from fund.tracking.models import Application

from .models import FollowUp, Rating
from .services import FINISHED, rating_period

GOOD_STARS = 4  # 4–5 stars are good (好评); bad is the stored flag, set by the policy's line when rated


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month `month` falls in as [start, end) instants, in the centre's time zone (Shanghai)."""
    zone = timezone.get_current_timezone()
    first = month.replace(day=1)
    return (timezone.make_aware(datetime.combine(first, time.min), zone),
            timezone.make_aware(datetime.combine(add_months(first, 1), time.min), zone))


def item_name(code: str) -> str:
    """The catalogue's name of an item, or its code when no line registers it (a bundle's own code)."""
    try:
        return catalogue_item(code).name
    except KeyError:
        return code


# ---- the applicant's side -----------------------------------------------------------------------------------------

def pending_for_user(user: Any, *, portal: str) -> QuerySet[Application]:
    """待评价: the user's finished applications within the rating period not rated yet — a member's own in the
    personal hall (`portal="member"`), the unit's in the unit hall (`portal="unit"`)."""
    since = timezone.now() - rating_period()
    mine = scoped(Application.objects.all(), user, **({"person": "person"} if portal == "member" else {"employer": "employer"}))
    return (mine.filter(outcome__in=FINISHED, finished_at__gte=since, rating__isnull=True)
            .select_related("branch").order_by("-finished_at", "-id"))


def application_for_rating(user: Any, *, portal: str, number: str) -> Application:
    """One of the user's applications by its 办件编号 (rated or not: the page says which); 404 if not theirs."""
    mine = scoped(Application.objects.all(), user, **({"person": "person"} if portal == "member" else {"employer": "employer"}))
    return get_or_404(mine.select_related("branch"), number=number)


def rated_for_user(user: Any, *, portal: str) -> QuerySet[Rating]:
    """The ratings the user gave through this portal's applications (newest first)."""
    key = "application__person" if portal == "member" else "application__employer"
    return scoped(Rating.objects.all(), user, **({"person": key} if portal == "member" else {"employer": key})) \
        .select_related("application")


# ---- staff ---------------------------------------------------------------------------------------------------------

def ratings_for_user(user: Any) -> QuerySet[Rating]:
    """The ratings of applications of the staff member's branch (all for a centre-wide post); none for others."""
    if not staff_scope(user)[0]:
        return Rating.objects.none()
    return scoped(Rating.objects.all(), user, branch="application__branch").select_related(
        "application", "application__branch", "application__handled_by", "follow_up")


def rating_get_for_user(user: Any, pk: Any) -> Rating:
    return get_or_404(ratings_for_user(user), pk=pk)


@dataclass(frozen=True)
class RateRow:
    key: Any
    label: str
    count: int
    average: Decimal
    good: int
    bad: int

    @property
    def good_share(self) -> Decimal:
        return _share(self.good, self.count)

    @property
    def bad_share(self) -> Decimal:
        return _share(self.bad, self.count)

    @property
    def good_pct(self) -> str:
        return percent(self.good_share)

    @property
    def bad_pct(self) -> str:
        return percent(self.bad_share)


def percent(share: Decimal) -> str:
    """A fraction as a percentage to one place: 0.6667 → 66.7%."""
    return f"{(share * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def _share(part: int, whole: int) -> Decimal:
    """A share as a fraction to four places (0.6667), half up; 0 of nothing is 0."""
    if not whole:
        return Decimal("0")
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


BY = {
    "item": ("application__item_code", None),
    "branch": ("application__branch_id", "application__branch__name"),
    "staff": ("application__handled_by_id", "application__handled_by__first_name"),
}
BY_LABELS = {"item": "按事项", "branch": "按管理部", "staff": "按经办人"}


def rating_rates(ratings: QuerySet[Rating], *, by: str) -> list[RateRow]:
    """Count, average stars (two places, half up), good (4–5) and bad ratings, grouped by catalogue item,
    branch or staff member (the application's 受理人), most rated first."""
    key, name = BY[by]
    fields = [key] + ([name] if name else [])
    rows = (ratings.order_by().values(*fields)
            .annotate(n=Count("id"), avg=Avg("stars"), good=Count("id", filter=Q(stars__gte=GOOD_STARS)),
                      bad_count=Count("id", filter=Q(bad=True)))
            .order_by("-n", key))
    out = []
    for row in rows:
        value = row[key]
        if by == "item":
            label = item_name(value)
        elif value is None:
            label = "（无受理人：系统办理）" if by == "staff" else "—"
        else:
            label = row[name] or str(value)
        out.append(RateRow(key=value, label=label, count=row["n"], good=row["good"], bad=row["bad_count"],
                           average=Decimal(str(row["avg"])).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)))
    return out


def rating_summary(ratings: QuerySet[Rating]) -> dict[str, Any]:
    """The whole set's count, average, good and bad, and how many of each star."""
    totals = ratings.order_by().aggregate(n=Count("id"), avg=Avg("stars"), good=Count("id", filter=Q(stars__gte=GOOD_STARS)),
                                          bad=Count("id", filter=Q(bad=True)))
    by_star = dict(ratings.order_by().values_list("stars").annotate(n=Count("id")).values_list("stars", "n"))
    count = totals["n"] or 0
    return {
        "count": count,
        "average": (Decimal(str(totals["avg"])).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
                    if totals["avg"] is not None else None),
        "good": totals["good"] or 0, "bad": totals["bad"] or 0,
        "good_share": _share(totals["good"] or 0, count), "bad_share": _share(totals["bad"] or 0, count),
        "good_text": f"好评（4–5星）{totals['good'] or 0} 条", "bad_text": f"差评 {totals['bad'] or 0} 条",
        "good_pct": percent(_share(totals["good"] or 0, count)), "bad_pct": percent(_share(totals["bad"] or 0, count)),
        "stars": [{"stars": s, "count": by_star.get(s, 0)} for s in range(5, 0, -1)],
    }


# ---- follow-ups ----------------------------------------------------------------------------------------------------

def follow_ups_for_user(user: Any) -> QuerySet[FollowUp]:
    if not staff_scope(user)[0]:
        return FollowUp.objects.none()
    return scoped(FollowUp.objects.all(), user, branch="branch").select_related(
        "rating", "rating__application", "branch", "assigned_to", "closed_by")


def follow_up_get_for_user(user: Any, pk: Any) -> FollowUp:
    return get_or_404(follow_ups_for_user(user), pk=pk)
