"""The staff home's 我的工单: the tickets waiting for this user's reply and their unread reminders."""

from typing import Any

from django.http import HttpRequest

from fund.portals.panels import register_panel

from .models import Ticket, TicketState
from .selectors import reminders_for_user


@register_panel("staff", order=15, template="tickets/panels/staff_tickets.html")
def staff_tickets(request: HttpRequest) -> dict[str, Any] | None:
    waiting = Ticket.objects.filter(responsible_id=request.user.pk, state=TicketState.ASSIGNED).order_by("due_on", "id")
    reminders = list(reminders_for_user(request.user)[:10])
    if not reminders and not waiting.exists():
        return None
    return {"waiting": list(waiting[:10]), "waiting_count": waiting.count(), "reminders": reminders}
