"""Setting the assessment's weights: the director makes a new set, in force from a month that has not begun
being scored with weights already shown as final (this month or later). Sets are never edited, so the history
says which weights scored which month."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from fund.audit.services import audit_log
from fund.dates import first_of_month
from fund.validation import clean_line

from .models import Weight, WeightSet
from .selectors import weights_may_edit, weights_text
from .terms import DEFAULT_BASE, DEFAULT_WEIGHTS, term_specs

DEFAULT_FROM = date(2000, 1, 1)
DEFAULT_NOTE = "系统初始权重（济宁百分考核：基础分 100，按差错扣分，好评加分）"
BASE_RANGE = (Decimal("0"), Decimal("1000"))
PER_RANGE = (Decimal("-100"), Decimal("100"))


def _decimal(raw: Any, *, field: str, label: str, bounds: tuple[Decimal, Decimal], errors: dict[str, list[str]]) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
        if not value.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors[field] = [f"{label}应为数字，如 -2 或 0.5"]
        return Decimal("0")
    if value != value.quantize(Decimal("0.01")):
        errors[field] = [f"{label}最多两位小数"]
    elif not bounds[0] <= value <= bounds[1]:
        errors[field] = [f"{label}应在 {bounds[0]} 至 {bounds[1]} 之间"]
    return value


def weights_set(*, actor: Any, effective_from: date | None, base: Any, weights: dict[str, Any], note: Any = "",
                today: date | None = None) -> WeightSet:
    """A new weight set from `effective_from`'s month. `weights` maps term codes (built-in or registered
    sources) to the points per occurrence; a term left out weighs 0. Refused, naming the field: a month
    already past, a number out of range, an unknown term."""
    if not weights_may_edit(actor):
        raise PermissionDenied("只有分管副主任/主任可以调整考核权重")
    errors: dict[str, list[str]] = {}
    today = today or timezone.localdate()
    if effective_from is None:
        errors["effective_from"] = ["请填写生效月份"]
    elif first_of_month(effective_from) < first_of_month(today):
        errors["effective_from"] = ["生效月份不能早于本月：已过去月份的考核按当时的权重计分"]
    value = _decimal(base, field="base", label="基础分", bounds=BASE_RANGE, errors=errors)
    # A source not registered yet (the tickets app's complaints) may still carry a weight, ready for when it is.
    known = {**{code: code for code in DEFAULT_WEIGHTS}, **{t.code: t.label for t in term_specs()}}
    per: dict[str, Decimal] = {}
    for code, raw in weights.items():
        if code not in known:
            errors.setdefault("weights", []).append(f"未知的考核项：{code}")
            continue
        per[code] = _decimal(raw, field=f"w_{code}", label=known[code], bounds=PER_RANGE, errors=errors)
    try:
        text = clean_line(note, label="调整说明", max_length=200, required=False)
    except ValidationError as exc:
        errors["note"] = exc.messages
        text = ""
    if errors or effective_from is None:
        raise ValidationError(errors)
    with transaction.atomic():
        weight_set = WeightSet.objects.create(effective_from=first_of_month(effective_from), base=value, note=text,
                                              created_by=actor)
        Weight.objects.bulk_create([Weight(weight_set=weight_set, term=code, per=amount) for code, amount in per.items()])
        audit_log(actor=actor, action="assessment.weights.set", target=weight_set,
                  new={"effective_from": weight_set.effective_from, "base_score": value, "weights": weights_text(per),
                       "note": text})
    return weight_set


def default_weights_seed(*, set_model: Any = None, weight_model: Any = None) -> bool:
    """Write the default weight set (fund.assessment.terms) when there is none, in force from long before any
    business the system holds; True if written. The first migration calls it with its historical models, and
    post_migrate after a test flush empties the tables."""
    set_model = set_model or WeightSet
    weight_model = weight_model or Weight
    if set_model.objects.exists():
        return False
    weight_set = set_model.objects.create(effective_from=DEFAULT_FROM, base=DEFAULT_BASE, note=DEFAULT_NOTE)
    weight_model.objects.bulk_create([weight_model(weight_set=weight_set, term=code, per=per)
                                      for code, per in DEFAULT_WEIGHTS.items()])
    return True
