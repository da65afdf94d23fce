"""Monthly remittance (汇缴), back-pay (补缴) and wrong-payment correction (错缴更正).

A bill is frozen when generated (one line per member and month, amounts from the base and ratios in force
for that month), confirmed by the unit, paid through the bank, then posted in ONE transaction: the bill
moves CONFIRMED → PAID, one journal entry (Dr 101 / Cr 201) with one sub-ledger movement per member, one
`MonthlyDeposit` per line, and the paid-up month (缴至年月) advanced set-based. Posting is idempotent twice
over: the bill's state is compare-and-set, and the ledger key is the bill's id; the bank receipt number
(`bank_reference`) is unique, so the same receipt can never pay a second bill.

Bank calls (委托收款, reading incoming transfers) happen outside any transaction, before posting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import DecimalField, Exists, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class MonthTerms(TypedDict):
        """What `_with_month_terms` annotates on each member."""

        month_base: Decimal
        month_unit_ratio: Decimal
        month_member_ratio: Decimal

from fund.audit.services import audit_log
from fund.dates import add_months, first_of_month, month_index
from fund.integrations import entrusted_bank
from fund.integrations.base import IntegrationError
from fund.ledger import chart
from fund.ledger.models import BusinessType
from fund.ledger.services import Movement, credit, debit, entry_post, entry_post_set
from fund.money import ZERO, format_money
from fund.numbers import next_in_series
from fund.people.roles import roles_of
from fund.people.selectors import scoped
from fund.transactions import in_business_transaction
from fund.validation import clean_bank_serial
from fund.workflow.moves import move_status

from ..models import (
    BaseAdjustment,
    BillKind,
    BillState,
    MemberAccount,
    MemberState,
    MonthlyDeposit,
    PaymentChannel,
    RemittanceBill,
    RemittanceBillLine,
    RemittanceCorrection,
    UnitAccount,
    UnitState,
)
from ..selectors import unit_ratio_change_on
from ..states import BILL_MOVES
from .base_adjustment_rules import adjustments_governing_ratios
from .contribution import monthly_amounts

# 应退单位款退款 lives in .refunds (a fund.payments purpose); these names stay importable from here.
from .refunds import correction_refund as correction_refund
from .refunds import corrections_awaiting_refund_for_user as corrections_awaiting_refund_for_user
from .refunds import corrections_for_user as corrections_for_user
from .refunds import may_refund as may_refund

LIVE_UNPAID = (BillState.DRAFT, BillState.CONFIRMED)
BILL_NUMBER = re.compile(r"(?:HJ|BJ)[0-9A-Z]{8,22}")


# 查询 ---------------------------------------------------------------------------------------------------

def bill_steps(bill: RemittanceBill) -> list[dict[str, Any]]:
    """The step tracker: 生成 → 确认 → 缴款 → 入账."""
    if bill.state == BillState.CANCELLED:
        return [
            {"label": "生成", "state": "done", "when": bill.created_at},
            {"label": "已作废", "state": "failed"},
        ]
    reached = {BillState.DRAFT: 1, BillState.CONFIRMED: 2, BillState.PAID: 4}[BillState(bill.state)]
    labels = [("生成", bill.created_at), ("确认", bill.confirmed_at), ("缴款", bill.paid_at), ("入账", bill.paid_at)]
    return [
        {"label": label, "state": "done" if i < reached else "current" if i == reached else "todo", "when": when}
        for i, (label, when) in enumerate(labels)
    ]


# 生成 ---------------------------------------------------------------------------------------------------

def _may_act_for_unit(actor: Any, unit: UnitAccount) -> bool:
    """The unit's own operator, or window staff (受理/director) whose scope includes the unit."""
    roles = roles_of(actor)
    if any(e.pk == unit.employer_id for e in roles.employers):
        return True
    if roles.can_accept:
        return scoped(UnitAccount.objects.filter(pk=unit.pk), actor, branch="employer__branch").exists()
    return False


def _require_actor(actor: Any, unit: UnitAccount) -> None:
    if not _may_act_for_unit(actor, unit):
        raise ValidationError("您无权为该单位办理汇缴业务")


