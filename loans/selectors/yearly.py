"""The loans line's yearly work as staff see it: the loans re-priced on 1 January (by old and new rate) and the
贴息 refunds of the year before, each scoped to the user's branch (centre-wide staff see all)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Subquery

from fund.money import ZERO
from fund.people.selectors import scoped

from ..models import Instalment, InstalmentState, ScheduleSegment, SegmentReason, SubsidyRefund, SubsidyState
from .subsidy import subsidies_for_user


@dataclass(frozen=True)
class RateMove:
    old_rate: Decimal | None
    new_rate: Decimal
    loans: int


@dataclass(frozen=True)
class YearSummary:
    year: int
    loans_with_year: int  # loans with instalments of `year` stored (rolled or disbursed in it)
    repriced: int
    moves: list[RateMove]
    subsidy_year: int
    refunds: list[SubsidyRefund]
    refund_total: Decimal
    refund_paid: Decimal

    @property
    def refund_note(self) -> str:
        return f"{self.subsidy_year} 年度，共 {len(self.refunds)} 笔"


def year_summary(*, user: Any, year: int) -> YearSummary:
    """Re-pricing on 1 January of `year` and the 贴息 refunds (of year − 1) paid from it, as `user` may see them."""
    repriced = scoped(ScheduleSegment.objects.filter(reason=SegmentReason.REPRICED, effective_on=date(year, 1, 1)),
                      user, branch="loan__branch")
    before = ScheduleSegment.objects.filter(loan=OuterRef("loan"), id__lt=OuterRef("id")).order_by("-id")
    moves = [RateMove(old_rate=r["old_rate"], new_rate=r["rate"], loans=r["loans"]) for r in
             repriced.annotate(old_rate=Subquery(before.values("rate")[:1])).values("old_rate", "rate")
             .annotate(loans=Count("id")).order_by("old_rate", "rate")]
    stored = scoped(Instalment.objects.filter(due_on__year=year).exclude(state=InstalmentState.SUPERSEDED), user,
                    branch="loan__branch")
    refunds = list(subsidies_for_user(user, year=year - 1))
    return YearSummary(
        year=year, loans_with_year=stored.values("loan").distinct().count(), repriced=sum(m.loans for m in moves),
        moves=moves, subsidy_year=year - 1, refunds=refunds, refund_total=sum((r.amount for r in refunds), ZERO),
        refund_paid=sum((r.amount for r in refunds if r.state == SubsidyState.PAID), ZERO),
    )


__all__ = ["RateMove", "YearSummary", "year_summary"]
