"""The lives of unit and member accounts after opening.

Member accounts: sealing (封存) when employment ends; unsealing (启封) in the same unit or, with the ID
number only, transfer into another unit in the city (内部转移, Longyan: no other material); freezing (冻结)
and unfreezing (解冻); changes of phone and bank card.

Unit accounts: changes (contact, address, bank, pay day), sealing, unsealing, closing (销户), and applications
for deferral (缓缴) or a lower ratio (降比例) approved by two different people, with the months owed recorded
as a back-pay obligation.

No money moves in any of this: a transferred account keeps its sub-ledger account, balance and history.
Every move is checked against a state table, made by compare-and-set on the row (locked first), and leaves
an `AccountEvent` (the account's business record) and an audit row with the old and new values.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from fund.audit.masking import mask_bank_card, mask_phone
from fund.audit.services import audit_log
from fund.integrations import social_insurance_bureau
from fund.integrations.bank import bank_account_verify
from fund.integrations.base import IntegrationError
from fund.money import format_money
from fund.people.models import Branch, Employer, Person, Post
from fund.people.roles import roles_of
from fund.people.selectors import scoped
from fund.policy.selectors import policy_value
from fund.validation import (
    clean_bank_card,
    clean_into,
    clean_line,
    clean_mobile,
    clean_person_name,
    clean_resident_id,
)

from ..models import (
    ACTIVE_MEMBER_STATES,
    AccountBusiness,
    AccountEvent,
    ApplicationKind,
    ApplicationState,
    BackPayState,
    BillState,
    MemberAccount,
    MemberState,
    RatioSource,
    RemittanceBill,
    UnitAccount,
    UnitApplication,
    UnitState,
)
from ..selectors import member_accounts_for_user, unit_accounts_for_user
from .accounts import (
    UNIT_TEXT_RULES,
    add_months,
    base_bounds,
    check_ratio,
    first_of_month,
    monthly_amounts,
    next_number,
    unit_ratio_change_record,
    unit_text_clean,
)

# The longest period one deferral or ratio reduction may cover is the policy `deposit_deferral_max_months`
# (缓缴/降比例最长期限), read for the day the unit applies.

# ---- state tables -------------------------------------------------------------------------------------
# action → {state it may start from: state it leads to}. `None` as a target means "the state before the
# freeze", read from the freeze's business record.
MEMBER_MOVES: dict[str, dict[str, str | None]] = {
    "seal": {MemberState.NORMAL: MemberState.SEALED},
    "unseal": {MemberState.SEALED: MemberState.NORMAL},  # 启封 in place, or with 内部转移 into a new unit
    "freeze": {MemberState.NORMAL: MemberState.FROZEN, MemberState.SEALED: MemberState.FROZEN},
    "unfreeze": {MemberState.FROZEN: None},
}
UNIT_MOVES: dict[str, dict[str, str]] = {
    "defer": {UnitState.NORMAL: UnitState.DEFERRED},
    "end_deferral": {UnitState.DEFERRED: UnitState.NORMAL},
    "seal": {UnitState.NORMAL: UnitState.SEALED},
    "unseal": {UnitState.SEALED: UnitState.NORMAL},
    "close": {UnitState.NORMAL: UnitState.CLOSED, UnitState.SEALED: UnitState.CLOSED},
}
APPLICATION_MOVES: dict[str, dict[str, str]] = {
    "review": {ApplicationState.SUBMITTED: ApplicationState.REVIEWED},
    "approve": {ApplicationState.REVIEWED: ApplicationState.APPROVED},
    "reject": {ApplicationState.SUBMITTED: ApplicationState.REJECTED, ApplicationState.REVIEWED: ApplicationState.REJECTED},
    "withdraw": {ApplicationState.SUBMITTED: ApplicationState.WITHDRAWN},
    "start": {ApplicationState.APPROVED: ApplicationState.IN_EFFECT},
    "end": {ApplicationState.IN_EFFECT: ApplicationState.ENDED},
}
ACTION_LABELS = {
    "seal": "封存", "unseal": "启封", "freeze": "冻结", "unfreeze": "解冻", "defer": "缓缴", "end_deferral": "结束缓缴",
    "close": "销户", "review": "初审", "approve": "审批", "reject": "驳回", "withdraw": "撤回", "start": "生效",
    "end": "到期",
}
STALE = "状态已被他人更改，请刷新后重试"


def _refuse(what: str, label: str, action: str) -> ValidationError:
    return ValidationError({"state": [f"{what}状态为“{label}”，不能{ACTION_LABELS[action]}"]})


def _member_move(account: MemberAccount, action: str, target: str | None = None, **fields: Any) -> tuple[str, str]:
    """Move a (locked) member account by the table; compare-and-set on the old state."""
    old = account.state
    table = MEMBER_MOVES[action]
    if old not in table:
        raise _refuse("个人账户", account.get_state_display(), action)
    new = target or table[old]
    assert new is not None
    if MemberAccount.objects.filter(pk=account.pk, state=old).update(state=new, **fields) != 1:
        raise ValidationError({"state": [f"个人账户{STALE}"]})
    account.state = new
    for name, value in fields.items():
        setattr(account, name, value)
    return old, new


def _unit_move(unit: UnitAccount, action: str) -> tuple[str, str]:
    old = unit.state
    table = UNIT_MOVES[action]
    if old not in table:
        raise _refuse("单位账户", unit.get_state_display(), action)
    new = table[old]
    if UnitAccount.objects.filter(pk=unit.pk, state=old).update(state=new) != 1:
        raise ValidationError({"state": [f"单位账户{STALE}"]})
    unit.state = new
    return old, new


def _application_move(application: UnitApplication, action: str, **fields: Any) -> tuple[str, str]:
    old = application.state
    table = APPLICATION_MOVES[action]
    if old not in table:
        raise _refuse("申请", application.get_state_display(), action)
    new = table[old]
    if UnitApplication.objects.filter(pk=application.pk, state=old).update(state=new, **fields) != 1:
        raise ValidationError({"state": [f"申请{STALE}"]})
    application.state = new
    for name, value in fields.items():
        setattr(application, name, value)
    return old, new


def _event(
    *, unit: UnitAccount, business_type: str, summary: str, actor: Any, account: MemberAccount | None = None,
    old_state: str = "", new_state: str = "", reason: str = "", detail: dict | None = None,
    from_unit: UnitAccount | None = None,
) -> AccountEvent:
    return AccountEvent.objects.create(
        unit=unit, account=account, business_type=business_type, summary=summary, old_state=old_state,
        new_state=new_state, reason=reason[:200], detail=detail or {}, from_unit=from_unit,
        actor=actor if getattr(actor, "pk", None) else None,
    )


def _reason(value: str, field: str = "reason", label: str = "原因") -> str:
    try:
        return clean_line(value, label=label, max_length=200)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


# ---- who may act ----------------------------------------------------------------------------------------
# Views and APIs fetch through the scoped selectors (404 outside scope); these checks are the business rule
# on top — who may do the act — and hold even when a service is called from elsewhere.

def _require(allowed: bool, message: str = "您的岗位不能办理此业务") -> None:
    if not allowed:
        raise PermissionDenied(message)


def _sees_unit(actor: Any, unit: UnitAccount) -> bool:
    return unit_accounts_for_user(actor).filter(pk=unit.pk).exists()


def _window(actor: Any, unit: UnitAccount) -> bool:
    """受理 staff (or a director) whose scope covers the unit."""
    return roles_of(actor).can_accept and _sees_unit(actor, unit)


def _operator_of(actor: Any, unit: UnitAccount) -> bool:
    return any(e.pk == unit.employer_id for e in roles_of(actor).employers)


# ---- member accounts ------------------------------------------------------------------------------------

def _lock_member(account: MemberAccount) -> MemberAccount:
    """Lock the row, then read it with its unit. (Locking with the unit joined would, after waiting on a
    concurrent transfer that changed unit_id, re-check the join against the old unit and find nothing.)"""
    MemberAccount.objects.select_for_update().filter(pk=account.pk).values_list("pk", flat=True).get()
    return MemberAccount.objects.select_related("unit__employer", "person").get(pk=account.pk)


@transaction.atomic(durable=True)
def member_account_seal(*, actor: Any, account: MemberAccount, reason: str) -> MemberAccount:
    """封存: employment ended. The unit's operator or 受理 staff; the account keeps its balance and unit."""
    account = _lock_member(account)
    _require(_operator_of(actor, account.unit) or _window(actor, account.unit))
    reason = _reason(reason, label="封存原因")
    old, new = _member_move(account, "seal")
    _event(unit=account.unit, account=account, business_type=AccountBusiness.SEAL, summary="封存", actor=actor,
           old_state=old, new_state=new, reason=reason)
    audit_log(actor=actor, action="deposits.member.sealed", target=account, old={"state": old}, new={"state": new},
              reason=reason)
    return account


