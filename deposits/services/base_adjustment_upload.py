"""Base adjustment (调基) lists as Excel: the template a unit downloads, and reading an uploaded list back —
what the file may cost (checked before anything parses it), the sheet's rows, and every row checked against
the rules in base_adjustment_rules. Nothing here writes; base_adjustment applies or rejects the batch.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

from fund.money import format_money, format_percent, to_decimal
from fund.uploads import (
    FORMULA_WITHOUT_RESULT,
    WorkbookRefused,
    WorkbookShape,
    sheet_rows,
    size_text,
    workbook_check,
    workbook_open,
)
from fund.validation import clean_resident_id

from ..models import ACTIVE_MEMBER_STATES, MemberAccount, UnitAccount
from .base_adjustment_rules import (
    ADJUSTMENT_MONTH,
    Change,
    Rules,
    adjustable_members,
    check_year,
    last_effective,
    month_problem,
    state_problem,
)

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


# ---- the template -----------------------------------------------------------------------------------

def base_template(*, unit: UnitAccount, year: int) -> bytes:
    """The yearly adjustment list a unit downloads: its working members with their current base, the new
    base left empty, and a sheet of instructions. Reading it back is `base_upload`."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    year = check_year(year)
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
        f"3. 单位、个人缴存比例按百分数填写（如 12 表示 12%），须在 {format_percent(rules.unit_ratio[0])} 至 "
        f"{format_percent(rules.unit_ratio[1])} 之间；不填则按单位现行比例计算。",
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
    """The members a list can name: the accounts `rows_check` matches rows against."""
    return MemberAccount.objects.filter(unit=unit, state__in=ACTIVE_MEMBER_STATES).count()


def file_check(data: bytes, unit: UnitAccount) -> WorkbookShape:
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


def sheet_read(data: bytes, into: SheetRows, progress: Callable[[int], None] | None = None) -> None:
    """Read the list sheet (titled 调基名单, else the first) into `into`, calling `progress` with the rows
    read every PROGRESS_EVERY rows. Stops past MAX_ROWS non-blank rows: `sheet_interpret` refuses those."""
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


def sheet_interpret(sheet: SheetRows) -> ParsedSheet:
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


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _ratio(value: Any) -> Decimal | None:
    """A ratio typed as a percentage (12 or "12%") or, from a percent-formatted cell, a fraction (0.12)."""
    if isinstance(value, str) and value.strip().endswith(("%", "％")):
        number = to_decimal(value.strip()[:-1])
        return None if number is None else number / 100
    number = to_decimal(value)
    if number is None:
        return None
    return number if number < 1 else number / 100


def rows_check(
    parsed: ParsedSheet, unit: UnitAccount, rules: Rules, effective_month: date
) -> tuple[list[RowError], list[Change]]:
    accounts = {
        a.person.id_number: a
        for a in MemberAccount.objects.select_for_update(of=("self",)).select_related("person")
        .filter(unit=unit, state__in=ACTIVE_MEMBER_STATES).order_by("pk")
    }
    last = last_effective(a.pk for a in accounts.values())
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
        if account is not None and (problem := state_problem(account)):
            problems.append(RowError(row, "account", problem))
        raw_base = parsed.value(cells, "new_base")
        new_base = None if "new_base" in unreadable else to_decimal(raw_base)
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
        if account is not None and (problem := month_problem(account, effective_month, last.get(account.pk))):
            problems.append(RowError(row, "effective_month", problem))
        if problems:
            errors.extend(problems)
            continue
        assert account is not None and new_base is not None
        new_base = new_base.quantize(Decimal("0.01"))
        unit_monthly, member_monthly = rules.amounts(new_base, ratios["unit"], ratios["member"])
        changes.append(Change(account, new_base, ratios["unit"], ratios["member"], unit_monthly, member_monthly))
    return errors, changes
