"""Reading what-if runs: who may see them, a run's counts side by side, its changed applications, the money per
month, and the scheduled policy changes a run may start from.

Only centre-wide directors see runs (any director sees every run, so a colleague can read the one prepared for
a meeting); everyone else gets 404, as for a run that does not exist. A draft policy value is not yet public.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from fund.money import ZERO
from fund.policy.definitions import BY_NAME
from fund.policy.models import PolicyValue

from .models import WhatIfResult, WhatIfRun
from .registry import DECISION_LABELS, Decision, replayer_get
from .services import whatif_can_run


def whatif_runs_for_user(user: Any) -> QuerySet[WhatIfRun]:
    if not whatif_can_run(user):
        return WhatIfRun.objects.none()
    return WhatIfRun.objects.select_related("created_by", "source").order_by("-id")


def whatif_run_get_for_user(user: Any, pk: int) -> WhatIfRun:
    run = whatif_runs_for_user(user).filter(pk=pk).first()
    if run is None:
        raise Http404("未找到该模拟")
    return run


@dataclass(frozen=True)
class DraftValue:
    name: str
    label: str
    draft: str  # as a person reads it
    current: str  # in force today


def draft_values(run: WhatIfRun) -> list[DraftValue]:
    from fund.policy.selectors import policy_row_in_force

    out = []
    for name, stored in run.values.items():
        definition = BY_NAME.get(name)
        if definition is None:
            continue
        row = policy_row_in_force(name)
        out.append(DraftValue(name=name, label=definition.label, draft=definition.display(definition.parse(stored)),
                              current=row.display if row else "—"))
    return out


@dataclass
class LineSummary:
    code: str
    label: str
    replayed: int = 0
    changed: int = 0
    to_refused: int = 0  # approved → refused
    to_approved: int = 0  # refused → approved
    amount_changed: int = 0  # same decision, another amount
    old_moved: Decimal = ZERO
    new_moved: Decimal = ZERO

    @property
    def moved_difference(self) -> Decimal:
        return self.new_moved - self.old_moved


@dataclass
class MonthRow:
    month: date
    old_moved: Decimal
    new_moved: Decimal

    @property
    def difference(self) -> Decimal:
        return self.new_moved - self.old_moved


@dataclass
class Summary:
    lines: list[LineSummary] = field(default_factory=list)
    months: list[MonthRow] = field(default_factory=list)

    @property
    def replayed(self) -> int:
        return sum(x.replayed for x in self.lines)

    @property
    def changed(self) -> int:
        return sum(x.changed for x in self.lines)

    @property
    def old_moved(self) -> Decimal:
        return sum((x.old_moved for x in self.lines), ZERO)

    @property
    def new_moved(self) -> Decimal:
        return sum((x.new_moved for x in self.lines), ZERO)


def whatif_summary(run: WhatIfRun) -> Summary:
    """Counts per replayer, and the money moved per month before and after, in two grouped queries."""
    approved, refused = Decision.APPROVED.value, Decision.REFUSED.value
    rows = (WhatIfResult.objects.filter(run=run).values("replayer").order_by("replayer").annotate(
        n_replayed=Count("id"), n_changed=Count("id", filter=Q(changed=True)),
        n_to_refused=Count("id", filter=Q(old_decision=approved, new_decision=refused)),
        n_to_approved=Count("id", filter=Q(old_decision=refused, new_decision=approved)),
        n_amount_changed=Count("id", filter=Q(changed=True, old_decision=approved, new_decision=approved)),
        sum_old=Sum("old_moved"), sum_new=Sum("new_moved"),
    ))
    found: dict[str, dict[str, Any]] = {r["replayer"]: dict(r) for r in rows}
    lines = []
    for code in run.replayers:
        replayer = replayer_get(code)
        r: dict[str, Any] = found.get(code, {})
        lines.append(LineSummary(
            code=code, label=replayer.label if replayer else code, replayed=r.get("n_replayed", 0),
            changed=r.get("n_changed", 0), to_refused=r.get("n_to_refused", 0), to_approved=r.get("n_to_approved", 0),
            amount_changed=r.get("n_amount_changed", 0), old_moved=r.get("sum_old") or ZERO,
            new_moved=r.get("sum_new") or ZERO,
        ))
    months = [MonthRow(m["month"], m["sum_old"] or ZERO, m["sum_new"] or ZERO) for m in (
        WhatIfResult.objects.filter(run=run).values("month").order_by("month")
        .annotate(sum_old=Sum("old_moved"), sum_new=Sum("new_moved")))]
    return Summary(lines=lines, months=months)


def whatif_changes(run: WhatIfRun) -> QuerySet[WhatIfResult]:
    """The applications whose decision or amount the draft changes, in the order they were decided."""
    return WhatIfResult.objects.filter(run=run, changed=True).order_by("month", "id")


def decision_label(code: str) -> str:
    try:
        return DECISION_LABELS[Decision(code)]
    except ValueError:
        return code


def scheduled_changes(today: date | None = None) -> list[PolicyValue]:
    """Live policy values scheduled after today: each is a change a what-if may start from."""
    today = today or timezone.localdate()
    return list(PolicyValue.objects.filter(withdrawn_at__isnull=True, effective_from__gt=today)
                .order_by("effective_from", "name"))


def scheduled_draft(source: PolicyValue) -> dict[str, str]:
    """The draft a scheduled change prefills: it and every other change scheduled for the same day (one policy
    document often moves several numbers), in stored units."""
    rows = PolicyValue.objects.filter(withdrawn_at__isnull=True, effective_from=source.effective_from)
    out: dict[str, str] = {}
    for row in rows.order_by("name"):
        out[row.name] = row.text if row.number is None else str(row.number)
    return out
