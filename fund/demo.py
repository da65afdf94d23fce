"""Building blocks for demo data and tests: valid identifiers and the core's demo parties.

Every business app may have a `demo.py` with `seed(ctx: DemoContext)`; the `demo_data` command runs the
core first, then each installed app's seed in INSTALLED_APPS order, so fund never imports them.
"""

import os
import random
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module
from typing import Any

from stdnum.cn import ric

from fund.people.models import Branch, Post, User
from fund.validation import credit_code_complete

DEMO_PASSWORD = os.environ.get("FUND_DEMO_PASSWORD", "Demo@2026fund")
CITY_CODE = "370800"
BRANCHES = [("01", "市直管理部"), ("02", "高新区管理部"), ("03", "北湖管理部")]


def make_id_number(*, birth: date, seq: int, region: str = "370802", male: bool = True) -> str:
    """A resident ID that passes GB 11643: region, birth date, a sequence (odd for men), check digit."""
    order = (seq * 2 + (1 if male else 0)) % 1000
    if order % 2 != (1 if male else 0):
        order = (order + 1) % 1000
    body = f"{region}{birth:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum drops the last character


def make_credit_code(seq: int, *, kind: str = "91") -> str:
    """A unified social credit code that passes GB 32100."""
    body = f"{kind}{CITY_CODE}MA{seq:07d}"
    return credit_code_complete(body)


@dataclass
class DemoContext:
    rng: random.Random
    today: date
    branches: list[Branch] = field(default_factory=list)
    staff: dict[str, User] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (portal, username, description)
    people: list[Any] = field(default_factory=list)
    employers: list[Any] = field(default_factory=list)


STAFF_PLAN = [
    # username, name, branch index, posts, centre-wide
    ("clerk01", "王晓梅", 0, [Post.ACCEPT], False),
    ("review01", "李建国", 0, [Post.REVIEW], False),
    ("approve01", "张丽华", 0, [Post.APPROVE], False),
    ("director", "陈志远", 0, [Post.DIRECTOR, Post.APPROVE], True),
    ("finance", "刘芳", 0, [Post.FINANCE], True),
    ("loanadmin", "赵明", 0, [Post.LOAN_ADMIN], True),
    ("risk", "孙强", 0, [Post.RISK], True),
    ("auditor", "周敏", 0, [Post.AUDIT], True),
    ("clerk02", "吴军", 1, [Post.ACCEPT, Post.REVIEW], False),
    ("approve02", "郑红", 1, [Post.APPROVE], False),
    ("clerk03", "冯磊", 2, [Post.ACCEPT, Post.REVIEW], False),
    ("approve03", "何静", 2, [Post.APPROVE], False),
]


def seed_core(ctx: DemoContext) -> None:
    from fund.people.services import staff_create

    for code, name in BRANCHES:
        ctx.branches.append(Branch.objects.create(code=code, name=name, address=f"示范市{name}", phone="12329"))
    for index, (username, name, branch, posts, centre_wide) in enumerate(STAFF_PLAN, start=1):
        user = staff_create(
            actor=None, username=username, name=name, branch=ctx.branches[branch], posts=list(posts),
            employee_number=f"G{index:04d}", password=DEMO_PASSWORD, centre_wide=centre_wide,
        )
        ctx.staff[username] = user
        labels = "、".join(Post(p).label for p in posts)
        portal = "稽核（admin）" if Post.AUDIT in posts else "综合窗口"
        ctx.logins.append((portal, username, f"{name}，{ctx.branches[branch].name}，{labels}{'，全中心' if centre_wide else ''}"))
    from fund.measures.demo import seed as seed_measures  # a year of past applications for 服务效能's trends
    seed_measures(ctx)
    import_module("fund.holidays.demo").seed(ctx)
    import_module("fund.tickets.demo").seed(ctx)
