"""A base list uploaded through the API is checked by a real Celery worker over Redis (tests/worker_support.py):
the request answers 202 at once, and the status URL shows the batch applied with its rows."""

import io
import subprocess
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from rest_framework.test import APIClient
from worker_support import WAIT_SECONDS, broker_url, sending_to

from deposits.models import BaseAdjustment, MemberAccount
from deposits.services.base_adjustment import base_template


@pytest.mark.worker
def test_a_real_worker_checks_and_applies_the_uploaded_list(worker: subprocess.Popen, world: Any, settings: Any,
                                                            tmp_path: Path) -> None:
    book = load_workbook(io.BytesIO(base_template(unit=world.unit_a, year=2026)))
    book["调基名单"]["F2"] = 9500
    out = io.BytesIO()
    book.save(out)
    client = APIClient()
    client.force_authenticate(world.unit_a_op)

    with sending_to(broker_url()):
        response = client.post(f"/api/deposits/units/{world.unit_a.pk}/base-batches/",
                               {"year": 2026, "file": SimpleUploadedFile("list.xlsx", out.getvalue())},
                               format="multipart")
    assert response.status_code == 202 and response.json()["state"] == "queued"

    deadline = time.monotonic() + WAIT_SECONDS
    while (batch := client.get(response.json()["status_url"]).json())["state"] in ("queued", "checking"):
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()
        if time.monotonic() > deadline:
            pytest.fail(f"batch still {batch['state']} after {WAIT_SECONDS}s:\n{(tmp_path / 'worker.log').read_text()}")
        time.sleep(0.3)
    assert batch["state"] == "applied", batch
    assert batch["row_count"] == 1 and batch["percent"] == 100
    assert MemberAccount.objects.get(pk=world.account_a.pk).base == Decimal("9500.00")
    assert BaseAdjustment.objects.filter(batch_id=batch["id"]).count() == 1
