"""Reading remittance bills (缴款单), through the user's scope."""

from typing import Any

from django.db.models import QuerySet

from fund.people.selectors import get_or_404, scoped

from ..models import RemittanceBill


def bills_for_user(user: Any) -> QuerySet[RemittanceBill]:
    """Bills the user may see: staff of the unit's branch (or centre-wide), the unit's operators."""
    queryset = RemittanceBill.objects.select_related("unit__employer__branch")
    return scoped(queryset, user, branch="unit__employer__branch", employer="unit__employer")


def bill_get_for_user(*, user: Any, pk: Any) -> RemittanceBill:
    return get_or_404(bills_for_user(user), pk=pk)
