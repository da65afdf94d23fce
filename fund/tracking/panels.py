"""What 我的办件 shows on the member's and the unit's home: the applications still open, with their step and
its deadline (at most five; the page lists the rest)."""

from typing import Any

from django.http import HttpRequest

from fund.portals.panels import register_panel

from .models import Outcome
from .selectors import applications_for_portal


def _panel(request: HttpRequest, portal: str) -> dict[str, Any] | None:
    rows = applications_for_portal(request.user, portal).filter(outcome=Outcome.OPEN)
    open_rows = list(rows.order_by("-submitted_at", "-id")[:6])
    if not open_rows:
        return None  # nothing in progress: the panel would only say so
    return {"portal": portal, "rows": open_rows[:5], "more": len(open_rows) > 5}


@register_panel("member", order=15, template="tracking/panel.html")
def member_open_applications(request: HttpRequest) -> dict[str, Any] | None:
    return _panel(request, "member")


@register_panel("unit", order=15, template="tracking/panel.html")
def unit_open_applications(request: HttpRequest) -> dict[str, Any] | None:
    return _panel(request, "unit")