def _with_month_terms(
    members: QuerySet[MemberAccount], unit: UnitAccount, month: date
) -> QuerySet[WithAnnotations[MemberAccount, MonthTerms]]:
    """Annotate the base and ratios in force for `month` (month_base, month_unit_ratio, month_member_ratio),
    by the same rule as `base_adjustment.month_terms`.

    The base from base adjustments (调基): the latest one effective on or before the month gives its new base;
    failing that, the earliest one after the month gives the base it replaced; failing both, the account's
    base. The ratios: the latest adjustment's own, if it came after the unit's last ratio change by the month;
    otherwise the unit's ratios in force in THAT month from its history (not today's: a 补缴 for a month
    before or inside a ratio reduction is billed at that month's ratios)."""
    before = BaseAdjustment.objects.filter(account=OuterRef("pk"), effective_month__lte=month).order_by(
        "-effective_month", "-id"
    )
    after = BaseAdjustment.objects.filter(account=OuterRef("pk"), effective_month__gt=month).order_by(
        "effective_month", "id"
    )
    change = unit_ratio_change_on(unit, month)
    unit_ratio, member_ratio = (change.unit_ratio, change.member_ratio) if change else (unit.unit_ratio, unit.member_ratio)
    governing = adjustments_governing_ratios(before, change, month)
    money = DecimalField(max_digits=18, decimal_places=2)
    ratio = DecimalField(max_digits=5, decimal_places=4)
    return members.annotate(
        month_base=Coalesce(
            Subquery(before.values("new_base")[:1]), Subquery(after.values("old_base")[:1]), F("base"),
            output_field=money,
        ),
        month_unit_ratio=Coalesce(Subquery(governing.values("unit_ratio")[:1]), Value(unit_ratio), output_field=ratio),
        month_member_ratio=Coalesce(
            Subquery(governing.values("member_ratio")[:1]), Value(member_ratio), output_field=ratio
        ),
    )


def _billable(unit: UnitAccount, month: date) -> QuerySet[MemberAccount]:
    """Members of the unit in state 正常, started by `month`, with the month neither paid (an unreversed
    deposit) nor already on a live unpaid bill."""
    paid = MonthlyDeposit.objects.filter(account=OuterRef("pk"), month=month, reversal__isnull=True)
    billed = RemittanceBillLine.objects.filter(account=OuterRef("pk"), month=month, bill__state__in=LIVE_UNPAID)
    return (
        MemberAccount.objects.filter(unit=unit, state=MemberState.NORMAL, first_month__lte=month)
        .exclude(Exists(paid))
        .exclude(Exists(billed))
    )


def _bill_number(unit: UnitAccount, month: date, kind: str) -> str:
    prefix = "HJ" if kind == BillKind.REMIT else "BJ"
    return next_in_series(RemittanceBill.objects.all(), "number", f"{prefix}{unit.number}{month:%Y%m}", 2)


