"""Two 风控 officers on top of the shared `world`, built the way tests/conftest.py builds staff.

    officers.risk      风控/清收, 市直管理部, centre-wide
    officers.risk_b    风控/清收, 高新区管理部 (a second officer, for the four-eyes rule)
"""

from dataclasses import dataclass
from typing import Any

import pytest

from fund.demo import DEMO_PASSWORD
from fund.people.models import Post, User
from tests.loan_world import ln  # noqa: F401  (the loan world, for the overdue and fraud tests)
from tests.withdrawals.conftest import wd  # noqa: F401  (a member with history, for the screening tests)


@dataclass
class Officers:
    risk: User
    risk_b: User


@pytest.fixture
def officers(world: Any) -> Officers:
    from fund.people.services import staff_create

    def officer(username: str, branch: Any) -> User:
        return staff_create(
            actor=None, username=username, name=f"风控{username}", branch=branch, posts=[Post.RISK],
            employee_number=username, password=DEMO_PASSWORD, centre_wide=True,
        )

    return Officers(risk=officer("risk", world.branch_a), risk_b=officer("risk_b", world.branch_b))



@pytest.fixture
def screening_rules(db: Any) -> None:
    """The default rule of every registered check (post_migrate makes them; a flushed database lost them)."""
    from risk.services.screening import rules_sync

    rules_sync()
