"""Time at the window (办理时效): how long a loan takes from acceptance to the money leaving, and how many
times the applicant had to come — the seeds' headline measures (Zhuzhou: five trips and a month → one visit and
half an hour; Liaoyuan: 50 minutes → 19). Medians, per channel and per branch, over the loans disbursed in a period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, QuerySet
from django.utils import timezone

from fund.aggregates import Median, MedianSeconds
from fund.people.models import Branch
from fund.people.selectors import staff_scope

from ..models import Channel, LoanApplication


@dataclass(frozen=True)
class TimingRow:
    key: str
    label: str
    loans: int
    median_minutes: float | None  # acceptance → disbursement
    median_visits: float | None

    @property
    def median_text(self) -> str:
        return duration_text(self.median_minutes)


def duration_text(minutes: float | None) -> str:
    """29.5 → "30分钟", 130 → "2小时10分", 3000 → "2.1天"; None → "—"."""
    if minutes is None:
        return "—"
    if minutes < 60:
        return f"{round(minutes)}分钟"
    if minutes < 24 * 60:
        hours, rest = divmod(round(minutes), 60)
        return f"{hours}小时{rest}分" if rest else f"{hours}小时"
    return f"{minutes / 1440:.1f}天"


@dataclass(frozen=True)
class Timing:
    start: date
    end: date
    overall: TimingRow
    by_channel: list[TimingRow]
    by_branch: list[TimingRow]


def disbursed_between(user: Any, start: date, end: date) -> QuerySet[LoanApplication]:
    """Loans accepted and disbursed between `start` and `end` (both included), in the staff member's scope
    (their branch, or the centre when centre-wide); nothing for anyone else."""
    is_staff, branch_id = staff_scope(user)
    if not is_staff:
        return LoanApplication.objects.none()
    tz = timezone.get_current_timezone()
    qs = LoanApplication.objects.filter(
        accepted_at__isnull=False, disbursed_at__gte=datetime.combine(start, time.min, tzinfo=tz),
        disbursed_at__lt=datetime.combine(end, time.max, tzinfo=tz),
    )
    return qs if branch_id is None else qs.filter(branch_id=branch_id)


def _measures() -> dict[str, Aggregate]:
    took = ExpressionWrapper(F("disbursed_at") - F("accepted_at"), output_field=DurationField())
    return {"loans": Count("id"), "took": MedianSeconds(took), "visits": Median("visits")}


def _rows(qs: QuerySet[LoanApplication], key: str) -> list[dict[str, Any]]:
    return list(qs.values(key).annotate(**_measures()).order_by(key))


def _row(key: str, label: str, raw: dict[str, Any] | None) -> TimingRow:
    if not raw or not raw["loans"]:
        return TimingRow(key=key, label=label, loans=0, median_minutes=None, median_visits=None)
    return TimingRow(key=key, label=label, loans=raw["loans"], median_minutes=raw["took"] / 60,
                     median_visits=raw["visits"])


def loan_timing(*, user: Any, start: date, end: date) -> Timing:
    qs = disbursed_between(user, start, end)
    overall = qs.aggregate(**_measures())
    channels = {r["channel"]: r for r in _rows(qs, "channel")}
    branches = {r["branch"]: r for r in _rows(qs, "branch")}
    names = dict(Branch.objects.filter(pk__in=branches).values_list("pk", "name"))
    return Timing(
        start=start, end=end, overall=_row("all", "全部", overall),
        by_channel=[_row(c.value, str(c.label), channels.get(c.value)) for c in Channel if c.value in channels],
        by_branch=[_row(str(pk), names.get(pk, str(pk)), raw) for pk, raw in sorted(branches.items())],
    )
