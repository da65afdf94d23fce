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

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from fund.audit.services import audit_log
from fund.money import format_money, round_money
from fund.policy.selectors import PolicyMissing, policy_value
from fund.uploads import (
    FORMULA_WITHOUT_RESULT,
    WorkbookRefused,
    WorkbookShape,
    sheet_rows,
    size_text,
    upload_read,
    workbook_check,
    workbook_open,
)
from fund.validation import clean_resident_id

from ..models import (
    ACTIVE_MEMBER_STATES,
    BATCH_LIVE_STATES,
    BATCH_MOVES,
    BaseAdjustment,
    BaseAdjustmentBatch,
    BatchState,
    MemberAccount,
    MemberState,
    UnitAccount,
    UnitRatioChange,
    UnitState,
)
from ..selectors import unit_ratio_change_on
from .accounts import add_months, base_bounds, first_of_month, monthly_amounts

# A member account whose base may change: working members (a frozen balance still takes deposits' base).
ADJUSTABLE_MEMBER_STATES = (MemberState.NORMAL, MemberState.FROZEN)
# A unit that still deposits (or is deferring and will back-pay) may adjust; a sealed or closed one may not.
ADJUSTABLE_UNIT_STATES = (UnitState.NORMAL, UnitState.DEFERRED)

ADJUSTMENT_MONTH = 7  # 每年7月调整缴存基数
MAX_ROWS = 10_000
HEADER_SEARCH_ROWS = 10
MAX_COLUMNS = 40  # read no further right: a sheet claiming 16,384 columns must not pad every row to that
SHEET_TITLE = "调基名单"
REPORT_COLUMN = "错误说明"

FIELD_LABELS = {
    "file": "文件",
    "header": "表头",
    "year": "调整年度",
    "effective_month": "生效年月",
    "number": "个人账号",
    "name": "姓名",
    "id_number": "身份证号码",
    "account": "个人账户",
    "old_base": "现缴存基数",
    "new_base": "新缴存基数",
    "unit_ratio": "单位缴存比例",
    "member_ratio": "个人缴存比例",
}

# Template columns, in order: (key, header text). Keys double as the `field` of a row error.
TEMPLATE_COLUMNS = [
    ("seq", "序号"),
    ("number", "个人账号"),
    ("name", "姓名"),
    ("id_number", "身份证号码"),
    ("old_base", "现缴存基数（元）"),
    ("new_base", "新缴存基数（元）"),
    ("unit_ratio", "单位缴存比例（%）"),
    ("member_ratio", "个人缴存比例（%）"),
]
REQUIRED_COLUMNS = ("name", "id_number", "new_base")
# Header text as people type it, normalised by _header_key(), to the column it means.
HEADER_ALIASES = {
    "序号": "seq",
    "个人账号": "number", "个人公积金账号": "number", "公积金账号": "number",
    "姓名": "name", "职工姓名": "name",
    "身份证号码": "id_number", "身份证号": "id_number", "证件号码": "id_number", "公民身份号码": "id_number",
    "现缴存基数": "old_base", "原缴存基数": "old_base",
    "新缴存基数": "new_base", "调整后缴存基数": "new_base",
    "单位缴存比例": "unit_ratio", "单位比例": "unit_ratio",
    "个人缴存比例": "member_ratio", "个人比例": "member_ratio",
    REPORT_COLUMN: "report",  # a corrected error report may be uploaded again; this column is ignored
}


@dataclass(frozen=True)
class RowError:
    """One problem in an upload. `row` is the Excel row number (None for the file as a whole)."""

    row: int | None
    field: str
    detail: str

    @property
    def label(self) -> str:
        return FIELD_LABELS.get(self.field, self.field)

    @property
    def message(self) -> str:
        where = f"第{self.row}行 " if self.row else ""
        return f"{where}{self.label}：{self.detail}"

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "label": self.label, "message": self.message,
                "detail": self.detail}


@dataclass
class ParsedSheet:
    header_row: int
    columns: dict[str, int]  # key → 0-based column index
    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)  # (Excel row number, cell values)

    def value(self, cells: tuple[Any, ...], key: str) -> Any:
        index = self.columns.get(key)
        return cells[index] if index is not None and index < len(cells) else None


class FileRejected(Exception):
    def __init__(self, error: RowError) -> None:
        super().__init__(error.message)
        self.error = error


@dataclass(frozen=True)
class Change:
    """The figures one adjustment writes."""

    account: MemberAccount
    new_base: Decimal
    unit_ratio: Decimal
    member_ratio: Decimal
    unit_monthly: Decimal
    member_monthly: Decimal


# ---- policy read once per request ------------------------------------------------------------------

