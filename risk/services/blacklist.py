"""Listing on and lifting from the integrity blacklist.

Only 风控/清收 officers and directors act on the list. Lifting is four-eyes: the person who listed an entry
may not lift it. Every change is audited; lifting is compare-and-set on the row, so two officers lifting
at once leave one lift. Errors come back as a ValidationError dict of field → Chinese messages, with
nothing written.
"""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from fund.audit.masking import mask_id_number
from fund.audit.services import audit_log
from fund.dates import add_years
from fund.people.models import Post
from fund.people.roles import roles_of
from fund.policy.selectors import PolicyMissing, policy_value
from fund.validation import (
    clean_credit_code,
    clean_into,
    clean_org_name,
    clean_person_name,
    clean_resident_id,
)
from fund.workflow.flows import FlowSpec, StepSpec, register_flow
from fund.workflow.models import WorkItem
from fund.workflow.services import work_act, work_open, work_open_item

from ..models import BlacklistEntry, Category, SubjectKind
from ..selectors import blacklist_can_manage

REASON_MAX = 1000
NAME_MAX = 120


def blacklist_default_until(listed_on: date) -> date:
    """listed_on + the policy `risk_blacklist_years` in force on listed_on."""
    return add_years(listed_on, int(policy_value("risk_blacklist_years", on=listed_on)))


def _require_manager(actor: Any, message: str) -> None:
    if not getattr(actor, "is_authenticated", False) or not blacklist_can_manage(actor):
        raise PermissionDenied(message)


def _duplicate_message(entry: BlacklistEntry) -> str:
    return (
        f"该对象已有同类（{entry.get_category_display()}）黑名单记录，"
        f"{entry.listed_on:%Y-%m-%d} 至 {entry.until:%Y-%m-%d}，不能重复列入"
    )


def blacklist_add(
    *,
    actor: Any,
    subject_kind: str,
    id_number: str = "",
    credit_code: str = "",
    name: str,
    category: str,
    reason: str,
    bans_withdrawal: bool = True,
    bans_loan: bool = True,
    listed_on: date | None = None,
    until: date | None = None,
) -> BlacklistEntry:
    """List a person (by resident ID) or a unit (by credit code) for `category`.

    `until` defaults to listed_on + the policy `risk_blacklist_years` in force on listed_on. Units are
    disclosed on the public page; persons never are. Refused: a subject already listed for the same
    category over an overlapping period that has not been lifted.
    """
    _require_manager(actor, "只有风控岗或分管领导可以列入黑名单")
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}

    def error(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    id_number = (id_number or "").strip().upper()
    credit_code = (credit_code or "").strip().upper()
    if subject_kind == SubjectKind.PERSON:
        try:
            id_number = clean_resident_id(id_number).number
        except ValidationError as exc:
            error("id_number", exc.messages[0])
        if credit_code:
            error("credit_code", "个人黑名单不填写统一社会信用代码")
    elif subject_kind == SubjectKind.UNIT:
        try:
            credit_code = clean_credit_code(credit_code)
        except ValidationError as exc:
            error("credit_code", exc.messages[0])
        if id_number:
            error("id_number", "单位黑名单不填写身份证号码")
    else:
        error("subject_kind", "请选择对象类型（个人或单位）")

    name = (name or "").strip()
    if not name:
        error("name", "请填写姓名或单位名称")
    elif len(name) > NAME_MAX:
        error("name", f"姓名/单位名称不能超过 {NAME_MAX} 个字")
    elif subject_kind in (SubjectKind.PERSON, SubjectKind.UNIT):
        # Printed on the public disclosure page (units) and matched by staff: a name as registered.
        person = subject_kind == SubjectKind.PERSON
        name = clean_into(errors, "name", clean_person_name if person else clean_org_name, name,
                          label="姓名" if person else "单位名称") or name
    if category not in Category.values:
        error("category", "请选择失信类别")
    reason = (reason or "").strip()
    if not reason:
        error("reason", "请填写列入事由")
    elif len(reason) > REASON_MAX:
        error("reason", f"列入事由不能超过 {REASON_MAX} 个字")
    if subject_kind == SubjectKind.PERSON and not (bans_withdrawal or bans_loan):
        error("bans_withdrawal", "个人黑名单须至少限制提取或贷款中的一项")

    listed_on = listed_on or today
    if listed_on > today:
        error("listed_on", f"列入日期不能晚于今天（{today:%Y-%m-%d}）")
    if until is None and "listed_on" not in errors:
        try:
            until = blacklist_default_until(listed_on)
        except PolicyMissing:
            error("listed_on", f"{listed_on:%Y-%m-%d} 没有生效的黑名单期限政策，请填写限制截止日期")
    if until is not None and until <= listed_on:
        error("until", "限制截止日期须晚于列入日期")
    if errors:
        raise ValidationError(errors)
    assert until is not None

    values = dict(
        subject_kind=subject_kind, id_number=id_number, credit_code=credit_code, name=name, category=category,
        reason=reason, bans_withdrawal=bans_withdrawal, bans_loan=bans_loan, listed_on=listed_on, until=until,
        public=subject_kind == SubjectKind.UNIT,
    )
    with transaction.atomic():
        clash = (
            BlacklistEntry.objects.filter(
                subject_kind=subject_kind, id_number=id_number, credit_code=credit_code, category=category,
                lifted_at__isnull=True, listed_on__lt=until, until__gt=listed_on,
            )
            .order_by("-until")
            .first()
        )
        if clash is not None:
            raise ValidationError({"category": [_duplicate_message(clash)]})
        try:
            with transaction.atomic():
                entry = BlacklistEntry.objects.create(listed_by=actor, **values)
        except IntegrityError as exc:
            # Another officer listed the same subject a moment ago: the exclusion constraint refused ours.
            raise ValidationError({"category": ["该对象刚被他人列入同类黑名单，不能重复列入"]}) from exc
        audit_log(
            actor=actor, action="risk.blacklist.added", target=entry,
            new={**values, "id_number": mask_id_number(id_number)}, reason=reason,
        )
    return entry


# Lifting is decided through the shared flow machinery: a request waits in the 待办 of the risk officers and
# directors, due by policy, and the four-eyes rule (not the requester, nor the lister) is work_act's.
LIFT_FLOW = register_flow(FlowSpec(
    name="risk.blacklist_lift", label="黑名单解除审批", deadline_policy="risk_blacklist_lift_days",
    steps=(StepSpec("lift", "解除审批", (Post.RISK, Post.DIRECTOR)),),
))


def _lift_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["请填写解除原因"]})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": [f"解除原因不能超过 {REASON_MAX} 个字"]})
    return reason