@transaction.atomic(durable=True)
def bill_generate(
    *,
    actor: Any,
    unit: UnitAccount,
    month: date,
    kind: str = BillKind.REMIT,
    reason: str = "",
    accounts: list[MemberAccount] | None = None,
    today: date | None = None,
) -> RemittanceBill:
    """The unit's bill for `month` from its roster: one line per member who owes that month.

    汇缴: every billable member, one live bill per unit and month. 补缴: needs a reason, may name accounts."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if not isinstance(month, date):
        raise ValidationError({"month": ["请按“年-月”选择缴存年月"]})
    month = first_of_month(month)
    if kind not in BillKind.values:
        errors["kind"] = ["类型须为汇缴或补缴"]
    reason = (reason or "").strip()
    if kind == BillKind.BACKPAY and not reason:
        errors["reason"] = ["补缴须填写补缴原因"]
    if kind == BillKind.REMIT and accounts is not None:
        errors["accounts"] = ["汇缴单按单位全部在册职工生成；为部分职工补缴请选择“补缴”"]
    if month > first_of_month(today):
        errors["month"] = ["不能生成未来月份的缴款单"]
    _require_actor(actor, unit)
    unit = UnitAccount.objects.select_for_update(of=("self",)).select_related("employer").get(pk=unit.pk)
    if unit.state != UnitState.NORMAL:
        errors["unit"] = [f"单位账户状态为“{unit.get_state_display()}”，不能生成缴款单"]
    if kind == BillKind.REMIT and not errors.get("month") and RemittanceBill.objects.filter(
        unit=unit, month=month, kind=BillKind.REMIT
    ).exclude(state=BillState.CANCELLED).exists():
        errors["month"] = [f"{month:%Y年%m月}的汇缴单已生成，不能重复生成；漏缴职工请办理补缴"]
    if errors:
        raise ValidationError(errors)

    members = _billable(unit, month)
    if accounts is not None:
        wanted = {a.pk: a for a in accounts}
        if not wanted:
            raise ValidationError({"accounts": ["请选择补缴的职工"]})
        found = set(members.filter(pk__in=wanted).values_list("pk", flat=True))
        missing = [wanted[pk] for pk in wanted if pk not in found]
        if missing:
            names = "、".join(f"{a.number}" for a in missing[:5])
            raise ValidationError({"accounts": [
                f"以下个人账户不属于本单位、不是正常状态、该月尚未起缴或已缴存/已在待缴款单中：{names}"
            ]})
        members = members.filter(pk__in=found)
    termed = _with_month_terms(members, unit, month)
    keys = list(termed.order_by().values_list("month_base", "month_unit_ratio", "month_member_ratio").distinct())
    if not keys:
        raise ValidationError({"month": [f"{month:%Y年%m月}没有需要缴存的职工"]})
    # The rounding policy is read once per distinct (base, ratios), not once per member.
    amounts = [monthly_amounts(base=b, unit_ratio=u, member_ratio=m, on=month) for b, u, m in keys]
    bill = RemittanceBill(
        number=_bill_number(unit, month, kind), unit=unit, month=month, kind=kind, state=BillState.DRAFT,
        reason=reason[:200], created_by=actor,
    )
    try:
        with transaction.atomic():
            bill.save()
    except IntegrityError as exc:  # a concurrent request generated the same month's bill first
        raise ValidationError({"month": [f"{month:%Y年%m月}的缴款单正在生成或已生成，请刷新后查看"]}) from exc
    roster_sql, roster_params = termed.values("pk", "month_base", "month_unit_ratio", "month_member_ratio").query.sql_with_params()
    with connection.cursor() as cursor:
        # One set-based INSERT of every line: the roster joined to the amounts of its distinct terms. The
        # roster is MATERIALIZED: otherwise the planner, misjudging the join on computed bases as one row,
        # re-runs the roster's anti-joins in nested loops (minutes at 100,000 members instead of seconds).
        cursor.execute(
            f"""
            WITH r(id, b, ur, mr) AS MATERIALIZED ({roster_sql})
            INSERT INTO deposits_remittancebillline (bill_id, account_id, month, base, unit_amount, member_amount)
            SELECT %s, r.id, %s, r.b, k.ua, k.ma
              FROM r
              JOIN unnest(%s::numeric[], %s::numeric[], %s::numeric[], %s::numeric[], %s::numeric[])
                   AS k(b, ur, mr, ua, ma) ON k.b = r.b AND k.ur = r.ur AND k.mr = r.mr
            """,
            [*roster_params, bill.pk, month, [k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys],
             [a[0] for a in amounts], [a[1] for a in amounts]],
        )
        cursor.execute(
            "SELECT COUNT(*), COALESCE(SUM(unit_amount), 0), COALESCE(SUM(member_amount), 0)"
            "  FROM deposits_remittancebillline WHERE bill_id = %s",
            [bill.pk],
        )
        count, unit_total, member_total = cursor.fetchone()
    bill.member_count, bill.unit_amount, bill.member_amount = count, unit_total, member_total
    bill.total = unit_total + member_total
    bill.save(update_fields=["member_count", "unit_amount", "member_amount", "total"])
    audit_log(
        actor=actor, action="deposits.bill.generated", target=bill,
        new={"number": bill.number, "kind": kind, "month": f"{month:%Y-%m}", "members": bill.member_count,
             "total": bill.total, "reason": reason},
    )
    return bill


# 确认、作废 ---------------------------------------------------------------------------------------------

@transaction.atomic(durable=True)
def bill_confirm(*, actor: Any, bill: RemittanceBill) -> RemittanceBill:
    """The unit (or 受理 staff) confirms the bill: DRAFT → CONFIRMED."""
    _require_actor(actor, bill.unit)
    bill = RemittanceBill.objects.select_for_update().get(pk=bill.pk)
    move_status(bill, BillState.CONFIRMED, table=BILL_MOVES, actor=actor, action="deposits.bill.confirmed",
                verb="确认", confirmed_by=actor, confirmed_at=timezone.now())
    return bill


@transaction.atomic(durable=True)
def bill_cancel(*, actor: Any, bill: RemittanceBill) -> RemittanceBill:
    """作废: a draft or confirmed bill, never a paid one."""
    _require_actor(actor, bill.unit)
    bill = RemittanceBill.objects.select_for_update().get(pk=bill.pk)
    if bill.state == BillState.PAID:
        raise ValidationError("缴款单已入账，不能作废；错缴请办理错缴更正")
    if bill.state not in LIVE_UNPAID:
        raise ValidationError("缴款单已作废")
    move_status(bill, BillState.CANCELLED, table=BILL_MOVES, actor=actor, action="deposits.bill.cancelled", verb="作废")
    return bill


# 入账 ---------------------------------------------------------------------------------------------------

def _already_paid_lines(bill: RemittanceBill) -> list[str]:
    """The bill's members whose month is paid some other way. Not by this bill itself: a repeated payment
    that read the bill before the first one committed must come to the bill's "paid already" answer."""
    paid = MonthlyDeposit.objects.filter(
        account=OuterRef("account"), month=OuterRef("month"), reversal__isnull=True
    ).exclude(bill_line__bill_id=bill.pk)
    return list(
        bill.lines.filter(Exists(paid)).values_list("account__number", flat=True)[:5]
    )


