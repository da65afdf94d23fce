"""Online unit opening (单位网上开户): an employer applies without a login, the window approves or rejects.

Approval opens the unit account (the same rules as at the window), creates the operator's login from the
password hash stored with the request and binds it to the new employer, all in one transaction; the SMS to
the applicant goes out after commit.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from fund.audit.services import audit_log
from fund.people import tasks as people_tasks
from fund.people.models import Branch, User
from fund.people.services import operator_bind
from fund.validation import clean_into, clean_mobile, clean_person_name
from fund.workflow.moves import StaleStatus, move_status

from ..models import OpeningRequestState, UnitOpeningRequest
from ..states import OPENING_REQUEST_MOVES
from .accounts import (
    unit_account_open_core,
    unit_bank_account_check,
    unit_credit_code_clean,
    unit_terms_check,
    unit_text_clean,
)

PENDING = OpeningRequestState.PENDING


# Submitting -----------------------------------------------------------------------------------------

@transaction.atomic
def unit_opening_request_submit(
    *,
    branch: Branch,
    name: str,
    credit_code: str,
    bank_name: str,
    bank_account: str,
    unit_ratio: Decimal,
    member_ratio: Decimal,
    pay_day: int,
    username: str,
    operator_name: str,
    operator_phone: str,
    password: str,
    password_again: str,
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    on: date | None = None,
) -> UnitOpeningRequest:
    """Record an online application. Every field is checked now, so a clerk reviews only well-formed ones."""
    on = on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    credit_code = unit_credit_code_clean(errors, credit_code)
    if "credit_code" not in errors and UnitOpeningRequest.objects.filter(credit_code=credit_code, state=PENDING).exists():
        errors["credit_code"] = ["该统一社会信用代码已有待审核的开户申请"]
    username = (username or "").strip()
    text = unit_text_clean(errors, name=name, address=address, contact_name=contact_name,
                           contact_phone=contact_phone, bank_name=bank_name, bank_account=bank_account)
    name = text.get("name", "")
    operator_name = clean_into(errors, "operator_name", clean_person_name, operator_name, label="经办人姓名") or ""
    unit_terms_check(errors, unit_ratio=unit_ratio, member_ratio=member_ratio, pay_day=pay_day, on=on)
    operator_phone = clean_into(errors, "operator_phone", clean_mobile, operator_phone, label="经办人手机号码") or ""
    candidate = User(username=username, first_name=operator_name, phone=operator_phone)
    try:
        User._meta.get_field("username").run_validators(username)
        if not username:
            raise ValidationError("请填写登录用户名")
    except ValidationError as exc:
        errors["username"] = ["登录用户名只能包含字母、数字和 @/./+/-/_"] if username else exc.messages
    else:
        if User.objects.filter(username__iexact=username).exists() or UnitOpeningRequest.objects.filter(
            username__iexact=username, state=PENDING
        ).exists():
            errors["username"] = ["该登录用户名已被使用"]
    if password != password_again:
        errors["password_again"] = ["两次输入的密码不一致"]
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        errors["password"] = [f"登录密码：{m}" for m in exc.messages]
    if errors:
        raise ValidationError(errors)
    request = UnitOpeningRequest(
        branch=branch, name=name, credit_code=credit_code, address=text["address"],
        contact_name=text["contact_name"], contact_phone=text["contact_phone"],
        bank_name=text["bank_name"], bank_account=text["bank_account"], unit_ratio=unit_ratio,
        member_ratio=member_ratio, pay_day=pay_day, username=username, operator_name=operator_name,
        operator_phone=operator_phone, password=make_password(password),
    )
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError as exc:  # a concurrent request for the same code or user name committed first
        raise ValidationError({"credit_code": ["该统一社会信用代码或登录用户名已有待审核的开户申请"]}) from exc
    audit_log(
        actor=None, action="deposits.unit_request.submitted", target=request,
        new={"name": name, "credit_code": credit_code, "branch": branch.code, "username": username},
    )
    return request


# Reviewing ------------------------------------------------------------------------------------------

def _claim(*, actor: Any, request: UnitOpeningRequest, new_state: str, opinion: str, action: str,
           note: dict[str, Any], **extra: Any) -> None:
    """Move pending → new_state; exactly one reviewer wins."""
    try:
        move_status(request, new_state, table=OPENING_REQUEST_MOVES, actor=actor, action=action, expect=PENDING,
                    note={**note, "opinion": opinion}, reviewed_by=actor, reviewed_at=timezone.now(), opinion=opinion,
                    **extra)
    except StaleStatus as exc:
        raise ValidationError({"state": ["该申请已审核，不能重复办理"]}) from exc


def _notify(phone: str, text: str) -> None:
    if phone:
        transaction.on_commit(lambda: people_tasks.send_sms.delay(phone=phone, text=text), robust=True)


def unit_opening_request_approve(*, actor: Any, request: UnitOpeningRequest, opinion: str = "") -> UnitOpeningRequest:
    """Open the unit account and the operator's login, bound to the new employer, in one transaction.

    The unit's bank account is checked with the bank first, outside that transaction. It is checked here, by
    the reviewing clerk, and not when the form is sent: the form needs no login, and a bank check on it would
    let anyone ask the bank about any account."""
    current = UnitOpeningRequest.objects.get(pk=request.pk)
    if current.state == PENDING:
        unit_bank_account_check(name=current.name, credit_code=current.credit_code, bank_account=current.bank_account)
    return _unit_opening_request_open(actor=actor, request=request, opinion=opinion)


@transaction.atomic(durable=True)
def _unit_opening_request_open(*, actor: Any, request: UnitOpeningRequest, opinion: str) -> UnitOpeningRequest:
    request = UnitOpeningRequest.objects.select_for_update().get(pk=request.pk)
    if request.state != PENDING:
        raise ValidationError({"state": [f"该申请{request.get_state_display()}，不能重复办理"]})
    # The window's opening service, run inside this transaction (its own durable wrapper would refuse).
    unit = unit_account_open_core(
        actor=actor, branch=request.branch, name=request.name, credit_code=request.credit_code,
        address=request.address, contact_name=request.contact_name, contact_phone=request.contact_phone,
        bank_name=request.bank_name, bank_account=request.bank_account, unit_ratio=request.unit_ratio,
        member_ratio=request.member_ratio, pay_day=request.pay_day,
    )
    user = User(username=request.username, first_name=request.operator_name, phone=request.operator_phone,
                password=request.password)
    if User.objects.filter(username__iexact=request.username).exists():
        raise ValidationError({"username": ["该登录用户名已被使用，请退回申请由单位重新提交"]})
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise ValidationError({"username": ["该登录用户名已被使用，请退回申请由单位重新提交"]}) from exc
    audit_log(actor=actor, action="people.operator.created", target=user, new={"employer": unit.employer_id})
    operator_bind(actor=actor, user=user, employer=unit.employer)
    opinion = (opinion or "").strip() or "同意开户"
    _claim(actor=actor, request=request, new_state=OpeningRequestState.APPROVED, opinion=opinion,
           action="deposits.unit_request.approved", note={"unit": unit.number, "operator": user.username},
           unit=unit, operator=user)
    _notify(
        request.contact_phone or request.operator_phone,
        f"【住房公积金】{request.name}单位开户申请已通过，单位账号{unit.number}，请以用户名{user.username}登录单位网厅。",
    )
    request.refresh_from_db()
    return request


@transaction.atomic(durable=True)
def unit_opening_request_reject(*, actor: Any, request: UnitOpeningRequest, opinion: str) -> UnitOpeningRequest:
    opinion = (opinion or "").strip()
    if not opinion:
        raise ValidationError({"opinion": ["退回申请须填写审核意见"]})
    _claim(actor=actor, request=request, new_state=OpeningRequestState.REJECTED, opinion=opinion,
           action="deposits.unit_request.rejected", note={})
    _notify(
        request.contact_phone or request.operator_phone,
        f"【住房公积金】{request.name}单位开户申请未通过：{opinion}。可修改后重新提交。",
    )
    request.refresh_from_db()
    return request
