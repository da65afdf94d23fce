"""The replayers a what-if runs: each business line registers one per kind of decision it can replay.

A replayer is two functions: `subjects(period)` lists the ids of the decisions made in the period (in the order
they were made), and `replay(ids, request)` yields one `ReplayResult` per id it can replay, reading only stored
inputs. The engine (services.py) calls `replay` in slices, each inside a read-only transaction that is always
rolled back, and stores what it yields in its own tables; a replayer never writes.

`request.draft()` is the block in which policy reads answer the draft values (`policy_overrides`). A replayer
decides each application twice from the same stored inputs — under the values in force on its day, and under
the draft — and reports the draft's decision only where the two differ; elsewhere the recorded decision stands.
So what changed since (a later deposit, a person's lowered amount at 审批) is never mistaken for the draft's effect.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from fund.policy.definitions import PolicyScalar
from fund.policy.selectors import policy_overrides


class Decision(StrEnum):
    APPROVED = "approved"
    REFUSED = "refused"


DECISION_LABELS = {Decision.APPROVED: "批准", Decision.REFUSED: "不予办理"}


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"


@dataclass(frozen=True)
class ReplayRequest:
    period: Period
    values: Mapping[str, PolicyScalar]  # the draft, in stored units

    def draft(self) -> AbstractContextManager[Mapping[str, PolicyScalar]]:
        return policy_overrides(self.values)


@dataclass(frozen=True, kw_only=True)
class ReplayResult:
    """One application replayed: what was decided, and what the draft would decide. `amount` is the figure the
    decision fixes (a withdrawal's amount, a loan's quota); `moved` the money it moves when approved (the
    withdrawal's amount; for a loan, what it lends: the amount asked within the quota)."""

    subject: str  # "<app label>.<model>:<pk>", e.g. "withdrawals.withdrawal:12"
    number: str
    applicant: str  # masked: name and the ID number's last four
    month: date  # the first of the month the decision was made in
    old_decision: Decision
    old_amount: Decimal | None
    new_decision: Decision
    new_amount: Decimal | None
    old_moved: Decimal = Decimal("0.00")
    new_moved: Decimal = Decimal("0.00")
    note: str = ""  # why it changed, in Chinese (the binding rule or limit)

    @property
    def changed(self) -> bool:
        return self.old_decision != self.new_decision or self.old_amount != self.new_amount


SubjectsFn = Callable[[Period], Sequence[int]]
ReplayFn = Callable[[Sequence[int], ReplayRequest], Iterable[ReplayResult]]


@dataclass(frozen=True)
class Replayer:
    code: str
    label: str
    subjects: SubjectsFn
    replay: ReplayFn
    policies: tuple[str, ...] = field(default=())  # the policies its decisions read, for the form to offer first


_REPLAYERS: dict[str, Replayer] = {}


def register_replayer(code: str, label: str, *, subjects: SubjectsFn, replay: ReplayFn,
                      policies: Iterable[str] = ()) -> Replayer:
    """Register (or replace: an app's ready() may run twice) the replayer `code`."""
    replayer = Replayer(code=code, label=label, subjects=subjects, replay=replay, policies=tuple(policies))
    _REPLAYERS[code] = replayer
    return replayer


def replayers() -> list[Replayer]:
    return sorted(_REPLAYERS.values(), key=lambda r: r.code)


def replayer_get(code: str) -> Replayer | None:
    return _REPLAYERS.get(code)


def in_slices(ids: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def applicant_label(name: str, id_number: str) -> str:
    """How a what-if names an applicant: the surname and the ID number's ends (张** 370802********1234)."""
    from fund.audit.masking import mask_id_number

    shown = f"{name[:1]}{'*' * max(len(name) - 1, 1)}" if name else ""
    return f"{shown} {mask_id_number(id_number)}".strip()
