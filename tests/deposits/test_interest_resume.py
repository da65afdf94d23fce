"""A settlement whose worker was lost resumes by itself: the core's beat job (fund.batches) queues again a
run that is still going but has not moved for a few minutes, and the run finishes once with the right totals.

The history is test_interest's: four accounts, 122.43 of interest in all, settled here two accounts a chunk.
"""

import time
from datetime import date, timedelta

import pytest
from django.utils import timezone

from deposits.models import InterestRun, InterestRunState
from deposits.services import interest as service
from deposits.services.interest import RunBusy, interest_run_process, interest_run_slice, interest_run_start
from fund.audit.models import AuditEvent
from fund.batches import registered_batches
from fund.ledger.models import BusinessType, JournalEntry, SubLedgerRow
from fund.ledger.selectors import ledger_reconcile
from fund.tasks import resume_stalled_batches
from tests.deposits.test_interest import YEAR, after_the_2026_year, history  # noqa: F401  (the fixtures)

pytestmark = pytest.mark.django_db

D = service.Decimal
LONG_AGO = timedelta(minutes=30)


@pytest.fixture
def lost_run(world, history, monkeypatch):  # noqa: F811
    """Started, its task lost (nothing is sent before commit in a test), the first chunk of two accounts
    settled by a worker that then died: the run says 结息中 and its heartbeat is half an hour old."""
    monkeypatch.setattr(service, "CHUNK_SIZE", 2)
    run = interest_run_start(year=YEAR, actor=world.director)
    interest_run_process(run_id=run.pk, max_chunks=1)
    InterestRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - LONG_AGO)
    run.refresh_from_db()
    assert run.state == InterestRunState.RUNNING and run.processed_accounts == 2
    return run


def interest_entries() -> int:
    return JournalEntry.objects.filter(business_type=BusinessType.GJ_INTEREST).count()


def test_the_interest_settlement_is_a_registered_batch():
    assert "deposits.interest" in registered_batches()


def test_a_stalled_run_is_queued_again_by_the_beat_job_and_finishes_once(lost_run, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        resumed = resume_stalled_batches()
    assert resumed["deposits.interest"] == 1
    run = InterestRun.objects.get(pk=lost_run.pk)
    assert run.state == InterestRunState.DONE and run.processed_accounts == 4
    assert run.total_interest == D("122.43")
    # one entry per chunk, one row per account that earned interest; the first chunk was not posted again
    assert interest_entries() == 2
    assert SubLedgerRow.objects.filter(entry__business_type=BusinessType.GJ_INTEREST).count() == 3
    assert AuditEvent.objects.filter(action="deposits.interest.requeued", target_id=str(run.pk)).count() == 1
    assert ledger_reconcile() == []
    # done: the next beat finds nothing
    with django_capture_on_commit_callbacks(execute=True):
        assert resume_stalled_batches()["deposits.interest"] == 0
    assert interest_entries() == 2


def test_a_pending_run_whose_task_never_reached_a_worker_is_queued(world, history, django_capture_on_commit_callbacks):  # noqa: F811
    run = interest_run_start(year=YEAR, actor=world.director)  # the broker was down: the task was never sent
    InterestRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - LONG_AGO)
    with django_capture_on_commit_callbacks(execute=True):
        assert resume_stalled_batches()["deposits.interest"] == 1
    run.refresh_from_db()
    assert run.state == InterestRunState.DONE and run.total_interest == D("122.43")


def test_it_leaves_a_run_that_is_moving_alone(lost_run, django_capture_on_commit_callbacks):
    InterestRun.objects.filter(pk=lost_run.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert resume_stalled_batches()["deposits.interest"] == 0
    assert callbacks == [] and InterestRun.objects.get(pk=lost_run.pk).processed_accounts == 2


@pytest.mark.parametrize("state", [InterestRunState.FAILED, InterestRunState.DONE])
def test_it_leaves_failed_and_finished_runs_to_staff(lost_run, state, django_capture_on_commit_callbacks):
    InterestRun.objects.filter(pk=lost_run.pk).update(state=state)
    with django_capture_on_commit_callbacks(execute=True):
        assert resume_stalled_batches()["deposits.interest"] == 0
    assert InterestRun.objects.get(pk=lost_run.pk).processed_accounts == 2


def test_a_worker_that_finds_the_run_held_leaves_it_to_the_other(lost_run, monkeypatch):
    """A second copy of the task (the beat's, or the broker's redelivery) stops without failing the run."""
    def held(**kwargs):
        raise RunBusy(lost_run.pk)

    monkeypatch.setattr(service, "interest_run_chunk", held)
    assert interest_run_slice(run_id=lost_run.pk) is False
    run = InterestRun.objects.get(pk=lost_run.pk)
    assert run.state == InterestRunState.RUNNING and run.error == "" and run.processed_accounts == 2


def test_a_long_run_goes_in_slices_each_queueing_the_next(lost_run, monkeypatch):
    """A slice ends after its time (here: at once, after one chunk) with the run still to finish; the task
    then queues the next slice instead of holding one delivery past the broker's visibility timeout."""
    clock = iter(range(0, 10_000, 100))
    monkeypatch.setattr(service.time, "monotonic", lambda: next(clock))
    assert interest_run_slice(run_id=lost_run.pk, seconds=150) is True
    run = InterestRun.objects.get(pk=lost_run.pk)
    assert run.state == InterestRunState.RUNNING and run.processed_accounts == 4
    assert run.heartbeat_at > timezone.now() - timedelta(minutes=1)


@pytest.mark.worker
def test_a_real_worker_finishes_a_run_the_beat_job_found_stalled(worker, world, history, tmp_path):  # noqa: F811
    """Through Redis and a real worker: the run a lost worker left (nothing settled yet, heartbeat old) is
    found by the beat task and finished by the worker, once."""
    from worker_support import WAIT_SECONDS, broker_url, sending_to

    run = InterestRun.objects.create(
        year=YEAR, period_start=date(YEAR - 1, 7, 1), period_end=date(YEAR, 6, 30), state=InterestRunState.RUNNING,
        total_accounts=4, started_by=world.director, started_at=timezone.now() - LONG_AGO,
        heartbeat_at=timezone.now() - LONG_AGO,
    )
    with sending_to(broker_url()):
        assert resume_stalled_batches()["deposits.interest"] == 1  # autocommit: queued at once
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.state not in (InterestRunState.PENDING, InterestRunState.RUNNING):
            break
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()
        time.sleep(0.3)
    assert run.state == InterestRunState.DONE, (tmp_path / "worker.log").read_text()
    assert run.total_interest == D("122.43") and interest_entries() == 1
    assert ledger_reconcile() == []
