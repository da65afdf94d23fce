"""The window assessment's complaints figure (窗口考核, 被投诉次数): per staff member, the complaints (投诉) whose
person responsible they are, counted by the ticket's registration month. Registered with
fund.assessment.registry by apps.py."""

from __future__ import annotations

from datetime import date

from django.db.models import Count

from .models import Category, Ticket

CODE = "complaints"
LABEL = "被投诉次数"


def complaints_by_staff(month_start: date, month_end: date) -> dict[int, int]:
    """{staff user id: complaints registered from `month_start` to `month_end` (inclusive) they are responsible
    for}. Unassigned complaints count for nobody."""
    rows = (Ticket.objects.filter(category=Category.COMPLAINT, registered_on__gte=month_start,
                                  registered_on__lte=month_end, responsible__isnull=False)
            .values("responsible_id").annotate(n=Count("id")).values_list("responsible_id", "n"))
    return dict(rows)


def register() -> None:
    """Offer the figure to the window assessment (fund.assessment), when that app has its registry."""
    try:
        from fund.assessment.registry import register_source
    except ImportError:
        return
    register_source(CODE, LABEL, complaints_by_staff)
