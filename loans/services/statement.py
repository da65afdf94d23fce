"""每笔还款明细: a loan's repayments, oldest first, with how each was allocated (in the order of
`loans.allocation.ORDER`), where its money came from, and the principal left after it; totals; the Excel export.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.conf import settings
from django.db.models import QuerySet, Sum
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from fund.audit.masking import mask_bank_card, mask_id_number
from fund.exports import MONEY_FORMAT
from fund.money import ZERO, format_money

from ..models import Loan, Repayment

AMOUNT_FIELDS = ("amount", "penalty", "overdue_interest", "overdue_principal", "interest", "principal",
                 "prepaid_principal", "from_fund", "from_card")
COLUMNS = ["还款日期", "还款流水号", "还款类型", "还款渠道", "还款金额", "罚息", "逾期利息", "逾期本金", "当期利息",
           "当期本金", "提前还本", "公积金账户支付", "银行卡支付", "扣划账户/扣款账号", "还款后本金余额"]


@dataclass(frozen=True)
class StatementTotals:
    count: int
    amount: Decimal
    penalty: Decimal
    overdue_interest: Decimal
    overdue_principal: Decimal
    interest: Decimal
    principal: Decimal
    prepaid_principal: Decimal
    from_fund: Decimal
    from_card: Decimal

    @property
    def principal_total(self) -> Decimal:
        return self.overdue_principal + self.principal + self.prepaid_principal

    @property
    def interest_total(self) -> Decimal:
        return self.overdue_interest + self.interest


def statement_rows(loan: Loan) -> QuerySet[Repayment]:
    return (Repayment.objects.filter(loan=loan).select_related("fund_account__person", "entry")
            .order_by("value_date", "id"))


def statement_totals(rows: QuerySet[Repayment]) -> StatementTotals:
    sums = rows.aggregate(**{name: Sum(name) for name in AMOUNT_FIELDS})
    return StatementTotals(count=rows.count(), **{name: sums[name] or ZERO for name in AMOUNT_FIELDS})


def source_text(row: Repayment) -> str:
    """Where the money came from, as the statement prints it (accounts and cards masked)."""
    parts = []
    if row.from_fund and row.fund_account is not None:
        parts.append(f"公积金 {row.fund_account.number}（{row.fund_account.person.name}）")
    if row.from_card:
        parts.append(f"银行卡 {mask_bank_card(row.card)}" if row.card else "银行卡")
    return "；".join(parts)


def _cell(sheet: object, value: object, *, bold: bool = False, money: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if bold:
        cell.font = Font(bold=True)
    if money:
        cell.number_format = MONEY_FORMAT
    return cell


def statement_workbook(*, loan: Loan, rows: Iterable[Repayment], totals: StatementTotals) -> bytes:
    """The statement as .xlsx: header rows, one row per repayment (money as numbers), then the totals row."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title="每笔还款明细")
    for index, width in enumerate([12, 18, 12, 14, *([12] * 9), 30, 14]):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.append([_cell(sheet, "住房公积金贷款还款明细", bold=True)])
    header = [
        ("借款合同编号", loan.contract_number), ("借款人", loan.borrower.name),
        ("身份证号码", mask_id_number(loan.borrower.id_number)), ("贷款金额", f"{format_money(loan.principal)} 元"),
        ("本金余额", f"{format_money(loan.balance)} 元"), ("贷款状态", loan.get_status_display()),
        ("导出时间", f"{timezone.localtime():%Y-%m-%d %H:%M}"), ("出具单位", settings.FUND_CENTRE_NAME),
    ]
    for label, value in header:
        sheet.append([_cell(sheet, label, bold=True), value])
    sheet.append([])
    sheet.append([_cell(sheet, c, bold=True) for c in COLUMNS])
    for row in rows:
        values: list[object] = [f"{row.value_date:%Y-%m-%d}", row.number, row.get_kind_display(),
                                row.get_channel_display()]
        values += [_cell(sheet, getattr(row, name), money=True) for name in AMOUNT_FIELDS]
        values += [source_text(row), _cell(sheet, row.balance_after, money=True)]
        sheet.append(values)
    sheet.append([_cell(sheet, "合计", bold=True), f"{totals.count} 笔", "", ""]
                 + [_cell(sheet, getattr(totals, name), money=True, bold=True) for name in AMOUNT_FIELDS])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
