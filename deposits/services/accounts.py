"""Opening unit and member accounts and posting a month's deposit.

This is the first money flow of the system; the full deposits line (bills, bank receipts, base adjustment,
interest) builds on these services.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from fund.audit.services import audit_log
from fund.dates import add_months, first_of_month
from fund.integrations.bank import bank_account_verify
from fund.ledger import chart
from fund.ledger.models import BusinessType
from fund.ledger.services import Movement, credit, debit, entry_post, sub_account_open
from fund.money import format_money
from fund.numbers import next_number
from fund.people.models import Branch, Employer, Person
from fund.people.selectors import scoped
from fund.people.services import person_branch_follow
from fund.policy.selectors import policy_value
from fund.validation import (
    clean_address,
    clean_bank_account,
    clean_bank_card,
    clean_bank_name,
    clean_credit_code,
    clean_into,
    clean_mobile,
    clean_org_name,
    clean_person_name,
    clean_phone,
    clean_resident_id,
)

from ..models import (
    ACTIVE_MEMBER_STATES,
    MemberAccount,
    MemberState,
    MonthlyDeposit,
    RatioSource,
    UnitAccount,
    UnitRatioChange,
    UnitState,
)
from .base_adjustment_rules import month_terms
from .contribution import base_bounds, check_ratio, monthly_amounts

# A unit's free-text details, one rule each, for opening at the window, applying online and changing them.
UNIT_TEXT_RULES: dict[str, tuple[Any, dict[str, Any]]] = {
    "name": (clean_org_name, {"label": "单位名称"}),
    "address": (clean_address, {"label": "单位地址", "required": False}),
    "contact_name": (clean_person_name, {"label": "经办人", "required": False}),
    "contact_phone": (clean_phone, {"label": "联系电话", "required": False}),
    "bank_name": (clean_bank_name, {"label": "缴存银行"}),
    "bank_account": (clean_bank_account, {"label": "单位银行账号"}),
}


def unit_text_clean(errors: dict[str, list[str]], **values: Any) -> dict[str, str]:
    """Each of the given unit details cleaned by its rule; refusals go into `errors` by field."""
    clean = {}
    for field, raw in values.items():
        cleaner, options = UNIT_TEXT_RULES[field]
        value = clean_into(errors, field, cleaner, raw, **options)
        if value is not None:
            clean[field] = value
    return clean


def unit_credit_code_clean(errors: dict[str, list[str]], credit_code: str) -> str:
    """The credit code of a unit to be opened, cleaned; a malformed one, or one that already has a unit account,
    is refused into `errors`."""
    try:
        credit_code = clean_credit_code(credit_code)
    except ValidationError as exc:
        errors["credit_code"] = exc.messages
    else:
        if Employer.objects.filter(credit_code=credit_code).exists():
            errors["credit_code"] = ["该统一社会信用代码已开户"]
    return credit_code


def unit_terms_check(
    errors: dict[str, list[str]], *, unit_ratio: Decimal, member_ratio: Decimal, pay_day: int, on: date
) -> None:
    """A new unit's ratios within the policy bounds in force `on`, and its monthly pay day one a month has."""
    check_ratio(errors, "unit_ratio", "单位缴存比例", unit_ratio, on)
    check_ratio(errors, "member_ratio", "个人缴存比例", member_ratio, on)
    if not 1 <= pay_day <= 28:
        errors["pay_day"] = ["每月缴存日须在1至28日之间"]


def unit_text_is_clean(**values: Any) -> bool:
    """Whether the given unit details all keep their rules: the bank is asked about an account only then, so a
    form with nonsense in it is told what is wrong with it rather than that the bank does not know the account."""
    errors: dict[str, list[str]] = {}
    unit_text_clean(errors, **values)
    return not errors


def unit_ratio_change_record(
    *, unit: UnitAccount, effective_month: date, source: str, actor: Any, application: Any = None
) -> UnitRatioChange:
    """Record the unit's ratios (as they now stand on `unit`) in force from `effective_month` on. Non-atomic:
    the caller writes the ratios and this row in one transaction."""
    return UnitRatioChange.objects.create(
        unit=unit, effective_month=first_of_month(effective_month), unit_ratio=unit.unit_ratio,
        member_ratio=unit.member_ratio, source=source, application=application, actor=actor,
    )