_ADVANCE_PAID_UP = """
WITH run AS (
    SELECT d.account_id, d.month,
           (EXTRACT(YEAR FROM d.month) * 12 + EXTRACT(MONTH FROM d.month))::int
             - ROW_NUMBER() OVER (PARTITION BY d.account_id ORDER BY d.month) AS island
      FROM deposits_monthlydeposit d
      JOIN deposits_memberaccount a ON a.id = d.account_id
     WHERE d.account_id IN (SELECT account_id FROM deposits_remittancebillline WHERE bill_id = %(bill)s)
       AND d.reversal_id IS NULL
       AND d.month >= %(month)s
       AND COALESCE((a.paid_up_to + INTERVAL '1 month')::date, a.first_month) = %(month)s
)
UPDATE deposits_memberaccount a
   SET paid_up_to = r.upto
  FROM (SELECT account_id, MAX(month) AS upto FROM run WHERE island = %(index)s - 1 GROUP BY account_id) r
 WHERE a.id = r.account_id
"""


def _bill_post(*, bill: RemittanceBill, bank_reference: str, channel: str, actor: Any) -> tuple[RemittanceBill, bool]:
    """The non-durable core of `bill_post`, for batch code that holds its own transaction."""
    try:
        bank_reference = clean_bank_serial(bank_reference)
    except ValidationError as exc:
        raise ValidationError({"bank_reference": exc.messages}) from exc
    if channel not in PaymentChannel.values:
        raise ValidationError({"channel": ["缴款方式不正确"]})
    other = RemittanceBill.objects.filter(bank_reference=bank_reference).exclude(pk=bill.pk).first()
    if other is not None:
        raise ValidationError({"bank_reference": [f"该银行流水号已用于缴款单 {other.number}，不能重复入账"]})
    now = timezone.now()
    # The bill's row lock makes a second posting (a retry, a second receipt) wait and then find it paid.
    bill = RemittanceBill.objects.select_for_update(of=("self", "unit")).select_related("unit__employer").get(pk=bill.pk)
    if bill.state == BillState.PAID:
        return bill, False  # posted before: nothing changes
    if bill.state != BillState.CONFIRMED:
        raise ValidationError(f"缴款单状态为“{bill.get_state_display()}”，须先确认才能入账")

    movements_sql = """
        SELECT a.sub_account_id, SUM(l.unit_amount + l.member_amount), NULL::numeric, NULL::numeric
          FROM deposits_remittancebillline l JOIN deposits_memberaccount a ON a.id = l.account_id
         WHERE l.bill_id = %s GROUP BY a.sub_account_id
    """
    total = bill.lines.aggregate(t=Sum(F("unit_amount") + F("member_amount")))["t"] or ZERO
    if total != bill.total or total <= 0:
        raise ValidationError(f"缴款单 {bill.number} 明细合计 {total} 与应缴金额 {bill.total} 不符")
    kind = BusinessType.GJ_REMIT if bill.kind == BillKind.REMIT else BusinessType.GJ_BACKPAY
    summary = f"{bill.month:%Y年%m月}{bill.get_kind_display()}"
    # One movement per member (the sum of their lines), posted set-based: a bill may hold 100,000 members.
    posted = entry_post_set(
        business_type=kind,
        reference=f"deposits.bill:{bill.number}",
        idempotency_key=f"deposits.bill:{bill.pk}",
        value_date=timezone.localdate(),
        legs=[debit(chart.BANK, total), credit(chart.MEMBER_DEPOSITS, total)],
        movements_sql=movements_sql,
        params=[bill.pk],
        summary=summary,
        actor=actor,
        memo=f"{bill.unit.employer.name} {summary} {bill.number}（{PaymentChannel(channel).label}）",
    )
    RemittanceBill.objects.filter(pk=bill.pk).update(entry=posted.entry)
    bill.entry = posted.entry
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # One set-based INSERT: a monthly deposit per bill line, all under the bill's one entry.
            cursor.execute(
                """
                INSERT INTO deposits_monthlydeposit
                       (account_id, month, unit_amount, member_amount, base, entry_id, bill_line_id, created_at)
                SELECT account_id, month, unit_amount, member_amount, base, %s, id, %s
                  FROM deposits_remittancebillline WHERE bill_id = %s
                """,
                [posted.entry.pk, now, bill.pk],
            )
    except IntegrityError as exc:  # a member's month was paid some other way after the bill was made
        raise ValidationError(
            f"缴款单 {bill.number} 中有职工该月已另行缴存（{'、'.join(_already_paid_lines(bill))}），请作废后重新生成"
        ) from exc
    with connection.cursor() as cursor:
        cursor.execute(
            _ADVANCE_PAID_UP, {"bill": bill.pk, "month": bill.month, "index": month_index(bill.month)}
        )
    try:
        with transaction.atomic():
            move_status(
                bill, BillState.PAID, table=BILL_MOVES, actor=actor, action="deposits.bill.paid", verb="入账",
                note={"channel": channel, "bank_reference": bank_reference, "entry": posted.entry.number,
                      "total": total, "members": bill.member_count},
                channel=channel, bank_reference=bank_reference, paid_at=now,
            )
    except IntegrityError as exc:  # the same receipt, for another bill, committed a moment ago
        raise ValidationError({"bank_reference": ["该银行流水号已用于另一张缴款单，不能重复入账"]}) from exc
    return bill, True


