"""What every line's `describe` needs the same way: the open step of its review, a deadline from the
catalogue's time limit, the pages of paper a window application collected, the applicant's lookup suffix."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import models
from django.utils import timezone

from fund.catalogue.registry import catalogue_item
from fund.workdays import add_working_days
from fund.workflow.models import WorkItem
from fund.workflow.services import work_open_item

# "受理后 10 个工作日内作出审批决定", "网厅申请 1 个工作日内审核": the first count of working days a limit names.
_WORKING_DAYS = re.compile(r"(\d+)\s*个工作日")


def open_review_step(subject: models.Model) -> WorkItem | None:
    """The step of `subject`'s review waiting for someone now (初审, 审批 …), if one is open."""
    return work_open_item(subject)


def time_limit_days(item_code: str) -> int | None:
    """The working days the catalogue item's time limit gives (None: 即时办结, or no item by that code)."""
    try:
        text = catalogue_item(item_code).time_limit
    except KeyError:
        return None
    found = _WORKING_DAYS.search(text)
    return int(found.group(1)) if found else None


def time_limit_deadline(item_code: str, start: datetime | date | None) -> date | None:
    """The day the item's time limit runs out, counted in working days from `start` (its acceptance)."""
    days = time_limit_days(item_code)
    if days is None or start is None:
        return None
    day = timezone.localdate(start) if isinstance(start, datetime) else start
    return add_working_days(day, days)


def paper_pages(item_code: str, ticked: Iterable[Any]) -> int:
    """Pages of paper the window collected: each ticked material no shared data replaces, times its copies."""
    try:
        item = catalogue_item(item_code)
    except KeyError:
        return 0
    codes = {str(code) for code in ticked}
    return sum(m.copies for m in item.paper_materials if m.code in codes)


def all_paper_pages(item_code: str) -> int:
    """Pages of paper the item asks for when nothing says which were brought (materials needed always)."""
    try:
        item = catalogue_item(item_code)
    except KeyError:
        return 0
    return sum(m.copies for m in item.paper_materials if not m.condition)


def same_day(first: datetime | None, second: datetime | None) -> bool:
    return first is not None and second is not None and timezone.localdate(first) == timezone.localdate(second)


def suffix(identifier: str | None) -> str:
    """The last four characters of an ID number or credit code, as the public lookup asks for them."""
    return (identifier or "")[-4:].upper()


def is_staff_user(user_id: int | None) -> bool:
    """Whether the user who submitted something is centre staff (it was taken at a window) rather than the
    applicant online."""
    from fund.people.models import StaffProfile

    return user_id is not None and StaffProfile.objects.filter(user_id=user_id).exists()


def last_move_at(obj: models.Model) -> datetime | None:
    """When `obj`'s status last moved (for an end its line keeps no time of, such as a withdrawal of it)."""
    from fund.workflow.moves import status_history

    change = status_history(obj).order_by("-id").first()
    return change.at if change is not None else None