@transaction.atomic
def unit_account_open_core(
    *,
    actor: Any,
    branch: Branch,
    name: str,
    credit_code: str,
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    bank_name: str,
    bank_account: str,
    unit_ratio: Decimal,
    member_ratio: Decimal,
    pay_day: int,
    opened_on: date | None = None,
) -> UnitAccount:
    """Open an employer's unit account at the window; the unit account starts 正常."""
    opened_on = opened_on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    credit_code = unit_credit_code_clean(errors, credit_code)
    text = unit_text_clean(errors, name=name, address=address, contact_name=contact_name,
                           contact_phone=contact_phone, bank_name=bank_name, bank_account=bank_account)
    unit_terms_check(errors, unit_ratio=unit_ratio, member_ratio=member_ratio, pay_day=pay_day, on=opened_on)
    if errors:
        raise ValidationError(errors)
    employer = Employer(
        name=text["name"], credit_code=credit_code, branch=branch, address=text["address"],
        contact_name=text["contact_name"], contact_phone=text["contact_phone"],
    )
    employer.full_clean()
    try:
        with transaction.atomic():
            employer.save()
    except IntegrityError as exc:  # a concurrent opening for the same credit code committed first
        raise ValidationError({"credit_code": ["该统一社会信用代码已开户"]}) from exc
    unit = UnitAccount(
        number=next_number("deposits_unit_number_seq", branch.code, 8),
        employer=employer, state=UnitState.NORMAL, unit_ratio=unit_ratio, member_ratio=member_ratio,
        pay_day=pay_day, bank_name=text["bank_name"], bank_account=text["bank_account"], opened_on=opened_on,
        opened_by=actor,
    )
    unit.full_clean()
    unit.save()
    unit_ratio_change_record(unit=unit, effective_month=opened_on, source=RatioSource.OPENING, actor=actor)
    audit_log(
        actor=actor, action="deposits.unit.opened", target=unit,
        new={"number": unit.number, "name": employer.name, "credit_code": credit_code,
             "unit_ratio": unit_ratio, "member_ratio": member_ratio},
    )
    return unit


