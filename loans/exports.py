"""Excel export of a loan's schedule (还款计划), for the member and for staff.

The rows are `schedule_store.schedule_rows(loan)`: the stored instalments with what has been paid on each, then
the rest of the current segment marked 预计 (it follows the rate in force and changes if the rate does). Money is
written as numbers with two decimals; the last row totals the columns."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import Any

from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from fund.audit.masking import mask_id_number
from fund.exports import BOLD, HEAD_FILL, MONEY_FORMAT
from fund.money import ZERO, format_money

from .models import Loan
from .services.schedule_store import ScheduleRow

COLUMNS = ["期次", "应还日期", "应还本金", "应还利息", "应还合计", "计划剩余本金", "已还本金", "已还利息", "罚息",
           "已还罚息", "状态", "还清日期"]
MONEY_COLUMNS = range(3, 11)  # C … J, 1-based
WIDTHS = [8, 12, 14, 14, 14, 16, 14, 14, 12, 12, 10, 12]
_PROJECTED = Font(color="808080", italic=True)


def schedule_workbook(loan: Loan, rows: Sequence[ScheduleRow]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "还款计划"
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.append(["个人住房公积金贷款还款计划"])
    sheet["A1"].font = Font(bold=True, size=14)
    header = [
        ("借款合同编号", loan.contract_number),
        ("借款人", loan.borrower.name),
        ("身份证号码", mask_id_number(loan.borrower.id_number)),
        ("贷款金额", f"{format_money(loan.principal)} 元"),
        ("本金余额", f"{format_money(loan.balance)} 元"),
        ("年利率", f"{loan.rate}%"),
        ("还款方式", loan.get_method_display()),
        ("贷款期限", f"{loan.term_months} 个月，每月 {loan.repayment_day} 日还款"),
        ("导出时间", f"{timezone.localtime():%Y-%m-%d %H:%M}"),
        ("出具单位", settings.FUND_CENTRE_NAME),
    ]
    for label, value in header:
        sheet.append([label, value])
        sheet.cell(row=sheet.max_row, column=1).font = BOLD
    sheet.append(["说明", "状态为“预计”的期次尚未生成，按现行利率测算，利率调整后以新的还款计划为准。"])
    sheet.append([])
    sheet.append(COLUMNS)
    head_row = sheet.max_row
    for cell in sheet[head_row]:
        cell.font, cell.fill, cell.alignment = BOLD, HEAD_FILL, Alignment(horizontal="center")
    totals = [ZERO] * 8
    for row in rows:
        amounts = [row.principal, row.interest, row.payment, row.balance_after, row.principal_paid,
                   row.interest_paid, row.penalty, row.penalty_paid]
        for i in (0, 1, 2, 4, 5, 6, 7):  # the balance column does not add up
            totals[i] += amounts[i]
        sheet.append([row.number, f"{row.due_on:%Y-%m-%d}", *amounts, row.state_label,
                      f"{row.paid_on:%Y-%m-%d}" if row.paid_on else ""])
        _money(sheet, sheet.max_row)
        if row.projected:
            for cell in sheet[sheet.max_row]:
                cell.font = _PROJECTED
    sheet.append(["合计", "", *[t if i != 3 else None for i, t in enumerate(totals)], "", ""])
    _money(sheet, sheet.max_row)
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    sheet.freeze_panes = sheet.cell(row=head_row + 1, column=1)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _money(sheet: Any, row: int) -> None:
    for column in MONEY_COLUMNS:
        sheet.cell(row=row, column=column).number_format = MONEY_FORMAT
