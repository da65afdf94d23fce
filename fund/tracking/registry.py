"""The registry each business line fills: which of its models are applications, and how each one reads now."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import models


@dataclass(frozen=True, kw_only=True)
class Tracked:
    """One application as its line sees it now. `step_code` is the line's own state (or workflow step); a new
    value starts a new step in the history. Ids rather than objects, so a describe function need not fetch."""

    item_code: str  # the catalogue item ("TQ-07"); bundles and lines without an item use their own code
    title: str  # 租房提取 · 张三
    source_number: str  # the line's own business number (提取业务编号 …)
    branch_id: int
    person_id: int | None = None  # the applicant: a member …
    employer_id: int | None = None  # … or a unit
    lookup_suffix: str = ""  # last four characters of the applicant's ID number or credit code (public lookup)
    channel: str = "window"  # fund.catalogue.models.Channel value: window / online / cross_province
    instant: bool = False  # decided by 秒批
    submitted_at: datetime
    accepted_at: datetime | None = None  # 受理 (for online ones, when the centre took it up)
    finished_at: datetime | None = None  # 办结 (paid, approved, refused …)
    outcome: str = "open"  # tracking.models.Outcome value
    step_code: str
    step_label: str  # 受理 / 初审 / 审批 / 待付款 / 已办结 …
    step_deadline: date | None = None  # when the current step should be done (working days, by policy)
    returned: bool = False  # the current step is a return for missing materials (补正)
    handled_by_id: int | None = None  # the staff member who accepted it at the window
    visits: int = 0  # times the applicant came to a window for it
    pages: int = 0  # pages of paper collected
    on_the_spot: bool = False  # finished at the window in the visit that brought it
    # Since when the current step holds, where the line knows it (its work item's opening, the decision): the
    # backfill dates a step it registers late by it; a live step starts when `track` sees it change.
    step_since: datetime | None = None
    # The line texts the applicant about this step itself (its decision, its payout), or the step lasts seconds
    # (秒批's check): the register's own text would say the same thing twice, so it sends none for it.
    texted_by_line: bool = False


@dataclass(frozen=True)
class TrackedKind:
    key: str  # "withdrawals.withdrawal"
    model: type[models.Model]
    noun: str  # 提取申请
    # None: this row is not an application anyone filed (a standing instruction's monthly run), so not tracked.
    describe: Callable[[Any], Tracked | None]
    # Where staff and the applicant open the line's own page for it (None: the tracking page is all there is).
    staff_url: Callable[[Any], str] | None = None
    member_url: Callable[[Any], str] | None = None
    unit_url: Callable[[Any], str] | None = None


_KINDS: dict[str, TrackedKind] = {}
_BY_MODEL: dict[type[models.Model], TrackedKind] = {}


def register_tracked(kind: TrackedKind) -> None:
    """Register (or replace, so a reloaded app registers once) one model whose rows are applications."""
    _KINDS[kind.key] = kind
    _BY_MODEL[kind.model] = kind


def tracked_kinds() -> list[TrackedKind]:
    return list(_KINDS.values())


def tracked_kind_for(model: type[models.Model]) -> TrackedKind | None:
    return _BY_MODEL.get(model)


def tracked_kind(key: str) -> TrackedKind | None:
    return _KINDS.get(key)