@dataclass(frozen=True)
class Rules:
    """Everything policy says about a base on one effective month, read once (a batch checks thousands)."""

    on: date
    floor: Decimal
    cap: Decimal
    cap_multiple: Decimal
    unit_ratio: tuple[Decimal, Decimal]
    member_ratio: tuple[Decimal, Decimal]
    rounding_unit: Decimal
    rounding_mode: str

    @classmethod
    def on_month(cls, on: date) -> Rules:
        try:
            return cls._read(on)
        except PolicyMissing as exc:
            raise ValidationError({"effective_month": [f"{on:%Y年%m月}没有生效的缴存政策参数"]}) from exc

    @classmethod
    def _read(cls, on: date) -> Rules:
        floor, cap = base_bounds(on)
        return cls(
            on=on, floor=floor, cap=cap,
            cap_multiple=Decimal(policy_value("deposit_base_cap_multiple", on)),
            unit_ratio=(Decimal(policy_value("deposit_unit_ratio_min", on)), Decimal(policy_value("deposit_unit_ratio_max", on))),
            member_ratio=(
                Decimal(policy_value("deposit_member_ratio_min", on)), Decimal(policy_value("deposit_member_ratio_max", on))
            ),
            rounding_unit=Decimal(policy_value("deposit_rounding_unit", on)),
            rounding_mode=str(policy_value("deposit_rounding_mode", on)),
        )

    def base_problem(self, base: Decimal) -> str | None:
        if base < self.floor:
            return f"不得低于最低月工资标准 {format_money(self.floor)} 元"
        if base > self.cap:
            return f"不得高于 {format_money(self.cap)} 元（上年度职工月平均工资的 {self.cap_multiple.normalize():f} 倍）"
        return None

    def ratio_problem(self, part: str, ratio: Decimal) -> str | None:
        low, high = self.unit_ratio if part == "unit" else self.member_ratio
        if not low <= ratio <= high:
            return f"须在 {_pct(low)} 至 {_pct(high)} 之间"
        return None

    def amounts(self, base: Decimal, unit_ratio: Decimal, member_ratio: Decimal) -> tuple[Decimal, Decimal]:
        """The same rule as accounts.monthly_amounts (base × ratio, rounded as policy says), without reading
        policy again for every row."""
        return (round_money(base * unit_ratio, unit=self.rounding_unit, mode=self.rounding_mode),
                round_money(base * member_ratio, unit=self.rounding_unit, mode=self.rounding_mode))


def _pct(value: Decimal) -> str:
    return f"{(Decimal(value) * 100).normalize():f}%"


# ---- checks shared by the form and the file -----------------------------------------------------------

def _month_problem(account: MemberAccount, effective_month: date, last_effective: date | None) -> str | None:
    """An adjustment cannot reach back into months already paid at the old base, nor before the latest one."""
    if account.paid_up_to is not None and effective_month <= account.paid_up_to:
        return (f"该职工已缴至 {account.paid_up_to:%Y年%m月}，生效年月须晚于缴至年月"
                f"（{effective_month:%Y年%m月}已缴存）")
    if last_effective is not None and effective_month < last_effective:
        return f"生效年月不能早于该职工最近一次基数调整的生效年月 {last_effective:%Y年%m月}"
    return None


def _state_problem(account: MemberAccount) -> str | None:
    if account.state not in ADJUSTABLE_MEMBER_STATES:
        return f"个人账户状态为“{account.get_state_display()}”，不能调整缴存基数"
    return None


def _unit_problem(unit: UnitAccount) -> str | None:
    if unit.state not in ADJUSTABLE_UNIT_STATES:
        return f"单位账户状态为“{unit.get_state_display()}”，不能调整缴存基数"
    return None


def _last_effective(accounts: Iterable[int]) -> dict[int, date]:
    rows = (BaseAdjustment.objects.filter(account_id__in=list(accounts))
            .values("account_id").annotate(last=Max("effective_month")))
    return {row["account_id"]: row["last"] for row in rows}


def _apply(*, actor: Any, changes: list[Change], effective_month: date, batch: BaseAdjustmentBatch | None) -> None:
    """Write the adjustment rows and move the accounts (callers hold the accounts' row locks)."""
    BaseAdjustment.objects.bulk_create([
        BaseAdjustment(
            account=c.account, batch=batch, effective_month=effective_month, old_base=c.account.base,
            new_base=c.new_base, unit_ratio=c.unit_ratio, member_ratio=c.member_ratio,
            unit_monthly=c.unit_monthly, member_monthly=c.member_monthly, actor=actor,
        )
        for c in changes
    ], batch_size=1000)
    # One set-based statement: Django's bulk_update builds a CASE per row and takes seconds for thousands.
    table = connection.ops.quote_name(MemberAccount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS m SET base = v.base, unit_monthly = v.unit_monthly, member_monthly = v.member_monthly "
            "FROM unnest(%s::bigint[], %s::numeric[], %s::numeric[], %s::numeric[]) "
            "AS v(id, base, unit_monthly, member_monthly) WHERE m.id = v.id",
            [[c.account.pk for c in changes], [c.new_base for c in changes],
             [c.unit_monthly for c in changes], [c.member_monthly for c in changes]],
        )
    for c in changes:
        c.account.base, c.account.unit_monthly, c.account.member_monthly = c.new_base, c.unit_monthly, c.member_monthly


