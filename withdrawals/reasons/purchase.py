"""Homes: buying one (01), building or overhauling one (02), and installing a lift in an old building (99-lift).

Purchase is decided in seconds for a home in this city that the property registry (or, for a new home not
yet registered, a valid tax invoice) shows as owned by the member, the spouse, a parent or a child — the
relation verified through the marriage and hukou registries — within the policy window, and not used for a
withdrawal in the last 12 months by anyone. The most it pays is the price less what was already withdrawn
for the same home.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fund.catalogue.registry import Channel, Material, ServiceItem, Visits
from fund.dates import months_ago
from fund.integrations.models import System
from fund.money import ZERO, format_money

from ..models import Relation
from .base import Context, Input, Limit, Reason, Rule, Verdict, fail, ok
from .rules import (
    ALIVE,
    BANK_CARD,
    HOME_CERT,
    HOUSEHOLD,
    ID_CARD,
    IDENTITY,
    MARRIAGE,
    NOT_RECENT_TRANSFER_IN,
    RELATION,
    same_home,
    same_home_rule,
    something_left,
    taken,
)

BASIS = ("《住房公积金管理条例》第二十四条", "本市住房公积金提取管理办法")
FAMILY = (Relation.SELF, Relation.SPOUSE, Relation.PARENT, Relation.CHILD)


def _home_key(details: dict[str, Any]) -> str:
    return (details.get("certificate_number") or details.get("invoice_number") or "").strip().upper()


def _owner(ctx: Context) -> str:
    return ctx.withdrawal.other_id_number or ctx.person.id_number


@dataclass
class Found:
    price: Any
    day: Any
    in_city: bool
    address: str
    evidence: dict[str, Any]


def _find_home(ctx: Context) -> Found | Verdict:
    """The home named by its certificate in the owner's registry records, or else by its invoice."""
    owner = _owner(ctx)
    number = ctx.detail("certificate_number")
    if number:
        homes = ctx.homes(owner)
        for home in () if homes is None else homes.homes:
            if home.certificate_number.upper() == number.upper():
                ctx.found_place(home.address)
                return Found(home.price, home.registered_on, home.in_city, home.address, {"property_call_id": homes.call_id})
        # `owner_differs`: risk's screening surfaces this as a hit (the owner on the application is not the
        # registry's, Liaoyuan's forged certificates).
        return fail(f"不动产登记中未查到产权人名下的 {number}", "不动产登记中未查到该住房登记在您（或亲属）名下",
                    property_call_id=getattr(homes, "call_id", None), owner_differs=True, certificate_number=number)
    invoice_number = ctx.detail("invoice_number")
    if invoice_number:
        invoice = ctx.invoice(invoice_number)
        if invoice is None:
            return fail(f"税务系统查无发票 {invoice_number}", "税务系统中查不到这张购房发票",
                        invoice_problem="unknown", invoice_number=invoice_number)
        if not invoice.valid:
            return fail(f"发票 {invoice_number} 已作废或红冲", "这张购房发票已作废", tax_call_id=invoice.call_id,
                        invoice_problem="void", invoice_number=invoice_number)
        if invoice.buyer_id_number.upper() != owner.upper():
            return fail("发票购买方与产权人不一致", "发票上的购房人与申请信息不一致", tax_call_id=invoice.call_id,
                        owner_differs=True, invoice_number=invoice_number)
        # A new home sold by a developer in this city: the invoice's address is in the city by construction.
        ctx.found_place(invoice.address)
        return Found(invoice.amount, invoice.issued_on, True, invoice.address, {"tax_call_id": invoice.call_id})
    return fail("未提供不动产权证号或购房发票号", "请提供不动产权证号或购房发票号码")


def _home_found(ctx: Context) -> Verdict:
    found = _find_home(ctx)
    if isinstance(found, Verdict):
        return found
    return ok(f"核实住房：{found.address}，成交价 {format_money(found.price)} 元", "住房信息核验通过", **found.evidence)


def _local(ctx: Context) -> Verdict:
    found = _find_home(ctx)
    if isinstance(found, Verdict):
        return found
    if found.in_city:
        return ok("住房位于本市", "本市住房", **found.evidence)
    return fail("住房不在本市，异地购房须人工审核", "异地购房需人工审核", **found.evidence)


def _window(ctx: Context) -> Verdict:
    found = _find_home(ctx)
    if isinstance(found, Verdict):
        return found
    months = int(ctx.policy("withdrawal_purchase_window_months"))
    if found.day >= months_ago(ctx.today, months):
        return ok(f"登记/开票日期 {found.day:%Y-%m-%d}，在 {months} 个月时限内", f"在购房后 {months} 个月内申请", **found.evidence)
    return fail(f"登记/开票日期 {found.day:%Y-%m-%d}，已超过 {months} 个月时限",
                f"购房提取须在购房后 {months} 个月内申请，已超过时限", **found.evidence)


def _purchase_limit(ctx: Context) -> Limit:
    found = _find_home(ctx)
    if isinstance(found, Verdict):
        return Limit(ZERO, "未核实住房")
    used = taken(ctx, same_home(ctx))
    return Limit(max(found.price - used, ZERO), f"购房款 {format_money(found.price)} 元，已提取 {format_money(used)} 元")


