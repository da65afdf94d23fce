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



def overdue_night(on: Any) -> dict[str, int]:
    """The close's steps the overdue ledger needs for the night of `on`, without the bank's debit (a borrower who
    does not pay): loans.overdue (20), loans.counters (60), then risk.overdue_ledger (100). Returns the ledger's
    counts."""
    from risk.services.overdue import overdue_ledger_step

    loans_closed_to(on)
    return overdue_ledger_step(on)


@pytest.fixture
def collectors(world: Any) -> Any:
    """清收岗: two collectors of branch A (甲清收, 乙清收) and one of branch B (丙清收), bound to their branch."""
    from fund.people.services import staff_create

    def collector(username: str, name: str, branch: Any) -> User:
        return staff_create(actor=None, username=username, name=name, branch=branch, posts=[Post.RISK],
                            employee_number=username, password=DEMO_PASSWORD)

    return Collectors(a1=collector("collector_a1", "甲清收", world.branch_a),
                      a2=collector("collector_a2", "乙清收", world.branch_a),
                      b=collector("collector_b", "丙清收", world.branch_b))


@dataclass
class Collectors:
    a1: User
    a2: User
    b: User
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
@pytest.fixture
def screening_rules(db: Any) -> None:
    """The default rule of every registered check (post_migrate makes them; a flushed database lost them)."""
    from risk.services.screening import rules_sync

    rules_sync()
