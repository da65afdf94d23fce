"""Fake close steps, registered for one test and gone after it (the registry is swapped for an empty one), and
the users of the close's page: a branch's 财务 and 委贷管理, who may look, and the centre-wide director, who
may also start it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from fund.close import registry
from fund.close.models import CloseRun, CloseRunState
from fund.people.models import Post
from tests.conftest import PASSWORD


@dataclass
class FakeSteps:
    """Steps that record each call as (name, date); `fail` makes a step raise on a date until cleared."""

    calls: list[tuple[str, date]] = field(default_factory=list)
    fail: dict[tuple[str, date], str] = field(default_factory=dict)

    def step(self, name: str) -> Any:
        def run(business_date: date) -> dict[str, int]:
            self.calls.append((name, business_date))
            if (name, business_date) in self.fail:
                raise RuntimeError(self.fail[name, business_date])
            return {"处理笔数": len(self.calls)}

        return run

    def dates(self) -> list[date]:
        """The dates the steps ran for, each once, in the order they were first seen."""
        return list(dict.fromkeys(d for _, d in self.calls))


@pytest.fixture
def steps(monkeypatch: pytest.MonkeyPatch) -> FakeSteps:
    fake = FakeSteps()
    monkeypatch.setattr(registry, "_STEPS", {})
    # Registered out of order: the close runs them by `order`.
    registry.register_close_step("test.counters", label="推进计数", order=60, run=fake.step("test.counters"))
    registry.register_close_step("test.debit", label="批量扣款", order=40, run=fake.step("test.debit"))
    registry.register_close_step("test.overdue", label="逾期处理", order=20, run=fake.step("test.overdue"))
    return fake


ORDER = ["test.overdue", "test.debit", "test.counters"]


def closed(day: date) -> CloseRun:
    """A date whose close was done before the test (the machine then went down)."""
    from django.utils import timezone

    now = timezone.now()
    return CloseRun.objects.create(business_date=day, state=CloseRunState.DONE, started_at=now, finished_at=now,
                                   heartbeat_at=now)


@pytest.fixture
def finance(world: Any) -> Any:
    from fund.people.services import staff_create

    return staff_create(actor=None, username="finance_a", name="财务甲", branch=world.branch_a, posts=[Post.FINANCE],
                        employee_number="finance_a", password=PASSWORD)


@pytest.fixture
def loan_admin(world: Any) -> Any:
    from fund.people.services import staff_create

    return staff_create(actor=None, username="loanadmin_b", name="委贷乙", branch=world.branch_b,
                        posts=[Post.LOAN_ADMIN], employee_number="loanadmin_b", password=PASSWORD)