@transaction.atomic
def member_account_open_core(
    *,
    actor: Any,
    unit: UnitAccount,
    id_number: str,
    name: str,
    base: Decimal,
    phone: str = "",
    bank_card: str = "",
    opened_on: date | None = None,
) -> MemberAccount:
    """Open a member account under `unit`. One person has one active account (一人一户).

    The member starts depositing in the month after opening (policy `new_member_start_offset_months`).
    """
    opened_on = opened_on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    resident = clean_into(errors, "id_number", clean_resident_id, id_number)
    name = clean_into(errors, "name", clean_person_name, name) or ""
    phone = clean_into(errors, "phone", clean_mobile, phone, required=False) or ""
    if bank_card:
        try:
            bank_card = clean_bank_card(bank_card)
        except ValidationError as exc:
            errors["bank_card"] = exc.messages
    floor, cap = base_bounds(opened_on)
    if not floor <= base <= cap:
        errors["base"] = [f"缴存基数须在 {format_money(floor)} 元至 {format_money(cap)} 元之间"]
    if unit.state != UnitState.NORMAL:
        errors["unit"] = [f"单位账户状态为“{unit.get_state_display()}”，不能开立个人账户"]
    person = None
    if resident is not None:
        # Openings for the same ID number queue here until the first commits, so the next one finds the person
        # and the account it opened (and says so) instead of meeting the person's unique check half way.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"deposits.person:{resident.number}"])
        person = Person.objects.select_for_update().filter(id_number=resident.number).first()
        # Staff who may see this person get the detail; a unit operator or another branch's clerk gets a
        # message that neither confirms the name on file nor gives away another unit's account number.
        in_scope = person is not None and scoped(Person.objects.filter(pk=person.pk), actor, branch="branch").exists()
        if person is not None and "name" not in errors and person.name != name:
            errors["name"] = ["姓名与已登记的身份信息不一致" if in_scope else "身份信息核验未通过，请核对姓名与身份证号码"]
        if person is not None and "name" not in errors:
            existing = MemberAccount.objects.filter(person=person, state__in=ACTIVE_MEMBER_STATES).first()
            if existing is not None:
                where = f"（{existing.number}）" if in_scope else ""
                errors["id_number"] = [f"该职工已有个人账户{where}，一人只能有一个账户，请办理转移或合并"]
    if errors:
        raise ValidationError(errors)
    assert resident is not None
    if person is None:
        person = Person(
            id_number=resident.number, name=name, sex=resident.sex, birth_date=resident.birth_date,
            phone=phone, branch=unit.employer.branch,
        )
        person.full_clean()
        try:
            with transaction.atomic():
                person.save()
        except IntegrityError as exc:  # a concurrent opening for the same person committed first
            raise ValidationError({"id_number": ["该职工已有个人账户，一人只能有一个账户，请办理转移或合并"]}) from exc
    else:
        person_branch_follow(actor=actor, person=person, branch=unit.employer.branch)
    unit_monthly, member_monthly = monthly_amounts(
        base=base, unit_ratio=unit.unit_ratio, member_ratio=unit.member_ratio, on=opened_on
    )
    number = next_number("deposits_member_number_seq", "", 12)
    sub = sub_account_open(control_code=chart.MEMBER_DEPOSITS, number=number, name=name, opened_on=opened_on)
    offset = int(policy_value("new_member_start_offset_months", opened_on))
    account = MemberAccount(
        number=number, person=person, unit=unit, sub_account=sub, state=MemberState.NORMAL, base=base,
        unit_monthly=unit_monthly, member_monthly=member_monthly, bank_card=bank_card, opened_on=opened_on,
        first_month=add_months(first_of_month(opened_on), offset), opened_by=actor,
    )
    account.full_clean(exclude=["sub_account"])
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError as exc:  # a concurrent opening for the same person won the race
        raise ValidationError({"id_number": ["该职工已有个人账户，一人只能有一个账户"]}) from exc
    audit_log(
        actor=actor, action="deposits.member.opened", target=account,
        new={"number": number, "unit": unit.number, "base": base, "unit_monthly": unit_monthly,
             "member_monthly": member_monthly, "first_month": account.first_month},
    )
    return account


@transaction.atomic
def monthly_deposit_post_core(
    *, actor: Any, account: MemberAccount, month: date, value_date: date | None = None
) -> tuple[MonthlyDeposit, bool]:
    """Post one member's deposit for one month: bank deposits ← member deposits, and the member's sub-ledger.

    Posting the same month twice returns the first posting and changes nothing (the ledger's idempotency
    key is the account and month). The paid-up month (缴至年月) moves forward when this closes the gap.
    """
    month = first_of_month(month)
    value_date = value_date or timezone.localdate()
    account = MemberAccount.objects.select_for_update().select_related("unit").get(pk=account.pk)
    existing = MonthlyDeposit.objects.filter(account=account, month=month, reversal__isnull=True).first()
    if existing is not None:
        return existing, False
    errors: dict[str, list[str]] = {}
    if account.state != MemberState.NORMAL:
        errors["account"] = [f"个人账户状态为“{account.get_state_display()}”，不能缴存"]
    elif account.unit.state != UnitState.NORMAL:
        errors["account"] = [f"单位账户状态为“{account.unit.get_state_display()}”，不能缴存"]
    if month < account.first_month:
        errors["month"] = [f"该职工自 {account.first_month:%Y年%m月} 起缴"]
    if month > first_of_month(value_date):
        errors["month"] = ["不能预缴未来月份"]
    if errors:
        raise ValidationError(errors)
    # The base and amounts in force for THAT month: an adjustment effective later must not change it.
    terms = month_terms(account, month)
    amount = terms.total
    kind = BusinessType.GJ_REMIT if month == first_of_month(value_date) else BusinessType.GJ_BACKPAY
    posted = entry_post(
        business_type=kind,
        reference=f"deposits.member:{account.number}:{month:%Y%m}",
        idempotency_key=f"deposits.monthly:{account.pk}:{month:%Y%m}",
        value_date=value_date,
        legs=[debit(chart.BANK, amount), credit(chart.MEMBER_DEPOSITS, amount)],
        movements=[Movement(account.sub_account_id, amount, summary=f"{month:%Y年%m月}{kind.label}")],
        actor=actor,
        memo=f"{account.person.name} {month:%Y年%m月}{kind.label}",
    )
    deposit = MonthlyDeposit.objects.create(
        account=account, month=month, unit_amount=terms.unit_monthly, member_amount=terms.member_monthly, base=terms.base,
        entry=posted.entry,
    )
    expected_next = add_months(account.paid_up_to, 1) if account.paid_up_to else account.first_month
    new_paid_up: date | None
    if month == expected_next:
        paid = set(MonthlyDeposit.objects.filter(account=account, month__gt=month).values_list("month", flat=True))
        new_paid_up = month
        while add_months(new_paid_up, 1) in paid:
            new_paid_up = add_months(new_paid_up, 1)
        old = account.paid_up_to
        account.paid_up_to = new_paid_up
        account.save(update_fields=["paid_up_to"])
    else:
        old = new_paid_up = account.paid_up_to
    audit_log(
        actor=actor, action="deposits.member.deposited", target=account,
        old={"paid_up_to": old},
        new={"month": f"{month:%Y-%m}", "amount": amount, "entry": posted.entry.number, "paid_up_to": new_paid_up},
    )
    return deposit, True