# ---- the terms in force for a month ---------------------------------------------------------------------

@dataclass(frozen=True)
class MonthTerms:
    base: Decimal
    unit_monthly: Decimal
    member_monthly: Decimal

    @property
    def total(self) -> Decimal:
        return self.unit_monthly + self.member_monthly


def adjustments_governing_ratios(adjustments: QuerySet[BaseAdjustment], change: UnitRatioChange | None,
                                 month: date) -> QuerySet[BaseAdjustment]:
    """Of a member's adjustments effective by `month`, those whose own ratios still govern the month: the ones
    made effective after the unit's ratio change in force (or in the same month but recorded after it). A
    unit-wide change (a ratio reduction, its end) overrides ratios set by an earlier adjustment, as it does the
    account's monthly amounts when it happens. The first of them in the usual order (-effective_month, -id) is
    the member's latest adjustment by the month, or there are none."""
    if change is None or change.effective_month > month:
        return adjustments
    return adjustments.filter(
        Q(effective_month__gt=change.effective_month)
        | Q(effective_month=change.effective_month, created_at__gt=change.created_at)
    )


def month_terms(account: MemberAccount, month: date) -> MonthTerms:
    """The base and monthly amounts in force for one member and month, as a unit's bill reckons them.

    The base: an adjustment writes its new figures onto the account at once, even when it takes effect in a
    later month; so a month before it must not use the account's figures. The latest adjustment effective on
    or before `month` gives the base; failing that, the earliest one after `month` gives the base it replaced;
    with no adjustment at all, the account's base.

    The ratios are those in force in THAT month, never simply today's: the latest adjustment's own ratios if
    it came after the unit's last ratio change by the month, otherwise the unit's ratios from its history
    (`unit_ratios_on`), so a 补缴 for a month before a ratio reduction uses the full ratios and one for a month
    inside it the reduced ones, whenever it is paid. The account's stored monthly amounts follow the unit's
    current ratios, so they stand unchanged only when those are the month's ratios and no adjustment applies."""
    month = first_of_month(month)
    unit = account.unit
    adjustments = BaseAdjustment.objects.filter(account=account, effective_month__lte=month).order_by(
        "-effective_month", "-id")
    before = adjustments.first()
    change = unit_ratio_change_on(unit, month)
    unit_ratio, member_ratio = (change.unit_ratio, change.member_ratio) if change else (unit.unit_ratio, unit.member_ratio)
    if before is not None:
        base = before.new_base
        governing = adjustments_governing_ratios(adjustments, change, month).first()
        if governing is not None:
            unit_ratio, member_ratio = governing.unit_ratio, governing.member_ratio
    else:
        after = BaseAdjustment.objects.filter(account=account, effective_month__gt=month).order_by(
            "effective_month", "id").first()
        if after is None:
            if (unit_ratio, member_ratio) == (unit.unit_ratio, unit.member_ratio):
                return MonthTerms(account.base, account.unit_monthly, account.member_monthly)
            base = account.base
        else:
            base = after.old_base
    unit_monthly, member_monthly = monthly_amounts(base=base, unit_ratio=unit_ratio, member_ratio=member_ratio, on=month)
    return MonthTerms(base, unit_monthly, member_monthly)


# ---- one member --------------------------------------------------------------------------------------

