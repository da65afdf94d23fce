"""Demo weights: besides the default set (the migration's), the director raised the deduction for late steps
from this month, so the weights page shows a history and the table is scored by it."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from .selectors import weight_map, weights_in_force
from .services import weights_set


def seed(ctx: Any) -> None:
    director = ctx.staff.get("director")
    if director is None:
        return
    today = timezone.localdate()
    weights = {code: str(per) for code, per in weight_map(weights_in_force(today)).items()}
    weights["late_steps"] = "-3"
    weights_set(actor=director, effective_from=today, base=100, weights=weights, note="超时环节扣分由 2 分提高到 3 分",
                today=today)
