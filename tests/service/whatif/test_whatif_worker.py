"""A what-if run by a real Celery worker: queued after commit, its progress moved by the worker to done."""

import subprocess
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from worker_support import WAIT_SECONDS, broker_url, sending_to

from fund.whatif.models import RunState, WhatIfRun
from fund.whatif.selectors import whatif_changes
from fund.whatif.services import whatif_run_create
from fund.workflow.moves import status_history
from tests.withdrawals.conftest import submit_decided, wd  # noqa: F401


@pytest.mark.worker
def test_a_real_worker_replays_the_run_with_progress(worker: subprocess.Popen, wd: Any, tmp_path: Path,  # noqa: F811
                                                     django_capture_on_commit_callbacks: Any) -> None:
    w = submit_decided(django_capture_on_commit_callbacks, actor=wd.world.member_a, account=wd.account, reason="07",
                       amount="20000.00")
    today = timezone.localdate()
    with sending_to(broker_url()):
        run = whatif_run_create(actor=wd.world.director, values={"withdrawal_rent_cap_per_year": "24000"},
                                replayers=["withdrawals"], start=today.replace(day=1), end=today)
    client = Client()
    client.force_login(wd.world.director)
    deadline = time.monotonic() + WAIT_SECONDS
    while WhatIfRun.objects.get(pk=run.pk).live:
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()
        assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()
        assert client.get(reverse("staff:whatif_run_progress", args=[run.pk])).status_code == 200
        time.sleep(0.2)
    run.refresh_from_db()
    assert (run.state, run.percent, run.total, run.replayed) == (RunState.DONE, 100, 1, 1)
    assert [(c.old, c.new) for c in status_history(run)] == [("queued", "running"), ("running", "done")]
    [change] = whatif_changes(run)
    assert (change.number, change.new_amount) == (w.number, Decimal("20000.00"))
    assert "whatif.run" in (tmp_path / "worker.log").read_text()
    page = client.get(reverse("staff:whatif_run_progress", args=[run.pk]))
    assert page["HX-Refresh"] == "true"
