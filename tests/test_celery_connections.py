"""Celery tasks keep their database connection between tasks, as requests do (fund.celery)."""

from types import SimpleNamespace

import pytest
from celery.fixups.django import DjangoWorkerFixup
from django.db import connection

from fund.celery import _connections_as_for_a_request
from fund.celery import app as celery_app


def _task(*, eager: bool) -> SimpleNamespace:
    return SimpleNamespace(request=SimpleNamespace(is_eager=eager))


@pytest.mark.django_db(transaction=True)
def test_a_task_run_by_a_worker_leaves_a_healthy_connection_open() -> None:
    connection.ensure_connection()
    opened = connection.connection
    fixup = DjangoWorkerFixup(celery_app)
    for hook in (fixup.on_task_prerun, fixup.on_task_postrun):
        hook(sender=_task(eager=False))
        _connections_as_for_a_request(task=_task(eager=False))
    assert connection.connection is opened, "the connection was closed around the task"


@pytest.mark.django_db(transaction=True)
def test_a_broken_connection_is_dropped_after_the_task() -> None:
    connection.ensure_connection()
    connection.errors_occurred = True
    connection.connection.close()  # what a restarted server leaves behind
    _connections_as_for_a_request(task=_task(eager=False))
    assert connection.connection is None
    with connection.cursor() as cursor:  # the next task connects again
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
