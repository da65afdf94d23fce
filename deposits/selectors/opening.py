"""Reading unit-opening requests (单位开户申请), through the user's scope."""

from typing import Any

from django.db.models import QuerySet

from fund.people.selectors import get_or_404, scoped

from ..models import UnitOpeningRequest


def unit_opening_requests_for_user(user: Any) -> QuerySet[UnitOpeningRequest]:
    """Staff see the requests of their branch (centre-wide staff: all); nobody else sees any."""
    return scoped(UnitOpeningRequest.objects.select_related("branch", "reviewed_by", "unit"), user, branch="branch")


def unit_opening_request_get_for_user(*, user: Any, pk: Any) -> UnitOpeningRequest:
    return get_or_404(unit_opening_requests_for_user(user), pk=pk)
