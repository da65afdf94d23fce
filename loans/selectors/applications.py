"""Who sees which loan application: staff their branch (or the whole centre), a member their own as borrower or
co-borrower, a developer's operator what it entered, a bank's operator what its outlet took; anyone else
nothing (and a 404 for one named)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from fund.people.roles import roles_of
from fund.people.selectors import get_or_404, scoped

from ..models import LoanApplication


def applications_for_user(user: Any) -> QuerySet[LoanApplication]:
    qs = LoanApplication.objects.select_related("borrower", "branch", "account", "project", "developer", "bank_outlet")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    visible = scoped(qs, user, branch="branch", developer="developer", bank="bank_outlet", person="borrower")
    if user.person_id is not None and not roles_of(user).is_staff:
        co = qs.filter(co_borrowers__person_id=user.person_id)
        return qs.filter(Q(pk__in=visible.values("pk")) | Q(pk__in=co.values("pk")))
    return visible


def application_get_for_user(*, user: Any, pk: Any) -> LoanApplication:
    return get_or_404(applications_for_user(user), pk=pk)
