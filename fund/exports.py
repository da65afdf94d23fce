"""Excel exports' shared parts: the money format, a write-only workbook with a title and header rows, cells and
rows, the file's bytes, its HTTP response and name. Each line's workbooks (deposits' statements and rosters,
loans' schedules and repayment statements) are written with these."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEAD_FILL = PatternFill("solid", fgColor="E8EEF7")

def cell(sheet: Worksheet, value: Any, *, font: Font | None = None, money: bool = False, head: bool = False) -> WriteOnlyCell:
    out = WriteOnlyCell(sheet, value=value)
    if font is not None:
        out.font = font
    if money:
        out.number_format = MONEY_FORMAT
    if head:
        out.font = BOLD
        out.fill = HEAD_FILL
        out.alignment = Alignment(horizontal="center")
    return out


def append_row(sheet: Worksheet, values: Iterable[Any], money_columns: frozenset[int] = frozenset()) -> None:
    sheet.append([cell(sheet, v, money=i in money_columns) if isinstance(v, Decimal) else v for i, v in enumerate(values)])


def workbook_start(title: str, header: list[tuple[str, str]], columns: list[str], widths: list[int]) -> tuple[Workbook, Worksheet]:
    """A write-only workbook whose sheet starts with the title, the header rows (label, value), a blank
    row and the column heads."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.append([cell(sheet, title, font=TITLE)])
    for label, value in header:
        sheet.append([cell(sheet, label, font=BOLD), value])
    sheet.append([])
    sheet.append([cell(sheet, c, head=True) for c in columns])
    return book, sheet


def workbook_bytes(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def now_text() -> str:
    return f"{timezone.localtime():%Y-%m-%d %H:%M}"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def export_name(stem: str, on: date | datetime | None = None) -> str:
    return f"{stem}-{(on or timezone.localdate()):%Y%m%d}.xlsx"