@transaction.atomic(durable=True)
def bill_post(*, bill: RemittanceBill, bank_reference: str, channel: str, actor: Any) -> tuple[RemittanceBill, bool]:
    """Post a paid bill: the ledger, every member's sub-account, the monthly deposits, the paid-up months.

    Returns (bill, created). A second call, or the same bank receipt twice, changes nothing and returns
    the posted bill with created=False; a receipt already used by another bill is refused."""
    return _bill_post(bill=bill, bank_reference=bank_reference, channel=channel, actor=actor)


def bill_pay_by_collection(*, actor: Any, bill: RemittanceBill) -> tuple[RemittanceBill, bool]:
    """委托收款: debit the unit's bank account for the bill, then post it. Runs outside any transaction.

    The bank is idempotent by the bill number, so a retry after a lost answer never debits twice."""
    if in_business_transaction():
        # A bank call inside a transaction could debit the unit and then roll back our record of it.
        raise RuntimeError("委托收款不能在事务中调用")
    _require_actor(actor, bill.unit)
    bill = RemittanceBill.objects.select_related("unit__employer").get(pk=bill.pk)
    if bill.state == BillState.PAID:
        return bill, False
    if bill.state != BillState.CONFIRMED:
        raise ValidationError(f"缴款单状态为“{bill.get_state_display()}”，须先确认才能缴款")
    if bill.unit.state != UnitState.NORMAL:
        raise ValidationError(f"单位账户状态为“{bill.unit.get_state_display()}”，不能缴款")
    paid = _already_paid_lines(bill)
    if paid:
        raise ValidationError(f"缴款单中有职工该月已另行缴存（{'、'.join(paid)}），请作废后重新生成")
    try:
        payment = entrusted_bank().collect(
            account_number=bill.unit.bank_account, name=bill.unit.employer.name, amount=bill.total,
            reference=bill.number, purpose=f"住房公积金{bill.get_kind_display()} {bill.month:%Y年%m月}",
        )
    except IntegrationError as exc:
        raise ValidationError(f"委托收款未成功：{exc.message}") from exc
    if payment.failed:
        raise ValidationError(f"委托收款未成功：{payment.reason or '银行拒绝扣款'}，缴款单仍为已确认状态")
    if not payment.succeeded:
        raise ValidationError("银行正在处理委托收款，请稍后刷新查看")
    return bill_post(bill=bill, bank_reference=payment.bank_serial, channel=PaymentChannel.COLLECTION, actor=actor)