@transaction.atomic(durable=True)
def member_transfer_in(*, actor: Any, unit: UnitAccount, id_number: str, base: Decimal, on: date | None = None) -> MemberAccount:
    """A new job in the city: the new unit enters the ID number and the base, nothing else (Longyan).

    A sealed account under this unit is unsealed in place (启封); one sealed under another unit moves here
    (内部转移) with its balance and history — one person keeps one account. Monthly amounts come from this
    unit's ratios. An account still 正常 elsewhere must first be sealed by that unit.
    """
    on = on or timezone.localdate()
    _require(_operator_of(actor, unit) or _window(actor, unit))
    errors: dict[str, list[str]] = {}
    resident = None
    try:
        resident = clean_resident_id(id_number)
    except ValidationError as exc:
        errors["id_number"] = exc.messages
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
    old, new = _member_move(
        found, "unseal", unit=unit, base=base, unit_monthly=unit_monthly, member_monthly=member_monthly,
    )
    after = {"unit": unit.number, "base": base, "unit_monthly": unit_monthly, "member_monthly": member_monthly,
             "state": new}
    if old_unit.pk == unit.pk:
        kind, summary, action = AccountBusiness.UNSEAL, "启封", "deposits.member.unsealed"
    else:
        kind, summary, action = AccountBusiness.TRANSFER_INTERNAL, f"内部转移：自{old_unit.employer.name}转入", "deposits.member.transferred"
    _event(unit=unit, account=found, business_type=kind, summary=summary[:60], actor=actor, old_state=old,
           new_state=new, from_unit=old_unit if old_unit.pk != unit.pk else None, detail={"old": _plain(before), "new": _plain(after)})
    audit_log(actor=actor, action=action, target=found, old=before, new=after)
    person = found.person
    if person.branch_id != unit.employer.branch_id:
        # Which branch's staff may see this person follows their account.
        old_branch = person.branch_id
        person.branch = unit.employer.branch
        person.save(update_fields=["branch"])
        audit_log(actor=actor, action="people.person.branch_changed", target=person,
                  old={"branch": old_branch}, new={"branch": person.branch_id})
    found.unit = unit
    return found


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: str(v) if isinstance(v, (Decimal, date)) else v for k, v in values.items()}


