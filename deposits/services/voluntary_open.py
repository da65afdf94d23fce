"""Voluntary depositors (灵活就业): eligibility from the ID number and social insurance, the branch's special
unit (专户), and opening their accounts at the window."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from fund.audit.services import audit_log
from fund.integrations import social_insurance_bureau
from fund.integrations.bank import bank_account_verify
from fund.integrations.base import IntegrationError
from fund.numbers import next_number
from fund.people.models import Branch, Employer
from fund.people.roles import roles_of
from fund.policy.selectors import policy_value
from fund.validation import (
    clean_bank_card,
    clean_into,
    clean_mobile,
    clean_person_name,
    clean_resident_id,
)

from ..models import (
    MemberAccount,
    RatioSource,
    UnitAccount,
    UnitState,
)
from .accounts import unit_ratio_change_record
from .lifecycle_rules import (
    require,
)

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
    from fund.integrations.base import local_city_code
    from fund.validation import CREDIT_CODE_ALPHABET, credit_code_complete, organisation_code_complete

    body = ("FL" + "".join(c if c in CREDIT_CODE_ALPHABET else "0" for c in branch.code.upper())).ljust(8, "0")[:8]
    return credit_code_complete("99" + local_city_code()[:6] + organisation_code_complete(body))


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
    require(roles.can_accept and roles.staff is not None and (roles.staff.centre_wide or roles.staff.branch_id == branch.pk))
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

