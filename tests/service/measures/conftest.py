"""A crafted March 2026 of applications in the register, worked by hand in test_measures_figures.py.

Rows are written straight into fund.tracking's table (the measures read nothing else), with the times in
Shanghai: the month an application counts in is the month it was submitted there.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType

from fund.people.models import Branch, Post, User
from fund.tracking.models import Application
from tests.conftest import PASSWORD, BranchFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
X, Y = "TQ-07", "GJ-02"  # two catalogue items
_subjects = count(1)


def at(text: str) -> datetime:
    """"2026-03-01 00:05" in Shanghai."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)


def application(branch: Branch, item: str, submitted: str, *, channel: str = "window", minutes: int | None = None,
                outcome: str = "done", instant: bool = False, visits: int = 0, pages: int = 0,
                on_the_spot: bool = False) -> Application:
    """One application; `minutes` from acceptance (an hour after submission) to its finish, None: not finished."""
    submitted_at = at(submitted)
    accepted_at = submitted_at + timedelta(hours=1)
    n = next(_subjects)
    return Application.objects.create(
        number=f"BJT{n:08d}", kind="test", item_code=item, title=item,
        subject_type=ContentType.objects.get_for_model(Branch), subject_id=n, branch=branch, channel=channel,
        instant=instant, submitted_at=submitted_at, accepted_at=accepted_at,
        finished_at=None if minutes is None else accepted_at + timedelta(minutes=minutes), outcome=outcome,
        step_code=outcome, step_label=outcome, step_since=submitted_at, visits=visits, pages=pages,
        on_the_spot=on_the_spot,
    )


@dataclass
class Centre:
    branch_a: Branch
    branch_b: Branch
    director: User  # centre-wide
    head_b: User  # 审批 of branch B: a branch head
    clerk_a: User  # 受理 of branch A: not a viewer


def staff(username: str, branch: Branch, posts: list[str], centre_wide: bool = False) -> User:
    from fund.people.services import staff_create

    return staff_create(actor=None, username=username, name=username, branch=branch, posts=posts,
                        employee_number=username, password=PASSWORD, centre_wide=centre_wide)


@pytest.fixture
def centre(db: Any) -> Centre:
    a, b = BranchFactory(code="01", name="市直管理部"), BranchFactory(code="02", name="高新区管理部")
    return Centre(branch_a=a, branch_b=b, director=staff("m_director", a, [Post.DIRECTOR, Post.APPROVE], True),
                  head_b=staff("m_head_b", b, [Post.APPROVE]), clerk_a=staff("m_clerk_a", a, [Post.ACCEPT]))


@pytest.fixture
def march(centre: Centre) -> Centre:
    """Rows 1–9 are March 2026 (Shanghai), row 10 April, row 11 February — see the module docstring of
    test_measures_figures.py for the sums."""
    a, b = centre.branch_a, centre.branch_b
    # Branch A, item X: the first minutes of March in Shanghai are still 28 February in UTC.
    application(a, X, "2026-03-01 00:05", minutes=20, visits=1, pages=10, on_the_spot=True)  # 1
    application(a, X, "2026-03-05 10:00", minutes=60, visits=2, pages=6)  # 2
    application(a, X, "2026-03-06 10:00", channel="online", minutes=2, instant=True)  # 3
    application(a, X, "2026-03-07 10:00", channel="online", minutes=100)  # 4
    # Branch A, item Y
    application(a, Y, "2026-03-08 10:00", minutes=10, visits=1, pages=4, on_the_spot=True)  # 5
    application(a, Y, "2026-03-09 10:00", channel="cross_province", minutes=30, outcome="refused")  # 6
    # Branch B
    application(b, X, "2026-03-10 10:00", minutes=None, outcome="open", visits=3, pages=20)  # 7
    application(b, X, "2026-03-11 10:00", channel="online", minutes=1, instant=True, pages=2)  # 8
    application(b, Y, "2026-03-31 23:30", minutes=5, visits=1, pages=8, on_the_spot=True)  # 9: UTC 15:30 the 31st
    application(b, Y, "2026-04-01 00:10", channel="online", minutes=40)  # 10: still 31 March in UTC
    application(a, X, "2026-02-28 23:59", minutes=50, visits=5, pages=99)  # 11: February, outside the period
    return centre
