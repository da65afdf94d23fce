"""A rent withdrawal submitted in Django is decided and paid by a real Celery worker over Redis."""

import subprocess
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from worker_support import broker_url, sending_to

from fund.ledger.selectors import ledger_reconcile
from withdrawals.models import Withdrawal, WithdrawalState
from withdrawals.services import withdrawal_submit


def wait_paid(withdrawal: Withdrawal, worker: subprocess.Popen, log: Path, seconds: float = 90) -> Withdrawal:
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
