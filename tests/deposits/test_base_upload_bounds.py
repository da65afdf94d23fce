"""What one base-list upload may cost (issue 10, item 6): the file is bounded before anything parses it, a
worker reads it with progress, the error report is built once and served as stored, and a formula Excel
never calculated is named as such instead of "请填写".

The world's unit A has three adjustable members (account_a, 职工一一, 职工一二); see test_base_adjustment.py.
"""

import io
import re
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory, TestCase
from openpyxl import load_workbook
from rest_framework.test import APIClient

from deposits.models import BaseAdjustment, BaseAdjustmentBatch, BatchState, MemberAccount
from deposits.services import base_adjustment as service
from deposits.services import base_adjustment_report as report_service
from deposits.services import base_adjustment_upload as upload_service
from deposits.services.base_adjustment import base_batch_process, base_upload
from deposits.tasks.base_adjustment import base_batch_check
from fund.audit.models import AuditEvent
from tests.conftest import member_name, open_member
from tests.deposits.test_base_adjustment import YEAR, filled, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def unit_a(world):
    open_member(world.clerk, world.unit_a, 11, name=member_name(11))
    open_member(world.clerk, world.unit_a, 12, name=member_name(12), base=Decimal("5000.00"))
    return world.unit_a


class Parsed(BaseException):
    """Not an Exception, so no `except Exception` on the way can turn it into an ordinary refusal."""


@pytest.fixture
def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open the workbook with openpyxl fails the test: a refusal must come before parsing."""

    def must_not_open(data: bytes) -> Any:
        raise Parsed("the workbook was opened although it should have been refused unread")

    monkeypatch.setattr(upload_service, "workbook_open", must_not_open)


def receive(world, content: bytes, name: str = "调基名单.xlsx") -> tuple[BaseAdjustmentBatch, list[Any]]:
    """Upload as unit A's operator; the batch as received and the callbacks its commit queued (not run), but for
    the register of applications' own (我的办件 hears of every application's step, refused ones too)."""
    with TestCase.captureOnCommitCallbacks(execute=False) as queued:
        batch = base_upload(actor=world.unit_a_op, unit=world.unit_a, year=YEAR,
                            file=SimpleUploadedFile(name, content))
    return batch, [callback for callback in queued if not callback.__module__.startswith("fund.tracking.")]


def upload(world, content: bytes) -> BaseAdjustmentBatch:
    with TestCase.captureOnCommitCallbacks(execute=True):
        batch = base_upload(actor=world.unit_a_op, unit=world.unit_a, year=YEAR,
                            file=SimpleUploadedFile("调基名单.xlsx", content))
    batch.refresh_from_db()
    return batch


def template_bytes(unit, **bases: Any) -> bytes:
    return xlsx(filled(unit, bases or None)).read()


def rezip(content: bytes, replace: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """The same workbook with some parts replaced or added, written with `compression`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", compression) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.pop(info.filename, source.read(info)))
        for name, body in replace.items():
            target.writestr(name, body)
    return out.getvalue()


def only_error(batch: BaseAdjustmentBatch) -> dict[str, Any]:
    assert batch.state == BatchState.REJECTED, batch.state
    assert len(batch.errors) == 1, batch.errors
    return batch.errors[0]


# ---- bounded before parsing ----------------------------------------------------------------------------

def test_it_refuses_35_mb_of_shared_strings_unread_and_names_the_limit(world, unit_a, no_parsing):
    shared = (b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              + b"<si><t>" + b"x" * (35 * 1024 * 1024) + b"</t></si></sst>")
    crafted = rezip(template_bytes(unit_a), {"xl/sharedStrings.xml": shared})
    assert len(crafted) < 200_000  # small on disk, 35 MB once unpacked

    batch, queued = receive(world, crafted)

    error = only_error(batch)
    assert error["field"] == "file" and "共享字符串表" in error["message"]
    assert "解压后为 35 MB，超过上限 4 MB" in error["message"]
    assert queued == [] and batch.finished_at is not None  # refused in the request, no worker involved
    assert batch.report  # the listing-only report is stored with the refusal


