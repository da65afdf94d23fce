"""上门服务 (Jining, Zhuzhou): a request for an elderly or ill member — by the member, a relative or staff —
assigned to staff of the branch, scheduled (the contact is texted the day), and finished 办结 or 未办结 with what
was done. Every status change goes through `HOME_VISIT_MOVES` (compare-and-set, history, audit event)."""

from __future__ import annotations

import functools
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from fund.audit.services import audit_log
from fund.catalogue.registry import catalogue_item
from fund.numbers import next_number
from fund.people.models import Branch, Person, StaffProfile
from fund.people.roles import roles_of
from fund.people.selectors import staff_scope
from fund.validation import clean_address, clean_into, clean_line, clean_mobile, clean_person_name, clean_text
from fund.workflow.moves import move_status

from ..models import HOME_VISIT_MOVES, Requester, VisitReason, VisitState

NUMBER_SEQUENCE = "appointments_visit_number"


def _person_by_id(id_number: Any, name: str, errors: dict[str, list[str]]) -> Person | None:
    raw = str(id_number or "").strip().upper()
    if not raw:
        errors.setdefault("id_number", []).append("请填写服务对象的身份证号码")
        return None
    person = Person.objects.filter(id_number=raw).first()
    if person is None or (name and person.name != name):
        errors.setdefault("id_number", []).append("未找到该职工，请核对身份证号码和姓名")
        return None
    return person


@transaction.atomic(durable=True)
def home_visit_request(*, actor: Any, branch: Branch, reason: Any, description: Any, contact_name: Any,
                       contact_phone: Any, address: Any, item_code: Any = "", for_other: bool = False,
                       id_number: Any = "", name: Any = "", relation: Any = "") -> Any:
    """Request a visit. A member asks for themself, or (`for_other`) for a relative named by ID number and name;
    staff register one for anyone, in their own branch unless they are centre-wide."""
    from ..models import HomeVisit

    roles = roles_of(actor)
    errors: dict[str, list[str]] = {}
    if reason not in VisitReason.values:
        errors["reason"] = ["请选择上门原因"]
    description = clean_into(errors, "description", clean_text, description, label="需求说明", max_length=300)
    contact_name = clean_into(errors, "contact_name", clean_person_name, contact_name, label="联系人")
    contact_phone = clean_into(errors, "contact_phone", clean_mobile, contact_phone, label="联系电话")
    address = clean_into(errors, "address", clean_address, address, label="上门地址")
    item_name = ""
    if item_code:
        try:
            item_name = catalogue_item(str(item_code)).name[:100]
        except KeyError:
            errors["item_code"] = ["请选择办理事项"]
    person: Person | None
    if roles.is_staff:
        is_staff, scope = staff_scope(actor)
        if scope is not None and branch.pk != scope:
            raise PermissionDenied("只能为本管理部登记上门服务")
        requester = Requester.STAFF
        clean_name = clean_into(errors, "name", clean_person_name, name, label="服务对象姓名") or ""
        person = _person_by_id(id_number, clean_name, errors)
        relation = ""
    elif roles.is_member:
        if for_other:
            requester = Requester.RELATIVE
            clean_name = clean_into(errors, "name", clean_person_name, name, label="服务对象姓名") or ""
            person = _person_by_id(id_number, clean_name, errors)
            relation = clean_into(errors, "relation", clean_line, relation, label="与服务对象关系", max_length=20) or ""
            if person is not None and person.pk == actor.person_id:
                errors["id_number"] = ["为本人申请请选择“本人”"]
        else:
            requester, person, relation = Requester.SELF, actor.person, ""
    else:
        raise PermissionDenied("只有职工本人、亲属（职工）或工作人员可以申请上门服务")
    if errors:
        raise ValidationError(errors)
    assert person is not None
    visit = HomeVisit.objects.create(
        number=next_number(NUMBER_SEQUENCE, f"SM{timezone.localdate():%Y%m%d}", 5), branch=branch, person=person,
        requester=requester, relation=relation, requested_by=actor, reason=reason, item_code=str(item_code or ""),
        item_name=item_name, description=description, contact_name=contact_name, contact_phone=contact_phone,
        address=address)
    audit_log(actor=actor, action="appointments.visit.requested", target=visit,
              new={"number": visit.number, "requester": requester, "reason": reason, "branch": branch.name})
    return visit


