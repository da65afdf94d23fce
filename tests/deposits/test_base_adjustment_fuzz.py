"""Whatever arrives as an upload — random bytes, a damaged workbook, junk in every cell — the API answers
400 with a report (refused before reading) or 202 and the worker's check ends applied or rejected with a
report, never a 500, and a rejected file changes no account."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError
from rest_framework.test import APIClient

from deposits.models import BaseAdjustment, MemberAccount
from deposits.services.base_adjustment import base_template

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def post(world, content: bytes, name: str = "upload.xlsx"):
    """Upload, run the check the commit queues, and answer (status, batch as the API shows it after)."""
    client = APIClient()
    client.force_authenticate(world.unit_a_op)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            f"/api/deposits/units/{world.unit_a.pk}/base-batches/",
            {"year": 2026, "file": SimpleUploadedFile(name, content)}, format="multipart",
        )
    assert response.status_code in (202, 400), response.content
    batch = response.json()["batch"] if response.status_code == 400 else response.json()
    return response.status_code, client.get(batch["status_url"]).json()


def assert_rejected_cleanly(world, answer) -> None:
    _, batch = answer
    assert batch["state"] == "rejected", batch
    rows = batch["rows"]
    assert rows and all(r["message"] and r["field"] for r in rows)
    client = APIClient()
    client.force_authenticate(world.unit_a_op)
    report = client.get(batch["report_url"])
    assert report.status_code == 200 and load_workbook(io.BytesIO(report.content)).worksheets
    assert MemberAccount.objects.get(pk=world.account_a.pk).base == Decimal("8000.00")
    assert not BaseAdjustment.objects.exists()


@FUZZ
@given(content=st.binary(max_size=4096), name=st.sampled_from(["a.xlsx", "a.csv", "a.txt", "a"]))
def test_random_bytes_are_rejected_never_500(world, content, name):
    assert_rejected_cleanly(world, post(world, content, name))


@FUZZ
@given(data=st.data())
def test_a_damaged_workbook_is_rejected_never_500(world, data):
    """Take the real template's zip apart and corrupt one of its parts."""
    original = base_template(unit=world.unit_a, year=2026)
    with zipfile.ZipFile(io.BytesIO(original)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    victim = data.draw(st.sampled_from(sorted(parts)))
    content = parts[victim]
    cut = data.draw(st.integers(min_value=0, max_value=len(content)))
    parts[victim] = content[:cut] + data.draw(st.binary(max_size=64))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    response = post(world, out.getvalue())
    # A corruption that leaves the list readable still has an empty 新缴存基数 column: always a report.
    assert_rejected_cleanly(world, response)


CELLS = st.one_of(
    st.none(), st.text(max_size=30), st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.dates(),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-10**9, max_value=10**9),
)


@FUZZ
@given(values=st.lists(st.lists(CELLS, min_size=8, max_size=8), min_size=1, max_size=6))
def test_junk_in_the_cells_is_reported_never_500(world, values):
    book = load_workbook(io.BytesIO(base_template(unit=world.unit_a, year=2026)))
    sheet = book["调基名单"]
    for row in values:
        try:
            sheet.append(row)
        except (ValueError, TypeError, IllegalCharacterError):
            continue  # a value openpyxl itself will not write (e.g. text with control characters)
    out = io.BytesIO()
    try:
        book.save(out)
    except (ValueError, TypeError):
        return
    answer = post(world, out.getvalue())
    assert answer[1]["state"] in ("applied", "rejected"), answer
    if answer[1]["state"] == "rejected":
        assert_rejected_cleanly(world, answer)