@transaction.atomic(durable=True)
def base_adjust(
    *,
    actor: Any,
    account: MemberAccount,
    new_base: Decimal,
    effective_month: date,
    unit_ratio: Decimal | None = None,
    member_ratio: Decimal | None = None,
) -> BaseAdjustment:
    """Adjust one member's base from `effective_month` on (at the window, or by the member's unit).

    Checked against policy in force on the effective month; ratios default to the unit's. The caller has
    already fetched `account` through the user's scope and checked the user may write.
    """
    effective_month = first_of_month(effective_month)
    account = (MemberAccount.objects.select_for_update(of=("self",)).select_related("unit", "person")
               .get(pk=account.pk))
    unit = account.unit
    rules = Rules.on_month(effective_month)
    unit_ratio = unit.unit_ratio if unit_ratio is None else unit_ratio
    member_ratio = unit.member_ratio if member_ratio is None else member_ratio
    errors: dict[str, list[str]] = {}
    problem = _state_problem(account) or _unit_problem(unit)
    if problem:
        errors["account"] = [problem]
    if not isinstance(new_base, Decimal) or not new_base.is_finite():
        errors["new_base"] = ["新缴存基数应为数字"]
    elif (problem := rules.base_problem(new_base)) is not None:
        errors["new_base"] = [f"新缴存基数{problem}"]
    elif new_base != new_base.quantize(Decimal("0.01")):
        errors["new_base"] = ["新缴存基数最多保留两位小数"]
    for part, value, label in (("unit", unit_ratio, "单位缴存比例"), ("member", member_ratio, "个人缴存比例")):
        if (problem := rules.ratio_problem(part, value)) is not None:
            errors[f"{part}_ratio"] = [f"{label}{problem}"]
    last = _last_effective([account.pk]).get(account.pk)
    latest = add_months(first_of_month(timezone.localdate()), 12)
    if effective_month > latest:
        errors["effective_month"] = [f"生效年月不能晚于 {latest:%Y年%m月}"]
    elif (problem := _month_problem(account, effective_month, last)) is not None:
        errors["effective_month"] = [problem]
    if errors:
        raise ValidationError(errors)
    new_base = new_base.quantize(Decimal("0.01"))
    unit_monthly, member_monthly = monthly_amounts(
        base=new_base, unit_ratio=unit_ratio, member_ratio=member_ratio, on=effective_month
    )
    old = {"base": account.base, "unit_monthly": account.unit_monthly, "member_monthly": account.member_monthly}
    change = Change(account, new_base, unit_ratio, member_ratio, unit_monthly, member_monthly)
    _apply(actor=actor, changes=[change], effective_month=effective_month, batch=None)
    audit_log(
        actor=actor, action="deposits.member.base_adjusted", target=account, old=old,
        new={"base": new_base, "unit_monthly": unit_monthly, "member_monthly": member_monthly,
             "unit_ratio": unit_ratio, "member_ratio": member_ratio, "effective_month": f"{effective_month:%Y-%m}"},
    )
    return BaseAdjustment.objects.filter(account=account).latest("id")


# ---- the template -----------------------------------------------------------------------------------

def default_year(today: date | None = None) -> int:
    """The year of the next July adjustment (this year's until July is over)."""
    today = today or timezone.localdate()
    return today.year if today.month <= ADJUSTMENT_MONTH else today.year + 1


def _check_year(year: Any) -> int:
    today = timezone.localdate()
    try:
        value = int(year)
    except (TypeError, ValueError):
        value = 0
    if not 2000 <= value <= today.year + 1:
        raise ValidationError({"year": [f"调整年度须在 2000 年至 {today.year + 1} 年之间"]})
    return value


def adjustable_members(unit: UnitAccount) -> QuerySet[MemberAccount]:
    return (MemberAccount.objects.filter(unit=unit, state__in=ADJUSTABLE_MEMBER_STATES)
            .select_related("person").order_by("number"))