PURCHASE = Reason(
    key="01", code="01", label="购买住房", summary="购买本市自住住房（本人、配偶、父母或子女名下）",
    closes_account=False, auto=True, relations=FAMILY, home_key=_home_key,
    frequency="同一住房 {withdrawal_same_home_months} 个月内只能提取一次（含家庭成员）",
    inputs=(
        Input("certificate_number", "不动产权证号", required=False, help="已办理不动产登记的住房填写"),
        Input("invoice_number", "购房发票号码", required=False, help="新建商品房尚未登记的填写"),
        Input("agent", "经纪机构", required=False, max_length=120, help="通过中介购买二手房的填写中介机构名称"),
    ),
    rules=(IDENTITY, ALIVE, RELATION, Rule("home", "住房核实", _home_found), Rule("local", "本市住房", _local),
           Rule("window", "购房时限", _window, lambda ctx: (
               f"须在房屋登记或购房发票开具后 {int(ctx.policy('withdrawal_purchase_window_months'))} 个月内申请")), same_home_rule(), NOT_RECENT_TRANSFER_IN),
    limit=_purchase_limit,
    door=(same_home_rule(),),  # by the number given; the price is the registry's, for the decision
    item=ServiceItem(
        code="TQ-01", name="购买自住住房提取住房公积金", category="提取", order=1,
        summary="职工购买本市自住住房（新建商品房或二手房），可提取本人住房公积金，也可为配偶、父母、子女购房提取。",
        conditions=(
            "购房人为缴存职工本人、配偶、父母或子女；",
            "购房合同签订（或不动产登记、发票开具）之日起，在政策规定的期限内申请；",
            "提取总额不超过购房款；同一套住房 12 个月内不得重复用于提取（含家庭成员）。",
        ),
        materials=(
            ID_CARD, BANK_CARD, HOME_CERT,
            Material(code="invoice", name="购房发票", shared_by=System.TAX, condition="新建商品房尚未办理不动产登记时"),
            Material(code="contract", name="购房合同", original=False, keeper="中心留存",
                     condition="二手房交易未办理网签备案时"),
            MARRIAGE, HOUSEHOLD,
        ),
        legal_basis=BASIS, time_limit="符合秒批条件的即时办结；转人工审核的 3 个工作日",
        channels=frozenset({Channel.WINDOW, Channel.ONLINE, Channel.INSTANT}), visits=Visits.NONE,
        applicants="缴存职工本人",
    ),
)


def _build_limit(ctx: Context) -> Limit:
    cost = ctx.money("cost")
    return Limit(max(cost - taken(ctx, same_home(ctx)), ZERO), f"工程费用 {format_money(cost)} 元")


def _owned_by_family(ctx: Context) -> Verdict:
    number = ctx.detail("certificate_number")
    homes = ctx.homes(_owner(ctx))
    for home in () if homes is None else homes.homes:
        if home.certificate_number.upper() == number.upper():
            ctx.found_place(home.address)
            return ok(f"住房 {home.address} 登记在产权人名下", "住房权属核验通过", property_call_id=homes.call_id)
    return fail("不动产登记中未查到该住房", "未查到该住房的产权登记", property_call_id=getattr(homes, "call_id", None),
                owner_differs=True, certificate_number=number)


BUILD = Reason(
    key="02", code="02", label="建造、翻建、大修自住住房", summary="在本市建造、翻建或大修自住住房",
    closes_account=False, auto=False, relations=(Relation.SELF, Relation.SPOUSE), home_key=_home_key,
    frequency="同一住房 {withdrawal_same_home_months} 个月内只能提取一次",
    inputs=(Input("certificate_number", "不动产权证号"), Input("cost", "工程费用（元）", kind="money")),
    rules=(IDENTITY, RELATION, Rule("owned", "住房权属", _owned_by_family), same_home_rule()),
    limit=_build_limit,
    door=(same_home_rule(), something_left(_build_limit)),
    item=ServiceItem(
        code="TQ-02", name="建造、翻建、大修自住住房提取住房公积金", category="提取", order=2,
        conditions=("在本市拥有住房产权，经规划部门批准建造、翻建或大修；", "提取额不超过工程费用。"),
        materials=(ID_CARD, BANK_CARD, HOME_CERT,
                   Material(code="permit", name="规划或建设批准文件", original=True),
                   Material(code="budget", name="工程预算书或施工合同", original=False, keeper="中心留存"),
                   MARRIAGE),
        legal_basis=BASIS, time_limit="3 个工作日", channels=frozenset({Channel.WINDOW}),
    ),
)


def _lift_limit(ctx: Context) -> Limit:
    share = ctx.money("share")
    used = taken(ctx, same_home(ctx))
    return Limit(max(share - used, ZERO), f"本户分摊费用 {format_money(share)} 元，已提取 {format_money(used)} 元")


LIFT = Reason(
    key="99-lift", code="99", label="既有住宅加装电梯", summary="为本人或配偶名下的既有住宅加装电梯",
    closes_account=False, auto=False, relations=(Relation.SELF, Relation.SPOUSE), home_key=lambda d: f"LIFT:{_home_key(d)}",
    frequency="同一住房限提取一次",
    inputs=(Input("certificate_number", "不动产权证号"), Input("share", "本户分摊费用（元）", kind="money")),
    rules=(IDENTITY, RELATION, Rule("owned", "住房权属", _owned_by_family), same_home_rule(ever=True)),
    limit=_lift_limit,
    door=(same_home_rule(ever=True), something_left(_lift_limit)),
    item=ServiceItem(
        code="TQ-99-LIFT", name="既有住宅加装电梯提取住房公积金", category="提取", order=10,
        conditions=("本人或配偶在本市既有住宅加装电梯；", "提取额不超过本户实际分摊费用。"),
        materials=(ID_CARD, BANK_CARD, HOME_CERT,
                   Material(code="lift_agreement", name="加装电梯协议及费用分摊明细", original=False, keeper="中心留存"),
                   Material(code="lift_invoice", name="加装电梯费用发票或付款凭证", original=True)),
        legal_basis=("本市既有住宅加装电梯提取住房公积金实施细则",), time_limit="3 个工作日",
        channels=frozenset({Channel.WINDOW}),
    ),
)

REASONS = (PURCHASE, BUILD, LIFT)
