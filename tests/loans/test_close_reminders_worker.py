"""The close's due-date reminders are queued after the step commits and sent by a real Celery worker over Redis;
a second run of the step for the same date queues nothing."""

import subprocess
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from worker_support import WAIT_SECONDS, broker_url, sending_to

from fund.integrations.models import SandboxSms
from loans.close import reminders_step


def wait_until(done: Any, worker: subprocess.Popen, log: Path, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if done():
            return
        assert worker.poll() is None, f"the worker exited:\n{log.read_text()}"
        time.sleep(0.2)
    pytest.fail(f"{what} not reached after {WAIT_SECONDS}s; worker log:\n{log.read_text()}")


@pytest.mark.worker
def test_a_real_worker_sends_the_reminders_the_close_queued_once(worker: subprocess.Popen, ln: Any,
                                                                   tmp_path: Path) -> None:
    first, second = ln.active_loan(), ln.active_loan()
    phone = first.borrower.phone
    with sending_to(broker_url()):
        assert reminders_step(date(2026, 4, 17))["reminded"] == 2
        assert reminders_step(date(2026, 4, 17))["reminded"] == 0
    log = tmp_path / "worker.log"
    reminders = SandboxSms.objects.filter(phone=phone, text__contains="合同号")  # 好差评's invitations aside
    wait_until(lambda: reminders.count() >= 2, worker, log, "texts sent")
    texts = list(reminders.values_list("text", flat=True))
    assert sorted(t.split("合同号")[1][:12] for t in texts) == sorted([first.contract_number, second.contract_number])
