"""Read helpers of the overdue ledger (逾期台账).

Who sees it: staff with the 风控/清收 post or a director, scoped as everywhere (their branch, or everything when
centre-wide). A collector thus sees only their branch's cases; anyone else finds nothing (404)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import Coalesce

from fund.people.models import Post
from fund.people.roles import roles_of
from fund.people.selectors import get_or_404, scoped

from ..models import CaseState, OverdueCase, Stage

ZERO = Decimal("0.00")


def overdue_can_view(user: Any) -> bool:
    roles = roles_of(user)
    return roles.has_post(Post.RISK) or roles.has_post(Post.DIRECTOR)


def overdue_can_work(user: Any) -> bool:
    """Record contacts and print notices: the 风控/清收 post (on the cases the user may see)."""
    return bool(getattr(user, "is_authenticated", False)) and roles_of(user).has_post(Post.RISK)


def overdue_can_reassign(user: Any) -> bool:
    """Change a case's collector: a centre-wide 风控 officer, or a director (分管领导) of the case's branch or the
    centre (the case is fetched through the user's scope first)."""
    if not getattr(user, "is_authenticated", False):
        return False
    roles = roles_of(user)
    if roles.staff is None:
        return False
    return roles.has_post(Post.DIRECTOR) or (roles.has_post(Post.RISK) and roles.staff.centre_wide)


def overdue_cases_for_user(user: Any) -> QuerySet[OverdueCase]:
    if not getattr(user, "is_authenticated", False) or not overdue_can_view(user):
        return OverdueCase.objects.none()
    return scoped(OverdueCase.objects.all(), user, branch="branch").select_related(
        "loan__borrower", "branch", "bank", "collector")


def overdue_case_get_for_user(user: Any, pk: Any) -> OverdueCase:
    return get_or_404(overdue_cases_for_user(user), pk=pk)


def overdue_open_for_user(user: Any) -> QuerySet[OverdueCase]:
    return overdue_cases_for_user(user).filter(state=CaseState.OPEN)


def overdue_cleared_for_user(user: Any, on: date) -> QuerySet[OverdueCase]:
    """今日销号: the cases cleared by the close of `on`."""
    return overdue_cases_for_user(user).filter(state=CaseState.CLEARED, cleared_on=on).order_by("branch", "id")


def overdue_totals(cases: QuerySet[OverdueCase]) -> dict[str, Any]:
    sums = cases.aggregate(
        count=Count("id"), principal=Coalesce(Sum("overdue_principal"), ZERO),
        interest=Coalesce(Sum("overdue_interest"), ZERO), penalty=Coalesce(Sum("overdue_penalty"), ZERO))
    sums["total"] = sums["principal"] + sums["interest"] + sums["penalty"]
    return sums


def case_instalments(case: OverdueCase) -> list[Any]:
    """The loan's instalments overdue as of the case's figures (owing, due before the figures' date)."""
    from loans.models import Instalment

    return list(Instalment.objects.filter(loan_id=case.loan_id, state__in=["pending", "overdue"],
                                          due_on__lt=case.figures_on).order_by("number"))


def case_collectors(case: OverdueCase) -> list[Any]:
    """Whom the case may be given to: the 清收岗 of its branch."""
    from ..services.overdue import collector_candidates

    return [profile.user for profile in collector_candidates([case.branch_id]).order_by("user__first_name", "user_id")]


def ledger_summary(user: Any, *, on: date) -> dict[str, Any]:
    """What the risk dashboard shows of the ledger as `user` may see it (their branch unless centre-wide):
    {"open": int (cases on the ledger), "cleared": int (销号 in the close of `on`),
     "by_stage": [{"stage": code, "label": 中文, "count": int, "amount": Decimal (overdue principal+interest+penalty)}],
     "by_collector": [{"collector": name, "count": int, "amount": Decimal}]}"""
    cases = overdue_open_for_user(user)
    amount = Sum(F("overdue_principal") + F("overdue_interest") + F("overdue_penalty"))
    by_stage: dict[int, dict[str, Any]] = {
        row["stage"]: dict(row) for row in cases.order_by().values("stage").annotate(count=Count("id"), amount=amount)}
    empty: dict[str, Any] = {}
    stages = [{"stage": int(stage), "label": str(stage.label), "count": by_stage.get(stage, empty).get("count", 0),
               "amount": by_stage.get(stage, empty).get("amount") or ZERO} for stage in Stage]
    collectors = []
    for row in (cases.order_by().values("collector", "collector__first_name", "collector__username")
                .annotate(count=Count("id"), amount=amount).order_by("-count", "collector__first_name")):
        name = row["collector__first_name"] or row["collector__username"] or "未分配"
        collectors.append({"collector": name, "count": row["count"], "amount": row["amount"] or ZERO})
    return {"open": cases.count(), "cleared": overdue_cleared_for_user(user, on).count(), "by_stage": stages,
            "by_collector": collectors}
