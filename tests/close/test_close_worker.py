"""Through Redis and a real Celery worker: the close's task catches up a three-day outage, one date per task
each queueing the next, each date once and in order, with the steps the apps register."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from fund.close.models import CloseRun, CloseRunState
from fund.close.registry import close_steps
from tests import clock
from tests.close.conftest import closed

DAY = timedelta(days=1)


@pytest.mark.worker
def test_a_real_worker_catches_up_three_missed_dates_once_each_in_order(worker, tmp_path):
    from worker_support import WAIT_SECONDS, broker_url, sending_to

    from fund.close.tasks import catch_up

    today = clock.today()
    closed(today - 3 * DAY)
    with sending_to(broker_url()):
        catch_up.delay(today.isoformat())
        catch_up.delay(today.isoformat())  # a second copy (a double click, a redelivery) changes nothing
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        last = CloseRun.objects.filter(business_date=today).first()
        if last is not None and last.state != CloseRunState.RUNNING:
            break
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()
        time.sleep(0.3)
    log = (tmp_path / "worker.log").read_text()
    runs = list(CloseRun.objects.filter(business_date__gt=today - 3 * DAY).order_by("business_date"))
    assert [(r.business_date, r.state) for r in runs] == [
        (today - 2 * DAY, "done"), (today - DAY, "done"), (today, "done")], log
    assert [r.started_at for r in runs] == sorted(r.started_at for r in runs)  # in order
    # the worker ran every step the apps register (this process registers the same), each once per date
    names = [s.name for s in close_steps()]
    for run in runs:
        assert list(run.steps.order_by("position").values_list("name", "state", "attempts")) == [
            (name, "done", 1) for name in names]
