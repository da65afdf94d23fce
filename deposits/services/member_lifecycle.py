"""Member accounts after opening: sealing (封存) when employment ends; unsealing (启封) in the same unit or,
with the ID number only, transfer into another unit in the city (内部转移, Longyan: no other material);
freezing (冻结) and unfreezing (解冻); changes of phone and bank card. No money moves: a transferred
account keeps its sub-ledger account, balance and history."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from fund.audit.masking import mask_bank_card, mask_phone
from fund.audit.services import audit_log
from fund.integrations.bank import bank_account_verify
from fund.money import format_money
from fund.people.models import Person
from fund.people.services import person_branch_follow
from fund.validation import (
    clean_bank_card,
    clean_into,
    clean_mobile,
    clean_resident_id,
)

from ..models import (
    ACTIVE_MEMBER_STATES,
    AccountBusiness,
    MemberAccount,
    MemberState,
    UnitAccount,
    UnitState,
)
from ..selectors import member_accounts_for_user
from .contribution import base_bounds, monthly_amounts
from .lifecycle_rules import (
    MEMBER_MOVES,
    account_event,
    clean_reason,
    lock_member,
    member_move,
    operator_of,
    plain_values,
    require,
    window_staff,
)


@transaction.atomic(durable=True)
def member_account_seal(*, actor: Any, account: MemberAccount, reason: str) -> MemberAccount:
    """封存: employment ended. The unit's operator or 受理 staff; the account keeps its balance and unit."""
    account = lock_member(account)
    require(operator_of(actor, account.unit) or window_staff(actor, account.unit))
    reason = clean_reason(reason, label="封存原因")
    old, new = member_move(account, "seal", actor=actor, reason=reason)
    account_event(unit=account.unit, account=account, business_type=AccountBusiness.SEAL, summary="封存", actor=actor,
           old_state=old, new_state=new, reason=reason)
    return account


@transaction.atomic(durable=True)
def member_transfer_in(*, actor: Any, unit: UnitAccount, id_number: str, base: Decimal, on: date | None = None) -> MemberAccount:
    """A new job in the city: the new unit enters the ID number and the base, nothing else (Longyan).

    A sealed account under this unit is unsealed in place (启封); one sealed under another unit moves here
    (内部转移) with its balance and history — one person keeps one account. Monthly amounts come from this
    unit's ratios. An account still 正常 elsewhere must first be sealed by that unit.
    """
    on = on or timezone.localdate()
    require(operator_of(actor, unit) or window_staff(actor, unit))
    errors: dict[str, list[str]] = {}
    resident = clean_into(errors, "id_number", clean_resident_id, id_number)
    floor, cap = base_bounds(on)
    if not isinstance(base, Decimal) or not floor <= base <= cap:
        errors["base"] = [f"缴存基数须在 {format_money(floor)} 元至 {format_money(cap)} 元之间"]
    if unit.state != UnitState.NORMAL:
        errors["unit"] = [f"单位账户状态为“{unit.get_state_display()}”，不能转入职工"]
    if errors:
        raise ValidationError(errors)
    assert resident is not None
    # Lock the account row alone, then read its unit: a locking query that joined the unit would, after
    # waiting on a concurrent transfer that changed unit_id, re-check the join against the old unit and
    # find no row at all ("no account") instead of the moved one.
    person = Person.objects.filter(id_number=resident.number).first()
    locked = (
        MemberAccount.objects.select_for_update().filter(person=person, state__in=ACTIVE_MEMBER_STATES)
        .values_list("pk", flat=True).first()
        if person is not None else None
    )
    found = MemberAccount.objects.select_related("unit__employer", "person").get(pk=locked) if locked else None
    if found is None:
        raise ValidationError({"id_number": ["该身份证号码在本市没有个人账户，请办理个人开户"]})
    in_scope = member_accounts_for_user(actor).filter(pk=found.pk).exists()
    if found.state == MemberState.NORMAL:
        if found.unit_id == unit.pk:
            raise ValidationError({"id_number": ["该职工已在本单位正常缴存，无需转入"]})
        where = f"（{found.unit.employer.name}）" if in_scope else ""
        raise ValidationError({"id_number": [f"该职工在原单位{where}的账户仍为正常状态，须先由原单位办理封存后再转入"]})
    if found.state == MemberState.FROZEN:
        raise ValidationError({"id_number": ["该职工的个人账户已冻结，不能转入，请到管理部咨询"]})
    unit_monthly, member_monthly = monthly_amounts(base=base, unit_ratio=unit.unit_ratio, member_ratio=unit.member_ratio, on=on)
    old_unit = found.unit
    before = {"unit": old_unit.number, "base": found.base, "unit_monthly": found.unit_monthly,
              "member_monthly": found.member_monthly, "state": found.state}
    after = {"unit": unit.number, "base": base, "unit_monthly": unit_monthly, "member_monthly": member_monthly}
    if old_unit.pk == unit.pk:
        kind, summary, action = AccountBusiness.UNSEAL, "启封", "deposits.member.unsealed"
    else:
        kind, summary, action = AccountBusiness.TRANSFER_INTERNAL, f"内部转移：自{old_unit.employer.name}转入", "deposits.member.transferred"
    old, new = member_move(
        found, "unseal", actor=actor, audit=action, was=before, note=after,
        unit=unit, base=base, unit_monthly=unit_monthly, member_monthly=member_monthly,
    )
    after["state"] = new
    account_event(unit=unit, account=found, business_type=kind, summary=summary[:60], actor=actor, old_state=old,
           new_state=new, from_unit=old_unit if old_unit.pk != unit.pk else None, detail={"old": plain_values(before), "new": plain_values(after)})
    person_branch_follow(actor=actor, person=found.person, branch=unit.employer.branch)
    found.unit = unit
    return found