# 来账匹配 ------------------------------------------------------------------------------------------------

@dataclass
class UnmatchedTransfer:
    bank_serial: str
    reference: str
    amount: Decimal
    payer_name: str
    payer_account: str
    received_at: Any
    bill: RemittanceBill | None
    why: str


@dataclass
class MatchReport:
    posted: list[str] = field(default_factory=list)  # bill numbers posted now
    unmatched: list[UnmatchedTransfer] = field(default_factory=list)  # 待人工匹配


def incoming_transfers_match(*, start: date, end: date, post: bool = True) -> MatchReport:
    """Read the bank's incoming transfers and post each confirmed bill named in a transfer's memo with the
    right amount; everything else is listed for staff (待人工匹配). Bank I/O first, then one transaction
    per bill. Running it again posts nothing new (a receipt already on a bill is skipped)."""
    transfers = entrusted_bank().incoming_transfers(start=start, end=end).transfers
    used = set(
        RemittanceBill.objects.filter(bank_reference__in=[t.bank_serial for t in transfers])
        .values_list("bank_reference", flat=True)
    )
    numbers = {t.bank_serial: BILL_NUMBER.findall((t.reference or "").upper()) for t in transfers}
    bills = {b.number: b for b in RemittanceBill.objects.filter(number__in={n for ns in numbers.values() for n in ns})}
    report = MatchReport()
    for t in transfers:
        if t.bank_serial in used:
            continue
        bill = next((bills[n] for n in numbers[t.bank_serial] if n in bills), None)
        why = ""
        if bill is None:
            why = "附言中未找到缴款单号"
        elif bill.state == BillState.PAID:
            why = f"缴款单已于此前入账（流水 {bill.bank_reference}），疑似重复汇款"
        elif bill.state != BillState.CONFIRMED:
            why = f"缴款单状态为“{bill.get_state_display()}”"
        elif t.amount != bill.total:
            why = f"金额不符：来账 {format_money(t.amount)} 元，应缴 {format_money(bill.total)} 元"
        if not why and post and bill is not None:
            try:
                bill, created = bill_post(
                    bill=bill, bank_reference=t.bank_serial, channel=PaymentChannel.TRANSFER, actor=None
                )
            except ValidationError as exc:
                why = "；".join(exc.messages)
            else:
                if created:
                    report.posted.append(bill.number)
                continue
        if why:
            report.unmatched.append(UnmatchedTransfer(
                bank_serial=t.bank_serial, reference=t.reference, amount=t.amount, payer_name=t.payer_name,
                payer_account=t.payer_account, received_at=t.received_at, bill=bill, why=why,
            ))
    return report