def test_it_refuses_a_zip_bomb_by_its_compression_ratio(world, unit_a, no_parsing):
    content = template_bytes(unit_a)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    padded = sheet.replace(b"</worksheet>", b"<!--" + b" " * (10 * 1024 * 1024) + b"--></worksheet>")

    batch, queued = receive(world, rezip(content, {"xl/worksheets/sheet1.xml": padded}))

    error = only_error(batch)
    assert "压缩比异常（xl/worksheets/sheet1.xml 为 1:" in error["message"] and "上限 1:100" in error["message"]
    assert queued == []


def test_it_refuses_a_part_or_a_total_beyond_the_limits(world, unit_a, settings, no_parsing):
    settings.FUND_XLSX_MAX_PART_BYTES = 64 * 1024
    settings.FUND_XLSX_MAX_RATIO = 10_000
    content = template_bytes(unit_a)
    big_styles = b"<styleSheet>" + b" " * (100 * 1024) + b"</styleSheet>"
    error = only_error(receive(world, rezip(content, {"xl/styles.xml": big_styles}))[0])
    assert error["message"] == ("文件：文件中的 xl/styles.xml 解压后为 100 KB，超过单个部件的上限 64 KB；"
                                "请删除多余的行、列或工作表后上传")
    settings.FUND_XLSX_MAX_PART_BYTES = 16 * 1024 * 1024
    settings.FUND_XLSX_MAX_UNPACKED_BYTES = 80 * 1024
    error = only_error(receive(world, rezip(content, {"xl/styles.xml": big_styles}))[0])
    assert "文件解压后共" in error["message"] and "超过上限 80 KB" in error["message"]


def test_it_refuses_an_upload_over_the_size_limit_and_keeps_none_of_it(world, unit_a, settings, no_parsing):
    settings.FUND_UPLOAD_MAX_BYTES = 2048
    batch, queued = receive(world, template_bytes(unit_a))
    assert only_error(batch)["message"] == "文件：文件超过 2 KB 的上限，请分批上传"
    assert not batch.file and queued == []


def test_the_first_upload_handler_never_stores_more_than_the_limit(settings):
    settings.FUND_UPLOAD_MAX_BYTES = 1000
    request = RequestFactory().post("/unit/base/", {"file": SimpleUploadedFile("big.xlsx", b"x" * 300_000)})
    assert request.FILES["file"].read() == b"x" * 1001  # one byte past the limit: enough to refuse it


def test_rows_beyond_the_roster_are_refused_before_reading(world, unit_a, settings, no_parsing):
    settings.FUND_BASE_UPLOAD_EXTRA_ROWS = 5
    book = filled(unit_a)
    sheet = book["调基名单"]
    for seq in range(20):
        sheet.append([seq, "", f"路人{seq}", "370102199003070011", None, 9000])
    batch, queued = receive(world, xlsx(book).read())
    error = only_error(batch)
    assert error["message"] == ("文件：工作表“调基名单”有 24 行（设置了格式的空行也计算在内），超过上限 18 行："
                                "本单位在缴职工 3 人，名单最多 8 行数据；请删除多余的行后上传")
    assert queued == []


def test_a_sheet_that_claims_few_rows_is_counted_for_what_it_holds(world, unit_a, settings, no_parsing):
    """The row count is the sheet's own rows, not its <dimension>, which may claim anything either way."""
    settings.FUND_BASE_UPLOAD_EXTRA_ROWS = 5
    book = filled(unit_a)
    for seq in range(20):
        book["调基名单"].append([seq, "", f"路人{seq}", "370102199003070011", None, 9000])
    content = xlsx(book).read()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    lying = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:H2"/>', sheet)
    batch, _ = receive(world, rezip(content, {"xl/worksheets/sheet1.xml": lying}))
    assert "有 24 行" in only_error(batch)["message"]