def base_template(*, unit: UnitAccount, year: int) -> bytes:
    """The yearly adjustment list a unit downloads: its working members with their current base, the new
    base left empty, and a sheet of instructions. Reading it back is `base_upload`."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    year = _check_year(year)
    effective = date(year, ADJUSTMENT_MONTH, 1)
    rules = Rules.on_month(effective)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append([title for _, title in TEMPLATE_COLUMNS])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE7F5")
    must = PatternFill("solid", fgColor="FFF2CC")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(horizontal="center")
    sheet["F1"].fill = must
    count = 0
    for count, account in enumerate(adjustable_members(unit), start=1):
        sheet.append([
            count, account.number, account.person.name, account.person.id_number, account.base, None,
            (unit.unit_ratio * 100).quantize(Decimal("0.01")), (unit.member_ratio * 100).quantize(Decimal("0.01")),
        ])
    for row in sheet.iter_rows(min_row=2, max_row=count + 1):
        row[1].number_format = row[3].number_format = "@"  # 18-digit IDs must stay text, not 1.2E+17
        row[4].number_format = "#,##0.00"
        row[5].number_format = row[6].number_format = row[7].number_format = "0.00"
    for letter, width in zip("ABCDEFGH", (6, 16, 10, 22, 16, 16, 18, 18), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    numbers = DataValidation(type="decimal", operator="between", formula1=str(rules.floor),
                             formula2=str(rules.cap), allow_blank=True, showErrorMessage=True,
                             errorTitle="新缴存基数", error=f"请填写 {rules.floor} 至 {rules.cap} 之间的数字")
    sheet.add_data_validation(numbers)
    numbers.add(f"F2:F{max(count + 1, 2) + 2000}")

    notes = workbook.create_sheet("填写说明")
    lines = [
        f"{unit.employer.name}（单位账号 {unit.number}）{year} 年度住房公积金缴存基数调整表",
        "",
        f"1. 在“{SHEET_TITLE}”表的“新缴存基数（元）”列填写每位职工上一年度月平均工资，保留至分。",
        f"2. 新缴存基数不得低于本市最低月工资标准 {format_money(rules.floor)} 元，不得高于上年度职工月平均工资的 "
        f"{rules.cap_multiple.normalize():f} 倍，即 {format_money(rules.cap)} 元。",
        f"3. 单位、个人缴存比例按百分数填写（如 12 表示 12%），须在 {_pct(rules.unit_ratio[0])} 至 "
        f"{_pct(rules.unit_ratio[1])} 之间；不填则按单位现行比例计算。",
        "4. 请勿修改表头、个人账号、姓名和身份证号码；身份证号码须为文本格式的18位号码。",
        "5. 每位职工只能出现一行；不需调整的职工也请按原基数填写，或删除该行。",
        f"6. 生效年月默认为 {year} 年 {ADJUSTMENT_MONTH} 月；已缴存月份不能调整。",
        "7. 上传后系统逐行校验：任何一行有误，整份文件不生效，并给出逐行错误说明；"
        "可下载带“错误说明”列的文件，改正后直接重新上传。",
        f"8. 每份文件最多 {MAX_ROWS} 行，文件不超过 {size_text(settings.FUND_UPLOAD_MAX_BYTES)}，须为 .xlsx 格式。",
    ]
    for line in lines:
        notes.append([line])
    notes["A1"].font = Font(bold=True, size=13)
    notes.column_dimensions["A"].width = 110
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# ---- reading a file ---------------------------------------------------------------------------------

NOT_EXCEL = "不是有效的 Excel 文件（.xlsx），请使用本系统下载的模板填写后上传"
# The columns a row's check reads; a formula without a result in any other column changes nothing.
READ_COLUMNS = ("number", "name", "id_number", "new_base", "unit_ratio", "member_ratio")
EXCEL_ERRORS = frozenset({"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!"})
PROGRESS_EVERY = 500  # rows between two progress writes: a few per second at openpyxl's pace


def _header_key(value: Any) -> str | None:
    if value is None or value is FORMULA_WITHOUT_RESULT:
        return None
    text = re.sub(r"\s+|\*", "", str(value)).replace("（", "(").replace("）", ")")
    text = re.sub(r"\((元|%|％|百分比)\)$", "", text)
    return HEADER_ALIASES.get(text)


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _not_excel(detail: str = NOT_EXCEL) -> FileRejected:
    return FileRejected(RowError(None, "file", detail))


def _roster_size(unit: UnitAccount) -> int:
    """The members a list can name: the accounts `_check_rows` matches rows against."""
    return MemberAccount.objects.filter(unit=unit, state__in=ACTIVE_MEMBER_STATES).count()


def _check_file(data: bytes, unit: UnitAccount) -> WorkbookShape:
    """What reading `data` may cost, checked before anything parses it (fund.uploads.workbook_check): the
    file's size, its parts, and the list sheet's rows — at most MAX_ROWS, and at most the unit's roster plus
    FUND_BASE_UPLOAD_EXTRA_ROWS (a 3-person unit has no use for 10,000 rows)."""
    roster = _roster_size(unit)
    allowed = min(MAX_ROWS, roster + settings.FUND_BASE_UPLOAD_EXTRA_ROWS)

    def rows_message(title: str, rows: int, limit: int) -> str:
        if rows > MAX_ROWS + HEADER_SEARCH_ROWS:
            return f"数据超过 {MAX_ROWS} 行，请分批上传"
        return (f"工作表“{title}”有 {rows} 行（设置了格式的空行也计算在内），超过上限 {limit} 行："
                f"本单位在缴职工 {roster} 人，名单最多 {allowed} 行数据；请删除多余的行后上传")

    try:
        return workbook_check(data, sheet=SHEET_TITLE, max_rows=allowed + HEADER_SEARCH_ROWS,
                              rows_message=rows_message)
    except WorkbookRefused as exc:
        raise _not_excel(NOT_EXCEL if exc.code == "not_xlsx" else exc.message) from exc


def _open_workbook(data: bytes) -> Any:
    try:
        return workbook_open(data)
    except Exception as exc:  # noqa: BLE001 — whatever a damaged file makes openpyxl raise, it is "not Excel"
        raise _not_excel() from exc


@dataclass
class SheetRows:
    """The list sheet as read: every non-blank row (Excel row number, the first MAX_COLUMNS values), which
    both the check and the report use, so the file is read once."""

    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)


def _read_sheet(data: bytes, into: SheetRows, progress: Callable[[int], None] | None = None) -> None:
    """Read the list sheet (titled 调基名单, else the first) into `into`, calling `progress` with the rows
    read every PROGRESS_EVERY rows. Stops past MAX_ROWS non-blank rows: `_interpret` refuses those."""
    workbook = _open_workbook(data)
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise _not_excel("文件中没有工作表")
        sheet = workbook[SHEET_TITLE] if SHEET_TITLE in workbook.sheetnames else sheets[0]
        for read, (number, cells) in enumerate(sheet_rows(workbook, sheet, max_col=MAX_COLUMNS), start=1):
            if progress is not None and read % PROGRESS_EVERY == 0:
                progress(read)
            if all(_is_blank(v) for v in cells):
                continue
            into.rows.append((number, cells))
            if len(into.rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                break
    except FileRejected:
        raise
    except Exception as exc:  # noqa: BLE001 — read-only mode parses lazily: damage can surface here
        raise _not_excel() from exc
    finally:
        workbook.close()


def _interpret(sheet: SheetRows) -> ParsedSheet:
    """Find the header and the data rows below it; FileRejected for a file-wide problem."""
    parsed: ParsedSheet | None = None
    for number, cells in sheet.rows:
        if parsed is not None:
            if len(parsed.rows) >= MAX_ROWS:
                raise _not_excel(f"数据超过 {MAX_ROWS} 行，请分批上传")
            parsed.rows.append((number, cells))
            continue
        if number > HEADER_SEARCH_ROWS:
            break
        columns: dict[str, int] = {}
        for index, value in enumerate(cells):
            key = _header_key(value)
            if key is not None and key not in columns:
                columns[key] = index
        if len(columns) >= 2:
            missing = [k for k in REQUIRED_COLUMNS if k not in columns]
            if missing:
                names = "、".join(f"“{FIELD_LABELS[k]}”" for k in missing)
                raise FileRejected(RowError(number, "header", f"缺少{names}列，请使用本系统下载的模板"))
            parsed = ParsedSheet(header_row=number, columns=columns)
    if parsed is None:
        raise FileRejected(RowError(
            1, "header", "未找到表头（应包含“姓名”“身份证号码”“新缴存基数”列），请使用本系统下载的模板"
        ))
    if not parsed.rows:
        raise _not_excel("没有数据行，请在表头下方填写职工的新缴存基数")
    return parsed


def _cell_problem(parsed: ParsedSheet, cells: tuple[Any, ...], key: str, row: int) -> str | None:
    """A cell that has something in it the check cannot read: a formula Excel never calculated (openpyxl
    and other programs write formulas without results), or a formula whose result is an error."""
    from openpyxl.utils import get_column_letter

    value = parsed.value(cells, key)
    where = f"{get_column_letter(parsed.columns[key] + 1)}{row} 单元格"
    if value is FORMULA_WITHOUT_RESULT:
        return f"{where}为公式但没有计算结果，请在 Excel 中打开并保存后再上传"
    if isinstance(value, str) and value.strip() in EXCEL_ERRORS:
        return f"{where}的公式计算出错（{value.strip()}），请改正公式后再上传"
    return None


def _number(value: Any) -> Decimal | None:
    """A cell as a Decimal, or None when it is not a number (text, a date, TRUE …)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip().replace(",", "").replace("，", "").removesuffix("元").strip()
        try:
            number = Decimal(text)
        except (InvalidOperation, ValueError):
            return None
    else:
        return None
    return number if number.is_finite() else None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _ratio(value: Any) -> Decimal | None:
    """A ratio typed as a percentage (12 or "12%") or, from a percent-formatted cell, a fraction (0.12)."""
    if isinstance(value, str) and value.strip().endswith(("%", "％")):
        number = _number(value.strip()[:-1])
        return None if number is None else number / 100
    number = _number(value)
    if number is None:
        return None
    return number if number < 1 else number / 100