# Entry points for views, APIs and tasks: each its own durable transaction, so a caller cannot wrap them in
# a larger one by mistake. Batch and workflow code that must act inside its own transaction calls the
# `_core` functions above instead (and checks a given bank account itself, before its transaction).


def unit_account_open(**kwargs: Any) -> UnitAccount:
    if unit_text_is_clean(**{k: v for k, v in kwargs.items() if k in UNIT_TEXT_RULES}):
        unit_bank_account_check(name=kwargs.get("name", ""), credit_code=kwargs.get("credit_code", ""),
                                bank_account=kwargs.get("bank_account", ""))
    with transaction.atomic(durable=True):
        return unit_account_open_core(**kwargs)


def member_account_open(**kwargs: Any) -> MemberAccount:
    member_bank_card_check(name=kwargs.get("name", ""), id_number=kwargs.get("id_number", ""),
                           bank_card=kwargs.get("bank_card", ""))
    with transaction.atomic(durable=True):
        return member_account_open_core(**kwargs)


def unit_bank_account_check(*, name: str, credit_code: str, bank_account: str) -> None:
    """The account a unit's deposits are collected from must be the unit's at the bank, or the first 委托收款
    fails. Asks the bank: call it before the transaction. A malformed account or name is left to the opening
    service to report; the holder is compared when the credit code is well formed."""
    account, name = str(bank_account or "").strip(), str(name or "").strip()
    if not (account.isdigit() and name):
        return
    bank_account_verify(field="bank_account", label="单位银行账号", account_number=account, name=name,
                        holder_id=_or_empty(clean_credit_code, credit_code))


def member_bank_card_check(*, name: str, id_number: str, bank_card: str) -> None:
    """A member's card given at opening must be theirs at the bank (payouts and debits go to it). Asks the
    bank: call it before the transaction. No card, or a malformed one (the opening reports it), asks nothing."""
    card, name = _or_empty(clean_bank_card, bank_card), str(name or "").strip()
    if not (card and name):
        return
    resident = _or_empty(clean_resident_id, id_number)
    bank_account_verify(field="bank_card", label="银行卡号", account_number=card, name=name,
                        holder_id=resident.number if resident else "")


def _or_empty(clean: Any, raw: Any) -> Any:
    try:
        return clean(str(raw or "")) if raw else ""
    except ValidationError:
        return ""


def monthly_deposit_post(**kwargs: Any) -> tuple[MonthlyDeposit, bool]:
    with transaction.atomic(durable=True):
        return monthly_deposit_post_core(**kwargs)


unit_account_open.__doc__ = unit_account_open_core.__doc__
member_account_open.__doc__ = member_account_open_core.__doc__
monthly_deposit_post.__doc__ = monthly_deposit_post_core.__doc__
