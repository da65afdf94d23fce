"""Excel exports: a member's statement (个人明细), a unit's roster (职工名册) and its bill history (汇补缴记录).

Each writer returns the .xlsx bytes. Money is written as numbers (two decimals, thousands separators), dates
as text in the standard's formats, ID numbers masked. Write-only workbooks: a statement of many years or a
roster of thousands streams through without building the sheet in memory.
"""

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from fund.audit.masking import mask_id_number
from fund.exports import append_row, now_text, workbook_bytes, workbook_start
from fund.ledger.models import SubLedgerRow
from fund.money import format_money

from .models import MemberAccount, RemittanceBill, UnitAccount
from .selectors.statements import StatementFilter

STATEMENT_COLUMNS = ["记账日期", "业务流水号", "业务类型", "摘要", "发生额", "余额"]
ROSTER_COLUMNS = ["个人账号", "姓名", "身份证号码", "缴存基数", "月缴存额", "缴至年月", "状态"]
BILL_COLUMNS = ["缴款单号", "年月", "类型", "人数", "金额", "状态", "入账时间"]


def statement_workbook(*, account: MemberAccount, rows: Iterable[SubLedgerRow], filters: StatementFilter) -> bytes:
    """个人明细 with the member's header rows; rows in posting order (oldest first)."""
    person = account.person
    header = [
        ("个人账号", account.number),
        ("姓名", person.name),
        ("身份证号码", mask_id_number(person.id_number)),
        ("单位名称", f"{account.unit.employer.name}（{account.unit.number}）"),
        ("账户状态", account.get_state_display()),
        ("当前余额", f"{format_money(account.sub_account.balance)} 元"),
        ("查询区间", filters.describe()),
        ("业务类型", filters.business_label),
        ("导出时间", now_text()),
        ("出具单位", settings.FUND_CENTRE_NAME),
    ]
    book, sheet = workbook_start("住房公积金个人明细账", header, STATEMENT_COLUMNS, [14, 22, 12, 30, 14, 14])
    for row in rows:
        append_row(
            sheet,
            [f"{row.value_date:%Y-%m-%d}", row.entry.number, row.entry.get_business_type_display(), row.summary,
             row.amount, row.balance_after],
            money_columns=frozenset({4, 5}),
        )
    return workbook_bytes(book)


def roster_workbook(*, unit: UnitAccount, members: Iterable[MemberAccount]) -> bytes:
    """职工名册: ID numbers masked; 月缴存额 is the unit and member parts together."""
    header = [
        ("单位账号", unit.number),
        ("单位名称", unit.employer.name),
        ("缴存比例", f"单位 {unit.unit_ratio * 100:.0f}% / 个人 {unit.member_ratio * 100:.0f}%"),
        ("导出时间", now_text()),
    ]
    book, sheet = workbook_start("职工名册", header, ROSTER_COLUMNS, [16, 12, 22, 14, 14, 12, 14])
    for member in members:
        append_row(
            sheet,
            [member.number, member.person.name, mask_id_number(member.person.id_number), member.base,
             member.unit_monthly + member.member_monthly,
             f"{member.paid_up_to:%Y-%m}" if member.paid_up_to else "", member.get_state_display()],
            money_columns=frozenset({3, 4}),
        )
    return workbook_bytes(book)


def bills_workbook(*, unit: UnitAccount, bills: Iterable[RemittanceBill]) -> bytes:
    """汇补缴记录: one row per bill (cancelled ones too, marked so)."""
    header = [("单位账号", unit.number), ("单位名称", unit.employer.name), ("导出时间", now_text())]
    book, sheet = workbook_start("汇补缴记录", header, BILL_COLUMNS, [24, 10, 8, 8, 16, 14, 18])
    for bill in bills:
        paid_at = f"{timezone.localtime(bill.paid_at):%Y-%m-%d %H:%M}" if bill.paid_at else ""
        append_row(
            sheet,
            [bill.number, f"{bill.month:%Y-%m}", bill.get_kind_display(), bill.member_count, bill.total,
             bill.get_state_display(), paid_at],
            money_columns=frozenset({4}),
        )
    return workbook_bytes(book)


