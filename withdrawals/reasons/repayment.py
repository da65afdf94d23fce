"""Repaying a housing loan (06), once or monthly by standing instruction, and rent (07)."""

from __future__ import annotations

from decimal import Decimal

from fund.catalogue.registry import Channel, Material, ServiceItem, Visits
from fund.integrations.models import System
from fund.money import ZERO, format_money

from ..loans import HousingLoan, household_loans
from .base import Context, Input, Limit, Reason, Rule, Verdict, fail, ok
from .rules import (
    ALIVE,
    BANK_CARD,
    ID_CARD,
    IDENTITY,
    NO_HOME,
    NOT_RECENT_TRANSFER_IN,
    deposit_months_rule,
    repeat_rule,
    taken,
)

BASIS = ("《住房公积金管理条例》第二十四条", "本市住房公积金提取管理办法")


def _chosen_loan(ctx: Context) -> HousingLoan | None:
    """The loan named in the application, or else the first of the member's and the spouse's; read once per
    decision, with the marriage the decision's other rules read."""
    loans = ctx.memo(("loans",), lambda: household_loans(ctx.person.id_number, marriage=ctx.marriage()))
    key = ctx.detail("loan")
    if key:
        return next((loan for loan in loans if loan.key == key), None)
    return loans[0] if loans else None


def _loan(ctx: Context) -> Verdict:
    loan = _chosen_loan(ctx)
    if loan is None and ctx.detail("loan"):
        return fail(f"本人及配偶未结清的住房贷款中没有所选的 {ctx.detail('loan')}",
                    "未查到所选的住房贷款（可能已结清），请重新选择")
    if loan is None:
        return fail("征信报告中未查到本人或配偶未结清的住房贷款", "未查到您或配偶名下未结清的住房贷款")
    ctx.details.setdefault("loan", loan.key)
    whose = f"配偶{loan.spouse_name}的" if loan.spouse_name else ""
    return ok(f"{whose}{loan.lender} 住房贷款，余额 {format_money(loan.balance)} 元，月还款 {format_money(loan.monthly_instalment)} 元",
              f"已核实{'您配偶' if loan.spouse_name else '您'}在{loan.lender}的住房贷款", loan=loan.key, **loan.evidence)


def _loan_limit(ctx: Context) -> Limit:
    loan = _chosen_loan(ctx)
    if loan is None:
        return Limit(ZERO, "未查到住房贷款")
    if ctx.withdrawal.standing_id:
        return Limit(min(loan.monthly_instalment, loan.balance), f"当月应还 {format_money(loan.monthly_instalment)} 元")
    return Limit(loan.balance, f"贷款余额 {format_money(loan.balance)} 元")


LOAN_FOUND = Rule("loan", "住房贷款核实", _loan)

LOAN = Reason(
    key="06", code="06", label="偿还购房贷款本息", summary="偿还本人或配偶的住房贷款（本中心或商业银行）",
    closes_account=False, auto=True, frequency="一次性提取每 {withdrawal_repeat_months} 个月一次；也可签订逐月提取协议按月提取",
    inputs=(Input("loan", "贷款", required=False, help="不选则按征信报告中的住房贷款办理"),),
    rules=(IDENTITY, ALIVE, LOAN_FOUND, repeat_rule("06", "偿还贷款提取")),
    limit=_loan_limit,
    door=(LOAN_FOUND,),  # no loan: nothing to repay (a credit bureau that cannot answer lets it through)
    item=ServiceItem(
        code="TQ-06", name="偿还购房贷款本息提取住房公积金", category="提取", order=6,
        summary="偿还住房贷款的职工，可一次性提取，也可签订逐月提取协议每月自动提取用于还贷。",
        conditions=("本人或配偶有未结清的住房贷款；", "一次性提取不超过贷款余额，每 12 个月可办理一次；",
                    "逐月提取每月不超过当月还款额。"),
        materials=(ID_CARD, BANK_CARD,
                   Material(code="loan_contract", name="借款合同及还款明细", shared_by=System.CREDIT,
                            note="由人行征信报告核验")),
        legal_basis=BASIS, time_limit="即时办结",
        channels=frozenset({Channel.WINDOW, Channel.ONLINE, Channel.INSTANT}), visits=Visits.NONE,
    ),
)


def _rent_limit(ctx: Context) -> Limit:
    """The year's cap less what this year's rent withdrawals took; the cap rule and the amount read it once."""

    def compute() -> Limit:
        cap = Decimal(ctx.policy("withdrawal_rent_cap_per_year"))
        start = ctx.today.replace(month=1, day=1)
        used = taken(ctx, account=ctx.account, reason="07", decided_at__date__gte=start)
        return Limit(max(cap - used, ZERO), f"年度限额 {format_money(cap)} 元，本年已提取 {format_money(used)} 元")

    return ctx.memo(("limit", "07"), compute)


def _rent_cap_left(ctx: Context) -> Verdict:
    limit = _rent_limit(ctx)
    if limit.amount and limit.amount > 0:
        return ok(limit.note, f"本年度还可提取 {format_money(limit.amount)} 元")
    return fail(f"{limit.note}，已达年度限额", f"您本年度的租房提取额度已用完（{limit.note}）")


def _rent_cap_term(ctx: Context) -> str:
    limit = _rent_limit(ctx)
    return f"{limit.note}，本年还可提取 {format_money(limit.amount or ZERO)} 元"


RENT_CAP = Rule("rent_cap", "年度限额", _rent_cap_left, _rent_cap_term)

RENT = Reason(
    key="07", code="07", label="租赁住房", summary="在本市无自有住房且租房居住",
    closes_account=False, auto=True, frequency="每年累计不超过年度限额",
    rules=(IDENTITY, ALIVE, NO_HOME, deposit_months_rule("withdrawal_rent_min_deposit_months"),
           RENT_CAP, NOT_RECENT_TRANSFER_IN),
    limit=_rent_limit,
    door=(RENT_CAP,),
    item=ServiceItem(
        code="TQ-07", name="租赁住房提取住房公积金", category="提取", order=7,
        summary="本人及配偶在本市无自有住房且租房居住的，可按年度限额提取。",
        conditions=("本人及配偶在本市无自有住房；", "连续足额缴存满规定月数；", "每年提取总额不超过年度限额。"),
        materials=(ID_CARD, BANK_CARD,
                   Material(code="no_home", name="无房证明", shared_by=System.PROPERTY, note="由不动产登记数据共享核验"),
                   Material(code="marriage", name="婚姻状况证明", shared_by=System.MARRIAGE)),
        legal_basis=BASIS, time_limit="即时办结",
        channels=frozenset({Channel.WINDOW, Channel.ONLINE, Channel.INSTANT}), visits=Visits.NONE,
    ),
)

REASONS = (LOAN, RENT)
