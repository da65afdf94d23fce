"""The core's registry of resumable batches and its beat job (fund.batches), and the Celery settings that
make a lost worker's task come back: acknowledged late, given back when the worker is lost, and visible
again after minutes, not the broker's default hour."""

from datetime import datetime

import pytest
from django.conf import settings

from fund import batches
from fund.celery import app
from fund.tasks import resume_stalled_batches


def test_a_killed_workers_task_is_delivered_again_within_minutes() -> None:
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    timeout = conf.broker_transport_options["visibility_timeout"]
    assert timeout == settings.FUND_TASK_VISIBILITY_MINUTES * 60
    assert 60 <= timeout <= 30 * 60
    assert settings.FUND_BATCH_STALLED_MINUTES * 60 < timeout


def test_the_beat_job_runs_every_minute() -> None:
    app.loader.import_default_modules()
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "fund.resume_stalled_batches"]
    assert len(entries) == 1 and entries[0]["schedule"] <= 60
    assert "fund.resume_stalled_batches" in app.tasks


def test_the_interest_tasks_retries_wait_less_than_the_visibility_timeout() -> None:
    from deposits.tasks.interest import settle_interest

    assert settle_interest.acks_late and settle_interest.retry_backoff_max < settings.FUND_TASK_VISIBILITY_MINUTES * 60


def test_each_batch_is_resumed_even_when_another_fails(monkeypatch: pytest.MonkeyPatch, settings) -> None:
    settings.FUND_BATCH_STALLED_MINUTES = 7
    seen: dict[str, object] = {}

    def broken(cutoff: datetime) -> list[int]:
        raise RuntimeError("finder broke")

    def found(cutoff: datetime) -> list[int]:
        seen["cutoff"] = cutoff
        return [1, 2, 3]

    monkeypatch.setattr(batches, "_BATCHES", {})
    batches.register_batch("a.broken", stalled=broken, resume=lambda run, cutoff: True)
    batches.register_batch("b.lost", stalled=found, resume=lambda run, cutoff: run != 2)  # 2 moved meanwhile
    batches.register_batch("b.lost", stalled=found, resume=lambda run, cutoff: run != 2)  # registered once
    now = datetime(2026, 7, 1, 12, 0)
    assert batches.batches_resume_stalled(now=now) == {"a.broken": 0, "b.lost": 2}
    assert seen["cutoff"] == datetime(2026, 7, 1, 11, 53)
    assert resume_stalled_batches() == {"a.broken": 0, "b.lost": 2}
