"""Rules several reasons share, and the materials most items list. A rule reads the context and returns a
verdict with its evidence; it never writes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.utils import timezone

from deposits.models import AccountBusiness, AccountEvent, MemberState, MonthlyDeposit, TransferDirection
from fund.audit.masking import mask_id_number
from fund.catalogue.registry import Material
from fund.dates import months_ago
from fund.integrations.models import System, TransferStatus

from ..models import TAKEN, Relation, Withdrawal
from .base import Context, Limit, Rule, Verdict, fail, ok

# ---- materials most items list ------------------------------------------------------------------------------

ID_CARD = Material(code="id_card", name="申请人居民身份证", shared_by=System.IDENTITY,
                   note="由公安身份数据共享核验，无需提供")
BANK_CARD = Material(code="bank_card", name="本人银行卡（委托银行借记卡）", shared_by=System.BANK,
                     note="银行实名核验")
MARRIAGE = Material(code="marriage", name="结婚证", shared_by=System.MARRIAGE, condition="涉及配偶时")
HOUSEHOLD = Material(code="household", name="户口簿或出生医学证明", shared_by=System.IDENTITY,
                     condition="涉及父母或子女时")
HOME_CERT = Material(code="home_cert", name="不动产权证书", shared_by=System.PROPERTY)


# ---- checks --------------------------------------------------------------------------------------------------

def _identity(ctx: Context) -> Verdict:
    record = ctx.identity()
    if record is None:
        return fail("公安身份数据中查无此人", "您的身份信息未能通过公安数据核验")
    if record.name != ctx.person.name:
        return fail(f"姓名不一致：公安登记为“{record.name}”", "您的姓名与公安登记不一致", call_id=record.call_id)
    return ok("身份信息与公安登记一致", "身份信息核验通过", call_id=record.call_id)


IDENTITY = Rule("identity", "身份核验", _identity)


def _alive(ctx: Context) -> Verdict:
    record = ctx.identity()
    if record is None or not record.alive:
        return fail("公安数据显示缴存人已死亡或无记录", "身份状态异常，需人工核验",
                    call_id=getattr(record, "call_id", None))
    return ok("缴存人身份状态正常", "身份状态正常", call_id=record.call_id)


ALIVE = Rule("alive", "身份状态", _alive)


def relation_holds(ctx: Context, relation: str, other: str) -> Verdict:
    """Whether `other` is the holder's spouse, parent or child, through the marriage and hukou registries."""
    other = (other or "").upper()
    if relation == Relation.SELF:
        return ok("本人", "本人办理")
    if relation == Relation.SPOUSE:
        marriage = ctx.marriage()
        if marriage is not None and marriage.status == "married" and marriage.spouse_id_number == other:
            return ok(f"婚姻登记显示 {mask_id_number(other)} 为配偶", "配偶关系核验通过", call_id=marriage.call_id)
        return fail("婚姻登记中未查到与该人的婚姻关系", "未能核验您与房屋所有人的配偶关系",
                    call_id=getattr(marriage, "call_id", None))
    family = ctx.family()
    relatives = () if family is None else (family.parents if relation == Relation.PARENT else family.children)
    if any(r.id_number == other for r in relatives):
        label = "父母" if relation == Relation.PARENT else "子女"
        return ok(f"户籍数据显示 {mask_id_number(other)} 为{label}", f"{label}关系核验通过", call_id=family.call_id)
    return fail("户籍数据中未查到该亲属关系", "未能核验您与房屋所有人的亲属关系",
                call_id=getattr(family, "call_id", None))


def _relation(ctx: Context) -> Verdict:
    return relation_holds(ctx, ctx.withdrawal.relation, ctx.withdrawal.other_id_number)


RELATION = Rule("relation", "亲属关系", _relation)


def _sealed(ctx: Context) -> Verdict:
    if ctx.account.state == MemberState.SEALED:
        return ok("个人账户已封存", "账户已封存")
    return fail(f"个人账户状态为“{ctx.account.get_state_display()}”，须已封存",
                "您的账户尚未封存（仍在职缴存），不符合条件")


SEALED = Rule("sealed", "账户封存", _sealed)


def sealed_since(ctx: Context) -> date | None:
    events = before(ctx, AccountEvent.objects.filter(account=ctx.account, business_type=AccountBusiness.SEAL), "at")
    event = events.order_by("-id").first()
    return timezone.localdate(event.at) if event else None


