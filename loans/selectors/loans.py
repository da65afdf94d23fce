"""Reading loan accounts: staff of the loan's branch (or centre-wide) and the borrower see a loan; to anyone
else it does not exist (404)."""

from typing import Any

from django.db.models import QuerySet

from fund.people.selectors import get_or_404, scoped

from ..models import Loan


def loans_for_user(user: Any) -> QuerySet[Loan]:
    return scoped(Loan.objects.all(), user, branch="branch", person="borrower")


def loan_get_for_user(*, user: Any, pk: Any) -> Loan:
    return get_or_404(
        loans_for_user(user).select_related("application__project", "application__account", "borrower", "branch",
                                            "bank", "sub_account", "signed_by", "signed_branch"),
        pk=pk,
    )