@transaction.atomic(durable=True)
def member_account_freeze(*, actor: Any, account: MemberAccount, reason: str) -> MemberAccount:
    """冻结 (e.g. a court order): staff only. A frozen account takes no deposits and no withdrawals."""
    account = lock_member(account)
    require(window_staff(actor, account.unit), "只有管理部受理岗可以冻结个人账户")
    reason = clean_reason(reason, label="冻结原因")
    old, new = member_move(account, "freeze", actor=actor, reason=reason)
    account_event(unit=account.unit, account=account, business_type=AccountBusiness.FREEZE, summary="冻结", actor=actor,
           old_state=old, new_state=new, reason=reason)
    return account


@transaction.atomic(durable=True)
def member_account_unfreeze(*, actor: Any, account: MemberAccount, reason: str) -> MemberAccount:
    """解冻: back to the state the account had when it was frozen (正常 or 封存)."""
    account = lock_member(account)
    require(window_staff(actor, account.unit), "只有管理部受理岗可以解冻个人账户")
    reason = clean_reason(reason, label="解冻原因")
    freeze = account.events.filter(business_type=AccountBusiness.FREEZE).order_by("-id").first()
    before = freeze.old_state if freeze is not None and freeze.old_state in MEMBER_MOVES["freeze"] else MemberState.SEALED
    old, new = member_move(account, "unfreeze", actor=actor, target=before, reason=reason)
    account_event(unit=account.unit, account=account, business_type=AccountBusiness.UNFREEZE, summary="解冻", actor=actor,
           old_state=old, new_state=new, reason=reason)
    return account


def _clean_phone(value: str) -> str:
    try:
        return clean_mobile(value, label="手机号码")
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from exc


def member_account_change(
    *, actor: Any, account: MemberAccount, phone: str | None = None, bank_card: str | None = None
) -> MemberAccount:
    """变更 the member's phone and/or bank card: 受理 staff, or the member themself. None leaves a field as it is.
    A new card is checked with the bank (in the member's name) first, outside the transaction that records it."""
    if bank_card:
        current = MemberAccount.objects.select_related("unit", "person").get(pk=account.pk)
        own = actor.person_id is not None and actor.person_id == current.person_id
        require(own or window_staff(actor, current.unit))
        card = _card_or_empty(bank_card)
        if card and card != current.bank_card and current.state in ACTIVE_MEMBER_STATES:
            bank_account_verify(field="bank_card", label="银行卡号", account_number=card, name=current.person.name,
                                holder_id=current.person.id_number)
    return _member_account_record_change(actor=actor, account=account, phone=phone, bank_card=bank_card)


def _card_or_empty(raw: str) -> str:
    """The card cleaned, or "" when its format is wrong (the recording service says why)."""
    try:
        return clean_bank_card(raw)
    except ValidationError:
        return ""


@transaction.atomic(durable=True)
def _member_account_record_change(
    *, actor: Any, account: MemberAccount, phone: str | None, bank_card: str | None
) -> MemberAccount:
    account = lock_member(account)
    own = actor.person_id is not None and actor.person_id == account.person_id
    require(own or window_staff(actor, account.unit))
    if account.state not in ACTIVE_MEMBER_STATES:
        raise ValidationError({"state": [f"个人账户状态为“{account.get_state_display()}”，不能变更"]})
    errors: dict[str, list[str]] = {}
    new: dict[str, str] = {}
    if phone is not None and phone != "":
        try:
            new["phone"] = _clean_phone(phone)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if bank_card is not None and bank_card != "":
        try:
            new["bank_card"] = clean_bank_card(bank_card)
        except ValidationError as exc:
            errors["bank_card"] = exc.messages
    if errors:
        raise ValidationError(errors)
    person = account.person
    changed_old: dict[str, str] = {}
    changed_new: dict[str, str] = {}
    if "phone" in new and new["phone"] != person.phone:
        changed_old["phone"], changed_new["phone"] = mask_phone(person.phone), mask_phone(new["phone"])
        person.phone = new["phone"]
        person.save(update_fields=["phone"])
    if "bank_card" in new and new["bank_card"] != account.bank_card:
        changed_old["bank_card"], changed_new["bank_card"] = mask_bank_card(account.bank_card), mask_bank_card(new["bank_card"])
        account.bank_card = new["bank_card"]
        account.save(update_fields=["bank_card"])
    if not changed_new:
        raise ValidationError({"phone": ["请填写新的手机号码或银行卡号（与原信息相同的不算变更）"]})
    account_event(unit=account.unit, account=account, business_type=AccountBusiness.OTHER, summary="个人信息变更",
           actor=actor, detail={"old": changed_old, "new": changed_new})
    audit_log(actor=actor, action="deposits.member.changed", target=account, old=changed_old, new=changed_new)
    return account