def _require_branch_staff(actor: Any, visit: Any) -> None:
    roles = roles_of(actor)
    is_staff, scope = staff_scope(actor)
    if not is_staff or not roles.can_accept or (scope is not None and scope != visit.branch_id):
        raise PermissionDenied("只有本管理部受理岗或全中心范围的工作人员可以处理上门服务")


@transaction.atomic(durable=True)
def home_visit_assign(*, actor: Any, visit: Any, assignee: Any) -> Any:
    """Assign (or reassign) to a member of staff of the visit's branch."""
    _require_branch_staff(actor, visit)
    profile = StaffProfile.objects.filter(user_id=getattr(assignee, "pk", assignee)).select_related("user").first()
    if profile is None or profile.branch_id != visit.branch_id:
        raise ValidationError({"assignee": ["请选择本管理部的工作人员"]})
    was = visit.assigned_to.get_full_name() if visit.assigned_to else ""
    move_status(visit, VisitState.ASSIGNED, table=HOME_VISIT_MOVES, actor=actor, verb="分派",
                action="appointments.visit.assigned", assigned_to=profile.user,
                note={"assigned_to": str(profile.user)}, was={"assigned_to": was} if was else None)
    return visit


@transaction.atomic(durable=True)
def home_visit_schedule(*, actor: Any, visit: Any, on: Any, time_text: Any) -> Any:
    """Agree the day (today or later) and time with the contact, who is texted after commit."""
    _require_branch_staff(actor, visit)
    errors: dict[str, list[str]] = {}
    if not isinstance(on, date):
        errors["on"] = ["请填写上门日期"]
    elif on < timezone.localdate():
        errors["on"] = ["上门日期不能早于今天"]
    time_text = clean_into(errors, "time_text", clean_line, time_text, label="上门时间", max_length=20)
    if visit.assigned_to_id is None:
        errors["on"] = [*errors.get("on", []), "请先分派上门人员"]
    if errors:
        raise ValidationError(errors)
    move_status(visit, VisitState.SCHEDULED, table=HOME_VISIT_MOVES, actor=actor, verb="约定上门",
                action="appointments.visit.scheduled", scheduled_on=on, scheduled_time=time_text,
                note={"scheduled_on": on, "scheduled_time": time_text})
    who = visit.assigned_to.get_full_name() or str(visit.assigned_to)
    phone = f"，联系电话{visit.branch.phone}" if visit.branch.phone else ""
    text = (f"【住房公积金】{visit.branch.name}工作人员{who}将于{on.month}月{on.day}日{time_text}上门为{visit.person.name}"
            f"办理{visit.item_name or '公积金业务'}，申请编号{visit.number}{phone}。")
    from fund.people.tasks import send_sms

    transaction.on_commit(functools.partial(send_sms.delay, visit.contact_phone, text), robust=True)
    return visit


@transaction.atomic(durable=True)
def home_visit_finish(*, actor: Any, visit: Any, done: bool, note: Any, done_what: Any = "") -> Any:
    """办结 (with what was done) or 未办结 (with why); a 未办结 visit may be scheduled again."""
    _require_branch_staff(actor, visit)
    errors: dict[str, list[str]] = {}
    note = clean_into(errors, "note", clean_text, note, label="办理情况", max_length=300)
    done_what = clean_into(errors, "done_what", clean_line, done_what, label="办理事项", max_length=200,
                           required=bool(done))
    if errors:
        raise ValidationError(errors)
    state = VisitState.DONE if done else VisitState.NOT_DONE
    move_status(visit, state, table=HOME_VISIT_MOVES, actor=actor, verb="登记结果",
                action=f"appointments.visit.{state}", outcome_note=note, done_what=done_what or "",
                finished_at=timezone.now(), note={"outcome_note": note, "done_what": done_what or ""})
    return visit


@transaction.atomic(durable=True)
def home_visit_cancel(*, actor: Any, visit: Any, reason: Any) -> Any:
    """The requester, or staff of the branch, withdraws a visit not yet finished."""
    if visit.requested_by_id != getattr(actor, "pk", None) and visit.person_id != getattr(actor, "person_id", None):
        _require_branch_staff(actor, visit)
    reason = clean_line(reason, label="取消原因", max_length=100, required=False)
    move_status(visit, VisitState.CANCELLED, table=HOME_VISIT_MOVES, actor=actor, verb="取消",
                action="appointments.visit.cancelled", reason=reason)
    return visit
