"""Risk's source for the window assessment (窗口考核): 稽核疑点 — confirmed screening hits on business a member of
staff handled, counted in the month the hit was confirmed.

A hit names its subject (a withdrawal, a loan application …) by content type and id, as the register of
applications does; the staff member is the one who accepted that application at the window
(`fund.tracking`'s `Application.handled_by`). The hit's own evidence names people only as text (an approver's
name), so the register is the reliable link. Confirmed means 已确认违规, 整改中 or 已整改 (a rectification
request confirms it too); the month is that of `decided_at`, when 稽核 confirmed it, so a month's count does
not change once the month is over. Hits on subjects that are not applications (a policy value, a card
change) and applications no one accepted (online, 秒批) count for no one.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, OuterRef, Subquery

from fund.assessment.registry import register_source
from fund.tracking.models import Application

from .models import HitState, ScreeningHit

CONFIRMED = (HitState.CONFIRMED, HitState.RECTIFYING, HitState.RECTIFIED)


def confirmed_hits_by_handler(month_start: date, month_end: date) -> dict[int, int]:
    """{staff user id: confirmed hits on their applications} for hits confirmed from `month_start` to
    `month_end` (both included, Shanghai dates)."""
    handler = Application.objects.filter(subject_type=OuterRef("subject_type"), subject_id=OuterRef("subject_id")) \
        .values("handled_by_id")[:1]
    rows = (ScreeningHit.objects.filter(state__in=CONFIRMED, decided_at__date__gte=month_start,
                                        decided_at__date__lte=month_end)
            .annotate(handler=Subquery(handler)).filter(handler__isnull=False)
            .order_by().values("handler").annotate(n=Count("id")))
    return {row["handler"]: row["n"] for row in rows}


register_source("audit_hits", "稽核疑点", confirmed_hits_by_handler)
