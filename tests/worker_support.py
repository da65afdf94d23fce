"""A real Celery worker for tests: a subprocess on the test database (pytest-django's `test_…` name, passed as
DATABASE_NAME) and on a Redis database of its own, so other test runs sharing the server cannot take its
messages. Test settings make tasks eager; only the sender decides that, so a test switches the sender off
eager for its duration with `sending_to(broker_url())`. The `worker` fixture is in tests/conftest.py.
"""

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import connection

from fund.celery import app as celery_app
from tests import clock


def _redis_db() -> int:
    """TEST_WORKER_REDIS_DB, moved on by the pytest-xdist process number (gw0 +0, gw1 +1 …), so the workers of two
    processes of one run never take each other's tasks (Redis has databases 0–15)."""
    base = int(os.environ.get("TEST_WORKER_REDIS_DB", "13"))
    process = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    return (base + (int(process) if process.isdigit() else 0)) % 16


REDIS_DB = _redis_db()
# How long a worker test waits for the worker to finish a task: it includes the worker starting up (Django,
# Celery, the first connections), which on a loaded machine took over a minute. A deadline, not a sleep: a
# passing test returns as soon as the task is done.
WAIT_SECONDS = 240


def broker_url() -> str:
    parts = urlsplit(settings.REDIS_URL)
    return urlunsplit((parts.scheme, parts.netloc, f"/{REDIS_DB}", "", ""))


@contextmanager
def sending_to(url: str) -> Iterator[None]:
    """Make this process send tasks to `url` instead of running them in-process, and restore it after."""
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.broker_url
    conf.task_always_eager, conf.broker_url = False, url
    # Celery caches its connection and producer pools; this is its own reset (used after a fork).
    celery_app._after_fork()
    try:
        yield
    finally:
        conf.task_always_eager, conf.broker_url = saved
        celery_app._after_fork()


def worker_process(transactional_db: Any, reference_data: None, tmp_path: Path) -> Iterator[subprocess.Popen]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fund.settings.test",
        "DATABASE_NAME": connection.settings_dict["NAME"],
        "REDIS_URL": broker_url(),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        # The files this process stores (uploads, documents) are where the worker reads and writes them.
        "FUND_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    env.pop("CELERY_BROKER_URL", None)
    # The Redis database is this test process's own: empty it, so messages an interrupted earlier run left queued
    # (texts carry their words in the message) are never delivered to this test's worker.
    import redis

    redis.Redis.from_url(broker_url()).flushdb()
    arguments = [
        "-A", "fund", "worker", "--pool", "solo", "-c", "1",
        "-Q", "celery", "-n", f"test-worker-{os.getpid()}@%h", "--loglevel", "INFO",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]
    if clock.travelling():
        # A subprocess does not see this process's travelled clock: start Celery through tests/clock.py, which
        # moves the worker's clock by the same offset first.
        env.update(clock.worker_environment())
        command = [sys.executable, "-c", "from tests.clock import worker_main; worker_main()", *arguments]
    else:
        command = [str(Path(sys.executable).with_name("celery")), *arguments]
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        command,
        cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()