@transaction.atomic(durable=True)
def member_account_freeze(*, actor: Any, account: MemberAccount, reason: str) -> MemberAccount:
    """冻结 (e.g. a court order): staff only. A frozen account takes no deposits and no withdrawals."""
    account = _lock_member(account)
    _require(_window(actor, account.unit), "只有管理部受理岗可以冻结个人账户")
    reason = _reason(reason, label="冻结原因")
    old, new = _member_move(account, "freeze")
    _event(unit=account.unit, account=account, business_type=AccountBusiness.FREEZE, summary="冻结", actor=actor,
           old_state=old, new_state=new, reason=reason)
    audit_log(actor=actor, action="deposits.member.frozen", target=account, old={"state": old}, new={"state": new},
              reason=reason)
    return account


@transaction.atomic(durable=True)
def member_account_unfreeze(*, actor: Any, account: MemberAccount, reason: str) -> MemberAccount:
    """解冻: back to the state the account had when it was frozen (正常 or 封存)."""
    account = _lock_member(account)
    _require(_window(actor, account.unit), "只有管理部受理岗可以解冻个人账户")
    reason = _reason(reason, label="解冻原因")
    freeze = account.events.filter(business_type=AccountBusiness.FREEZE).order_by("-id").first()
    before = freeze.old_state if freeze is not None and freeze.old_state in MEMBER_MOVES["freeze"] else MemberState.SEALED
    old, new = _member_move(account, "unfreeze", target=before)
    _event(unit=account.unit, account=account, business_type=AccountBusiness.UNFREEZE, summary="解冻", actor=actor,
           old_state=old, new_state=new, reason=reason)
    audit_log(actor=actor, action="deposits.member.unfrozen", target=account, old={"state": old}, new={"state": new},
              reason=reason)
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
        _require(own or _window(actor, current.unit))
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
    account = _lock_member(account)
    own = actor.person_id is not None and actor.person_id == account.person_id
    _require(own or _window(actor, account.unit))
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
    _event(unit=account.unit, account=account, business_type=AccountBusiness.OTHER, summary="个人信息变更",
           actor=actor, detail={"old": changed_old, "new": changed_new})
    audit_log(actor=actor, action="deposits.member.changed", target=account, old=changed_old, new=changed_new)
    return account


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


def _lock_unit(unit: UnitAccount) -> UnitAccount:
    return UnitAccount.objects.select_for_update().select_related("employer").get(pk=unit.pk)


def unit_account_change(*, actor: Any, unit: UnitAccount, **values: Any) -> UnitAccount:
    """变更 contact, address, bank or pay day: the unit's operator or 受理 staff. Fields not given stay.
    A new bank account is checked with the bank (in the unit's name) first, outside the transaction."""
    account = str(values.get("bank_account") or "").strip()
    if account and set(values) <= set(UNIT_CHANGE_FIELDS):
        current = UnitAccount.objects.select_related("employer").get(pk=unit.pk)
        _require(_operator_of(actor, current) or _window(actor, current))
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
    unit = _lock_unit(unit)
    _require(_operator_of(actor, unit) or _window(actor, unit))
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
    _event(unit=unit, business_type=AccountBusiness.OTHER, summary="单位信息变更", actor=actor,
           detail={"old": _plain(old), "new": _plain(new)})
    audit_log(actor=actor, action="deposits.unit.changed", target=unit, old=old, new=new)
    return unit


@transaction.atomic(durable=True)
def unit_account_seal(*, actor: Any, unit: UnitAccount, reason: str) -> UnitAccount:
    """封存 the unit (it stopped business, or has no staff): 受理 staff; every member must be sealed first."""
    unit = _lock_unit(unit)
    _require(_window(actor, unit))
    reason = _reason(reason, label="封存原因")
    if unit.state in UNIT_MOVES["seal"]:
        normal = unit.members.filter(state=MemberState.NORMAL).count()
        if normal:
            raise ValidationError({"state": [f"本单位尚有 {normal} 名职工账户为正常状态，须先封存全部职工账户"]})
    old, new = _unit_move(unit, "seal")
    _event(unit=unit, business_type=AccountBusiness.OTHER, summary="单位封存", actor=actor, old_state=old,
           new_state=new, reason=reason)
    audit_log(actor=actor, action="deposits.unit.sealed", target=unit, old={"state": old}, new={"state": new}, reason=reason)
    return unit


