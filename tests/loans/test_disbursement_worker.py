"""A released disbursement is paid by a real Celery worker over Redis, once, however often its send and the queue's
drain are delivered (a redelivered message, a beat run on top of the release's own send)."""

import subprocess
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import redis
from worker_support import WAIT_SECONDS, broker_url, sending_to

from fund.integrations.models import SandboxBankAccount, SandboxBankPayment
from fund.ledger.models import JournalEntry, SubLedgerRow
from fund.ledger.selectors import ledger_reconcile
from fund.payments.services import payment_of
from fund.payments.tasks import payment_send_task
from loans.models import Disbursement, DisbursementState, LoanStatus
from loans.services.disbursement import PURPOSE, disbursement_notice, disbursement_release
from loans.tasks import disbursement_queue_drain_task
from tests.loans.conftest import available_becomes, mortgaged_loan


def wait_until(done: Any, worker: subprocess.Popen, log: Path, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if done():
            return
        assert worker.poll() is None, f"the worker exited:\n{log.read_text()}"
        time.sleep(0.2)
    pytest.fail(f"{what} not reached after {WAIT_SECONDS}s; worker log:\n{log.read_text()}")


@pytest.mark.worker
def test_a_real_worker_pays_a_disbursement_once_whatever_is_redelivered(
        worker: subprocess.Popen, ln: Any, tmp_path: Path) -> None:
    SandboxBankAccount.objects.create(account_number="6217000000000000001", name="王卖方", bank_name="建设银行")
    loan = mortgaged_loan(ln)
    available_becomes("1000000.00", "worker")
    d = disbursement_notice(actor=ln.loan_admin, application=loan.application)
    with sending_to(broker_url()):
        disbursement_release(actor=ln.finance, disbursement=d)  # its send goes to the worker after commit
        attempt = payment_of(d, PURPOSE).attempts.get()
        for _ in range(2):  # the same send delivered again, and the beat's drain on top
            payment_send_task.delay(attempt.pk)
            disbursement_queue_drain_task.delay()
    log = tmp_path / "worker.log"
    wait_until(lambda: Disbursement.objects.get(pk=d.pk).state == DisbursementState.PAID, worker, log, "paid")
    broker = redis.Redis.from_url(broker_url())
    # Every message taken and acknowledged (tasks are acknowledged late, after they ran).
    wait_until(lambda: broker.llen("celery") == 0 and broker.hlen("unacked") == 0, worker, log, "queue drained")
    loan.refresh_from_db()
    assert loan.status == LoanStatus.ACTIVE and loan.balance == Decimal("600000.00")
    assert SandboxBankPayment.objects.filter(reference__startswith=d.reference).count() == 1
    assert JournalEntry.objects.filter(idempotency_key__startswith=f"payments.paid:{d.reference}").count() == 1
    assert SubLedgerRow.objects.filter(sub_account_id=loan.sub_account_id).count() == 1
    assert ledger_reconcile() == []
