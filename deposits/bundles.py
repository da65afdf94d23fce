"""Deposits' parts of the 一件事 bundles (fund.bundles), and where its 跨省通办 items are done in the personal hall.

新职工入职一件事: open the member account (`deposits.member_open`), its first deposit month (`deposits.first_month`:
the month the policy starts a new member in, which the unit's remittance bill for that month includes when it is
generated), and the text to the new employee after commit (`deposits.welcome_sms`).
退休一件事: the account closes with the retirement withdrawal (`deposits.closing` checks nothing keeps it open and
records it on the account's history; the withdrawal's decision closes it, as every 销户提取 does) and the
personal deposit certificate (`deposits.certificate`, a fund.printing document rendered after commit).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from fund.audit.masking import mask_phone
from fund.bundles.registry import (
    BundleContext,
    BundlePart,
    PartResult,
    register_bundle_part,
    register_cross_province_entry,
)
from fund.bundles.services import identity_verify
from fund.money import clean_amount, format_money
from fund.people.roles import roles_of
from fund.validation import clean_into, clean_person_name, clean_resident_id

from .models import (
    AccountBusiness,
    AccountEvent,
    BillKind,
    BillState,
    MemberAccount,
    MemberState,
    RemittanceBill,
)
from .pdf import deposit_certificate_request
from .selectors import unit_accounts_for_user
from .services.accounts import member_account_open_core, member_bank_card_check
from .services.transfer import TRANSFER_OUT_BLOCKERS

# 新职工入职一件事 -------------------------------------------------------------------------------------------


def _unit_for(ctx: BundleContext) -> Any:
    """The unit the new employee joins: the operator's own, or the one the window clerk names (in scope)."""
    units = unit_accounts_for_user(ctx.actor)
    if ctx.found.get("portal") == "unit":
        unit = units.filter(employer__in=roles_of(ctx.actor).employers).order_by("id").first()
        if unit is None:
            raise ValidationError({"unit_number": ["本单位尚未开立住房公积金单位账户"]})
        return unit
    number = str(ctx.inputs.get("unit_number") or "").strip()
    unit = units.filter(number=number).first() if number else None
    if unit is None:
        raise ValidationError({"unit_number": ["请填写本管理部的单位账号" if not number else "未找到该单位账号"]})
    return unit


def _open_check(ctx: BundleContext) -> None:
    unit = _unit_for(ctx)
    errors: dict[str, list[str]] = {}
    resident = clean_into(errors, "id_number", clean_resident_id, ctx.inputs.get("id_number") or "")
    name = clean_into(errors, "name", clean_person_name, ctx.inputs.get("name") or "") or ""
    base = clean_into(errors, "base", clean_amount, ctx.inputs.get("base"), label="缴存基数")
    if errors:
        raise ValidationError(errors)
    assert resident is not None
    identity_verify(ctx, id_number=resident.number, name=name)
    bank_card = str(ctx.inputs.get("bank_card") or "").strip()
    member_bank_card_check(name=name, id_number=resident.number, bank_card=bank_card)
    ctx.found["unit_account"] = unit
    ctx.found["new_member"] = {"id_number": resident.number, "name": name, "base": base, "bank_card": bank_card,
                               "phone": str(ctx.inputs.get("phone") or "").strip()}


def _open_run(ctx: BundleContext) -> PartResult:
    unit = ctx.found["unit_account"]
    values = ctx.found["new_member"]
    account = member_account_open_core(actor=ctx.actor, unit=unit, **values)
    ctx.found["member_account"] = account
    employer = unit.employer
    ctx.applicant(branch_id=employer.branch_id, employer_id=employer.pk, suffix=employer.credit_code,
                  name=f"{account.person.name}（{employer.name}）")
    monthly = account.unit_monthly + account.member_monthly
    return PartResult(f"已开立个人账户 {account.number}，缴存基数 {format_money(account.base)} 元，"
                      f"月缴存额 {format_money(monthly)} 元", subject=account)