@transaction.atomic(durable=True)
def unit_account_unseal(*, actor: Any, unit: UnitAccount, reason: str) -> UnitAccount:
    """启封 a sealed unit (it resumes business): 受理 staff. Its members are then transferred in one by one."""
    unit = _lock_unit(unit)
    _require(_window(actor, unit))
    reason = _reason(reason, label="启封原因")
    old, new = _unit_move(unit, "unseal")
    _event(unit=unit, business_type=AccountBusiness.UNSEAL, summary="单位启封", actor=actor, old_state=old,
           new_state=new, reason=reason)
    audit_log(actor=actor, action="deposits.unit.unsealed", target=unit, old={"state": old}, new={"state": new}, reason=reason)
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
    unit = _lock_unit(unit)
    _require(_window(actor, unit))
    reason = _reason(reason, label="销户原因")
    if unit.state in UNIT_MOVES["close"]:
        obstacles = unit_close_obstacles(unit)
        if obstacles:
            raise ValidationError({"state": ["不能销户：" + "；".join(obstacles)]})
    old, new = _unit_move(unit, "close")
    _event(unit=unit, business_type=AccountBusiness.OTHER, summary="单位销户", actor=actor, old_state=old,
           new_state=new, reason=reason)
    audit_log(actor=actor, action="deposits.unit.closed", target=unit, old={"state": old}, new={"state": new}, reason=reason)
    return unit


# ---- deferral and ratio reduction -----------------------------------------------------------------------

