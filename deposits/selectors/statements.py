"""Statements (个人明细), deposit history for certificates, and the unit's roster and bill history.

Reads only: callers fetch the account or unit through the scoped selectors (404) and pass it in here.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from fund.dates import add_months, first_of_month
from fund.ledger.models import BusinessType, SubLedgerRow

from ..models import MemberAccount, MonthlyDeposit, RemittanceBill, UnitAccount

# The business types a member's statement can show: the deposit/withdrawal codes and reversals.
STATEMENT_TYPES: list[tuple[str, str]] = [
    (value, label) for value, label in BusinessType.choices if value.startswith("GJ") or value == BusinessType.REVERSAL
]
_STATEMENT_CODES = {value for value, _ in STATEMENT_TYPES}
# A statement reads by the day money counts from (value date), then by posting; every list of rows uses these.
STATEMENT_ORDER = ("value_date", "id")
STATEMENT_ORDER_NEWEST_FIRST = ("-value_date", "-id")


@dataclass(frozen=True)
class StatementFilter:
    """明细查询条件: value dates from–to (inclusive) and one business type; any may be absent."""

    date_from: date | None = None
    date_to: date | None = None
    business_type: str = ""

    @property
    def business_label(self) -> str:
        return BusinessType(self.business_type).label if self.business_type else "全部"

    def describe(self) -> str:
        start = f"{self.date_from:%Y-%m-%d}" if self.date_from else "开户"
        end = f"{self.date_to:%Y-%m-%d}" if self.date_to else "今"
        return f"{start} 至 {end}"


def _parse_day(raw: Any, label: str) -> date | None:
    text = str(raw or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{label}格式应为“年-月-日”，如 2025-01-31") from None


def statement_filter_parse(*, date_from: Any = None, date_to: Any = None, business_type: Any = None) -> StatementFilter:
    """Check the raw query values (strings from a URL, or dates); every bad field is named in Chinese.

    The business type is a ledger code (GJ01) or the standard's two-digit code (01 → GJ01).
    """
    errors: dict[str, list[str]] = {}
    parsed: dict[str, date | None] = {}
    for key, raw, label in (("from", date_from, "起始日期"), ("to", date_to, "截止日期")):
        try:
            parsed[key] = raw if isinstance(raw, date) else _parse_day(raw, label)
        except ValidationError as exc:
            errors[key] = exc.messages
    code = str(business_type or "").strip().upper()
    if code.isdigit() and len(code) == 2:
        code = f"GJ{code}"
    if code and code not in _STATEMENT_CODES:
        errors["type"] = ["业务类型不存在，请从列表中选择"]
    start, end = parsed.get("from"), parsed.get("to")
    if start and end and start > end:
        errors["to"] = ["截止日期不能早于起始日期"]
    if errors:
        raise ValidationError(errors)
    return StatementFilter(date_from=start, date_to=end, business_type=code)


def member_statement_rows(*, account: MemberAccount, filters: StatementFilter, newest_first: bool = True) -> QuerySet[SubLedgerRow]:
    """个人明细账 rows of `account` that match `filters`, with their entries, in value-date order (then the
    order they were posted): the annual interest of 30 June, posted in July, sits at 30 June."""
    rows = SubLedgerRow.objects.filter(sub_account_id=account.sub_account_id).select_related("entry")
    if filters.date_from:
        rows = rows.filter(value_date__gte=filters.date_from)
    if filters.date_to:
        rows = rows.filter(value_date__lte=filters.date_to)
    if filters.business_type:
        rows = rows.filter(entry__business_type=filters.business_type)
    return rows.order_by(*STATEMENT_ORDER_NEWEST_FIRST) if newest_first else rows.order_by(*STATEMENT_ORDER)


@dataclass
class DepositHistory:
    """How a member deposited in the 12 whole months before `on` (the current month may not be due yet)."""

    window_from: date
    window_to: date
    first_month: date
    paid_months: list[date] = field(default_factory=list)
    missing_months: list[date] = field(default_factory=list)

    @property
    def months_paid(self) -> int:
        return len(self.paid_months)

    @property
    def continuous(self) -> bool:
        """近12个月连续缴存: every one of the 12 months paid."""
        return self.months_paid == 12

    @property
    def started_in_window(self) -> bool:
        return self.first_month > self.window_from

    def describe(self) -> str:
        span = f"{self.window_from:%Y年%m月}至{self.window_to:%Y年%m月}"
        if self.continuous:
            return f"{span}共12个月，已连续足额缴存12个月。"
        text = f"{span}已缴存{self.months_paid}个月"
        if self.started_in_window:
            text += f"（该职工自{self.first_month:%Y年%m月}起缴）"
        if self.missing_months:
            shown = "、".join(f"{m:%Y年%m月}" for m in self.missing_months)
            return f"{text}，未连续缴存，未缴月份：{shown}。"
        return f"{text}，起缴以来无欠缴。" if self.started_in_window else f"{text}。"


def deposit_history(*, account: MemberAccount, on: date) -> DepositHistory:
    """The member's months paid (not reversed) among the 12 months before `on`, and the months missing since
    the first month due."""
    window_to = add_months(first_of_month(on), -1)
    window_from = add_months(window_to, -11)
    paid = set(
        MonthlyDeposit.objects.filter(
            account=account, reversal__isnull=True, month__gte=window_from, month__lte=window_to
        ).values_list("month", flat=True)
    )
    history = DepositHistory(window_from=window_from, window_to=window_to, first_month=account.first_month)
    for offset in range(12):
        month = add_months(window_from, offset)
        if month in paid:
            history.paid_months.append(month)
        elif month >= account.first_month:
            history.missing_months.append(month)
    return history


def unit_roster(*, unit: UnitAccount, members: QuerySet[MemberAccount]) -> QuerySet[MemberAccount]:
    """职工名册: the unit's member accounts (from a queryset already scoped to the user), by account number."""
    return members.filter(unit=unit).select_related("person").order_by("number")


def unit_bill_history(*, unit: UnitAccount) -> QuerySet[RemittanceBill]:
    """汇补缴历史: every bill of the unit, newest month first."""
    return RemittanceBill.objects.filter(unit=unit).order_by("-month", "-id")
