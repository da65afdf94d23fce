"""What the deposits line shows on each portal's home page."""

from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.http import HttpRequest
from django.utils import timezone

from fund.audit.models import AuditEvent
from fund.dates import add_months, first_of_month
from fund.money import format_percent
from fund.people.selectors import scoped
from fund.portals.panels import register_panel

from .models import MemberState, MonthlyDeposit
from .selectors import member_accounts_for_user, member_statement, unit_accounts_for_user


@register_panel("staff", order=10, template="deposits/panels/staff_overview.html")
def staff_overview(request: HttpRequest) -> dict[str, Any]:
    units = unit_accounts_for_user(request.user)
    accounts = member_accounts_for_user(request.user)
    this_month = first_of_month(timezone.localdate())
    start = add_months(this_month, -5)
    deposits = scoped(MonthlyDeposit.objects.all(), request.user, branch="account__unit__employer__branch")
    by_month = {
        row["m"].date() if hasattr(row["m"], "date") else row["m"]: row["total"]
        for row in deposits.filter(entry__value_date__gte=start)
        .annotate(m=TruncMonth("entry__value_date"))
        .values("m")
        .annotate(total=Sum("unit_amount") + Sum("member_amount"))
    }
    months = [add_months(start, i) for i in range(6)]
    peak = max([by_month.get(m, 0) or 0 for m in months] + [1])
    chart = [
        {"label": f"{m:%Y-%m}", "value": f"{by_month.get(m, 0) or 0:,.2f}", "percent": int(100 * (by_month.get(m, 0) or 0) / peak)}
        for m in months
    ]
    return {
        "unit_count": units.count(),
        "member_count": accounts.filter(state=MemberState.NORMAL).count(),
        "balance": accounts.aggregate(s=Sum("sub_account__balance"))["s"] or 0,
        "this_month": by_month.get(this_month, 0) or 0,
        "chart": chart,
        "by_state": accounts.values("state").annotate(n=Count("id")).order_by("state"),
        "recent": AuditEvent.objects.filter(actor__staff_profile__branch=request.roles.staff.branch).select_related("actor")[:8],
    }


@register_panel("unit", order=10, template="deposits/panels/unit_overview.html")
def unit_overview(request: HttpRequest) -> dict[str, Any] | None:
    employer = request.roles.employer
    unit = getattr(employer, "account", None)
    if unit is None:
        return None
    members = unit.members.all()
    active = members.filter(state=MemberState.NORMAL)
    return {
        "unit": unit,
        "ratio_label": f"{format_percent(unit.unit_ratio)} / {format_percent(unit.member_ratio)}",
        "member_count": active.count(),
        "monthly_total": (active.aggregate(u=Sum("unit_monthly"), m=Sum("member_monthly")) or {}),
        "recent_members": members.select_related("person").order_by("-opened_on", "-id")[:5],
    }


@register_panel("member", order=10, template="deposits/panels/member_account.html")
def member_account(request: HttpRequest) -> dict[str, Any]:
    account = (
        scoped(member_accounts_for_user(request.user), request.user, person="person").order_by("-opened_on", "-id").first()
    )
    if account is None:
        return {"account": None}
    sub = account.sub_account
    return {
        "account": account,
        "recent": list(member_statement(account)[:5]),
        "balance_note": f"当年归集 {sub.current_year:,} 元 · 上年结转 {sub.prior_year:,} 元",
        "monthly_note": f"单位 {account.unit_monthly:,} 元 + 个人 {account.member_monthly:,} 元",
    }