def months_between(start: date, end: date) -> int:
    """Months from `start` to `end`, both included."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


@transaction.atomic(durable=True)
def unit_application_submit(
    *,
    actor: Any,
    unit: UnitAccount,
    kind: str,
    start_month: date,
    end_month: date,
    reason: str,
    unit_ratio: Decimal | None = None,
    member_ratio: Decimal | None = None,
    today: date | None = None,
) -> UnitApplication:
    """A unit applies to defer (缓缴) or to lower its ratios (降比例) for whole months from this month on."""
    today = today or timezone.localdate()
    unit = _lock_unit(unit)
    _require(_operator_of(actor, unit) or _window(actor, unit))
    errors: dict[str, list[str]] = {}
    if kind not in ApplicationKind.values:
        errors["kind"] = ["申请类型应为缓缴或降低缴存比例"]
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = ["请填写申请理由"]
    elif len(reason) > 500:
        errors["reason"] = ["申请理由不能超过500字"]
    start_month, end_month = first_of_month(start_month), first_of_month(end_month)
    if start_month < first_of_month(today):
        errors["start_month"] = ["起始年月不能早于本月"]
    if end_month < start_month:
        errors["end_month"] = ["截止年月不能早于起始年月"]
    elif months_between(start_month, end_month) > (longest := int(policy_value("deposit_deferral_max_months", today))):
        errors["end_month"] = [f"一次申请最长 {longest} 个月"]
    if unit.state != UnitState.NORMAL:
        errors["unit"] = [f"单位账户状态为“{unit.get_state_display()}”，不能申请"]
    elif unit.applications.filter(state__in=["submitted", "reviewed", "approved", "in_effect"]).exists():
        errors["unit"] = ["本单位已有未办结的缓缴或降比例申请"]
    if kind == ApplicationKind.RATIO_REDUCTION:
        if unit_ratio is None:
            errors["unit_ratio"] = ["请填写申请的单位缴存比例"]
        if member_ratio is None:
            errors["member_ratio"] = ["请填写申请的个人缴存比例"]
        if unit_ratio is not None and member_ratio is not None and "start_month" not in errors:
            check_ratio(errors, "unit_ratio", "单位缴存比例", unit_ratio, start_month)
            check_ratio(errors, "member_ratio", "个人缴存比例", member_ratio, start_month)
            if unit_ratio > unit.unit_ratio:
                errors.setdefault("unit_ratio", []).append(f"降比例申请不能高于现行单位缴存比例 {unit.unit_ratio:.0%}")
            if member_ratio > unit.member_ratio:
                errors.setdefault("member_ratio", []).append(f"降比例申请不能高于现行个人缴存比例 {unit.member_ratio:.0%}")
            if unit_ratio == unit.unit_ratio and member_ratio == unit.member_ratio:
                errors.setdefault("unit_ratio", []).append("申请比例与现行比例相同")
    else:
        unit_ratio = member_ratio = None
    if errors:
        raise ValidationError(errors)
    application = UnitApplication(
        number=next_number("deposits_application_number_seq", f"HJ{today:%Y}", 6), unit=unit, kind=kind,
        start_month=start_month, end_month=end_month, reason=reason, unit_ratio=unit_ratio, member_ratio=member_ratio,
        applicant=actor,
    )
    application.full_clean()
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:  # a concurrent application for the same unit committed first
        raise ValidationError({"unit": ["本单位已有未办结的缓缴或降比例申请"]}) from exc
    audit_log(actor=actor, action="deposits.application.submitted", target=application,
              new={"kind": kind, "unit": unit.number, "start_month": start_month, "end_month": end_month,
                   "unit_ratio": unit_ratio, "member_ratio": member_ratio}, reason=reason)
    return application


def _lock_application(application: UnitApplication) -> UnitApplication:
    return UnitApplication.objects.select_for_update().select_related("unit__employer").get(pk=application.pk)


@transaction.atomic(durable=True)
def unit_application_review(*, actor: Any, application: UnitApplication, approve: bool, opinion: str = "") -> UnitApplication:
    """初审: a reviewer (初审岗) who did not apply passes it on to 审批, or rejects it."""
    application = _lock_application(application)
    roles = roles_of(actor)
    _require(roles.has_post(Post.REVIEW) and _sees_unit(actor, application.unit), "只有初审岗可以初审")
    if application.applicant_id == actor.pk:
        raise PermissionDenied("申请人不能审核自己提交的申请")
    opinion = (opinion or "").strip()[:500]
    if not approve and not opinion:
        raise ValidationError({"opinion": ["驳回时请填写意见"]})
    now = timezone.now()
    old, new = _application_move(application, "review" if approve else "reject", reviewer=actor, reviewed_at=now,
                                 review_opinion=opinion)
    audit_log(actor=actor, action="deposits.application.reviewed" if approve else "deposits.application.rejected",
              target=application, old={"state": old}, new={"state": new, "opinion": opinion})
    return application


@transaction.atomic(durable=True)
def unit_application_approve(
    *, actor: Any, application: UnitApplication, approve: bool, opinion: str = "", today: date | None = None
) -> UnitApplication:
    """审批: an approver (审批岗 or director) other than the applicant and the reviewer decides. Approval records
    the back-pay obligation; a period that has begun takes effect at once, a later one on its first day."""
    today = today or timezone.localdate()
    application = _lock_application(application)
    roles = roles_of(actor)
    _require((roles.has_post(Post.APPROVE) or roles.has_post(Post.DIRECTOR)) and _sees_unit(actor, application.unit),
             "只有审批岗可以审批")
    if application.applicant_id == actor.pk:
        raise PermissionDenied("申请人不能审批自己提交的申请")
    if application.reviewer_id == actor.pk:
        raise PermissionDenied("初审人不能再审批同一申请，须由另一人审批")
    opinion = (opinion or "").strip()[:500]
    if not approve:
        if not opinion:
            raise ValidationError({"opinion": ["驳回时请填写意见"]})
        old, new = _application_move(application, "reject", approver=actor, approved_at=timezone.now(),
                                     approve_opinion=opinion)
        audit_log(actor=actor, action="deposits.application.rejected", target=application,
                  old={"state": old}, new={"state": new, "opinion": opinion})
        return application
    unit = _lock_unit(application.unit)
    if unit.state != UnitState.NORMAL:
        raise ValidationError({"state": [f"单位账户状态为“{unit.get_state_display()}”，不能批准"]})
    if application.end_month < first_of_month(today):
        raise ValidationError({"state": ["申请期间已过，不能批准，请驳回"]})
    old, new = _application_move(application, "approve", approver=actor, approved_at=timezone.now(),
                                 approve_opinion=opinion, backpay_state=BackPayState.OWED)
    audit_log(actor=actor, action="deposits.application.approved", target=application,
              old={"state": old}, new={"state": new, "backpay_state": BackPayState.OWED, "opinion": opinion})
    if application.start_month <= first_of_month(today):
        application.unit = unit
        application_start(application=application, actor=actor)
    return application


@transaction.atomic(durable=True)
def unit_application_withdraw(*, actor: Any, application: UnitApplication) -> UnitApplication:
    """撤回 before 初审: the applicant or the unit's operator."""
    application = _lock_application(application)
    _require(application.applicant_id == actor.pk or _operator_of(actor, application.unit))
    old, new = _application_move(application, "withdraw")
    audit_log(actor=actor, action="deposits.application.withdrawn", target=application, old={"state": old}, new={"state": new})
    return application


@transaction.atomic(durable=True)
def unit_backpay_settle(*, actor: Any, application: UnitApplication, note: str = "") -> UnitApplication:
    """Mark a back-pay obligation 已补缴 once the 补缴 bills for its months are paid (受理 staff)."""
    application = _lock_application(application)
    _require(_window(actor, application.unit))
    if application.backpay_state != BackPayState.OWED:
        raise ValidationError({"state": ["该申请没有待补缴义务"]})
    if application.state not in (ApplicationState.ENDED, ApplicationState.IN_EFFECT):
        raise ValidationError({"state": ["申请尚未生效，不能登记补缴完成"]})
    now = timezone.now()
    rows = UnitApplication.objects.filter(pk=application.pk, backpay_state=BackPayState.OWED).update(
        backpay_state=BackPayState.SETTLED, backpay_settled_at=now)
    if rows != 1:
        raise ValidationError({"state": [f"申请{STALE}"]})
    application.backpay_state, application.backpay_settled_at = BackPayState.SETTLED, now
    audit_log(actor=actor, action="deposits.application.backpay_settled", target=application,
              old={"backpay_state": BackPayState.OWED}, new={"backpay_state": BackPayState.SETTLED}, reason=note[:500])
    return application


