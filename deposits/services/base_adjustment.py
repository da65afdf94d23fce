"""Base adjustment (调基): one member at a time, or a unit's yearly list uploaded as Excel.

Both write a `BaseAdjustment` row per member (old and new base, the ratios and the monthly amounts they
imply) and move the member account's base, 单位月缴存额 and 个人月缴存额 to the new figures.

An upload is all-or-nothing: every row is checked (ID checksum, the person has an adjustable account in
this unit, the name and account number match, the new base is a number between the minimum wage and the
cap, ratios within policy, no person twice, the effective month not already paid). If any row is bad the
batch is kept as 校验未通过 with a per-row report in Chinese and no account changes; otherwise every row
applies in one transaction.

An upload costs the request only what `fund.uploads.workbook_check` reads (the zip's directory and the
sheet's row tags): the file, its parts and its rows are bounded before anything parses them. A worker reads
and checks the rows (`base_batch_process`, progress on the batch for the page to poll) and builds the error
report once, stored with the batch; downloads serve that file.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from fund.audit.services import audit_log
from fund.dates import first_of_month
from fund.uploads import WorkbookShape, upload_read
from fund.workflow.moves import StaleStatus, move_status

from ..models import BATCH_LIVE_STATES, BaseAdjustmentBatch, BatchState, UnitAccount
from ..states import BATCH_MOVES
from .base_adjustment_report import ReportLayout, base_batch_report, report_name, report_workbook
from .base_adjustment_rules import (
    ADJUSTABLE_MEMBER_STATES,
    ADJUSTMENT_MONTH,
    Change,
    Rules,
    adjustable_members,
    adjustments_governing_ratios,
    base_adjust,
    changes_apply,
    check_year,
    current_ratios,
    default_year,
    month_terms,
    next_adjustable_month,
    unit_problem,
)
from .base_adjustment_upload import (
    FIELD_LABELS,
    MAX_ROWS,
    FileRejected,
    ParsedSheet,
    RowError,
    SheetRows,
    base_template,
    file_check,
    rows_check,
    sheet_interpret,
    sheet_read,
)


def _storage_name(unit: UnitAccount, year: int, original: str) -> str:
    """The unit and year, and a safe suffix; the storage (fund.storage) adds the part no one can guess, since
    the file holds a staff list with full ID numbers."""
    suffix = PurePath(original).suffix.lower()
    suffix = suffix if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) else ".bin"
    return f"{unit.number}-{year}{suffix}"


@transaction.atomic(durable=True)
def base_upload(
    *, actor: Any, unit: UnitAccount, year: int, file: Any, effective_month: date | None = None
) -> BaseAdjustmentBatch:
    """Receive a unit's yearly list. What the file may cost is checked here, before anything parses it
    (`file_check`: size, the zip's parts, rows against the roster); reading and checking every row is a
    worker's job (`base_batch_process`), queued on commit.

    Returns the batch: QUEUED, or REJECTED at once with the file-wide error and its report when the file was
    refused at the door. Only a bad year or effective month (form input, not the file) raises ValidationError.
    """
    year = check_year(year)
    effective_month = first_of_month(effective_month) if effective_month else date(year, ADJUSTMENT_MONTH, 1)
    if not date(year, 1, 1) <= effective_month <= date(year + 1, 6, 1):
        raise ValidationError({"effective_month": [f"生效年月须在 {year}年01月 至 {year + 1}年06月 之间"]})
    Rules.on_month(effective_month)  # a month without policy is the form's error, not the worker's
    file_name = str(getattr(file, "name", "") or "upload")[-200:]
    data = upload_read(file)
    now = timezone.now()
    batch = BaseAdjustmentBatch(unit=unit, year=year, effective_month=effective_month, file_name=file_name,
                                uploaded_by=actor, progress_at=now)
    refused: RowError | None = None
    shape: WorkbookShape | None = None
    if (problem := unit_problem(unit)) is not None:
        refused = RowError(None, "file", problem)
    else:
        try:
            shape = file_check(data, unit)
        except FileRejected as exc:
            refused = exc.error
    if len(data) <= settings.FUND_UPLOAD_MAX_BYTES:
        batch.file.save(_storage_name(unit, year, file_name), ContentFile(data), save=False)
    if refused is not None:
        batch.state, batch.errors, batch.finished_at = BatchState.REJECTED, [refused.as_dict()], now
        batch.report.save(report_name(batch), ContentFile(report_workbook([refused], None)), save=False)
        batch.save()
        audit_log(actor=actor, action="deposits.base_batch.rejected", target=batch,
                  new={"year": year, "file_name": file_name, "rows": 0, "errors": 1, "state": batch.state})
        return batch
    assert shape is not None
    batch.state, batch.rows_total = BatchState.QUEUED, shape.rows or 0
    batch.save()
    audit_log(actor=actor, action="deposits.base_batch.queued", target=batch,
              new={"year": year, "file_name": file_name, "rows_total": batch.rows_total, "state": batch.state,
                   "effective_month": f"{effective_month:%Y-%m}"})
    from ..tasks.base_adjustment import base_batch_check

    transaction.on_commit(lambda: base_batch_check.delay(batch.pk), robust=True)
    return batch


# ---- the worker's half ------------------------------------------------------------------------------

MAX_ATTEMPTS = 3  # a batch whose check broke off this often (not a bad file: a crash) is marked failed
FAILED_MESSAGE = "系统未能完成校验，本文件未生效；请重新上传，如仍失败请联系公积金中心"


def _move(batch: BaseAdjustmentBatch, to: str, *, actor: Any = None, note: dict[str, Any] | None = None,
          **fields: Any) -> bool:
    """Compare-and-set the state from what `batch` holds to `to`, with an audit event
    (`deposits.base_batch.<state>`); False when another worker moved it first."""
    try:
        move_status(batch, to, table=BATCH_MOVES, actor=actor, action=f"deposits.base_batch.{to}",
                    note={"attempt": batch.attempts, **(note or {})}, **fields)
    except StaleStatus:
        return False
    return True


def _progress(batch_id: int, rows: int) -> None:
    """Rows read so far, written at once (outside any transaction) for the page that polls it."""
    BaseAdjustmentBatch.objects.filter(pk=batch_id, state=BatchState.CHECKING).update(
        rows_read=rows, progress_at=timezone.now())


def base_batch_process(*, batch_id: int) -> BaseAdjustmentBatch:
    """Check a queued batch (the Celery task's body): read the list with progress, check every row, then
    apply every row in one transaction, or none and store the per-row report, built once here.

    Safe to run again (a message delivered twice, a worker killed mid-way and the batch requeued): a finished
    batch is left as it is, and one found checking is checked again from the start, because nothing of it was
    written — the rows apply in the same transaction that moves it to 已生效. Call outside a transaction."""
    batch = BaseAdjustmentBatch.objects.select_related("unit", "uploaded_by").get(pk=batch_id)
    if not batch.live:
        return batch
    if batch.attempts >= MAX_ATTEMPTS:
        _give_up(batch)
        return BaseAdjustmentBatch.objects.get(pk=batch_id)
    if batch.state == BatchState.QUEUED:
        if not _move(batch, BatchState.CHECKING):
            return BaseAdjustmentBatch.objects.get(pk=batch_id)
        batch.state = BatchState.CHECKING
    batch.attempts += 1
    BaseAdjustmentBatch.objects.filter(pk=batch.pk).update(attempts=batch.attempts, rows_read=0,
                                                           progress_at=timezone.now())
    sheet = SheetRows()
    parsed: ParsedSheet | None = None
    refused: RowError | None = None
    try:
        with batch.file.open("rb") as handle:
            data = handle.read(settings.FUND_UPLOAD_MAX_BYTES + 1)
        file_check(data, batch.unit)  # the stored bytes pass the same door the upload did
        sheet_read(data, sheet, progress=lambda rows: _progress(batch.pk, rows))
        parsed = sheet_interpret(sheet)
    except FileRejected as exc:
        refused = exc.error
    return _finish(batch, sheet, parsed, refused)


def _finish(batch: BaseAdjustmentBatch, sheet: SheetRows, parsed: ParsedSheet | None,
            refused: RowError | None) -> BaseAdjustmentBatch:
    effective_month = batch.effective_month or date(batch.year, ADJUSTMENT_MONTH, 1)
    if refused is None and (problem := unit_problem(batch.unit)) is not None:
        refused = RowError(None, "file", problem)  # sealed while the batch waited
    errors: list[RowError] = [refused] if refused else []
    changes: list[Change] = []
    with transaction.atomic(durable=True):
        locked = BaseAdjustmentBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.state != BatchState.CHECKING:
            return locked
        if parsed is not None and not errors:
            try:
                rules = Rules.on_month(effective_month)
            except ValidationError as exc:
                errors = [RowError(None, "effective_month", exc.messages[0])]
            else:
                errors, changes = rows_check(parsed, batch.unit, rules, effective_month)
        if not errors:
            assert parsed is not None
            changes_apply(actor=batch.uploaded_by, changes=changes, effective_month=effective_month, batch=locked)
            _move(
                locked, BatchState.APPLIED, actor=batch.uploaded_by,
                note={"year": batch.year, "file_name": batch.file_name, "rows": len(changes),
                      "effective_month": f"{effective_month:%Y-%m}",
                      "total_monthly": sum((c.unit_monthly + c.member_monthly for c in changes), Decimal(0))},
                row_count=len(parsed.rows), errors=[], rows_read=locked.rows_total, finished_at=timezone.now(),
                progress_at=timezone.now(),
            )
            return BaseAdjustmentBatch.objects.get(pk=batch.pk)
    # Rejected: the check's row locks are released; the report is built once, here, outside any transaction.
    row_count = len(parsed.rows) if parsed is not None else 0
    layout = ReportLayout.of(sheet, parsed, refused)
    name = default_storage.save(
        batch.report.field.generate_filename(batch, report_name(batch)),
        ContentFile(report_workbook(errors, layout)),
    )
    with transaction.atomic(durable=True):
        locked = BaseAdjustmentBatch.objects.select_for_update().get(pk=batch.pk)
        stored = locked.state == BatchState.CHECKING and _move(
            locked, BatchState.REJECTED, actor=batch.uploaded_by,
            note={"year": batch.year, "file_name": batch.file_name, "rows": row_count, "errors": len(errors)},
            row_count=row_count, errors=[e.as_dict() for e in errors], report=name, rows_read=locked.rows_total,
            finished_at=timezone.now(), progress_at=timezone.now(),
        )
    if not stored:
        default_storage.delete(name)  # another worker finished first; its report is the one on record
    return BaseAdjustmentBatch.objects.get(pk=batch.pk)


def _give_up(batch: BaseAdjustmentBatch) -> None:
    error = RowError(None, "file", FAILED_MESSAGE)
    name = default_storage.save(batch.report.field.generate_filename(batch, report_name(batch)),
                                ContentFile(report_workbook([error], None)))
    with transaction.atomic(durable=True):
        if not _move(batch, BatchState.FAILED, note={"attempts": batch.attempts}, errors=[error.as_dict()],
                     report=name, finished_at=timezone.now()):
            default_storage.delete(name)


def base_batches_stalled(cutoff: datetime) -> list[int]:
    """Batches still waiting or checking with no progress since `cutoff`: their message was lost (broker down
    at commit) or their worker died. fund.batches' beat job queues each again; one that keeps breaking off is
    failed by the task (MAX_ATTEMPTS)."""
    stale = BaseAdjustmentBatch.objects.filter(state__in=BATCH_LIVE_STATES, progress_at__lt=cutoff)
    return list(stale.order_by("pk").values_list("pk", flat=True)[:100])


def base_batch_requeue(batch_id: int, cutoff: datetime) -> bool:
    """Queue a stalled batch again, compare-and-set on its progress time so two beats queue it once; False if
    it moved meanwhile."""
    from ..tasks.base_adjustment import base_batch_check

    with transaction.atomic():
        touched = BaseAdjustmentBatch.objects.filter(
            pk=batch_id, state__in=BATCH_LIVE_STATES, progress_at__lt=cutoff).update(progress_at=timezone.now())
        if touched:
            transaction.on_commit(lambda: base_batch_check.delay(batch_id), robust=True)
    return bool(touched)


def batch_rows(batch: BaseAdjustmentBatch) -> list[dict[str, Any]]:
    """The per-row report as the API gives it: [{row, field, message}], row None for the file as a whole."""
    return [{"row": e.get("row"), "field": e.get("field"), "message": e.get("message")} for e in batch.errors]


# The names views, APIs, tasks and tests import from here; the rules, the Excel side and the report live in
# base_adjustment_rules, base_adjustment_upload and base_adjustment_report.
__all__ = [
    "ADJUSTABLE_MEMBER_STATES", "ADJUSTMENT_MONTH", "FIELD_LABELS", "MAX_ROWS", "RowError", "adjustable_members",
    "adjustments_governing_ratios", "base_adjust", "base_batch_process", "base_batch_report", "base_batch_requeue",
    "base_batches_stalled", "base_template", "base_upload", "batch_rows", "current_ratios", "default_year",
    "month_terms", "next_adjustable_month",
]
