"""The nightly close's runner (fund.close.services): each registered step once per business date, in order;
a date done is done; a three-day outage is caught up once per date, in order; a failing step stops the close
there and the next run resumes at that step; never a date after today, never out of order, never two at once."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.utils import timezone

from fund.audit.models import AuditEvent
from fund.close import services
from fund.close.models import CloseRun, CloseRunState, CloseStepRun, CloseStepState
from fund.close.selectors import business_date_current, close_date_due, close_dates_pending
from fund.close.services import CloseInTransaction, close_catch_up, close_catch_up_slice, close_run
from fund.transactions import in_business_transaction
from fund.workflow.moves import status_history
from tests import clock
from tests.close.conftest import ORDER, closed

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def calls_for(*days: date) -> list[tuple[str, date]]:
    return [(name, day) for day in days for name in ORDER]


def test_a_date_closed_twice_runs_each_step_once_in_order(steps, world):
    day = clock.today() - DAY
    run = close_run(day, actor=world.director)
    assert run is not None and run.state == CloseRunState.DONE and run.finished_at is not None
    assert steps.calls == calls_for(day)
    rows = list(run.steps.order_by("position"))
    assert [(r.name, r.label, r.position, r.state, r.attempts) for r in rows] == [
        ("test.overdue", "逾期处理", 1, "done", 1), ("test.debit", "批量扣款", 2, "done", 1),
        ("test.counters", "推进计数", 3, "done", 1)]
    assert [r.counts for r in rows] == [{"处理笔数": 1}, {"处理笔数": 2}, {"处理笔数": 3}]
    assert run.triggered_by == world.director

    again = close_run(day, actor=world.director)
    assert again is not None and again.pk == run.pk and again.state == CloseRunState.DONE
    assert steps.calls == calls_for(day)  # nothing ran the second time
    assert AuditEvent.objects.filter(action="close.run.started", target_id=str(run.pk)).count() == 1
    assert [(c.old, c.new) for c in status_history(run)] == [("running", "done")]
    assert business_date_current() == day + DAY


def test_a_three_day_outage_is_caught_up_once_per_date_in_order(steps):
    today = clock.today()
    closed(today - 3 * DAY)  # the last close done; then the machine was down for three days
    runs = close_catch_up(today=today)
    missed = [today - 2 * DAY, today - DAY, today]
    assert [r.business_date for r in runs] == missed and {r.state for r in runs} == {CloseRunState.DONE}
    assert steps.calls == calls_for(*missed)  # every step of a date before any step of the next

    assert close_catch_up(today=today) == []  # a second catch-up has nothing to do
    assert steps.calls == calls_for(*missed)
    assert CloseRun.objects.count() == 4 and business_date_current() == today + DAY


def test_a_failing_step_stops_the_catch_up_and_the_next_resumes_at_that_step(steps, world):
    today = clock.today()
    d1, d2, d3 = today - 2 * DAY, today - DAY, today
    closed(d1 - DAY)
    steps.fail["test.debit", d2] = "受托银行无应答"

    runs = close_catch_up(today=today)
    assert [(r.business_date, r.state) for r in runs] == [(d1, "done"), (d2, "failed")]
    assert steps.calls == [*calls_for(d1), ("test.overdue", d2), ("test.debit", d2)]
    assert not CloseRun.objects.filter(business_date=d3).exists()  # later dates wait for the failed one
    failed = CloseRun.objects.get(business_date=d2)
    assert failed.error == "批量扣款：RuntimeError: 受托银行无应答"
    assert dict(failed.steps.values_list("name", "state")) == {
        "test.overdue": "done", "test.debit": "failed", "test.counters": "pending"}
    assert "受托银行无应答" in failed.steps.get(name="test.debit").error
    assert business_date_current() == d2 and close_dates_pending(d3) == [d2, d3]

    steps.calls.clear()
    del steps.fail["test.debit", d2]  # the bank answers again
    runs = close_catch_up(today=today, actor=world.director)
    assert [(r.business_date, r.state) for r in runs] == [(d2, "done"), (d3, "done")]
    # d2's done step is not run again: the close resumed at its failed step
    assert steps.calls == [("test.debit", d2), ("test.counters", d2), *calls_for(d3)]
    resumed = CloseRun.objects.get(business_date=d2)
    assert resumed.error == "" and resumed.steps.get(name="test.debit").attempts == 2
    assert [(c.old, c.new) for c in status_history(resumed)] == [
        ("running", "failed"), ("failed", "running"), ("running", "done")]


def test_a_step_left_running_by_a_lost_worker_runs_again_and_the_done_ones_do_not(steps):
    day = clock.today() - DAY
    long_ago = timezone.now() - timedelta(hours=1)
    run = CloseRun.objects.create(business_date=day, state=CloseRunState.RUNNING, started_at=long_ago,
                                  heartbeat_at=long_ago)
    CloseStepRun.objects.create(run=run, name="test.overdue", label="逾期处理", position=1, state="done", attempts=1)
    CloseStepRun.objects.create(run=run, name="test.debit", label="批量扣款", position=2, state="running", attempts=1)
    assert close_run(day).state == CloseRunState.DONE
    assert steps.calls == [("test.debit", day), ("test.counters", day)]
    assert run.steps.get(name="test.debit").attempts == 2
    assert AuditEvent.objects.filter(action="close.run.resumed", target_id=str(run.pk)).count() == 1


def test_it_refuses_a_date_after_today_and_writes_nothing(steps):
    tomorrow = clock.today() + DAY
    with pytest.raises(ValidationError) as refused:
        close_run(tomorrow)
    assert "晚于今天" in refused.value.message_dict["business_date"][0]
    with pytest.raises(ValidationError) as refused:
        close_catch_up(today=tomorrow)
    assert "today" in refused.value.message_dict
    assert steps.calls == [] and not CloseRun.objects.exists()


def test_it_refuses_to_skip_a_date(steps):
    today = clock.today()
    closed(today - 3 * DAY)
    with pytest.raises(ValidationError) as refused:
        close_run(today - DAY)
    assert f"下一个应执行的营业日为 {today - 2 * DAY:%Y-%m-%d}" in refused.value.message_dict["business_date"][0]
    assert steps.calls == [] and CloseRun.objects.count() == 1
    assert close_run(today - 2 * DAY).state == CloseRunState.DONE


def test_it_refuses_to_run_a_date_again_before_the_last_done(steps):
    today = clock.today()
    closed(today - 3 * DAY)
    closed(today - 2 * DAY)
    with pytest.raises(ValidationError):
        close_run(today - 5 * DAY)  # never closed, and before the dates that were
    assert close_run(today - 3 * DAY).state == CloseRunState.DONE and steps.calls == []


@pytest.fixture
def other_session_holds_the_close():
    """Another process running a close: a second database session holding the advisory lock."""
    other = connections.create_connection("default")
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [services.LOCK_NAME])
    yield
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [services.LOCK_NAME])
    other.close()


def test_a_second_caller_returns_without_running_while_another_close_holds_the_lock(steps, other_session_holds_the_close):
    today = clock.today()
    assert close_run(today) is None
    assert close_catch_up(today=today) == []
    assert close_catch_up_slice(through=today) is False
    assert steps.calls == [] and not CloseRun.objects.exists()


def test_the_lock_is_given_back_after_a_close(steps):
    today = clock.today()
    close_run(today - DAY)
    assert services.close_lock_free()
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [services.LOCK_NAME])
            assert cursor.fetchone()[0] is True
            cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [services.LOCK_NAME])
    finally:
        other.close()


def test_steps_run_outside_any_transaction_and_the_close_refuses_to_run_inside_one(steps):
    seen = []
    from fund.close.registry import register_close_step

    register_close_step("test.look", label="检查事务", order=99, run=lambda d: seen.append(in_business_transaction()) or {})
    day = clock.today() - DAY
    close_run(day)
    assert seen == [False]
    with transaction.atomic(), pytest.raises(CloseInTransaction):
        close_run(day + DAY)
    assert not CloseRun.objects.filter(business_date=day + DAY).exists()


def test_a_step_answering_something_else_than_counts_fails_the_close(steps):
    from fund.close.registry import register_close_step

    register_close_step("test.broken", label="错误步骤", order=70, run=lambda d: "done")  # type: ignore[arg-type, return-value]
    run = close_run(clock.today() - DAY)
    assert run.state == CloseRunState.FAILED and run.steps.get(name="test.broken").state == CloseStepState.FAILED
    assert "dict of counts" in run.error


def test_the_first_close_ever_starts_at_fund_close_start(steps, settings):
    today = clock.today()
    settings.FUND_CLOSE_START = today - 2 * DAY
    runs = close_catch_up(today=today)
    assert [r.business_date for r in runs] == [today - 2 * DAY, today - DAY, today]


def test_without_fund_close_start_the_first_close_is_today(steps, settings):
    settings.FUND_CLOSE_START = None
    today = clock.today()
    assert [r.business_date for r in close_catch_up(today=today)] == [today]
    assert business_date_current() == today + DAY


def test_a_catch_up_slice_closes_one_date_and_says_whether_more_remain(steps):
    today = clock.today()
    closed(today - 3 * DAY)
    assert close_catch_up_slice(through=today - DAY) is True
    assert steps.dates() == [today - 2 * DAY]
    assert close_catch_up_slice(through=today - DAY) is False  # the last date of the slice's span
    assert close_catch_up_slice(through=today - DAY) is False and steps.dates() == [today - 2 * DAY, today - DAY]


def test_the_task_closes_every_missed_date_a_slice_at_a_time(steps):
    from fund.close.tasks import catch_up

    today = clock.today()
    closed(today - 4 * DAY)
    catch_up.delay(today.isoformat())  # eager here: each slice queues the next
    assert steps.dates() == [today - 3 * DAY, today - 2 * DAY, today - DAY, today]
    assert steps.calls == calls_for(*steps.dates())


def test_the_close_of_a_day_is_due_from_the_evening_close_hour(settings):
    settings.FUND_CLOSE_HOUR = time(22, 30)
    zone = timezone.get_current_timezone()
    assert close_date_due(datetime(2027, 3, 9, 22, 29, tzinfo=zone)) == date(2027, 3, 8)
    assert close_date_due(datetime(2027, 3, 9, 22, 30, tzinfo=zone)) == date(2027, 3, 9)
    assert close_date_due(datetime(2027, 3, 10, 0, 5, tzinfo=zone)) == date(2027, 3, 9)


def test_the_beat_runs_the_close_every_evening_at_fund_close_hour():
    from django.conf import settings

    from fund.audit.schedules import task_known
    from fund.celery import app

    app.loader.import_default_modules()
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "fund.close.catch_up"]
    assert len(entries) == 1 and "fund.close.catch_up" in app.tasks and task_known("fund.close.catch_up")
    schedule = entries[0]["schedule"]
    assert schedule.hour == {settings.FUND_CLOSE_HOUR.hour} and schedule.minute == {settings.FUND_CLOSE_HOUR.minute}
    assert app.tasks["fund.close.catch_up"].acks_late


def test_bad_close_settings_stop_the_start():
    from django.core.exceptions import ImproperlyConfigured

    from fund.close.config import close_hour, close_start

    assert close_hour("22:30") == time(22, 30) and close_start("") is None
    assert close_start("2027-01-01") == date(2027, 1, 1)
    with pytest.raises(ImproperlyConfigured, match="FUND_CLOSE_HOUR"):
        close_hour("晚上")
    with pytest.raises(ImproperlyConfigured, match="FUND_CLOSE_START"):
        close_start("2027-13-01")


def lost_run(day: date) -> CloseRun:
    """The close of `day` going when its worker died an hour ago: a step left 执行中, the heartbeat old."""
    long_ago = timezone.now() - timedelta(hours=1)
    run = CloseRun.objects.create(business_date=day, state=CloseRunState.RUNNING, started_at=long_ago,
                                  heartbeat_at=long_ago)
    CloseStepRun.objects.create(run=run, name="test.overdue", label="逾期处理", position=1, state="running")
    return run


def test_a_close_whose_worker_was_lost_is_queued_again_by_the_beat_job_and_finishes_once(
        steps, django_capture_on_commit_callbacks):
    from fund.batches import registered_batches
    from fund.tasks import resume_stalled_batches

    assert "fund.close" in registered_batches()
    day = clock.today() - 2 * DAY
    run = lost_run(day)
    with django_capture_on_commit_callbacks(execute=True):
        assert resume_stalled_batches()["fund.close"] == 1
    run.refresh_from_db()
    assert run.state == CloseRunState.DONE
    assert steps.dates()[0] == day and steps.calls[:3] == calls_for(day)
    # it went on through the last date whose close is due
    assert CloseRun.objects.order_by("-business_date").first().business_date == close_date_due()
    assert AuditEvent.objects.filter(action="close.run.requeued", target_id=str(run.pk)).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert resume_stalled_batches()["fund.close"] == 0


def test_a_close_still_holding_the_lock_is_not_taken_for_stalled_however_long_its_step(
        steps, other_session_holds_the_close, django_capture_on_commit_callbacks):
    from fund.tasks import resume_stalled_batches

    lost_run(clock.today() - DAY)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert resume_stalled_batches()["fund.close"] == 0
    assert callbacks == [] and steps.calls == []


def test_a_failed_close_is_left_to_staff_and_the_next_evening(steps, django_capture_on_commit_callbacks):
    from fund.tasks import resume_stalled_batches

    run = lost_run(clock.today() - DAY)
    CloseRun.objects.filter(pk=run.pk).update(state=CloseRunState.FAILED)
    with django_capture_on_commit_callbacks(execute=True):
        assert resume_stalled_batches()["fund.close"] == 0
    assert steps.calls == []


def test_a_close_that_lost_its_lock_stops_before_the_next_step(steps):
    """A step that closed the database connection took the lock's session with it: another close could start,
    so this one stops (left 执行中, resumed later from that step) instead of going on unlocked."""
    from django.db import connection

    from fund.close.registry import register_close_step

    def drop_the_lock(day: date) -> dict[str, int]:
        assert services.close_lock_held()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [services.LOCK_NAME])
        return {}

    register_close_step("test.drop", label="断开连接", order=30, run=drop_the_lock)
    day = clock.today() - DAY
    run = close_run(day)
    assert run.state == CloseRunState.RUNNING and steps.calls == [("test.overdue", day)]
    assert run.steps.get(name="test.debit").state == CloseStepState.PENDING
    assert not services.close_lock_held() and services.close_lock_free()
