"""A document requested in Django is rendered by a real Celery worker over Redis (tests/worker_support.py)."""

import hashlib
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from worker_support import REDIS_DB, WAIT_SECONDS, broker_url, sending_to

from fund.celery import app as celery_app
from fund.printing.models import Document, DocumentStatus


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
