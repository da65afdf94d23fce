"""Reading 贴息 refunds: a loan's (for the member's and staff's loan pages) and a year's (the staff list)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from fund.people.selectors import scoped

from ..models import Loan, SubsidyRefund


def subsidies_of(loan: Loan) -> QuerySet[SubsidyRefund]:
    """A loan's refunds, the latest year first. The caller has fetched the loan through `loan_get_for_user`."""
    return SubsidyRefund.objects.filter(loan=loan).order_by("-year")


def subsidies_for_user(user: Any, *, year: int) -> QuerySet[SubsidyRefund]:
    """The refunds of `year` that `user` may see: staff of the loan's branch, or centre-wide."""
    queryset = SubsidyRefund.objects.filter(year=year).select_related("loan__borrower", "loan__branch", "payment")
    return scoped(queryset, user, branch="loan__branch").order_by("loan__contract_number")