def _recompute_members(unit: UnitAccount, on: date) -> int:
    """New ratios: every active member's monthly amounts from their base (monthly_amounts rounds per policy)."""
    members = list(unit.members.select_for_update().filter(state__in=ACTIVE_MEMBER_STATES).order_by("pk"))
    for member in members:
        member.unit_monthly, member.member_monthly = monthly_amounts(
            base=member.base, unit_ratio=unit.unit_ratio, member_ratio=unit.member_ratio, on=on
        )
    MemberAccount.objects.bulk_update(members, ["unit_monthly", "member_monthly"], batch_size=1000)
    return len(members)


def _set_ratios(
    unit: UnitAccount, unit_ratio: Decimal, member_ratio: Decimal, on: date, *, source: str, actor: Any,
    application: UnitApplication | None = None,
) -> int:
    """The unit's ratios from month `on`: the current figures, the ratio history (so a later 补缴 for an
    earlier month still finds that month's ratios) and every member's monthly amounts, in one transaction."""
    unit.unit_ratio, unit.member_ratio = unit_ratio, member_ratio
    unit.save(update_fields=["unit_ratio", "member_ratio"])
    unit_ratio_change_record(unit=unit, effective_month=on, source=source, actor=actor, application=application)
    return _recompute_members(unit, on)


def application_start(*, application: UnitApplication, actor: Any = None) -> UnitApplication:
    """Non-durable core: the approved period begins. Deferral: unit 正常 → 缓缴 (no 汇缴 bill, no deposit);
    ratio reduction: the unit's ratios change and members' monthly amounts are recomputed."""
    unit = _lock_unit(application.unit)
    if application.kind == ApplicationKind.DEFERRAL:
        old, new = _unit_move(unit, "defer")
        _event(unit=unit, business_type=AccountBusiness.DEFERRAL, summary="缓缴开始", actor=actor, old_state=old,
               new_state=new, reason=application.reason,
               detail={"application": application.number, "from": f"{application.start_month:%Y-%m}",
                       "to": f"{application.end_month:%Y-%m}"})
        audit_log(actor=actor, action="deposits.unit.deferred", target=unit, old={"state": old}, new={"state": new},
                  reason=application.number)
        fields: dict[str, Any] = {}
    else:
        if unit.state != UnitState.NORMAL:
            raise _refuse("单位账户", unit.get_state_display(), "start")
        assert application.unit_ratio is not None and application.member_ratio is not None
        before = {"unit_ratio": unit.unit_ratio, "member_ratio": unit.member_ratio}
        fields = {"previous_unit_ratio": unit.unit_ratio, "previous_member_ratio": unit.member_ratio}
        count = _set_ratios(unit, application.unit_ratio, application.member_ratio, application.start_month,
                            source=RatioSource.REDUCTION, actor=actor, application=application)
        after = {"unit_ratio": unit.unit_ratio, "member_ratio": unit.member_ratio, "members_recomputed": count}
        _event(unit=unit, business_type=AccountBusiness.OTHER, summary="降低缴存比例", actor=actor,
               reason=application.reason, detail={"application": application.number, "old": _plain(before), "new": _plain(after)})
        audit_log(actor=actor, action="deposits.unit.ratio_reduced", target=unit, old=before, new=after,
                  reason=application.number)
    _application_move(application, "start", effective_at=timezone.now(), **fields)
    audit_log(actor=actor, action="deposits.application.started", target=application,
              old={"state": ApplicationState.APPROVED}, new={"state": ApplicationState.IN_EFFECT})
    return application


def application_end(*, application: UnitApplication, actor: Any = None) -> UnitApplication:
    """Non-durable core: the period is over. Deferral: 缓缴 → 正常; ratio reduction: the previous ratios return."""
    unit = _lock_unit(application.unit)
    if application.kind == ApplicationKind.DEFERRAL:
        old, new = _unit_move(unit, "end_deferral")
        _event(unit=unit, business_type=AccountBusiness.DEFERRAL, summary="缓缴期满恢复正常", actor=actor,
               old_state=old, new_state=new, detail={"application": application.number})
        audit_log(actor=actor, action="deposits.unit.deferral_ended", target=unit, old={"state": old}, new={"state": new},
                  reason=application.number)
    elif unit.state != UnitState.CLOSED and application.previous_unit_ratio is not None:
        assert application.previous_member_ratio is not None
        before = {"unit_ratio": unit.unit_ratio, "member_ratio": unit.member_ratio}
        count = _set_ratios(unit, application.previous_unit_ratio, application.previous_member_ratio,
                            add_months(application.end_month, 1), source=RatioSource.REDUCTION_END, actor=actor,
                            application=application)
        after = {"unit_ratio": unit.unit_ratio, "member_ratio": unit.member_ratio, "members_recomputed": count}
        _event(unit=unit, business_type=AccountBusiness.OTHER, summary="降比例期满恢复原比例", actor=actor,
               detail={"application": application.number, "old": _plain(before), "new": _plain(after)})
        audit_log(actor=actor, action="deposits.unit.ratio_restored", target=unit, old=before, new=after,
                  reason=application.number)
    _application_move(application, "end", ended_at=timezone.now())
    audit_log(actor=actor, action="deposits.application.ended", target=application,
              old={"state": ApplicationState.IN_EFFECT}, new={"state": ApplicationState.ENDED})
    return application