def test_the_api_refuses_a_crafted_workbook_at_once_with_400(world, unit_a):
    shared = b"<sst>" + b"<si><t>" + b"y" * (5 * 1024 * 1024) + b"</t></si></sst>"
    client = APIClient()
    client.force_authenticate(world.unit_a_op)
    response = client.post(
        f"/api/deposits/units/{unit_a.pk}/base-batches/",
        {"year": YEAR, "file": SimpleUploadedFile("x.xlsx", rezip(template_bytes(unit_a), {"xl/sharedStrings.xml": shared}))},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["rows"][0]["field"] == "file" and "超过上限 4 MB" in response.json()["rows"][0]["message"]
    assert response.json()["batch"]["state"] == "rejected"


# ---- checked by a worker, with progress ----------------------------------------------------------------

def test_the_batch_is_queued_and_checked_by_the_task_with_progress(world, unit_a, monkeypatch):
    monkeypatch.setattr(upload_service, "PROGRESS_EVERY", 1)
    seen: list[tuple[str, int, int]] = []
    real_progress = service._progress

    def watch(batch_id: int, rows: int) -> None:
        real_progress(batch_id, rows)
        batch = BaseAdjustmentBatch.objects.get(pk=batch_id)
        seen.append((batch.state, batch.rows_read, batch.percent))

    monkeypatch.setattr(service, "_progress", watch)
    tasks: list[int] = []
    monkeypatch.setattr(base_batch_check, "delay", lambda batch_id: tasks.append(batch_id))

    batch, queued = receive(world, template_bytes(unit_a))
    assert (batch.state, batch.rows_total, batch.rows_read, batch.percent) == (BatchState.QUEUED, 4, 0, 0)
    assert not BaseAdjustment.objects.exists()
    for callback in queued:  # the commit queues the task …
        callback()
    assert tasks == [batch.pk]
    base_batch_check.apply(args=[batch.pk])  # … and a worker runs it

    batch.refresh_from_db()
    assert batch.state == BatchState.APPLIED and batch.row_count == 3 and batch.percent == 100
    assert [s for s, _, _ in seen] == ["checking"] * 4
    assert [r for _, r, _ in seen] == [1, 2, 3, 4] and [p for _, _, p in seen] == [25, 50, 75, 99]
    assert BaseAdjustment.objects.filter(batch=batch).count() == 3
    moves = list(AuditEvent.objects.filter(target_id=str(batch.pk), action__startswith="deposits.base_batch.")
                 .order_by("id").values_list("action", flat=True))
    assert moves == ["deposits.base_batch.queued", "deposits.base_batch.checking", "deposits.base_batch.applied"]


def test_a_batch_run_twice_applies_once(world, unit_a):
    batch = upload(world, template_bytes(unit_a))
    assert batch.state == BatchState.APPLIED
    again = base_batch_process(batch_id=batch.pk)
    assert again.state == BatchState.APPLIED and BaseAdjustment.objects.count() == 3


def test_a_batch_whose_worker_died_is_requeued_and_checked_from_the_start(
    world, unit_a, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    batch, _ = receive(world, template_bytes(unit_a))  # the commit's message is lost: nothing ran
    BaseAdjustmentBatch.objects.filter(pk=batch.pk).update(
        state=BatchState.CHECKING, attempts=1, rows_read=2, progress_at=timezone.now() - timedelta(minutes=6))
    from fund.batches import batches_resume_stalled

    # The core's beat job asks every registered batch; tasks run eagerly in tests.
    with django_capture_on_commit_callbacks(execute=True):
        assert batches_resume_stalled(minutes=5)["deposits.base_adjustment"] == 1
    batch.refresh_from_db()
    assert batch.state == BatchState.APPLIED and BaseAdjustment.objects.filter(batch=batch).count() == 3
    assert batches_resume_stalled(minutes=5)["deposits.base_adjustment"] == 0


def test_a_batch_that_keeps_breaking_off_is_failed_with_a_message(world, unit_a, monkeypatch):
    batch, _ = receive(world, template_bytes(unit_a))
    BaseAdjustmentBatch.objects.filter(pk=batch.pk).update(attempts=service.MAX_ATTEMPTS)
    failed = base_batch_process(batch_id=batch.pk)
    assert failed.state == BatchState.FAILED and not BaseAdjustment.objects.exists()
    assert failed.errors[0]["message"] == f"文件：{service.FAILED_MESSAGE}"


def test_the_batch_page_polls_progress_until_the_check_is_done(world, unit_a, client):
    client.force_login(world.unit_a_op)
    batch, queued = receive(world, template_bytes(unit_a))
    page = client.get(f"/unit/base/batches/{batch.pk}/").content.decode()
    assert "校验进度" in page and f'hx-get="/unit/base/batches/{batch.pk}/progress/"' in page
    fragment = client.get(f"/unit/base/batches/{batch.pk}/progress/")
    assert "排队等待校验" in fragment.content.decode() and "HX-Refresh" not in fragment
    for callback in queued:
        callback()
    done = client.get(f"/unit/base/batches/{batch.pk}/progress/")
    assert done["HX-Refresh"] == "true"
    assert "调基名单已生效：3 名职工的缴存基数已调整" in client.get(f"/unit/base/batches/{batch.pk}/").content.decode()
    client.force_login(world.unit_b_op)
    assert client.get(f"/unit/base/batches/{batch.pk}/progress/").status_code == 404


# ---- the report, built once -------------------------------------------------------------------------

def test_the_report_is_built_once_and_fetched_as_stored(world, unit_a, client, monkeypatch):
    accounts = list(MemberAccount.objects.filter(unit=unit_a).order_by("pk"))
    batch = upload(world, template_bytes(unit_a, **{accounts[1].number: "九千"}))
    assert batch.state == BatchState.REJECTED and batch.report

    def must_not_build(*args: Any, **kwargs: Any) -> bytes:
        raise AssertionError("the report was built again")

    monkeypatch.setattr(report_service, "report_workbook", must_not_build)
    monkeypatch.setattr(upload_service, "workbook_open", must_not_build)
    api = APIClient()
    api.force_authenticate(world.unit_a_op)
    first = api.get(f"/api/deposits/units/{unit_a.pk}/base-batches/{batch.pk}/report/")
    client.force_login(world.clerk)
    second = client.get(f"/staff/units/{unit_a.pk}/base/batches/{batch.pk}/report/")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content == batch.report.open("rb").read()
    sheet = load_workbook(io.BytesIO(first.content))["调基名单"]
    header = [c.value for c in sheet[1]]
    assert header[-1] == "错误说明" and sheet.cell(row=3, column=len(header)).value == "新缴存基数：应为数字"


def test_a_report_of_a_batch_rejected_before_reports_were_stored_is_built_on_first_fetch_only(world, unit_a, monkeypatch):
    accounts = list(MemberAccount.objects.filter(unit=unit_a).order_by("pk"))
    batch = upload(world, template_bytes(unit_a, **{accounts[0].number: "abc"}))
    BaseAdjustmentBatch.objects.filter(pk=batch.pk).update(report="")  # as a batch from before this change
    batch.refresh_from_db()
    built: list[int] = []
    real = report_service.report_workbook
    monkeypatch.setattr(report_service, "report_workbook", lambda *a, **k: built.append(1) or real(*a, **k))
    first = service.base_batch_report(batch)
    second = service.base_batch_report(BaseAdjustmentBatch.objects.get(pk=batch.pk))
    assert first == second and built == [1]


# ---- formulas --------------------------------------------------------------------------------------

def test_a_formula_without_a_cached_value_is_named_not_called_empty(world, unit_a):
    accounts = list(MemberAccount.objects.filter(unit=unit_a).order_by("pk"))
    book = filled(unit_a)
    book["调基名单"]["F3"] = "=E3*1.1"  # openpyxl writes the formula without a result, as many programs do
    batch = upload(world, xlsx(book).read())
    error = only_error(batch)
    assert (error["row"], error["field"]) == (3, "new_base")
    assert error["message"] == "第3行 新缴存基数：F3 单元格为公式但没有计算结果，请在 Excel 中打开并保存后再上传"
    assert MemberAccount.objects.get(pk=accounts[1].pk).base == Decimal("8000.00")


def test_a_formula_excel_calculated_is_read_as_its_result(world, unit_a):
    content = template_bytes(unit_a)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    calculated, count = re.subn(rb'<c r="F3"([^>]*)>(.*?)</c>', b'<c r="F3"><f>E3*1.1</f><v>9350.5</v></c>', sheet)
    assert count == 1
    batch = upload(world, rezip(content, {"xl/worksheets/sheet1.xml": calculated}))
    assert batch.state == BatchState.APPLIED, batch.errors
    assert BaseAdjustment.objects.get(batch=batch, new_base=Decimal("9350.50"))


def test_a_formula_that_failed_says_so(world, unit_a):
    content = template_bytes(unit_a)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    failed = re.sub(rb'<c r="F2"([^>]*)>(.*?)</c>', b'<c r="F2" t="e"><f>E2/0</f><v>#DIV/0!</v></c>', sheet)
    error = only_error(upload(world, rezip(content, {"xl/worksheets/sheet1.xml": failed})))
    assert error["message"] == "第2行 新缴存基数：F2 单元格的公式计算出错（#DIV/0!），请改正公式后再上传"