def _check_rows(
    parsed: ParsedSheet, unit: UnitAccount, rules: Rules, effective_month: date
) -> tuple[list[RowError], list[Change]]:
    accounts = {
        a.person.id_number: a
        for a in MemberAccount.objects.select_for_update(of=("self",)).select_related("person")
        .filter(unit=unit, state__in=ACTIVE_MEMBER_STATES).order_by("pk")
    }
    last = _last_effective(a.pk for a in accounts.values())
    errors: list[RowError] = []
    changes: list[Change] = []
    seen: dict[str, int] = {}
    for row, cells in parsed.rows:
        problems: list[RowError] = []
        # A cell with an uncalculated or failed formula is not empty: say so instead of "请填写".
        unreadable = {key: problem for key in READ_COLUMNS if key in parsed.columns
                      and (problem := _cell_problem(parsed, cells, key, row)) is not None}
        raw_id = parsed.value(cells, "id_number")
        account = None
        if "id_number" in unreadable:
            problems.append(RowError(row, "id_number", unreadable["id_number"]))
        elif isinstance(raw_id, float):
            problems.append(RowError(row, "id_number", "请以文本格式填写18位号码（数字格式会丢失末尾几位）"))
        else:
            try:
                id_number = clean_resident_id(_text(raw_id)).number
            except ValidationError as exc:
                problems.append(RowError(row, "id_number", exc.messages[0]))
            else:
                if id_number in seen:
                    problems.append(RowError(row, "id_number", f"与第{seen[id_number]}行重复，每位职工只能填写一行"))
                else:
                    seen[id_number] = row
                    account = accounts.get(id_number)
                    if account is None:
                        # The same words whether the person is unknown or another unit's: nothing leaks.
                        problems.append(RowError(row, "id_number", "本单位无此职工的个人账户，请核对身份证号码"))
        name = "" if "name" in unreadable else _text(parsed.value(cells, "name"))
        if "name" in unreadable:
            problems.append(RowError(row, "name", unreadable["name"]))
        elif not name:
            problems.append(RowError(row, "name", "请填写姓名"))
        elif account is not None and account.person.name != name:
            problems.append(RowError(row, "name", "姓名与身份证号码不一致"))
        if "number" in unreadable:
            problems.append(RowError(row, "number", unreadable["number"]))
        number = "" if "number" in unreadable else _text(parsed.value(cells, "number"))
        if account is not None and number and number != account.number:
            problems.append(RowError(row, "number", "个人账号与身份证号码不一致"))
        if account is not None and (problem := _state_problem(account)):
            problems.append(RowError(row, "account", problem))
        raw_base = parsed.value(cells, "new_base")
        new_base = None if "new_base" in unreadable else _number(raw_base)
        if "new_base" in unreadable:
            problems.append(RowError(row, "new_base", unreadable["new_base"]))
        elif _is_blank(raw_base):
            problems.append(RowError(row, "new_base", "请填写"))
        elif new_base is None:
            problems.append(RowError(row, "new_base", "应为数字"))
        elif (problem := rules.base_problem(new_base)) is not None:
            problems.append(RowError(row, "new_base", problem))
        elif new_base != new_base.quantize(Decimal("0.01")):
            problems.append(RowError(row, "new_base", "最多保留两位小数"))
        ratios: dict[str, Decimal] = {}
        for part, default in (("unit", unit.unit_ratio), ("member", unit.member_ratio)):
            key = f"{part}_ratio"
            raw = parsed.value(cells, key)
            ratio = None if _is_blank(raw) or key in unreadable else _ratio(raw)
            if key in unreadable:
                problems.append(RowError(row, key, unreadable[key]))
            elif _is_blank(raw):
                ratios[part] = default
            elif ratio is None:
                problems.append(RowError(row, key, "应为数字（百分数，如 12 表示 12%）"))
            elif (problem := rules.ratio_problem(part, ratio)) is not None:
                problems.append(RowError(row, key, problem))
            elif ratio != ratio.quantize(Decimal("0.0001")):
                problems.append(RowError(row, key, "百分数最多保留两位小数"))
            else:
                ratios[part] = ratio.quantize(Decimal("0.0001"))
        if account is not None and (problem := _month_problem(account, effective_month, last.get(account.pk))):
            problems.append(RowError(row, "effective_month", problem))
        if problems:
            errors.extend(problems)
            continue
        assert account is not None and new_base is not None
        new_base = new_base.quantize(Decimal("0.01"))
        unit_monthly, member_monthly = rules.amounts(new_base, ratios["unit"], ratios["member"])
        changes.append(Change(account, new_base, ratios["unit"], ratios["member"], unit_monthly, member_monthly))
    return errors, changes


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
    (`_check_file`: size, the zip's parts, rows against the roster); reading and checking every row is a
    worker's job (`base_batch_process`), queued on commit.

    Returns the batch: QUEUED, or REJECTED at once with the file-wide error and its report when the file was
    refused at the door. Only a bad year or effective month (form input, not the file) raises ValidationError.
    """
    year = _check_year(year)
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
    if (problem := _unit_problem(unit)) is not None:
        refused = RowError(None, "file", problem)
    else:
        try:
            shape = _check_file(data, unit)
        except FileRejected as exc:
            refused = exc.error
    if len(data) <= settings.FUND_UPLOAD_MAX_BYTES:
        batch.file.save(_storage_name(unit, year, file_name), ContentFile(data), save=False)
    if refused is not None:
        batch.state, batch.errors, batch.finished_at = BatchState.REJECTED, [refused.as_dict()], now
        batch.report.save(_report_name(batch), ContentFile(_report_workbook([refused], None)), save=False)
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
    if to not in BATCH_MOVES[batch.state]:
        raise ValidationError(f"调基名单状态不能从“{BatchState(batch.state).label}”变为“{BatchState(to).label}”")
    moved = BaseAdjustmentBatch.objects.filter(pk=batch.pk, state=batch.state).update(state=to, **fields) == 1
    if moved:
        audit_log(actor=actor, action=f"deposits.base_batch.{to}", target=batch,
                  old={"state": batch.state}, new={"state": to, "attempt": batch.attempts, **(note or {})})
    return moved


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
        _check_file(data, batch.unit)  # the stored bytes pass the same door the upload did
        _read_sheet(data, sheet, progress=lambda rows: _progress(batch.pk, rows))
        parsed = _interpret(sheet)
    except FileRejected as exc:
        refused = exc.error
    return _finish(batch, sheet, parsed, refused)


def _finish(batch: BaseAdjustmentBatch, sheet: SheetRows, parsed: ParsedSheet | None,
            refused: RowError | None) -> BaseAdjustmentBatch:
    effective_month = batch.effective_month or date(batch.year, ADJUSTMENT_MONTH, 1)
    if refused is None and (problem := _unit_problem(batch.unit)) is not None:
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
                errors, changes = _check_rows(parsed, batch.unit, rules, effective_month)
        if not errors:
            assert parsed is not None
            _apply(actor=batch.uploaded_by, changes=changes, effective_month=effective_month, batch=locked)
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
    layout = _Layout.of(sheet, parsed, refused)
    name = default_storage.save(
        batch.report.field.generate_filename(batch, _report_name(batch)),
        ContentFile(_report_workbook(errors, layout)),
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
    name = default_storage.save(batch.report.field.generate_filename(batch, _report_name(batch)),
                                ContentFile(_report_workbook([error], None)))
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


# ---- the report -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Layout:
    """Where the uploaded list's rows go in the report: the rows read, the header row and the 错误说明 column
    a corrected report already had."""

    rows: list[tuple[int, tuple[Any, ...]]]
    header_row: int
    report_at: int | None

    @classmethod
    def of(cls, sheet: SheetRows, parsed: ParsedSheet | None, refused: RowError | None) -> _Layout | None:
        if not sheet.rows:
            return None
        if parsed is not None:
            return cls(sheet.rows, parsed.header_row, parsed.columns.get("report"))
        # A header problem, no rows, too many rows: the rows read are still worth copying back.
        return cls(sheet.rows, (refused.row if refused else None) or 1, None)


def _report_name(batch: BaseAdjustmentBatch) -> str:
    return f"{batch.unit.number}-{batch.year}-errors.xlsx"  # fund.storage adds the random part


def _report_workbook(errors: list[RowError], layout: _Layout | None) -> bytes:
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


def _copy_with_report(layout: _Layout, target: Any, by_row: dict[int, list[RowError]], fill: Any) -> None:
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
        _check_file(data, batch.unit)
        _read_sheet(data, sheet)
        parsed = _interpret(sheet)
    except (FileRejected, OSError, ValueError):
        pass
    layout = _Layout.of(sheet, parsed, next((e for e in errors if e.row is None or e.field == "header"), None))
    name = default_storage.save(batch.report.field.generate_filename(batch, _report_name(batch)),
                                ContentFile(_report_workbook(errors, layout)))
    if BaseAdjustmentBatch.objects.filter(pk=batch.pk, report="").update(report=name) != 1:
        default_storage.delete(name)  # a concurrent fetch stored one first
    batch.refresh_from_db(fields=["report"])


def batch_rows(batch: BaseAdjustmentBatch) -> list[dict[str, Any]]:
    """The per-row report as the API gives it: [{row, field, message}], row None for the file as a whole."""
    return [{"row": e.get("row"), "field": e.get("field"), "message": e.get("message")} for e in batch.errors]


def current_ratios(account: MemberAccount) -> tuple[Decimal, Decimal]:
    """The ratios the account's monthly amounts were last set with (the unit's unless adjusted since)."""
    last = account.base_adjustments.order_by("-id").first()
    if last is not None:
        return last.unit_ratio, last.member_ratio
    return account.unit.unit_ratio, account.unit.member_ratio


def next_adjustable_month(account: MemberAccount, today: date | None = None) -> date:
    """The first month an adjustment may take effect for this account from today's point of view: after the
    paid-up month, and not before its latest adjustment."""
    month = first_of_month(today or timezone.localdate())
    if account.paid_up_to is not None and account.paid_up_to >= month:
        month = add_months(account.paid_up_to, 1)
    last = _last_effective([account.pk]).get(account.pk)
    return max(month, last) if last else month


__all__ = [
    "ADJUSTABLE_MEMBER_STATES", "FIELD_LABELS", "MAX_ROWS", "RowError", "base_adjust", "base_batch_process",
    "base_batch_report", "base_batch_requeue", "base_batches_stalled", "base_template", "base_upload", "batch_rows",
    "current_ratios", "default_year", "next_adjustable_month",
]
