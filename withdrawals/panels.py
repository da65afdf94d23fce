"""What the withdrawals line shows on the member's home page: the withdrawal in flight with its progress,
or a button to apply. Imported from `WithdrawalsConfig.ready()`."""

from typing import Any

from django.http import HttpRequest

from fund.portals.panels import register_panel

from .models import IN_FLIGHT
from .reasons import REASONS
from .selectors import withdrawals_for_user
from .status import withdrawal_progress, withdrawal_status


@register_panel("member", order=20, template="withdrawals/member/panel.html")
def member_withdrawal(request: HttpRequest) -> dict[str, Any]:
    own = withdrawals_for_user(request.user).filter(account__person_id=request.user.person_id)
    current = own.filter(state__in=IN_FLIGHT).first()
    if current is None:
        return {"current": None, "last": own.first()}
    return {"current": current, "steps": withdrawal_progress(current), "status": withdrawal_status(current),
            "reason_label": REASONS[current.reason].label}
