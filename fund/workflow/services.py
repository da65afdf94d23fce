"""The shared step machinery: open a flow on a subject, act on its steps, and the four-eyes rule.

A business line calls `work_open` when an application needs people, and `work_act` when one of them
decides a step. `work_act` says what happened (`Outcome`); the line then does its own business (posting
money, telling the member). Both run inside the caller's transaction, lock the item row, and move its
state by compare-and-set with an audit row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from fund.audit.services import audit_log
from fund.people.models import Branch
from fund.people.roles import roles_of
from fund.people.selectors import staff_scope
from fund.policy.selectors import policy_value
from fund.workdays import add_working_days

from .flows import FlowSpec, flow, flows
from .models import Decision, ItemState, WorkItem


@dataclass(frozen=True)
class Outcome:
    item: WorkItem  # the item just decided
    finished: bool  # the flow has ended (approved at the last step, or rejected)
    approved: bool  # the last step passed
    next_item: WorkItem | None


def _subject_filter(subject: models.Model) -> dict[str, Any]:
    return {"subject_type": ContentType.objects.get_for_model(subject), "subject_id": subject.pk}


def work_open(
    *, spec: FlowSpec, subject: models.Model, branch: Branch, applicant: Any = None, today: date | None = None,
    due_on: date | None = None,
) -> WorkItem:
    """Open the first step of `spec` on `subject`, due `deadline_policy` working days from today, or on
    `due_on` when the business sets its own deadline (a loan taken at the window is finished the same day)."""
    today = today or timezone.localdate()
    if due_on is None:
        due_on = add_working_days(today, int(policy_value(spec.deadline_policy, on=today)))
    first = spec.steps[0]
    return WorkItem.objects.create(
        flow=spec.name, step=first.code, step_label=first.label, subject_label=str(subject)[:200],
        branch=branch, applicant=applicant, due_on=due_on, **_subject_filter(subject),
    )


def _may_act(actor: Any, item: WorkItem, spec: FlowSpec) -> bool:
    roles = roles_of(actor)
    if not roles.is_staff or not any(roles.has_post(p) for p in spec.step(item.step).posts):
        return False
    is_staff, branch_id = staff_scope(actor)
    return is_staff and (branch_id is None or branch_id == item.branch_id)


def work_refusal(*, actor: Any, item: WorkItem) -> str | None:
    """Why `actor` may not decide the step `item` (None when they may): the step's post in the item's branch
    (or centre-wide), not the applicant, no earlier step of the same subject decided by them. For a caller
    that must know before it does something costly (asks an outside system); `work_act` checks again."""
    if not _may_act(actor, item, flow(item.flow)):
        return f"您的岗位不能办理“{item.step_label}”环节"
    if item.applicant_id is not None and item.applicant_id == actor.pk:
        return "不能审核自己提交或受理的业务"
    earlier = WorkItem.objects.filter(subject_type_id=item.subject_type_id, subject_id=item.subject_id,
                                      acted_by=actor).exclude(pk=item.pk)
    if earlier.exists():
        return "同一业务的前后环节须由不同的人办理"
    return None


def work_act(*, actor: Any, item: WorkItem, approve: bool, opinion: str = "") -> Outcome:
    """Decide the open step `item`. The actor must hold the step's post in the item's branch (or centre-wide),
    must not be the applicant, and must not have decided an earlier step of the same subject."""
    with transaction.atomic():
        item = WorkItem.objects.select_for_update().get(pk=item.pk)
        spec = flow(item.flow)
        if item.state != ItemState.OPEN:
            raise ValidationError({"state": [f"该环节已{item.get_state_display()}，请刷新后查看"]})
        refusal = work_refusal(actor=actor, item=item)
        if refusal:
            raise PermissionDenied(refusal)
        opinion = (opinion or "").strip()[:500]
        if not approve and not opinion:
            raise ValidationError({"opinion": ["不同意时请填写审核意见"]})
        decision = Decision.PASS if approve else Decision.REJECT
        now = timezone.now()
        if WorkItem.objects.filter(pk=item.pk, state=ItemState.OPEN).update(
            state=ItemState.DONE, acted_by=actor, acted_at=now, decision=decision, opinion=opinion
        ) != 1:
            raise ValidationError({"state": ["该环节已被他人办理，请刷新后查看"]})
        item.state, item.acted_by, item.acted_at, item.decision, item.opinion = ItemState.DONE, actor, now, decision, opinion
        audit_log(actor=actor, action=f"workflow.{item.flow}.{item.step}", target=item,
                  old={"state": ItemState.OPEN}, new={"decision": decision, "opinion": opinion})
        following = spec.after(item.step) if approve else None
        if following is None:
            return Outcome(item=item, finished=True, approved=approve, next_item=None)
        nxt = WorkItem.objects.create(
            flow=item.flow, step=following.code, step_label=following.label, subject_type_id=item.subject_type_id,
            subject_id=item.subject_id, subject_label=item.subject_label, branch_id=item.branch_id,
            applicant_id=item.applicant_id, due_on=item.due_on,
        )
        return Outcome(item=item, finished=False, approved=False, next_item=nxt)


def work_cancel(*, subject: models.Model, actor: Any = None, reason: str = "") -> int:
    """Close any open step of `subject` (the applicant withdrew, or the business ended another way)."""
    n = WorkItem.objects.filter(**_subject_filter(subject), state=ItemState.OPEN).update(
        state=ItemState.CANCELLED, acted_by=actor, acted_at=timezone.now(), opinion=reason[:500]
    )
    return n


def work_items_for_user(user: Any) -> QuerySet[WorkItem]:
    """The open items this staff member could act on (post and branch); nothing for anyone else."""
    roles = roles_of(user)
    if not roles.is_staff:
        return WorkItem.objects.none()
    allowed = models.Q(pk__in=[])
    for spec in flows():
        for step in spec.steps:
            if any(roles.has_post(p) for p in step.posts):
                allowed |= models.Q(flow=spec.name, step=step.code)
    qs = WorkItem.objects.filter(allowed, state=ItemState.OPEN).exclude(applicant=user)
    _, branch_id = staff_scope(user)
    if branch_id is not None:
        qs = qs.filter(branch_id=branch_id)
    return qs.select_related("branch", "applicant", "subject_type")


def work_history(subject: models.Model) -> QuerySet[WorkItem]:
    return WorkItem.objects.filter(**_subject_filter(subject)).select_related("acted_by").order_by("id")


def work_open_item(subject: models.Model) -> WorkItem | None:
    return WorkItem.objects.filter(**_subject_filter(subject), state=ItemState.OPEN).first()
