"""Base adjustment (调基) rules: the policy in force for a month, the checks a new base must pass, applying
adjustments, the terms (base, ratios, amounts) in force for a member's month, and one member's adjustment.

The yearly list's Excel side is in base_adjustment_upload (template, reading, row checks) and
base_adjustment_report (the error report); base_adjustment receives uploads and runs the worker's check.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from fund.audit.services import audit_log
from fund.dates import add_months, first_of_month
from fund.money import format_money, format_percent, round_money
from fund.policy.selectors import PolicyMissing, policy_value

from ..models import (
    BaseAdjustment,
    BaseAdjustmentBatch,
    MemberAccount,
    MemberState,
    UnitAccount,
    UnitRatioChange,
    UnitState,
)
from ..selectors import unit_ratio_change_on
from .contribution import base_bounds, monthly_amounts

# A member account whose base may change: working members (a frozen balance still takes deposits' base).
ADJUSTABLE_MEMBER_STATES = (MemberState.NORMAL, MemberState.FROZEN)
# A unit that still deposits (or is deferring and will back-pay) may adjust; a sealed or closed one may not.
ADJUSTABLE_UNIT_STATES = (UnitState.NORMAL, UnitState.DEFERRED)

ADJUSTMENT_MONTH = 7  # 每年7月调整缴存基数


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
            member_ratio=(Decimal(policy_value("deposit_member_ratio_min", on)),
                          Decimal(policy_value("deposit_member_ratio_max", on))),
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
            return f"须在 {format_percent(low)} 至 {format_percent(high)} 之间"
        return None

    def amounts(self, base: Decimal, unit_ratio: Decimal, member_ratio: Decimal) -> tuple[Decimal, Decimal]:
        """The same rule as accounts.monthly_amounts (base × ratio, rounded as policy says), without reading
        policy again for every row."""
        return (round_money(base * unit_ratio, unit=self.rounding_unit, mode=self.rounding_mode),
                round_money(base * member_ratio, unit=self.rounding_unit, mode=self.rounding_mode))


# ---- checks shared by the form and the file -----------------------------------------------------------

def month_problem(account: MemberAccount, effective_month: date, last_effective: date | None) -> str | None:
    """An adjustment cannot reach back into months already paid at the old base, nor before the latest one."""
    if account.paid_up_to is not None and effective_month <= account.paid_up_to:
        return (f"该职工已缴至 {account.paid_up_to:%Y年%m月}，生效年月须晚于缴至年月"
                f"（{effective_month:%Y年%m月}已缴存）")
    if last_effective is not None and effective_month < last_effective:
        return f"生效年月不能早于该职工最近一次基数调整的生效年月 {last_effective:%Y年%m月}"
    return None


def state_problem(account: MemberAccount) -> str | None:
    if account.state not in ADJUSTABLE_MEMBER_STATES:
        return f"个人账户状态为“{account.get_state_display()}”，不能调整缴存基数"
    return None


def unit_problem(unit: UnitAccount) -> str | None:
    if unit.state not in ADJUSTABLE_UNIT_STATES:
        return f"单位账户状态为“{unit.get_state_display()}”，不能调整缴存基数"
    return None


def last_effective(accounts: Iterable[int]) -> dict[int, date]:
    rows = (BaseAdjustment.objects.filter(account_id__in=list(accounts))
            .values("account_id").annotate(last=Max("effective_month")))
    return {row["account_id"]: row["last"] for row in rows}


def changes_apply(*, actor: Any, changes: list[Change], effective_month: date, batch: BaseAdjustmentBatch | None) -> None:
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
    problem = state_problem(account) or unit_problem(unit)
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
    last = last_effective([account.pk]).get(account.pk)
    latest = add_months(first_of_month(timezone.localdate()), 12)
    if effective_month > latest:
        errors["effective_month"] = [f"生效年月不能晚于 {latest:%Y年%m月}"]
    elif (problem := month_problem(account, effective_month, last)) is not None:
        errors["effective_month"] = [problem]
    if errors:
        raise ValidationError(errors)
    new_base = new_base.quantize(Decimal("0.01"))
    unit_monthly, member_monthly = monthly_amounts(
        base=new_base, unit_ratio=unit_ratio, member_ratio=member_ratio, on=effective_month
    )
    old = {"base": account.base, "unit_monthly": account.unit_monthly, "member_monthly": account.member_monthly}
    change = Change(account, new_base, unit_ratio, member_ratio, unit_monthly, member_monthly)
    changes_apply(actor=actor, changes=[change], effective_month=effective_month, batch=None)
    audit_log(
        actor=actor, action="deposits.member.base_adjusted", target=account, old=old,
        new={"base": new_base, "unit_monthly": unit_monthly, "member_monthly": member_monthly,
             "unit_ratio": unit_ratio, "member_ratio": member_ratio, "effective_month": f"{effective_month:%Y-%m}"},
    )
    return BaseAdjustment.objects.filter(account=account).latest("id")


# ---- the year and the members a list covers ----------------------------------------------------------

def default_year(today: date | None = None) -> int:
    """The year of the next July adjustment (this year's until July is over)."""
    today = today or timezone.localdate()
    return today.year if today.month <= ADJUSTMENT_MONTH else today.year + 1


def check_year(year: Any) -> int:
    today = timezone.localdate()
    try:
        value = int(year)
    except (TypeError, ValueError):
        value = 0
    if not 2000 <= value <= today.year + 1:
        raise ValidationError({"year": [f"调整年度须在 2000 年至 {today.year + 1} 年之间"]})
    return value


def adjustable_members(unit: UnitAccount):  # type: ignore[no-untyped-def]
    return (MemberAccount.objects.filter(unit=unit, state__in=ADJUSTABLE_MEMBER_STATES)
            .select_related("person").order_by("number"))


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
    last = last_effective([account.pk]).get(account.pk)
    return max(month, last) if last else month