def _first_month_run(ctx: BundleContext) -> PartResult:
    account: MemberAccount = ctx.found["member_account"]
    month = account.first_month
    billed = RemittanceBill.objects.filter(unit=account.unit, month=month, kind=BillKind.REMIT).exclude(
        state=BillState.CANCELLED).first()
    if billed is None:
        return PartResult(f"自 {month:%Y年%m月} 起缴，单位生成 {month:%Y年%m月} 汇缴单时自动列入该职工")
    # The month's bill was generated before the account existed: it does not list the new member.
    return PartResult(f"自 {month:%Y年%m月} 起缴；该月汇缴单 {billed.number} 已生成，未含该职工，请为其办理该月补缴")


def _welcome_run(ctx: BundleContext) -> PartResult:
    from fund.people.tasks import send_sms

    account: MemberAccount = ctx.found["member_account"]
    phone = account.person.phone
    if not phone:
        return PartResult("职工未登记手机号码，未发送短信")
    text = (f"{account.person.name}您好，{account.unit.employer.name}已为您开立住房公积金个人账户"
            f"（{account.number}），自{account.first_month:%Y年%m月}起缴存。可凭身份证号码登录个人网厅查询。")
    ctx.after_commit(lambda: send_sms.delay(phone=phone, text=text))
    return PartResult(f"开户短信将发送至职工手机 {mask_phone(phone)}")


# 退休一件事 -------------------------------------------------------------------------------------------------


def _closing_check(ctx: BundleContext) -> None:
    account: MemberAccount | None = ctx.found.get("member_account")
    if account is None:
        raise ValidationError({"account_number": ["未找到个人账户"]})
    reasons = []
    if account.state == MemberState.FROZEN:
        reasons.append("账户已冻结")
    for check in TRANSFER_OUT_BLOCKERS:  # an unpaid loan, a withdrawal in flight: nothing may close it yet
        reason = check(account)
        if reason:
            reasons.append(reason)
    if reasons:
        raise ValidationError({"account": [f"个人账户暂不能销户：{'；'.join(reasons)}"]})


def _closing_run(ctx: BundleContext) -> PartResult:
    account: MemberAccount = ctx.found["member_account"]
    withdrawal = ctx.results.get("withdrawals.retirement")
    number = str(getattr(getattr(withdrawal, "subject", None), "number", ""))
    AccountEvent.objects.create(
        unit=account.unit, account=account, business_type=AccountBusiness.CLOSING_WITHDRAWAL,
        summary=f"退休一件事：申请销户（随提取{number}办结）"[:60], detail={"withdrawal": number, "bundle": ctx.bundle.code},
        actor=ctx.actor,
    )
    return PartResult("个人账户将于退休提取办结付款时注销（销户提取）")


def _certificate_run(ctx: BundleContext) -> PartResult:
    account: MemberAccount = ctx.found["member_account"]
    document = deposit_certificate_request(account=account, requested_by=ctx.actor,
                                           purpose=f"退休一件事（{timezone.localdate():%Y年%m月%d日}）")
    return PartResult(f"个人缴存证明已出具（验证码 {document.verification_code}）", subject=document)


def register_bundle_parts() -> None:
    """Deposits' parts and 跨省通办 entries (DepositsConfig.ready, after the catalogue items)."""
    for part in (
        BundlePart("deposits.member_open", "职工个人账户设立", "GJ-02", run=_open_run, check=_open_check),
        BundlePart("deposits.first_month", "首次缴存月份", "GJ-04", run=_first_month_run),
        BundlePart("deposits.welcome_sms", "开户短信告知", "", run=_welcome_run),
        BundlePart("deposits.closing", "个人账户销户", "", run=_closing_run, check=_closing_check),
        BundlePart("deposits.certificate", "个人缴存证明", "ZH-01", run=_certificate_run),
    ):
        register_bundle_part(part)
    register_cross_province_entry("ZH-01", "member:deposit_certificate")
    register_cross_province_entry("GJ-08", "member:transfer")


register_bundle_parts()