def _no_local_employer(ctx: Context) -> Verdict:
    record = ctx.social_insurance()
    if record is None or not record.employer_credit_code:
        return ok("社保数据显示目前无本市参保单位", "目前无本市就业参保记录", call_id=getattr(record, "call_id", None))
    return fail(f"社保数据显示目前在“{record.employer_name}”参保", "社保数据显示您仍在本市就业",
                call_id=record.call_id)


NO_LOCAL_EMPLOYER = Rule("no_employer", "本市就业", _no_local_employer)


def _no_home(ctx: Context) -> Verdict:
    """The member, and the spouse if married, own no home in this city."""
    ids = [ctx.person.id_number]
    marriage = ctx.marriage()
    evidence: dict[str, Any] = {"marriage_call_id": getattr(marriage, "call_id", None)}
    if marriage is not None and marriage.status == "married" and marriage.spouse_id_number:
        ids.append(marriage.spouse_id_number)
    calls = []
    for number in ids:
        homes = ctx.homes(number)
        calls.append(getattr(homes, "call_id", None))
        if homes is not None and homes.in_city:
            who = "本人" if number == ctx.person.id_number else "配偶"
            return fail(f"不动产登记显示{who}在本市有房（{homes.in_city[0].address}）",
                        f"不动产登记显示{who}在本市有住房，不符合租房提取条件", **evidence, property_call_ids=calls)
    who = "本人及配偶" if len(ids) > 1 else "本人"
    return ok(f"不动产登记显示{who}在本市无房", f"{who}在本市名下无住房", **evidence, property_call_ids=calls)


NO_HOME = Rule("no_home", "本市无房", _no_home)


def before(ctx: Context, rows: Any, field: str = "decided_at") -> Any:
    """`rows` as they stood when the decision was made, for a replayed one (`ctx.as_of`); all of them live."""
    return rows if ctx.as_of is None else rows.filter(**{f"{field}__lt": ctx.as_of})


def deposited_months(ctx: Context) -> int:
    rows = before(ctx, MonthlyDeposit.objects.filter(account=ctx.account, reversal__isnull=True), "created_at")
    return rows.values("month").distinct().count()


def deposit_months_rule(policy: str) -> Rule:
    def term(ctx: Context) -> str:
        need, have = int(ctx.policy(policy)), deposited_months(ctx)
        short = f"，还差 {need - have} 个月" if have < need else ""
        return f"须缴存满 {need} 个月，您已缴存 {have} 个月{short}"

    def check(ctx: Context) -> Verdict:
        need = int(ctx.policy(policy))
        have = deposited_months(ctx)
        if have >= need:
            return ok(f"已缴存 {have} 个月（要求不少于 {need} 个月）", f"已缴存 {have} 个月，符合要求", months=have)
        return fail(f"仅缴存 {have} 个月，要求不少于 {need} 个月", f"缴存满 {need} 个月后才可办理，您目前缴存 {have} 个月",
                    months=have)

    return Rule("deposit_months", "缴存月数", check, term)


def _not_recent_transfer_in(ctx: Context) -> Verdict:
    months = int(ctx.policy("risk_transfer_in_withdrawal_months"))
    since = months_ago(ctx.today, months)
    recent = before(ctx, ctx.account.transfers, "finished_at").filter(  # a transfer that brought money in, not a cancelled or failed one
        direction=TransferDirection.IN, status__in=(TransferStatus.DONE, TransferStatus.DONE_AFTER_NEGOTIATION),
        finished_at__date__gte=since,
    ).first()
    if recent is None:
        return ok(f"近 {months} 个月无异地转入", "无异常")
    return fail(f"{recent.finished_at:%Y-%m-%d} 有异地转入，转入后 {months} 个月内提取须人工核查",
                "您近期办理过异地转入，需人工审核", transfer=recent.reference, transfer_on=f"{recent.finished_at:%Y-%m-%d}",
                other_centre=recent.other_centre, months=months)


NOT_RECENT_TRANSFER_IN = Rule(
    "transfer_in", "转入后提取预警", _not_recent_transfer_in,
    lambda ctx: f"异地转入后 {int(ctx.policy('risk_transfer_in_withdrawal_months'))} 个月内申请的，须人工审核",
)


