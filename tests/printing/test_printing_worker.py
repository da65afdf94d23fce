"""A document requested in Django is rendered by a real Celery worker over Redis.

The worker is a subprocess on the test database (pytest-django's `test_…` name, passed as DATABASE_NAME) and
on a Redis database of its own, so other test runs sharing the server cannot take its messages. Test settings
make tasks eager; only the sender decides that, so the test switches the sender off eager for its duration.
"""

import hashlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

from fund.celery import app as celery_app
from fund.printing.models import Document, DocumentStatus

REDIS_DB = int(os.environ.get("PRINTING_WORKER_REDIS_DB", "13"))
WAIT_SECONDS = 45


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


@pytest.fixture
def worker(transactional_db: Any, reference_data: None, tmp_path: Path) -> Iterator[subprocess.Popen]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fund.settings.test",
        "DATABASE_NAME": connection.settings_dict["NAME"],
        "REDIS_URL": broker_url(),
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    env.pop("CELERY_BROKER_URL", None)
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("celery")), "-A", "fund", "worker", "--pool", "solo", "-c", "1",
            "-Q", "celery", "-n", f"printing-test-{os.getpid()}@%h", "--loglevel", "INFO",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ],
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


def wait_until_done(document: Document, worker: subprocess.Popen, log: Path) -> Document:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        document.refresh_from_db()
        if document.status != DocumentStatus.PENDING:
            return document
        assert worker.poll() is None, f"the worker exited:\n{log.read_text()}"
        time.sleep(0.3)
    pytest.fail(f"document still pending after {WAIT_SECONDS}s; worker log:\n{log.read_text()}")


@pytest.mark.worker
def test_a_real_worker_renders_the_document(
    worker: subprocess.Popen, people: Any, request_notice: Any, client: Any, settings: Any, tmp_path: Path
) -> None:
    # The worker stores files under the test media root of its DATABASE_NAME; read them from there.
    settings.MEDIA_ROOT = settings.BASE_DIR / ".local" / "test-media" / connection.settings_dict["NAME"]

    with sending_to(broker_url()):
        assert celery_app.connection_for_write().as_uri().endswith(f"/{REDIS_DB}")
        document = request_notice()
        assert Document.objects.get(pk=document.pk).status == DocumentStatus.PENDING

    document = wait_until_done(document, worker, tmp_path / "worker.log")

    assert document.status == DocumentStatus.READY, document.error
    path = Path(document.file.path)
    try:
        data = path.read_bytes()
        assert data.startswith(b"%PDF")
        assert hashlib.sha256(data).hexdigest() == document.sha256
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()
        assert settings.FUND_CENTRE_NAME in text
    finally:
        path.unlink(missing_ok=True)

    page = client.get(f"/verify/{document.verification_code}/")
    assert page.status_code == 200
    assert document.sha256 in page.content.decode()
    assert client.get(f"/api/verify/{document.verification_code}/").json()["genuine"] is True
