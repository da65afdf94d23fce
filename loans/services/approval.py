"""Approving a loan application through fund.workflow: 初审 → 审批, and above a policy amount the 分管副主任 too
(authority delegated by amount, `loan_approval_large_threshold`). Never the same person twice (the workflow's
four-eyes rule, the accepting clerk included). An application accepted on the spot (window, bank outlet) is due
within the policy's hours (`loan_window_hours`: the same sitting); one accepted from online in the policy's
working days (`loan_online_days`). The last approval moves it to 已审批待签约 with the approved amount (at most
the quota), the rate and the time; a rejection ends it with the opinion. The borrower is texted after commit."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from fund.audit.actions import register_actions
from fund.money import clean_amount, format_money
from fund.people.models import Post
from fund.policy.selectors import policy_value
from fund.validation import clean_into, clean_text
from fund.workflow.flows import FlowSpec, StepSpec, register_flow
from fund.workflow.models import WorkItem
from fund.workflow.moves import move_status
from fund.workflow.services import work_act, work_open, work_open_item, work_refusal

from ..models import ApplicationState, Channel, LoanApplication
from ..states import APPLICATION_MOVES
from .notify import application_notify
from .rates import loan_rate

REVIEW = StepSpec("review", "初审", (Post.REVIEW,))
APPROVE = StepSpec("approve", "审批", (Post.APPROVE, Post.DIRECTOR))
DIRECTOR = StepSpec("director", "分管副主任审批", (Post.DIRECTOR,))

APPROVAL = register_flow(FlowSpec(name="loans.approval", label="贷款审批", deadline_policy="loan_online_days",
                                  steps=(REVIEW, APPROVE)))
APPROVAL_LARGE = register_flow(FlowSpec(name="loans.approval_large", label="贷款审批（大额）",
                                        deadline_policy="loan_online_days", steps=(REVIEW, APPROVE, DIRECTOR)))

register_actions({
    "loans.application.submitted": "贷款申请提交", "loans.application.accepted": "贷款申请受理",
    "loans.application.confirmed": "购房人确认贷款申请", "loans.application.withdrawn": "贷款申请撤回",
    "loans.application.approved": "贷款审批通过", "loans.application.rejected": "贷款审批未通过",
    "loans.application.reviewed": "贷款审核",
})


def flow_for(amount: Decimal, on: date) -> FlowSpec:
    """The flow whose last step holds the authority for `amount`: above the threshold, the 分管副主任."""
    threshold = Decimal(policy_value("loan_approval_large_threshold", on=on))
    return APPROVAL_LARGE if amount > threshold else APPROVAL


def due_on_for(application: LoanApplication, now: Any = None) -> date:
    """Accepted on the spot: within the policy's hours (the same sitting); otherwise the policy's working days."""
    from fund.workdays import add_working_days

    now = now or timezone.now()
    today = timezone.localdate(now)
    if application.channel in (Channel.WINDOW, Channel.BANK):
        hours = int(policy_value("loan_window_hours", on=today))
        return timezone.localtime(now + timedelta(hours=hours)).date()
    return add_working_days(today, int(policy_value("loan_online_days", on=today)))


def approval_open(application: LoanApplication, *, today: date | None = None) -> WorkItem:
    """Open the review of an accepted application (in the caller's transaction), the clerk who accepted it
    counting as its applicant: they may not review it."""
    today = today or timezone.localdate()
    spec = flow_for(application.amount_requested, today)
    return work_open(spec=spec, subject=application, branch=application.branch,
                     applicant=application.accepted_by or application.submitted_by, today=today,
                     due_on=due_on_for(application))


def _open_step(actor: Any, application: LoanApplication) -> WorkItem:
    if application.state != ApplicationState.REVIEWING:
        raise ValidationError({"state": [f"贷款申请状态为“{application.get_state_display()}”，不在审核中"]})
    item = work_open_item(application)
    if item is None:
        raise ValidationError({"state": ["没有待审核的环节"]})
    refusal = work_refusal(actor=actor, item=item)
    if refusal:
        raise PermissionDenied(refusal)
    return item


def application_decide(
    *, actor: Any, application: LoanApplication, approve: bool, opinion: str = "", amount: Any = None
) -> LoanApplication:
    """Decide the open step. The last step's approval fixes the amount (what was asked, or less, never more than
    the quota) and the rate; a rejection at any step ends the application with the opinion."""
    errors: dict[str, list[str]] = {}
    opinion = clean_into(errors, "opinion", clean_text, opinion, label="审批意见", max_length=500,
                         required=not approve) or ""
    lowered = None
    if amount not in (None, ""):
        lowered = clean_into(errors, "amount", clean_amount, amount, label="核准金额")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        application = LoanApplication.objects.select_for_update(of=("self",)).select_related("borrower").get(pk=application.pk)
        item = _open_step(actor, application)
        last = item.step == item_spec(item).steps[-1].code
        approved_amount = Decimal("0.00")  # set below on the last step's approval, the only path that reads it
        if approve and last:
            ceiling = min(application.amount_requested, application.quota or Decimal("0"))
            approved_amount = ceiling if lowered is None else lowered
            if approved_amount > ceiling:
                raise ValidationError({"amount": [f"核准金额不能超过申请金额与可贷额度中的较低者 {format_money(ceiling)} 元"]})
            if approved_amount <= 0:
                raise ValidationError({"amount": ["可贷额度为 0，不能批准，请填写意见后不同意"]})
        elif lowered is not None:
            raise ValidationError({"amount": ["核准金额在最后一个审批环节填写"]})
        outcome = work_act(actor=actor, item=item, approve=approve, opinion=opinion)
        if not outcome.finished:
            audit_log_step(actor, application, item)
            return application
        now = timezone.now()
        if not outcome.approved:
            move_status(application, ApplicationState.REJECTED, table=APPLICATION_MOVES, actor=actor,
                        action="loans.application.rejected", verb="驳回", decision_note=opinion[:500],
                        decided_at=now, ended_at=now, note={"step": item.step_label})
            application_notify(application, f"您的住房公积金贷款申请（{application.number}）未通过：{opinion[:60]}")
            return application
        rate = loan_rate(home_order=application.home_order or "second", term_months=application.term_months,
                         on=timezone.localdate(now))
        move_status(application, ApplicationState.APPROVED, table=APPLICATION_MOVES, actor=actor,
                    action="loans.application.approved", verb="批准", approved_amount=approved_amount, rate=rate,
                    decided_at=now, decision_note=(opinion or "同意")[:500],
                    note={"amount": approved_amount, "rate": rate})
        application_notify(application, f"您的住房公积金贷款申请（{application.number}）已审批通过，核准金额 "
                             f"{format_money(approved_amount)} 元，年利率 {rate}%，请按通知到窗口签订借款合同。")
        return application


def item_spec(item: WorkItem) -> FlowSpec:
    from fund.workflow.flows import flow

    return flow(item.flow)


def audit_log_step(actor: Any, application: LoanApplication, item: WorkItem) -> None:
    from fund.audit.services import audit_log

    audit_log(actor=actor, action="loans.application.reviewed", target=application, new={"step": item.step_label})
