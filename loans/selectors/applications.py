"""Reading loan applications (PLACEHOLDER for L3, who owns this module: the smallest scoped fetch signing needs)."""

from typing import Any

from django.db.models import QuerySet

from fund.people.selectors import get_or_404, scoped

from ..models import LoanApplication


def applications_for_user(user: Any) -> QuerySet[LoanApplication]:
    return scoped(LoanApplication.objects.all(), user, branch="branch", developer="developer", person="borrower")


def application_get_for_user(*, user: Any, pk: Any) -> LoanApplication:
    return get_or_404(applications_for_user(user).select_related("borrower", "account", "project", "branch"), pk=pk)
