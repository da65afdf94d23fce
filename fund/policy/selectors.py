"""Reading policy: the value in force on a date, the table of all values, one policy's history.

`policy_value(name, on)` is the only way business code reads a number a city may set. The value in force
on a day is the live (not withdrawn) row with the latest effective_from on or before that day.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any

from django.http import Http404
from django.utils import timezone

from fund.people.models import Post
from fund.people.roles import roles_of

from .definitions import DEFINITIONS, PolicyDefinition, PolicyScalar, definition_find
from .models import PolicyValue


class PolicyMissing(LookupError):
    """No value can be given: the name is unknown, or nothing is in force on the date."""


class PolicyUnknown(PolicyMissing):
    """The name (or standard code) is not a policy this system knows."""


def policy_definition_get(name: str) -> PolicyDefinition:
    definition = definition_find(name)
    if definition is None:
        raise PolicyUnknown(f"未定义的政策参数：{name}")
    return definition


def policy_definition_get_or_404(name: str) -> PolicyDefinition:
    """For a page or an API addressed by the policy's name: an unknown name is a missing page."""
    try:
        return policy_definition_get(name)
    except PolicyUnknown as exc:
        raise Http404("未找到该政策参数") from exc


# Draft values a what-if evaluates under (`policy_overrides`): consulted before the rows, on every date.
_OVERRIDES: ContextVar[Mapping[str, PolicyScalar]] = ContextVar("policy_overrides", default=MappingProxyType({}))


@contextmanager
def policy_overrides(values: Mapping[str, object]) -> Iterator[Mapping[str, PolicyScalar]]:
    """Within the block, `policy_value` and `policy_day(...).value` answer `values` for those policies, whatever
    the date asked: a what-if replays past decisions as if a draft were in force on each one's day.

    Values are in stored units (percentages as fractions) and checked as a scheduled value is; a name that is
    not a policy raises PolicyUnknown, a bad value ValueError (Chinese, naming the policy). Nested blocks add to
    the outer one's values. Nothing is written: only this context (thread, task) sees the draft.
    """
    parsed: dict[str, PolicyScalar] = {}
    for name, raw in values.items():
        definition = policy_definition_get(name)
        parsed[definition.name] = definition.parse(raw)
    token = _OVERRIDES.set(MappingProxyType({**_OVERRIDES.get(), **parsed}))
    try:
        yield MappingProxyType(parsed)
    finally:
        _OVERRIDES.reset(token)


def policy_overridden() -> Mapping[str, PolicyScalar]:
    """The draft values in effect here (empty outside `policy_overrides`)."""
    return _OVERRIDES.get()


def _live() -> Any:
    return PolicyValue.objects.filter(withdrawn_at__isnull=True)


def policy_row_in_force(name: str, on: date | None = None) -> PolicyValue | None:
    """The live row in force on `on` (today when None), or None."""
    definition = policy_definition_get(name)
    on = on or timezone.localdate()
    return _live().filter(name=definition.name, effective_from__lte=on).order_by(
        "-effective_from", "-created_at").first()


def _typed(definition: PolicyDefinition, row: PolicyValue | None, on: date) -> PolicyScalar:
    if row is None:
        raise PolicyMissing(f"政策参数“{definition.label}”（{definition.name}）在 {on:%Y-%m-%d} 没有生效的值")
    return definition.from_stored(row.number, row.text)


def policy_value(name: str, on: date | None = None) -> PolicyScalar:
    """The value of policy `name` in force on `on` (today when None).

    Typed by the policy's kind: Decimal (percentages as fractions, money to the fen), int, or str.
    Raises PolicyUnknown for a name that is not defined, PolicyMissing when no value is in force that day.
    """
    definition = policy_definition_get(name)
    overrides = _OVERRIDES.get()
    if definition.name in overrides:
        return overrides[definition.name]
    on = on or timezone.localdate()
    return _typed(definition, policy_row_in_force(definition.name, on), on)


@dataclass(frozen=True)
class PolicyDay:
    """Every policy in force on one day, read in one query: for work that reads several (a 秒批 decision
    reads three or more; one query instead of one each)."""

    on: date
    rows: dict[str, PolicyValue]

    def value(self, name: str) -> PolicyScalar:
        """As `policy_value(name, self.on)`, with the same errors and the same overrides."""
        definition = policy_definition_get(name)
        overrides = _OVERRIDES.get()
        if definition.name in overrides:
            return overrides[definition.name]
        return _typed(definition, self.rows.get(definition.name), self.on)


def policy_day(on: date | None = None) -> PolicyDay:
    """The row in force on `on` (today when None) of every policy that has one."""
    on = on or timezone.localdate()
    rows: dict[str, PolicyValue] = {}
    # One ordered scan of a small table; the first row seen per name wins.
    for row in _live().filter(effective_from__lte=on).order_by("name", "-effective_from", "-created_at"):
        rows.setdefault(row.name, row)
    return PolicyDay(on, rows)


@dataclass(frozen=True)
class PolicyTableRow:
    definition: PolicyDefinition
    current: PolicyValue | None
    next_change: PolicyValue | None

    @property
    def value(self) -> PolicyScalar | None:
        return self.current.typed_value if self.current else None


def policy_table(on: date | None = None) -> list[PolicyTableRow]:
    """Every defined policy with the row in force on `on` and the next scheduled change after it."""
    on = on or timezone.localdate()
    current = policy_day(on).rows
    upcoming: dict[str, PolicyValue] = {}
    for row in _live().filter(effective_from__gt=on).order_by("name", "effective_from"):
        upcoming.setdefault(row.name, row)
    return [PolicyTableRow(d, current.get(d.name), upcoming.get(d.name)) for d in DEFINITIONS]


class HistoryStatus:
    IN_FORCE = "生效中"
    SUPERSEDED = "已失效"
    SCHEDULED = "待生效"
    WITHDRAWN = "已撤回"


@dataclass(frozen=True)
class PolicyHistoryEntry:
    row: PolicyValue
    status: str

    @property
    def can_withdraw(self) -> bool:
        return self.status == HistoryStatus.SCHEDULED


def policy_history(name: str, *, on: date | None = None) -> list[PolicyHistoryEntry]:
    """All rows of one policy, newest effective date first, each with its status as of `on` (today)."""
    definition = policy_definition_get(name)
    on = on or timezone.localdate()
    in_force = policy_row_in_force(definition.name, on)
    rows = PolicyValue.objects.filter(name=definition.name).select_related("created_by", "withdrawn_by")
    out = []
    for row in rows.order_by("-effective_from", "-created_at"):
        if row.withdrawn_at is not None:
            status = HistoryStatus.WITHDRAWN
        elif in_force is not None and row.pk == in_force.pk:
            status = HistoryStatus.IN_FORCE
        elif row.effective_from > on:
            status = HistoryStatus.SCHEDULED
        else:
            status = HistoryStatus.SUPERSEDED
        out.append(PolicyHistoryEntry(row, status))
    return out


def policy_can_manage(user: Any) -> bool:
    """Only a centre-wide director (分管副主任/主任) may schedule or withdraw policy values."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    roles = roles_of(user)
    return roles.staff is not None and roles.staff.centre_wide and roles.has_post(Post.DIRECTOR)