def _liftable(entry: BlacklistEntry, today: date) -> BlacklistEntry:
    current = BlacklistEntry.objects.select_for_update().get(pk=entry.pk)
    if current.lifted_at is not None:
        raise ValidationError({"reason": ["该记录已解除，不能重复解除"]})
    if current.until <= today:
        raise ValidationError({"reason": [f"该记录已于 {current.until:%Y-%m-%d} 到期，无需解除"]})
    return current


def _staff_branch(user: Any) -> Any:
    profile = roles_of(user).staff
    return profile.branch if profile is not None else None


def blacklist_lift_request(*, actor: Any, entry: BlacklistEntry, reason: str) -> WorkItem:
    """申请解除: an officer asks for an entry to be lifted; another officer or a director decides (blacklist_lift)."""
    _require_manager(actor, "只有风控岗或分管领导可以申请解除黑名单")
    reason = _lift_reason(reason)
    with transaction.atomic():
        current = _liftable(entry, timezone.localdate())
        if work_open_item(current) is not None:
            raise ValidationError({"reason": ["该记录已有待审批的解除申请"]})
        item = work_open(spec=LIFT_FLOW, subject=current, branch=_staff_branch(actor), applicant=actor)
        audit_log(actor=actor, action="risk.blacklist.lift_requested", target=current,
                  new={"due_on": item.due_on}, reason=reason)
    return item


def blacklist_lift(*, actor: Any, entry: BlacklistEntry, reason: str) -> BlacklistEntry:
    """解除: end an entry early, with a reason, deciding its lift request — or, with none, a request standing
    for its lister. Never by the officer who listed it, nor by the one who asked for the lift (work_act's rule).

    Compare-and-set: only an entry not yet lifted is lifted; a second lift (or a lift racing another) is
    refused. Expired entries are refused too: they already bar nothing.
    """
    _require_manager(actor, "只有风控岗或分管领导可以解除黑名单")
    reason = _lift_reason(reason)
    if entry.listed_by_id == actor.pk:
        raise PermissionDenied("列入人不能解除自己列入的黑名单记录，须由另一名风控岗人员或分管领导解除")
    today = timezone.localdate()
    with transaction.atomic():
        current = _liftable(entry, today)
        item = work_open_item(current) or work_open(
            spec=LIFT_FLOW, subject=current, branch=_staff_branch(current.listed_by) or _staff_branch(actor),
            applicant=current.listed_by, today=today,
        )
        work_act(actor=actor, item=item, approve=True, opinion=reason)
        now = timezone.now()
        updated = BlacklistEntry.objects.filter(pk=entry.pk, lifted_at__isnull=True).update(
            lifted_at=now, lifted_by=actor, lift_reason=reason
        )
        if updated != 1:
            raise ValidationError({"reason": ["该记录已解除，不能重复解除"]})
        audit_log(
            actor=actor, action="risk.blacklist.lifted", target=current,
            old={"state": "in_force", "until": current.until},
            new={"state": "lifted", "lifted_at": now, "lifted_by": actor.pk}, reason=reason,
        )
    entry.refresh_from_db()
    return entry
