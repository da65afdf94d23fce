"""The error report of a rejected base-adjustment list (调基名单): the uploaded rows again with a 错误说明
column and a sheet listing every error, built once when the check finishes and stored with the batch.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from fund.uploads import (
    FORMULA_WITHOUT_RESULT,
)

from ..models import BaseAdjustmentBatch, BatchState
from .base_adjustment_upload import (
    REPORT_COLUMN,
    SHEET_TITLE,
    FileRejected,
    ParsedSheet,
    RowError,
    SheetRows,
    file_check,
    sheet_interpret,
    sheet_read,
)

# ---- the report -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReportLayout:
    """Where the uploaded list's rows go in the report: the rows read, the header row and the 错误说明 column
    a corrected report already had."""

    rows: list[tuple[int, tuple[Any, ...]]]
    header_row: int
    report_at: int | None

    @classmethod
    def of(cls, sheet: SheetRows, parsed: ParsedSheet | None, refused: RowError | None) -> ReportLayout | None:
        if not sheet.rows:
            return None
        if parsed is not None:
            return cls(sheet.rows, parsed.header_row, parsed.columns.get("report"))
        # A header problem, no rows, too many rows: the rows read are still worth copying back.
        return cls(sheet.rows, (refused.row if refused else None) or 1, None)


def report_name(batch: BaseAdjustmentBatch) -> str:
    return f"{batch.unit.number}-{batch.year}-errors.xlsx"  # fund.storage adds the random part


def report_workbook(errors: list[RowError], layout: ReportLayout | None) -> bytes:
    """The uploaded list again, row for row, with a 错误说明 column; plus a sheet listing every error. Without
    a layout (the file was refused before it was read) the listing alone.

    A corrected copy of this file can be uploaded as it is (the 错误说明 column is ignored)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    by_row: dict[int, list[RowError]] = {}
    for error in errors:
        if error.row:
            by_row.setdefault(error.row, []).append(error)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    red = PatternFill("solid", fgColor="FDE2E1")
    if layout is not None:
        _copy_with_report(layout, sheet, by_row, red)
        listing = workbook.create_sheet("错误报告")
    else:
        listing = sheet
    listing.append(["行号", "列", REPORT_COLUMN])
    for cell in listing[1]:
        cell.font = Font(bold=True)
    for error in errors:
        listing.append([error.row or "—", error.label, error.detail])
    listing.column_dimensions["C"].width = 70
    for row in listing.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _copy_with_report(layout: ReportLayout, target: Any, by_row: dict[int, list[RowError]], fill: Any) -> None:
    """Copy the uploaded sheet's values into `target` at the same row numbers and add the 错误说明 column."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    header_row, report_at = layout.header_row, layout.report_at
    width = 0
    for number, cells in layout.rows:
        for index, value in enumerate(cells, start=1):
            if index - 1 == report_at or value is None or value is FORMULA_WITHOUT_RESULT:
                continue  # the last round's explanations give way to this round's
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters a sheet cannot hold
            cell = target.cell(row=number, column=index, value=value)
            width = max(width, index)
            if isinstance(value, str):
                cell.number_format = "@"
            if number in by_row and number != header_row:
                cell.fill = fill
    column = report_at + 1 if report_at is not None else width + 1
    target.cell(row=header_row, column=column, value=REPORT_COLUMN).font = Font(bold=True)
    for number, row_errors in by_row.items():
        if number == header_row:
            text = "；".join(e.detail for e in row_errors)
        else:
            text = "；".join(f"{e.label}：{e.detail}" for e in row_errors)
        target.cell(row=number, column=column, value=text).fill = fill
    target.column_dimensions[get_column_letter(column)].width = 60
    target.freeze_panes = f"A{header_row + 1}"


def base_batch_report(batch: BaseAdjustmentBatch) -> bytes | None:
    """The stored error report of a rejected (or failed) batch, as it was built when its check finished;
    None while the batch is still being checked, or when it applied (nothing to report).

    A batch rejected before reports were stored gets its report built here once, from its upload (through
    the same door as a new upload), and stored for every later fetch."""
    if batch.state not in (BatchState.REJECTED, BatchState.FAILED):
        return None
    if not batch.report:
        _store_late_report(batch)
    with batch.report.open("rb") as handle:
        return handle.read()


def _store_late_report(batch: BaseAdjustmentBatch) -> None:
    errors = [RowError(e.get("row"), e.get("field", ""), e.get("detail") or e.get("message", ""))
              for e in batch.errors]
    sheet, parsed = SheetRows(), None
    try:
        with batch.file.open("rb") as handle:
            data = handle.read(settings.FUND_UPLOAD_MAX_BYTES + 1)
        file_check(data, batch.unit)
        sheet_read(data, sheet)
        parsed = sheet_interpret(sheet)
    except (FileRejected, OSError, ValueError):
        pass
    layout = ReportLayout.of(sheet, parsed, next((e for e in errors if e.row is None or e.field == "header"), None))
    name = default_storage.save(batch.report.field.generate_filename(batch, report_name(batch)),
                                ContentFile(report_workbook(errors, layout)))
    if BaseAdjustmentBatch.objects.filter(pk=batch.pk, report="").update(report=name) != 1:
        default_storage.delete(name)  # a concurrent fetch stored one first
    batch.refresh_from_db(fields=["report"])
