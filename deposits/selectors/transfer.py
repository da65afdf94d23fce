"""Reading cross-region transfers (异地转移): the letters a branch has to answer."""

from typing import Any

from fund.people.roles import roles_of
from fund.people.selectors import scoped

from ..models import CrossRegionTransfer, TransferDirection


def pending_letters_for_user(user: Any):  # type: ignore[no-untyped-def]
    """待办转出联系函: platform letters this user's branch has to answer, oldest first, with their blockers."""
    if not roles_of(user).is_staff:  # the window's work list: members follow their transfer elsewhere
        return CrossRegionTransfer.objects.none()
    queryset = CrossRegionTransfer.objects.filter(
        direction=TransferDirection.OUT, from_platform=True, finished_at__isnull=True,
    ).select_related("account__person", "account__sub_account", "account__unit__employer").prefetch_related(
        "payments__attempts")
    # By branch only: staff who are members do not answer (and pay out on) the letter about their own account.
    return scoped(queryset, user, branch="account__unit__employer__branch").order_by("id")
