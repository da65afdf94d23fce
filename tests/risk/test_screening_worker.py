"""Screening on commit with a real Celery worker: a withdrawal submitted in Django is screened by the worker's
`risk.screen_subject` task, queued by the audit listener after the submission committed."""

import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from worker_support import WAIT_SECONDS, broker_url, sending_to

from risk.models import ScreeningRecord
from risk.services.screening import rules_sync
from withdrawals.services import withdrawal_submit


@pytest.mark.worker
def test_a_real_worker_screens_a_submitted_withdrawal_after_it_commits(
        worker: subprocess.Popen, wd: Any, tmp_path: Path) -> None:
    rules_sync()
    with sending_to(broker_url()):
        w = withdrawal_submit(actor=wd.world.member_a, account=wd.account, reason="07", channel="api",
                              amount="1000.00", client_token="screen-worker")
    deadline = time.monotonic() + WAIT_SECONDS
    while not ScreeningRecord.objects.filter(subject_id=w.pk, subject_type__model="withdrawal").exists():
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()
        assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()
        time.sleep(0.2)
    assert "risk.screen_subject" in (tmp_path / "worker.log").read_text()
