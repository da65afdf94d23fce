"""Unit accounts after opening: changes (contact, address, bank, pay day), sealing, unsealing, closing (销户)."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from fund.audit.services import audit_log
from fund.integrations.bank import bank_account_verify
from fund.money import format_money

from ..models import (
    ACTIVE_MEMBER_STATES,
    AccountBusiness,
    BackPayState,
    BillState,
    MemberState,
    RemittanceBill,
    UnitAccount,
    UnitState,
)
from .accounts import (
    UNIT_TEXT_RULES,
    unit_text_clean,
)
from .lifecycle_rules import (
    UNIT_MOVES,
    account_event,
    clean_reason,
    lock_unit,
    operator_of,
    plain_values,
    require,
    unit_move,
    window_staff,
)

# ---- unit accounts --------------------------------------------------------------------------------------

UNIT_CHANGE_FIELDS = {
    # field: (label, lives on the Employer?)
    "contact_name": ("经办人", True),
    "contact_phone": ("联系电话", True),
    "address": ("单位地址", True),
    "bank_name": ("缴存银行", False),
    "bank_account": ("单位银行账号", False),
    "pay_day": ("每月缴存日", False),
}


def unit_account_change(*, actor: Any, unit: UnitAccount, **values: Any) -> UnitAccount:
    """变更 contact, address, bank or pay day: the unit's operator or 受理 staff. Fields not given stay.
    A new bank account is checked with the bank (in the unit's name) first, outside the transaction."""
    account = str(values.get("bank_account") or "").strip()
    if account and set(values) <= set(UNIT_CHANGE_FIELDS):
        current = UnitAccount.objects.select_related("employer").get(pk=unit.pk)
        require(operator_of(actor, current) or window_staff(actor, current))
        # The bank is asked only about details that keep their rules; otherwise the form is told what is wrong.
        errors: dict[str, list[str]] = {}
        text = unit_text_clean(errors, **{k: v for k, v in values.items() if k in UNIT_TEXT_RULES})
        account = text.get("bank_account", "")
        if not errors and account != current.bank_account and current.state != UnitState.CLOSED:
            bank_account_verify(field="bank_account", label="单位银行账号", account_number=account,
                                name=current.employer.name, holder_id=current.employer.credit_code)
    return _unit_account_record_change(actor=actor, unit=unit, **values)


@transaction.atomic(durable=True)
def _unit_account_record_change(*, actor: Any, unit: UnitAccount, **values: Any) -> UnitAccount:
    unknown = set(values) - set(UNIT_CHANGE_FIELDS)
    if unknown:
        raise ValidationError({name: ["不能在此变更"] for name in sorted(unknown)})
    unit = lock_unit(unit)
    require(operator_of(actor, unit) or window_staff(actor, unit))
    if unit.state == UnitState.CLOSED:
        raise ValidationError({"state": ["单位账户已销户，不能变更"]})
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for name, value in values.items():
        if value is None:
            continue
        if name == "pay_day":
            if not isinstance(value, int) or not 1 <= value <= 28:
                errors[name] = ["每月缴存日须在1至28日之间"]
                continue
        elif value == getattr(unit.employer if UNIT_CHANGE_FIELDS[name][1] else unit, name):
            # Resubmitted as it stands (the page sends every field): not new input, so a value stored under
            # older rules does not block changing another field.
            continue
        else:
            value = unit_text_clean(errors, **{name: value}).get(name)
            if value is None:
                continue
        clean[name] = value
    if errors:
        raise ValidationError(errors)
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    employer_fields: list[str] = []
    unit_fields: list[str] = []
    for name, value in clean.items():
        on_employer = UNIT_CHANGE_FIELDS[name][1]
        holder = unit.employer if on_employer else unit
        if getattr(holder, name) == value:
            continue
        old[name], new[name] = getattr(holder, name), value
        setattr(holder, name, value)
        (employer_fields if on_employer else unit_fields).append(name)
    if not new:
        raise ValidationError({"__all__": ["没有需要变更的内容"]})
    if employer_fields:
        unit.employer.save(update_fields=employer_fields)
    if unit_fields:
        unit.save(update_fields=unit_fields)
    account_event(unit=unit, business_type=AccountBusiness.OTHER, summary="单位信息变更", actor=actor,
           detail={"old": plain_values(old), "new": plain_values(new)})
    audit_log(actor=actor, action="deposits.unit.changed", target=unit, old=old, new=new)
    return unit


@transaction.atomic(durable=True)
def unit_account_seal(*, actor: Any, unit: UnitAccount, reason: str) -> UnitAccount:
    """封存 the unit (it stopped business, or has no staff): 受理 staff; every member must be sealed first."""
    unit = lock_unit(unit)
    require(window_staff(actor, unit))
    reason = clean_reason(reason, label="封存原因")
    if unit.state in UNIT_MOVES["seal"]:
        normal = unit.members.filter(state=MemberState.NORMAL).count()
        if normal:
            raise ValidationError({"state": [f"本单位尚有 {normal} 名职工账户为正常状态，须先封存全部职工账户"]})
    old, new = unit_move(unit, "seal", actor=actor, reason=reason)
    account_event(unit=unit, business_type=AccountBusiness.OTHER, summary="单位封存", actor=actor, old_state=old,
           new_state=new, reason=reason)
    return unit


@transaction.atomic(durable=True)
def unit_account_unseal(*, actor: Any, unit: UnitAccount, reason: str) -> UnitAccount:
    """启封 a sealed unit (it resumes business): 受理 staff. Its members are then transferred in one by one."""
    unit = lock_unit(unit)
    require(window_staff(actor, unit))
    reason = clean_reason(reason, label="启封原因")
    old, new = unit_move(unit, "unseal", actor=actor, reason=reason)
    account_event(unit=unit, business_type=AccountBusiness.UNSEAL, summary="单位启封", actor=actor, old_state=old,
           new_state=new, reason=reason)
    return unit


def unit_close_obstacles(unit: UnitAccount) -> list[str]:
    """What stands between a unit and 销户, in Chinese; empty when it may close."""
    out = []
    active = unit.members.filter(state__in=ACTIVE_MEMBER_STATES).count()
    if active:
        out.append(f"尚有 {active} 名职工账户未转出或销户（正常、封存或冻结）")
    left = unit.members.aggregate(total=Sum("sub_account__balance"))["total"] or Decimal("0")
    if left:
        out.append(f"职工账户尚有余额 {format_money(left)} 元未转出")
    unpaid = RemittanceBill.objects.filter(unit=unit, state__in=[BillState.DRAFT, BillState.CONFIRMED]).count()
    if unpaid:
        out.append(f"尚有 {unpaid} 张汇补缴单未缴清")
    if unit.applications.filter(backpay_state=BackPayState.OWED).exists():
        out.append("尚有缓缴或降比例期间的待补缴义务")
    if unit.applications.filter(state__in=["submitted", "reviewed", "approved", "in_effect"]).exists():
        out.append("尚有未办结的缓缴或降比例申请")
    return out


@transaction.atomic(durable=True)
def unit_account_close(*, actor: Any, unit: UnitAccount, reason: str) -> UnitAccount:
    """销户: 受理 staff; no active member, no balance left, no unpaid bill, no back-pay owed."""
    unit = lock_unit(unit)
    require(window_staff(actor, unit))
    reason = clean_reason(reason, label="销户原因")
    if unit.state in UNIT_MOVES["close"]:
        obstacles = unit_close_obstacles(unit)
        if obstacles:
            raise ValidationError({"state": ["不能销户：" + "；".join(obstacles)]})
    old, new = unit_move(unit, "close", actor=actor, reason=reason)
    account_event(unit=unit, business_type=AccountBusiness.OTHER, summary="单位销户", actor=actor, old_state=old,
           new_state=new, reason=reason)
    return unit


