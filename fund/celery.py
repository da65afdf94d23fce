import os

from celery import Celery
from celery.signals import task_postrun, task_prerun, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fund.settings.local")

app = Celery("fund")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["fund"])  # the core's own tasks (fund/tasks.py): fund is a package, not an app


@worker_process_init.connect
def _freeze_startup_objects(**kwargs: object) -> None:
    """Each worker process, once forked with Django loaded (fund.runtime)."""
    from fund.runtime import freeze_startup_objects

    freeze_startup_objects()


@task_prerun.connect
@task_postrun.connect
def _connections_as_for_a_request(**kwargs: object) -> None:
    """A task keeps its database connections as a request does: for CONN_MAX_AGE, and dropped when broken.

    Celery's Django fixup would otherwise close them before and after every task (CELERY_DB_REUSE_MAX, set in
    the settings, turns that off), so each task opened a new PostgreSQL session: a server process forked and
    its catalogue read again, which was most of the database's CPU for a 秒批 withdrawal."""
    request = getattr(kwargs.get("task"), "request", None)
    if getattr(request, "is_eager", False):
        return  # run in the caller's process (tests): its connection is the caller's
    from django.db import close_old_connections

    close_old_connections()
