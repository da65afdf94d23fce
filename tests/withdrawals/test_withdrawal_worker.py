"""A rent withdrawal submitted in Django is decided and paid by a real Celery worker over Redis."""

import subprocess
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from worker_support import WAIT_SECONDS, broker_url, sending_to

from fund.ledger.selectors import ledger_reconcile
from withdrawals.models import Withdrawal, WithdrawalState
from withdrawals.services import withdrawal_submit


def wait_paid(withdrawal: Withdrawal, worker: subprocess.Popen, log: Path, seconds: float = WAIT_SECONDS) -> Withdrawal:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        withdrawal.refresh_from_db()
        if withdrawal.state not in (WithdrawalState.SUBMITTED, WithdrawalState.APPROVED):
            return withdrawal
        assert worker.poll() is None, f"the worker exited:\n{log.read_text()}"
        time.sleep(0.2)
    pytest.fail(f"withdrawal still {withdrawal.state} after {seconds}s; worker log:\n{log.read_text()}")


@pytest.mark.worker
def test_a_real_worker_decides_and_pays_a_rent_withdrawal(worker: subprocess.Popen, wd: Any, tmp_path: Path) -> None:
    before = wd.balance
    with sending_to(broker_url()):
        withdrawal = withdrawal_submit(actor=wd.world.member_a, account=wd.account, reason="07", channel="api",
                                       amount="2000.00", client_token="worker-test")
        assert Withdrawal.objects.get(pk=withdrawal.pk).state == WithdrawalState.SUBMITTED
    withdrawal = wait_paid(withdrawal, worker, tmp_path / "worker.log")
    assert withdrawal.state == WithdrawalState.PAID, withdrawal.decision_note
    assert withdrawal.decider == "auto"
    assert wd.balance == before - Decimal("2000.00")
    assert withdrawal.payouts.count() == 1
    assert ledger_reconcile() == []


def _worker_backends() -> set[int]:
    """PostgreSQL server processes connected to the test database other than this test's own."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
                       "AND backend_type = 'client backend'")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.worker
def test_the_worker_keeps_its_database_connection_from_one_task_to_the_next(
    worker: subprocess.Popen, wd: Any, tmp_path: Path
) -> None:
    """Celery's Django fixup would close the connection around every task, so each 秒批 decision paid for a
    new PostgreSQL session; `fund.celery` keeps it as Django keeps a request's (CONN_MAX_AGE)."""
    served: list[set[int]] = []
    for n in (1, 2):
        with sending_to(broker_url()):
            withdrawal = withdrawal_submit(actor=wd.world.member_a, account=wd.account, reason="07", channel="api",
                                           amount="100.00", client_token=f"worker-connection-{n}")
        withdrawal = wait_paid(withdrawal, worker, tmp_path / "worker.log")
        assert withdrawal.state == WithdrawalState.PAID, withdrawal.decision_note
        served.append(_worker_backends())
    assert served[0], "the worker closed its connection when the task ended"
    assert served[0] & served[1], "the second task ran on a new PostgreSQL session"
