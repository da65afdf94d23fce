"""Reading dormant accounts (呆滞账户) and their campaigns.

Who: staff who work the campaign — 风控/清收, 受理 (the branches' windows phone and receive the members, as
Zhuzhou's eight branches did) and the director — see the listed accounts of their branch (all, when
centre-wide); anyone else is answered "not found". Starting a campaign is for a centre-wide officer.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from fund.dates import add_years
from fund.people.models import Post
from fund.people.roles import roles_of
from fund.people.selectors import get_or_404, scoped
from fund.policy.selectors import policy_value

from ..models import SETTLED_OUTCOMES, DormantAccount, DormantCampaign, DormantOutcome

WORKING_POSTS = (Post.RISK, Post.ACCEPT, Post.DIRECTOR)


def dormant_may_work(user: Any) -> bool:
    """Sees the campaign (its branch's accounts) and records 已联系 / 查无此人."""
    if not getattr(user, "is_authenticated", False):
        return False
    roles = roles_of(user)
    return any(roles.has_post(post) for post in WORKING_POSTS)


def dormant_may_start(user: Any) -> bool:
    """Starts a campaign: the director, or a 风控 officer whose post is centre-wide (the campaign is the centre's)."""
    if not getattr(user, "is_authenticated", False):
        return False
    roles = roles_of(user)
    return roles.has_post(Post.DIRECTOR) or (roles.has_post(Post.RISK) and roles.staff is not None
                                             and roles.staff.centre_wide)


def dormant_cutoff_preview(on: date | None = None) -> dict[str, Any]:
    """What a campaign started on `on` (today) would count as dormant: {"on", "cutoff", "years"}."""
    on = on or timezone.localdate()
    years = int(policy_value("risk_dormant_years", on))
    return {"on": on, "cutoff": add_years(on, -years), "years": years}


def dormant_campaigns_for_user(user: Any) -> QuerySet[DormantCampaign]:
    if not dormant_may_work(user):
        return DormantCampaign.objects.none()
    return DormantCampaign.objects.select_related("started_by")


def dormant_campaign_get_for_user(user: Any, pk: Any) -> DormantCampaign:
    return get_or_404(dormant_campaigns_for_user(user), pk=pk)


def dormant_accounts_for_user(user: Any) -> QuerySet[DormantAccount]:
    """The listed accounts `user` works: their branch's, or every branch's when centre-wide."""
    if not dormant_may_work(user):
        return DormantAccount.objects.none()
    queryset = DormantAccount.objects.select_related(
        "campaign", "account__person", "account__sub_account", "unit__employer", "branch", "outcome_by")
    return scoped(queryset, user, branch="branch")


def dormant_account_get_for_user(user: Any, pk: Any) -> DormantAccount:
    return get_or_404(dormant_accounts_for_user(user), pk=pk)


def dormant_has_contact(item: DormantAccount) -> bool:
    """无联系方式: the person has no mobile number on record (the last employer is listed either way)."""
    return bool(item.account.person.phone)


def _outcome_counts(prefix: str = "") -> dict[str, Any]:
    return {f"{prefix}{code}": Count("id", filter=Q(outcome=code)) for code in DormantOutcome.values}


def _row(values: Mapping[str, Any]) -> dict[str, Any]:
    total = values["total"]
    settled = sum(values[code] for code in SETTLED_OUTCOMES)
    contacted = total - values[DormantOutcome.PENDING]
    return {
        "total": total, "settled": settled, "contacted": contacted,
        "outcomes": {code: values[code] for code in DormantOutcome.values},
        "settled_percent": round(settled * 100 / total) if total else 0,
        "contacted_percent": round(contacted * 100 / total) if total else 0,
    }


def dormant_progress(user: Any, campaign: DormantCampaign, *, units: int = 20) -> dict[str, Any]:
    """A campaign's progress as `user` may see it (their branch unless centre-wide), in one pass per grouping:
    {"total", "settled" (已提取 + 已转移), "contacted" (any outcome but 待联系), "settled_percent",
     "contacted_percent", "outcomes": {code: count}, "by_outcome": [{"outcome", "label", "count"}],
     "balance": Decimal (listed balance), "settled_balance", "notified": int, "no_phone": int,
     "by_branch": [{"branch", …row}], "by_unit": [{"unit", "unit_number", …row}] (the `units` largest)}"""
    items = dormant_accounts_for_user(user).filter(campaign=campaign)
    overall = items.aggregate(
        total=Count("id"), **_outcome_counts(), listed_balance=Sum("balance"),
        settled_balance=Sum("balance", filter=Q(outcome__in=SETTLED_OUTCOMES)),
        notified=Count("id", filter=Q(notified_at__isnull=False)),
        no_phone=Count("id", filter=Q(account__person__phone="")),
    )
    progress = _row(overall)
    progress.update(
        balance=overall["listed_balance"] or Decimal("0.00"), settled_balance=overall["settled_balance"] or Decimal("0.00"),
        notified=overall["notified"], no_phone=overall["no_phone"],
        by_outcome=[{"outcome": code, "label": label, "count": overall[code]} for code, label in DormantOutcome.choices],
    )
    branches = items.values("branch_id", "branch__name").annotate(total=Count("id"), **_outcome_counts())
    progress["by_branch"] = [{"branch": row["branch__name"], **_row(row)}
                             for row in branches.order_by("branch__code")]
    by_unit = (items.values("unit_id", "unit__number", "unit__employer__name")
               .annotate(total=Count("id"), **_outcome_counts()).order_by("-total", "unit__number")[:units])
    progress["by_unit"] = [{"unit": row["unit__employer__name"], "unit_number": row["unit__number"], **_row(row)}
                           for row in by_unit]
    return progress


def dormant_summary(user: Any, *, on: date) -> dict[str, Any] | None:
    """What the risk dashboard shows: the latest campaign started by `on` with its progress, or None."""
    campaign = dormant_campaigns_for_user(user).filter(started_on__lte=on).order_by("-started_on", "-id").first()
    if campaign is None:
        return None
    return {"campaign": campaign, "running": campaign.ends_on >= on, **dormant_progress(user, campaign, units=5)}