def taken(ctx: Context, *conditions: Q, **filters: Any) -> Decimal:
    """What withdrawals already approved or paid took, other than this one."""
    qs = before(ctx, Withdrawal.objects.filter(*conditions, state__in=TAKEN, **filters).exclude(pk=ctx.withdrawal.pk))
    return qs.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def same_home(ctx: Context) -> Q:
    """Withdrawals for this withdrawal's home: by the number the applicant gave, or by where the registry or
    the invoice places it (one home applied for by invoice and again by its certificate once registered)."""
    condition = Q(home_key=ctx.withdrawal.home_key)
    if ctx.home_place:
        condition |= Q(home_place=ctx.home_place)
    return condition


def same_home_rule(*, ever: bool = False) -> Rule:
    """The same home never used twice within the policy period (`withdrawal_same_home_months`), or never again
    at all (`ever`, for a home's one-off cost such as a lift), whoever's account it was (family included)."""

    def check(ctx: Context) -> Verdict:
        key = ctx.withdrawal.home_key
        if not key:
            return fail("未提供房屋标识", "缺少房屋信息")
        earlier = before(ctx, Withdrawal.objects.filter(same_home(ctx), state__in=TAKEN).exclude(pk=ctx.withdrawal.pk))
        if ever:
            within, plain = "", "同一住房只能提取一次"
        else:
            months = int(ctx.policy("withdrawal_same_home_months"))
            earlier = earlier.filter(decided_at__date__gte=months_ago(ctx.today, months))
            within, plain = f"近 {months} 个月内", f"同一住房 {months} 个月内不能重复用于提取"
        found = earlier.select_related("account__person").order_by("-decided_at").first()
        if found is None:
            return ok(f"该住房{within}未被用于提取", "该住房未办理过提取" if ever else "该住房近期未办理过提取")
        return fail(f"该住房已于 {found.decided_at:%Y-%m-%d} 用于提取（{found.number}，{found.account.person.name}），"
                    f"{within.removeprefix('近 ') or '此后'}不得重复使用", plain, earlier=found.number)

    def term(ctx: Context) -> str:
        if ever:
            return "同一住房只能提取一次"
        return f"同一住房 {int(ctx.policy('withdrawal_same_home_months'))} 个月内不能重复用于提取"

    return Rule("same_home", "同一住房未重复提取", check, term)


def something_left(limit: Callable[[Context], Limit]) -> Rule:
    """For a reason's `door`: its limit, one this database alone tells, leaves something to pay. (At 0 the
    last approval refuses, so the application could only ever be rejected.)"""

    def check(ctx: Context) -> Verdict:
        found = limit(ctx)
        if found.amount is not None and found.amount <= 0:
            return fail(f"可提取金额为 0（{found.note}）", f"已无可提取金额（{found.note}）")
        return ok(found.note, found.note)

    return Rule("left", "可提取金额", check)


def repeat_rule(reason_key: str, label: str) -> Rule:
    """One withdrawal for this reason per account within `withdrawal_repeat_months` (standing instructions
    excepted)."""

    def check(ctx: Context) -> Verdict:
        if ctx.withdrawal.standing_id:
            return ok("逐月提取协议按月办理，不受一次性提取频次限制", "按逐月提取协议办理")
        months = int(ctx.policy("withdrawal_repeat_months"))
        earlier = before(ctx, Withdrawal.objects.filter(
            account=ctx.account, reason=reason_key, state__in=TAKEN, decided_at__date__gte=months_ago(ctx.today, months),
            standing__isnull=True).exclude(pk=ctx.withdrawal.pk))
        if earlier.exists():
            return fail(f"{months} 个月内已办理过{label}", f"{label}每 {months} 个月只能办理一次")
        return ok(f"{months} 个月内未办理过{label}", "符合办理频次")

    def term(ctx: Context) -> str:
        months = int(ctx.policy("withdrawal_repeat_months"))
        last = (Withdrawal.objects.filter(account=ctx.account, reason=reason_key, state__in=TAKEN, standing__isnull=True,
                                          decided_at__date__gte=months_ago(ctx.today, months))
                .order_by("-decided_at").first())
        since = f"；您已于 {timezone.localdate(last.decided_at):%Y-%m-%d} 办理过" if last else ""
        return f"{label}每 {months} 个月可办理一次{since}"

    return Rule("frequency", "办理频次", check, term)


def whole_balance(ctx: Context) -> Any:
    from .base import Limit

    return Limit(None, "账户全部余额（含结至当日的利息）")
