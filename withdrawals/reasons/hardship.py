"""Hardship: major illness (09), minimum living allowance (99-dibao), and out of work six months (99-jobless).
People decide these; the rules gather what shared data can say before they look."""

from __future__ import annotations

from fund.catalogue.registry import Channel, Material, ServiceItem
from fund.dates import months_ago
from fund.money import format_money

from .base import Context, Input, Limit, Reason, Rule, Verdict, fail, ok
from .rules import (
    BANK_CARD,
    ID_CARD,
    IDENTITY,
    NO_LOCAL_EMPLOYER,
    SEALED,
    repeat_rule,
    sealed_since,
)

BASIS = ("《住房公积金管理条例》第二十四条", "本市住房公积金提取管理办法")


def _illness_limit(ctx: Context) -> Limit:
    cost = ctx.money("expenses")
    return Limit(cost, f"个人负担医疗费用 {format_money(cost)} 元")


ILLNESS = Reason(
    key="09", code="09", label="大病医疗", summary="本人或家庭成员患重大疾病，个人负担医疗费用",
    closes_account=False, auto=False, frequency="每 {withdrawal_repeat_months} 个月一次",
    # The medical record as the hospital issued it (Liaoyuan found rings by the same record under other names):
    # kept together in details["medical"], which risk's screening and link graph compare across applications.
    inputs=(Input("expenses", "个人负担医疗费用（元）", kind="money"),
            Input("hospital", "就诊医院", group="medical", help="出具诊断证明的医院全称，如 示范市第一人民医院"),
            Input("record_number", "病案号（住院号）", group="medical", help="病历首页或出院记录上的病案号"),
            Input("diagnosis", "出院诊断", group="medical", max_length=200, help="按出院记录或诊断证明填写")),
    rules=(IDENTITY, repeat_rule("09", "大病医疗提取")), limit=_illness_limit,
    item=ServiceItem(
        code="TQ-09", name="大病医疗提取住房公积金", category="提取", order=9,
        conditions=("本人、配偶、父母或子女患重大疾病；", "提取额不超过医保报销后个人负担的医疗费用。"),
        materials=(ID_CARD, BANK_CARD,
                   Material(code="diagnosis", name="二级以上医院诊断证明及病历", original=True),
                   Material(code="medical_bills", name="医疗费用票据及医保结算单", original=False, keeper="中心留存"),
                   Material(code="relation", name="关系证明", condition="为家庭成员提取时", original=True)),
        legal_basis=BASIS, time_limit="5 个工作日", channels=frozenset({Channel.WINDOW}),
    ),
)


DIBAO = Reason(
    key="99-dibao", code="99", label="享受城镇最低生活保障", summary="家庭享受城镇最低生活保障",
    closes_account=False, auto=False, frequency="每 {withdrawal_repeat_months} 个月一次",
    rules=(IDENTITY, repeat_rule("99-dibao", "最低生活保障提取")),
    limit=lambda ctx: Limit(None, "账户全部余额"),
    item=ServiceItem(
        code="TQ-99-DIBAO", name="享受城镇最低生活保障提取住房公积金", category="提取", order=12,
        conditions=("家庭被纳入城镇最低生活保障范围。",),
        materials=(ID_CARD, BANK_CARD, Material(code="dibao", name="最低生活保障证或民政部门证明", original=True)),
        legal_basis=BASIS, time_limit="3 个工作日", channels=frozenset({Channel.WINDOW}),
    ),
)


def _sealed_long_enough(ctx: Context) -> Verdict:
    months = int(ctx.policy("withdrawal_unemployed_months"))
    since = sealed_since(ctx)
    if since is not None and since <= months_ago(ctx.today, months):
        return ok(f"{since:%Y-%m-%d} 封存，已满 {months} 个月", f"离职已满 {months} 个月")
    shown = f"{since:%Y-%m-%d} 封存" if since else "无封存记录"
    return fail(f"{shown}，未满 {months} 个月", f"离职未满 {months} 个月")


def _sealed_term(ctx: Context) -> str:
    months = int(ctx.policy("withdrawal_unemployed_months"))
    since = sealed_since(ctx)
    return f"账户封存满 {months} 个月后可申请" + (f"，您的账户于 {since:%Y-%m-%d} 封存" if since else "")


JOBLESS = Reason(
    key="99-jobless", code="99", label="离职未再就业满六个月", summary="与单位终止劳动关系，未再就业满规定期限",
    closes_account=False, auto=False, frequency="每 {withdrawal_repeat_months} 个月一次",
    rules=(IDENTITY, SEALED, Rule("sealed_months", "封存期限", _sealed_long_enough, _sealed_term), NO_LOCAL_EMPLOYER,
           repeat_rule("99-jobless", "离职提取")),
    limit=lambda ctx: Limit(None, "账户全部余额"),
    item=ServiceItem(
        code="TQ-99-JOBLESS", name="离职未再就业提取住房公积金", category="提取", order=13,
        conditions=("与单位终止劳动关系，个人账户封存满规定月数；", "未在本市重新就业参保。"),
        materials=(ID_CARD, BANK_CARD, Material(code="termination", name="终止劳动关系证明", original=True)),
        legal_basis=BASIS, time_limit="3 个工作日", channels=frozenset({Channel.WINDOW}),
    ),
)

REASONS = (ILLNESS, DIBAO, JOBLESS)
