"""What the fraud checks (risk/screening/fraud_*.py) share: folding text for comparison, masking, the local
date of a timestamp column in SQL, the window a sweep re-examines, and running a withdrawal reason's own rule
to surface its failure as a finding (the rules stay the withdrawals line's; screening only reports them)."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from fund.audit.masking import mask_id_number
from fund.integrations.base import IntegrationError
from fund.policy.selectors import policy_value

# The SQL twin of `fold`: NFKC (full-width letters and digits as ASCII), no whitespace, capitals.
FOLD_SQL = "upper(regexp_replace(normalize(coalesce({}, ''), NFKC), '\\s', '', 'g'))"


def fold(text: Any) -> str:
    """A value as compared across applications: what people type differently (full-width forms, spaces,
    letter case) does not tell two records apart."""
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split()).upper()


def masked(id_number: str) -> str:
    return mask_id_number(id_number) if id_number else ""


def today() -> date:
    return timezone.localdate()


def day_start(day: date) -> datetime:
    """The first instant of `day` in the centre's time zone (bounds for timestamp columns)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def sweep_window(business_date: date, params: dict[str, Any]) -> tuple[datetime, datetime]:
    """The instants a sweep re-examines: the `sweep_days` days up to and including the business date. The
    engine keeps one hit per rule, subject and key, so overlapping nights find the same hit, not a new one."""
    days = max(int(params.get("sweep_days", 7)), 1)
    return day_start(business_date - timedelta(days=days - 1)), day_start(business_date + timedelta(days=1))


def months_param(params: dict[str, Any], policy: str, on: date) -> int:
    """`params["months"]` when a rule row sets it, else the policy's figure in force on `on`."""
    value = params.get("months")
    return int(value) if value not in (None, "") else int(policy_value(policy, on=on))


def as_json(value: Any) -> Any:
    """A json/jsonb column read through a raw cursor: Django's connection hands it back as text."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def rows(sql: str, args: Sequence[Any] | dict[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return list(cursor.fetchall())


def subjects_by_pk(model: type[models.Model], pks: Iterable[int], *related: str) -> dict[int, Any]:
    return model._default_manager.select_related(*related).in_bulk(list(set(pks)))  # type: ignore[attr-defined]


def local_tz() -> str:
    return settings.TIME_ZONE


def reason_rule_verdict(withdrawal: Any, codes: tuple[str, ...], on: date) -> Any:
    """The verdict of the withdrawal's reason's own rule named by one of `codes` (the first the reason has),
    or None when the reason has none or an outside system could not answer (the decision stores that rule's
    verdict too, which the nightly sweep reads)."""
    from withdrawals.reasons import REASONS, Context

    reason = REASONS.get(withdrawal.reason)
    if reason is None:
        return None
    rule = next((r for code in codes for r in reason.rules if r.code == code), None)
    if rule is None:
        return None
    try:
        return rule.check(Context(withdrawal, on))
    except IntegrationError:
        return None
