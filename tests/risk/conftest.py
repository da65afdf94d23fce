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



def loans_closed_to(on: Any) -> None:
    """The loans' close steps that make instalments overdue and count them (20 loans.overdue, 60 loans.counters),
    run for business date `on`: what the risk steps read. Set-based over every loan."""
    from loans.close import counters_step, overdue_step

    overdue_step(on)
    counters_step(on)


def loan_first_due(ln: Any, first_due: Any, **fields: Any) -> Any:
    """A disbursed loan whose first instalment falls due on `first_due` (disbursed the 1st of the month before)."""
    from fund.dates import add_months

    return ln.active_loan(disbursed_on=add_months(first_due, -1), day=first_due.day, **fields)