def unit_applications_due_run(*, today: date | None = None) -> dict[str, int]:
    """The daily job: approved periods that have begun take effect; periods whose last month is over end.
    Each application in its own transaction; running it twice the same day changes nothing more."""
    today = today or timezone.localdate()
    month = first_of_month(today)
    done = {"started": 0, "ended": 0, "skipped": 0}
    due_start = UnitApplication.objects.filter(state=ApplicationState.APPROVED, start_month__lte=month).values_list("pk", flat=True)
    due_end = UnitApplication.objects.filter(state=ApplicationState.IN_EFFECT, end_month__lt=month).values_list("pk", flat=True)
    for key, pks, step in (("started", list(due_start), application_start), ("ended", list(due_end), application_end)):
        for pk in pks:
            try:
                with transaction.atomic():
                    application = UnitApplication.objects.select_for_update().get(pk=pk)
                    if application.state != (ApplicationState.APPROVED if key == "started" else ApplicationState.IN_EFFECT):
                        continue
                    step(application=application, actor=None)
            except ValidationError:
                done["skipped"] += 1  # the unit moved meanwhile (e.g. sealed); staff see it in the queue
            else:
                done[key] += 1
    return done


# ---- reads for the pages and the API ---------------------------------------------------------------------

def unit_applications_for_user(user: Any) -> QuerySet[UnitApplication]:
    queryset = UnitApplication.objects.select_related("unit__employer__branch", "applicant", "reviewer", "approver")
    return scoped(queryset, user, branch="unit__employer__branch", employer="unit__employer")


def unit_events(unit: UnitAccount) -> QuerySet[AccountEvent]:
    return unit.events.select_related("account__person", "actor", "from_unit__employer").order_by("-id")


def member_events(account: MemberAccount) -> QuerySet[AccountEvent]:
    return account.events.select_related("unit__employer", "from_unit__employer", "actor").order_by("-id")


def application_steps(application: UnitApplication) -> list[dict[str, Any]]:
    """For includes/steps.html: 提交 → 初审 → 审批 → 生效 → 到期, each with who holds it by post (the unit's
    operator, the branch's 初审岗 and 审批岗, the system), never a person's name: the unit sees these steps."""
    state = application.state
    order = ["submitted", "reviewed", "approved", "in_effect", "ended"]
    labels = ["提交申请", "初审", "审批", "生效", "到期"]
    branch = application.unit.employer.branch.name
    holders = ["单位经办人", f"{branch}{Post.REVIEW.label}岗", f"{branch}{Post.APPROVE.label}岗", "期间开始自动生效",
               "期满自动到期"]
    whens = [application.submitted_at, application.reviewed_at, application.approved_at, application.effective_at,
             application.ended_at]
    if state in (ApplicationState.REJECTED, ApplicationState.WITHDRAWN):
        failed_at = 2 if application.approver_id else (1 if application.reviewer_id else (1 if state == "rejected" else 0))
        steps = []
        for i, label in enumerate(labels[:failed_at + 1]):
            if i < failed_at:
                steps.append({"label": label, "state": "done", "when": whens[i], "holder": holders[i]})
            else:
                steps.append({"label": f"{label}（{application.get_state_display()}）", "state": "failed",
                              "when": whens[i] if state == "rejected" else None, "holder": holders[i]})
        return steps
    reached = order.index(state)
    out = []
    for i, label in enumerate(labels):
        out.append({"label": label, "state": "done" if i <= reached else ("current" if i == reached + 1 else "todo"),
                    "when": whens[i] if i <= reached else None, "holder": holders[i]})
    return out


def backpay_months(application: UnitApplication) -> list[date]:
    months, month = [], application.start_month
    while month <= application.end_month:
        months.append(month)
        month = add_months(month, 1)
    return months


# ---- voluntary depositors (灵活就业) ----------------------------------------------------------------------

def _age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def voluntary_eligibility(*, id_number: str, on: date | None = None) -> tuple[list[str], int | None]:
    """Why this person may not deposit voluntarily (empty when eligible), and the social insurance call id.
    Age ≥ policy minimum; men under, women under their maximum; ≥ N months of social insurance in the city."""
    on = on or timezone.localdate()
    resident = clean_resident_id(id_number)
    problems = []
    age = _age_on(resident.birth_date, on)
    low = int(policy_value("voluntary_min_age", on))
    high = int(policy_value("voluntary_max_age_male" if resident.sex == "1" else "voluntary_max_age_female", on))
    if age < low:
        problems.append(f"年龄 {age} 岁，未满 {low} 周岁")
    if age >= high:
        problems.append(f"{'男' if resident.sex == '1' else '女'}性须在 {high} 周岁以下，现年 {age} 岁")
    record = social_insurance_bureau().record(id_number=resident.number)
    need = int(policy_value("voluntary_min_social_insurance_months", on))
    if record.months_local < need:
        problems.append(f"本市社会保险累计缴纳 {record.months_local} 个月，不足 {need} 个月")
    if record.retired:
        problems.append("已办理退休")
    return problems, record.call_id