def unmatched_transfers(*, days: int = 30, today: date | None = None) -> list[UnmatchedTransfer]:
    """待人工匹配: the last `days` days' transfers that paid no bill, with the reason (reads only)."""
    today = today or timezone.localdate()
    return incoming_transfers_match(start=today - timedelta(days=days), end=today, post=False).unmatched


# 错缴更正 ------------------------------------------------------------------------------------------------

@transaction.atomic(durable=True)
def bill_reverse(
    *, actor: Any, bill: RemittanceBill, reason: str, accounts: list[MemberAccount] | None = None
) -> list[MonthlyDeposit]:
    """错缴更正: reverse the bill's deposits (all, or the named members'). Each deposit gets its own entry
    (Dr 201 / Cr 231 应退单位款, key per deposit), its `reversal` set and the member's paid-up month pulled
    back before the month; nothing is deleted. Returns the deposits reversed now (none on a repeat)."""
    roles = roles_of(actor)
    if not roles.can_accept:
        raise ValidationError("错缴更正须由综合窗口受理岗办理")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["请填写更正原因"]})
    bill = RemittanceBill.objects.select_related("unit__employer").get(pk=bill.pk)
    if bill.state != BillState.PAID:
        raise ValidationError("只有已入账的缴款单可以办理错缴更正")
    deposits = MonthlyDeposit.objects.select_for_update().filter(bill_line__bill=bill).select_related("account")
    if accounts is not None:
        if not accounts:
            raise ValidationError({"accounts": ["请选择需要更正的职工"]})
        deposits = deposits.filter(account__in=accounts)
        on_bill = set(deposits.values_list("account_id", flat=True))
        strangers = [a.number for a in accounts if a.pk not in on_bill]
        if strangers:
            raise ValidationError({"accounts": [f"以下个人账户不在该缴款单中：{'、'.join(strangers[:5])}"]})
    today = timezone.localdate()
    reversed_now: list[MonthlyDeposit] = []
    for deposit in deposits.order_by("account_id", "month"):
        if deposit.reversal_id is not None:
            continue
        amount = deposit.unit_amount + deposit.member_amount
        posted = entry_post(
            business_type=BusinessType.REVERSAL,
            reference=f"deposits.bill:{bill.number}",
            idempotency_key=f"deposits.deposit_reversal:{deposit.pk}",
            value_date=today,
            legs=[debit(chart.MEMBER_DEPOSITS, amount), credit(chart.SUSPENSE, amount)],
            movements=[Movement(deposit.account.sub_account_id, -amount,
                                summary=f"错缴更正 {deposit.month:%Y年%m月}")],
            actor=actor,
            memo=f"错缴更正 应退单位款 {bill.number} {deposit.month:%Y年%m月}：{reason}",
        )
        if MonthlyDeposit.objects.filter(pk=deposit.pk, reversal__isnull=True).update(reversal=posted.entry) != 1:
            raise ValidationError("该笔缴存已被更正")
        account = deposit.account
        old = account.paid_up_to
        if old is not None and old >= deposit.month:
            new = add_months(deposit.month, -1)
            account.paid_up_to = None if new < account.first_month else new
            MemberAccount.objects.filter(pk=account.pk).update(paid_up_to=account.paid_up_to)
        audit_log(
            actor=actor, action="deposits.deposit.reversed", target=account, reason=reason,
            old={"paid_up_to": old, "deposit": deposit.pk},
            new={"paid_up_to": account.paid_up_to, "bill": bill.number, "month": f"{deposit.month:%Y-%m}",
                 "amount": amount, "entry": posted.entry.number},
        )
        deposit.reversal = posted.entry
        reversed_now.append(deposit)
    if reversed_now:
        total = sum((d.unit_amount + d.member_amount for d in reversed_now), ZERO)
        correction = RemittanceCorrection.objects.create(
            bill=bill, unit=bill.unit, amount=total, reason=reason[:500], corrected_by=actor
        )
        correction.deposits.set(reversed_now)
        audit_log(actor=actor, action="deposits.correction.recorded", target=correction, reason=reason,
                  new={"bill": bill.number, "amount": total, "deposits": len(reversed_now)})
    return reversed_now
