"""The electronic audit's checks (电子稽核, category audit), in Linyi's sense: each looks at one committed business
and finds what a second pair of eyes at the centre would question. Each registers a default level; a centre
adds its own rules over them (other params, another level) as rows.

They read only this system's tables (the business rows, the audit trail, the outside-call log), never call
outside systems: the payment gate runs them on the 秒批 path.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils import timezone

from fund.audit.masking import mask_bank_card
from fund.audit.models import AuditEvent
from fund.money import format_money

from .registry import Category, Check, Finding, Level, register_check


def _events(subject: models.Model, action: str) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(target_type=subject._meta.label_lower, target_id=str(subject.pk),
                                     action=action).select_related("actor").order_by("id")


def _who(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _amount(params: dict[str, Any], name: str) -> Decimal:
    try:
        return Decimal(str(params[name]))
    except (KeyError, InvalidOperation):
        return Decimal("0")


# ---- 提取：审批人即受理人或初审人（四眼原则）→ 底线红线 -------------------------------------------------------------

def withdrawal_four_eyes(subject: Any, params: dict[str, Any]) -> Iterable[Finding]:
    """A manual approval by the clerk who accepted the withdrawal, or by the one who reviewed it."""
    approvals = [e for e in _events(subject, "withdrawals.approved") if e.actor_id is not None]
    if not approvals:
        return
    reviewers = {e.actor_id: e for e in _events(subject, "withdrawals.reviewed") if e.actor_id is not None}
    for approval in approvals:
        role = ""
        if approval.actor_id == subject.submitted_by_id and subject.channel == "window":
            role = "受理"
        elif approval.actor_id in reviewers:
            role = "初审"
        if role:
            yield Finding(
                summary=f"提取由{role}人 {_who(approval.actor)} 本人审批，违反“受理、审核、审批分离”",
                evidence={"approved_by": _who(approval.actor), "approved_event": approval.pk, "role": role,
                          "approved_at": approval.at.isoformat()},
                key=f"approval:{approval.pk}")


# ---- 提取：收款卡户名非本人 → 业务提交违规 ---------------------------------------------------------------------------

def withdrawal_payee_other(subject: Any, params: dict[str, Any]) -> Iterable[Finding]:
    """Paid to a card in another name than the member's (or the named relation's, for an heir or a family home)."""
    member = subject.account.person.name
    allowed = {member, subject.other_name} - {""}
    if subject.payee_name and subject.payee_name not in allowed:
        yield Finding(
            summary=f"提取款付至他人名下银行卡（收款人 {subject.payee_name}，职工 {member}）",
            evidence={"payee_name": subject.payee_name, "member_name": member,
                      "payee_card": mask_bank_card(subject.payee_card), "relation": subject.relation},
            key=f"payee:{subject.payee_name}")


# ---- 贷款：核准金额超过可贷额度 → 底线红线 -----------------------------------------------------------------------------

def loan_over_quota(subject: Any, params: dict[str, Any]) -> Iterable[Finding]:
    if subject.approved_amount is None or subject.quota is None:
        return
    if subject.approved_amount > subject.quota:
        yield Finding(
            summary=f"贷款核准金额 {format_money(subject.approved_amount)} 元超过可贷额度 {format_money(subject.quota)} 元",
            evidence={"approved_amount": str(subject.approved_amount), "quota": str(subject.quota),
                      "binding": subject.quota_detail.get("binding", "") if isinstance(subject.quota_detail, dict) else ""},
            key="quota")


# ---- 归集：大额错缴更正/退款 → 办理要件存疑 -----------------------------------------------------------------------------

def correction_large(subject: Any, params: dict[str, Any]) -> Iterable[Finding]:
    limit = _amount(params, "amount")
    if limit > 0 and subject.amount > limit:
        yield Finding(
            summary=f"错缴更正退款 {format_money(subject.amount)} 元超过 {format_money(limit)} 元，需核对更正依据",
            evidence={"amount": str(subject.amount), "limit": str(limit), "bill": subject.bill_id,
                      "unit": str(subject.unit), "reason": subject.reason[:200]},
            key="amount")


# ---- 政策：追溯生效或非主任设置 → 业务提交违规 ---------------------------------------------------------------------

def policy_change(subject: Any, params: dict[str, Any]) -> Iterable[Finding]:
    from fund.people.models import Post
    from fund.people.roles import roles_of

    if subject.withdrawn_at is not None:
        return
    set_on = timezone.localdate(subject.created_at)
    if subject.effective_from < set_on:
        yield Finding(
            summary=f"政策参数 {subject.name} 于 {set_on:%Y-%m-%d} 设置、却自 {subject.effective_from:%Y-%m-%d} 起追溯生效",
            evidence={"name": subject.name, "effective_from": subject.effective_from.isoformat(),
                      "set_on": set_on.isoformat(), "set_by": _who(subject.created_by)},
            key="backdated")
    if subject.created_by is None or not roles_of(subject.created_by).has_post(Post.DIRECTOR):
        yield Finding(
            summary=f"政策参数 {subject.name} 未经分管主任设置（设置人：{_who(subject.created_by) or '系统'}）",
            evidence={"name": subject.name, "set_by": _who(subject.created_by)},
            key="not_director")


# ---- 账户：变更银行卡无银行核验记录 → 业务提交违规 ---------------------------------------------------------------

def card_change_unverified(subject: Any, params: dict[str, Any]) -> Iterable[Finding]:
    """A member's card changed with no bank verification of that card shortly before: withdrawals and
    refunds go to this card, so an unchecked one is where money leaves to a stranger."""
    from fund.integrations.models import IntegrationCall

    minutes = int(_amount(params, "minutes") or 30)
    for event in _events(subject, "deposits.member.changed"):
        if "bank_card" not in (event.new or {}):
            continue
        verified = IntegrationCall.objects.filter(
            system="bank", operation="verify_account", reference=subject.bank_card, ok=True,
            at__lte=event.at, at__gte=event.at - timedelta(minutes=minutes), response__valid=True).exists()
        if not verified:
            yield Finding(
                summary=f"职工银行卡变更为 {mask_bank_card(subject.bank_card)}，变更前 {minutes} 分钟内无银行核验记录",
                evidence={"card": mask_bank_card(subject.bank_card), "changed_event": event.pk,
                          "changed_by": _who(event.actor), "changed_at": event.at.isoformat()},
                key=f"change:{event.pk}")


AUDIT_CHECKS = [
    register_check(Check(
        code="audit.withdrawal_four_eyes", label="提取审批人与受理人、初审人为同一人", category=Category.AUDIT,
        level=Level.REDLINE, subjects=("withdrawals.withdrawal",), screen=withdrawal_four_eyes,
        description="人工审批的提取，审批人即窗口受理人或初审人：违反受理、审核、审批三岗分离（临沂底线红线）。"
                    "未付款的提取暂停付款，稽核排除或整改后恢复。")),
    register_check(Check(
        code="audit.withdrawal_payee_other", label="提取款付至非本人银行卡", category=Category.AUDIT,
        level=Level.SUBMIT, subjects=("withdrawals.withdrawal",), screen=withdrawal_payee_other,
        description="收款人既不是职工本人，也不是申请所列关系人（配偶、子女、继承人）：骗提常以他人卡收款。")),
    register_check(Check(
        code="audit.loan_over_quota", label="贷款核准金额超过可贷额度", category=Category.AUDIT,
        level=Level.REDLINE, subjects=("loans.loanapplication",), screen=loan_over_quota,
        description="核准金额高于按余额倍数、还款能力、房价比例和最高额度测算的可贷额度（底线红线）：未放款的暂停放款。")),
    register_check(Check(
        code="audit.correction_large", label="大额错缴更正退款", category=Category.AUDIT,
        level=Level.DOUBT, subjects=("deposits.remittancecorrection",), screen=correction_large,
        params={"amount": "50000"},
        description="一次错缴更正应退金额超过参数 amount（元）：核对单位申请、原缴款凭证等更正要件。")),
    register_check(Check(
        code="audit.policy_change", label="政策参数追溯生效或非主任设置", category=Category.AUDIT,
        level=Level.SUBMIT, subjects=("policy.policyvalue",), screen=policy_change,
        description="政策参数的生效日期早于设置日（追溯调整已办业务），或设置人不是分管主任：政策调整须集体决策、主任签发。")),
    register_check(Check(
        code="audit.card_change_unverified", label="银行卡变更无银行核验", category=Category.AUDIT,
        level=Level.SUBMIT, subjects=("deposits.memberaccount",), screen=card_change_unverified,
        params={"minutes": "30"},
        description="职工个人账户的收款银行卡变更前 minutes 分钟内没有该卡的银行户名核验记录：提取与退款将付至未经核验的卡。")),
]
