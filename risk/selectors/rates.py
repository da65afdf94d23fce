"""Read helpers of the overdue rate series (个贷逾期率) and the five-tier classification (五级分类).

What a user sees: staff of a branch their branch's figures and loans; centre-wide staff the centre's, every
branch's and every entrusted bank's; anyone else nothing (an empty answer, and 404 for one loan's history).
The dashboard reads `rate_series` and `tier_counts`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Coalesce

from fund.money import ZERO
from fund.people.models import Branch, EntrustedBank
from fund.people.selectors import scoped, staff_scope
from loans.models import Loan

from ..models import TIER_ORDER, LoanTier, OverdueRate, Scope, Tier, TierChange


@dataclass(frozen=True)
class RateView:
    """The scope a user's series is read for: the centre (scope_id 0) or their branch."""

    scope: str
    scope_id: int
    label: str


def rate_view_for_user(user: Any) -> RateView | None:
    is_staff, branch_id = staff_scope(user)
    if not is_staff:
        return None
    if branch_id is None:
        return RateView(Scope.CENTRE, 0, "全中心")
    return RateView(Scope.BRANCH, branch_id, Branch.objects.get(pk=branch_id).name)


def _row(r: OverdueRate) -> dict[str, Any]:
    return {"date": r.on, "rate": r.rate, "overdue_balance": r.overdue_balance, "loan_balance": r.loan_balance,
            "borrowers": r.borrowers, "loans": r.loans, "overdue_loans": r.overdue_loans,
            "overdue_principal": r.overdue_principal}


def rate_series(user: Any, *, on: date, days: int = 90) -> list[dict[str, Any]]:
    """The daily centre-wide series (the user's branch for branch staff) up to `on`, oldest first:
    [{"date": date, "rate": Decimal (a fraction: 0.0003 = 0.03 %), "overdue_balance": Decimal,
      "loan_balance": Decimal, "borrowers": int (overdue borrowers), "loans", "overdue_loans": int,
      "overdue_principal": Decimal}]"""
    view = rate_view_for_user(user)
    if view is None:
        return []
    rows = OverdueRate.objects.filter(scope=view.scope, scope_id=view.scope_id, on__lte=on,
                                      on__gt=on - timedelta(days=days)).order_by("on")
    return [_row(r) for r in rows]


def rate_latest_date(user: Any, *, on: date) -> date | None:
    """The last business date up to `on` with a figure the user may see."""
    view = rate_view_for_user(user)
    if view is None:
        return None
    return (OverdueRate.objects.filter(scope=view.scope, scope_id=view.scope_id, on__lte=on)
            .order_by("-on").values_list("on", flat=True).first())


def rate_breakdown(user: Any, *, on: date) -> dict[str, list[dict[str, Any]]]:
    """The figures of `on` by branch and by entrusted bank, worst rate first, each row with its "name":
    {"branches": [...], "banks": [...]}. Branch staff get their branch only, and no banks (a bank's book spans
    branches)."""
    is_staff, branch_id = staff_scope(user)
    if not is_staff:
        return {"branches": [], "banks": []}
    rows = OverdueRate.objects.filter(on=on)
    branches = rows.filter(scope=Scope.BRANCH)
    if branch_id is not None:
        branches = branches.filter(scope_id=branch_id)
    banks = rows.filter(scope=Scope.BANK) if branch_id is None else rows.none()
    branch_names = dict(Branch.objects.values_list("pk", "name"))
    bank_names = dict(EntrustedBank.objects.values_list("pk", "name"))

    def named(qs: QuerySet[OverdueRate], names: dict[int, str]) -> list[dict[str, Any]]:
        return [{**_row(r), "scope_id": r.scope_id, "name": names.get(r.scope_id, str(r.scope_id))}
                for r in qs.order_by("-rate", "scope_id")]

    return {"branches": named(branches, branch_names), "banks": named(banks, bank_names)}


def _active_loans(user: Any) -> QuerySet[Loan]:
    is_staff, _ = staff_scope(user)
    if not is_staff:
        return Loan.objects.none()
    return scoped(Loan.objects.filter(status="active"), user, branch="branch")


def tier_counts(user: Any, *, on: date) -> list[dict[str, Any]]:
    """Active loans by five-tier class: [{"tier": code, "label": 正常/关注/…, "count": int, "balance": Decimal}],
    every tier listed, best first. The tiers are those the last close set (`on` is the date shown, not a
    replay of history: a past date's classes are in each loan's history)."""
    loans = _active_loans(user)
    totals = loans.aggregate(loans=Count("pk"), amount=Coalesce(Sum("sub_account__balance"), ZERO))
    below: dict[str, tuple[int, Decimal]] = {
        row["risk_tier__tier"]: (row["loans"], row["amount"])
        for row in loans.filter(risk_tier__isnull=False).exclude(risk_tier__tier=Tier.NORMAL)
        .values("risk_tier__tier").annotate(loans=Count("pk"), amount=Coalesce(Sum("sub_account__balance"), ZERO))
    }
    rows = [(tier, *below.get(tier.value, (0, ZERO))) for tier in TIER_ORDER[1:]]
    normal = (Tier.NORMAL, totals["loans"] - sum(r[1] for r in rows),
              totals["amount"] - sum((r[2] for r in rows), ZERO))
    return [{"tier": tier.value, "label": tier.label, "count": count, "balance": amount}
            for tier, count, amount in [normal, *rows]]


def classified_loans(user: Any, *, tier: str = "") -> QuerySet[LoanTier]:
    """The active loans the user may see that the close classified below 正常 (or in `tier`), worst first."""
    rows = LoanTier.objects.filter(loan__in=_active_loans(user)).exclude(tier=Tier.NORMAL)
    if tier:
        rows = rows.filter(tier=tier)
    return rows.select_related("loan__borrower", "loan__branch", "loan__bank", "loan__sub_account").order_by(
        "-days_overdue", "loan_id")


@dataclass(frozen=True)
class TierHistory:
    loan: Loan
    tier: str
    tier_label: str
    since: date | None
    changes: list[TierChange]


def tier_history_for_user(user: Any, loan_pk: Any) -> TierHistory:
    """One loan's current class and its changes, newest first; 404 for a loan the staff user may not see (and
    for anyone not staff: the borrower reads the loan elsewhere, not its risk class)."""
    if not staff_scope(user)[0]:
        from django.http import Http404

        raise Http404("未找到，或您无权访问")
    # Imported here: loans' services import risk.selectors (blacklist_check) while loading.
    from loans.selectors.loans import loan_get_for_user

    loan = loan_get_for_user(user=user, pk=loan_pk)
    current = LoanTier.objects.filter(loan=loan).first()
    tier = Tier(current.tier) if current else Tier.NORMAL
    return TierHistory(loan=loan, tier=tier.value, tier_label=tier.label, since=current.since if current else None,
                       changes=list(TierChange.objects.filter(loan=loan).order_by("-on", "-id")))