def _special_credit_code(branch: Branch) -> str:
    """A well-formed unified social credit code for a branch's special unit (专户), which has no code of its own:
    registration authority 9 (other), kind 9, the city's region code, and a made-up organisation code built
    from the branch code, each with its check digit."""
    from stdnum.cn import uscc

    from fund.integrations.base import local_city_code

    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = ("FL" + "".join(c if c in alphabet else "0" for c in branch.code.upper())).ljust(8, "0")[:8]
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in body]
    check = 11 - sum(v * w for v, w in zip(values, weights, strict=True)) % 11
    org = body + ("0" if check == 11 else "X" if check == 10 else str(check))
    partial = "99" + local_city_code()[:6] + org
    return partial + uscc.calc_check_digit(partial)


def special_unit_for_branch(*, actor: Any, branch: Branch, on: date) -> UnitAccount:
    """The branch's 专户 for voluntary depositors, created on first use (non-durable; call inside a transaction)."""
    # One creator at a time per branch: lock the branch row.
    Branch.objects.select_for_update().filter(pk=branch.pk).first()
    unit = UnitAccount.objects.filter(employer__branch=branch, employer__is_special=True).select_related("employer").first()
    if unit is not None:
        return unit
    employer = Employer.objects.create(
        name=f"{branch.name}灵活就业人员专户", credit_code=_special_credit_code(branch), branch=branch, is_special=True,
    )
    high_unit = policy_value("deposit_unit_ratio_max", on)
    high_member = policy_value("deposit_member_ratio_max", on)
    unit = UnitAccount.objects.create(
        number=next_number("deposits_unit_number_seq", branch.code, 8), employer=employer, state=UnitState.NORMAL,
        unit_ratio=Decimal(high_unit), member_ratio=Decimal(high_member), pay_day=15, bank_name="委托代扣",
        bank_account="0", opened_on=on, opened_by=actor,
    )
    unit_ratio_change_record(unit=unit, effective_month=on, source=RatioSource.OPENING, actor=actor)
    audit_log(actor=actor, action="deposits.unit.opened", target=unit,
              new={"number": unit.number, "name": employer.name, "special": True})
    return unit


def voluntary_account_open(
    *, actor: Any, branch: Branch, id_number: str, name: str, base: Decimal, phone: str = "", bank_card: str = "",
    opened_on: date | None = None,
) -> MemberAccount:
    """Open a self-employed person's or freelancer's account (灵活就业) under the branch's 专户, at the window.
    Eligibility: age and sex from the ID number against policy, social insurance months from the bureau (asked
    before the transaction opens). Both parts of the monthly deposit are the person's, collected by bank debit
    (代扣), so a bank card is required."""
    from .accounts import member_account_open_core

    opened_on = opened_on or timezone.localdate()
    roles = roles_of(actor)
    _require(roles.can_accept and roles.staff is not None and (roles.staff.centre_wide or roles.staff.branch_id == branch.pk))
    errors: dict[str, list[str]] = {}
    try:
        problems, call_id = voluntary_eligibility(id_number=id_number, on=opened_on)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from exc
    except IntegrationError as exc:  # the bureau is down: refuse for now, not a server error
        raise ValidationError({"id_number": ["社保系统暂时无法查询参保信息，请稍后再试"]}) from exc
    if problems:
        errors["id_number"] = ["不符合灵活就业人员自愿缴存条件：" + "；".join(problems)]
    # The person's details are checked before the bank is asked about the card in their name.
    name = clean_into(errors, "name", clean_person_name, name, label="姓名") or ""
    phone = clean_into(errors, "phone", clean_mobile, phone, required=False) or ""
    if not (bank_card or "").strip():
        errors["bank_card"] = ["灵活就业人员按月代扣缴存，请填写本人银行卡号"]
    else:
        try:
            bank_card = clean_bank_card(bank_card)
        except ValidationError as exc:
            errors["bank_card"] = exc.messages
    if errors:
        raise ValidationError(errors)
    # The card every month's deposit is collected from: the bank must know it as this person's (asked here,
    # before the transaction), or the first debit fails.
    bank_account_verify(field="bank_card", label="代扣银行卡号", account_number=bank_card, name=(name or "").strip(),
                        holder_id=clean_resident_id(id_number).number)
    with transaction.atomic(durable=True):
        unit = special_unit_for_branch(actor=actor, branch=branch, on=opened_on)
        # member_account_open is a durable entry point; its body runs here, inside this one transaction.
        account = member_account_open_core(
            actor=actor, unit=unit, id_number=id_number, name=name, base=base, phone=phone, bank_card=bank_card,
            opened_on=opened_on,
        )
        audit_log(actor=actor, action="deposits.member.voluntary_opened", target=account,
                  new={"unit": unit.number, "social_insurance_call": call_id})
    return account
