"""The deposits line's applications in 我的办件 (fund.tracking): a unit's online opening request, its deferral
and ratio-reduction applications, its base lists, and a member's cross-region transfer. Registered from
`DepositsConfig.ready()`; the register keeps itself from their saves and status moves."""

from __future__ import annotations

from django.urls import reverse

from fund.integrations.models import TransferStatus
from fund.tracking.describing import (
    all_paper_pages,
    is_staff_user,
    last_move_at,
    open_review_step,
    same_day,
    suffix,
    time_limit_deadline,
)
from fund.tracking.registry import Tracked, TrackedKind, register_tracked

from .catalogue import BASE_ADJUST, DEFERRAL, TRANSFER, UNIT_OPEN
from .models import (
    ApplicationKind,
    ApplicationState,
    BaseAdjustmentBatch,
    BatchState,
    CrossRegionTransfer,
    OpeningRequestState,
    TransferDirection,
    UnitApplication,
    UnitOpeningRequest,
)


def describe_opening_request(request: UnitOpeningRequest) -> Tracked:
    """An employer's online request to open its unit account: no login yet, so no unit follows it until the
    account is opened; the public lookup finds it by number and the credit code's last four."""
    decided = request.state != OpeningRequestState.PENDING
    outcome = {"pending": "open", "approved": "done", "rejected": "refused"}[request.state]
    labels = {"pending": "待审核", "approved": "已开户", "rejected": "已退回"}
    return Tracked(
        item_code=UNIT_OPEN.code, title="单位住房公积金账户设立（网上申请）", source_number=f"KH{request.pk:08d}",
        branch_id=request.branch_id, employer_id=request.unit.employer_id if request.unit_id else None,
        lookup_suffix=suffix(request.credit_code), channel="online",
        submitted_at=request.submitted_at, accepted_at=request.reviewed_at, finished_at=request.reviewed_at if decided else None,
        outcome=outcome, step_code=request.state, step_label=labels[request.state],
        step_deadline=None if decided else time_limit_deadline(UNIT_OPEN.code, request.submitted_at),
        step_since=request.reviewed_at, handled_by_id=request.reviewed_by_id,
        texted_by_line=decided,  # the line texts the approval (with the unit's number) and the return
    )


_APPLICATION_STEPS = {
    # The line's state where no review step is open: (code, label). Waiting for 初审 is the review's first step,
    # so the work item that opens a moment later continues the same step.
    ApplicationState.SUBMITTED: ("review", "初审"), ApplicationState.REVIEWED: ("approve", "审批"),
    ApplicationState.APPROVED: ("approved", "已批准待生效"), ApplicationState.IN_EFFECT: ("in_effect", "执行中"),
    ApplicationState.ENDED: ("ended", "已到期"), ApplicationState.REJECTED: ("rejected", "已驳回"),
    ApplicationState.WITHDRAWN: ("withdrawn", "已撤回"),
}


def describe_unit_application(application: UnitApplication) -> Tracked:
    """缓缴 or 降比例: decided by 初审 then 审批 in the staff inbox; finished when approved (the months in effect
    follow as steps), rejected or withdrawn."""
    employer = application.unit.employer
    window = is_staff_user(application.applicant_id)
    state = application.state
    item = open_review_step(application)
    if item is not None:
        step_code, step_label, deadline, since = item.step, item.step_label, item.due_on, item.opened_at
    else:
        step_code, step_label = _APPLICATION_STEPS[ApplicationState(state)]
        deadline = (time_limit_deadline(DEFERRAL.code, application.submitted_at)
                    if state in (ApplicationState.SUBMITTED, ApplicationState.REVIEWED) else None)
        since = application.approved_at or application.reviewed_at
    finished_at = None
    outcome = "open"
    if state in (ApplicationState.APPROVED, ApplicationState.IN_EFFECT, ApplicationState.ENDED):
        outcome, finished_at = "done", application.approved_at
    elif state == ApplicationState.REJECTED:
        outcome, finished_at = "refused", application.approved_at or application.reviewed_at or last_move_at(application)
    elif state == ApplicationState.WITHDRAWN:
        outcome, finished_at = "withdrawn", last_move_at(application)
    kind = "缓缴住房公积金" if application.kind == ApplicationKind.DEFERRAL else "降低住房公积金缴存比例"
    return Tracked(
        item_code=DEFERRAL.code, title=f"{kind}（{application.start_month:%Y-%m}至{application.end_month:%Y-%m}）",
        source_number=application.number, branch_id=employer.branch_id, employer_id=employer.pk,
        lookup_suffix=suffix(employer.credit_code), channel="window" if window else "online",
        submitted_at=application.submitted_at,
        accepted_at=application.submitted_at if window else application.reviewed_at,
        finished_at=finished_at, outcome=outcome, step_code=step_code, step_label=step_label, step_deadline=deadline,
        step_since=since, handled_by_id=application.applicant_id if window else None,
        texted_by_line=state == ApplicationState.WITHDRAWN,  # the unit withdrew it itself
        visits=1 if window else 0, pages=all_paper_pages(DEFERRAL.code) if window else 0,
    )


_BATCH_STEPS = {
    BatchState.QUEUED: ("check", "系统校验"), BatchState.CHECKING: ("check", "系统校验"),
    BatchState.APPLIED: ("applied", "已生效"), BatchState.REJECTED: ("rejected", "校验未通过"),
    BatchState.FAILED: ("failed", "处理失败"),
}


def describe_base_batch(batch: BaseAdjustmentBatch) -> Tracked:
    """A unit's yearly base list (调基): checked and applied by the system, all or nothing, with no one deciding
    it — a decision by the system (秒批) whichever way it goes."""
    employer = batch.unit.employer
    window = is_staff_user(batch.uploaded_by_id)
    live = batch.state in (BatchState.QUEUED, BatchState.CHECKING)
    outcome = "open" if live else "done" if batch.state == BatchState.APPLIED else "refused"
    step_code, step_label = _BATCH_STEPS[BatchState(batch.state)]
    done_on_the_spot = window and batch.state == BatchState.APPLIED and same_day(batch.uploaded_at, batch.finished_at)
    return Tracked(
        item_code=BASE_ADJUST.code, title=f"{batch.year} 年度缴存基数调整", source_number=f"JS{batch.pk:08d}",
        branch_id=employer.branch_id, employer_id=employer.pk, lookup_suffix=suffix(employer.credit_code),
        channel="window" if window else "online", instant=not live, submitted_at=batch.uploaded_at,
        accepted_at=batch.uploaded_at, finished_at=None if live else batch.finished_at, outcome=outcome,
        step_code=step_code, step_label=step_label, step_since=batch.finished_at, texted_by_line=live,  # seconds
        handled_by_id=batch.uploaded_by_id if window else None, visits=1 if window else 0,
        pages=all_paper_pages(BASE_ADJUST.code) if window else 0, on_the_spot=done_on_the_spot,
    )


_TRANSFER_OUTCOMES = {
    TransferStatus.DONE: "done", TransferStatus.DONE_AFTER_NEGOTIATION: "done", TransferStatus.CANCELLED: "withdrawn",
    TransferStatus.OUT_REJECTED: "refused", TransferStatus.OUT_FAILED: "refused",
}


def describe_transfer(transfer: CrossRegionTransfer) -> Tracked:
    """异地转移接续. In: the member asked here (online or at a window) and the platform carries it; out: the
    member asked at the new centre and its letter reached us, so nobody came here for it. The step is the
    platform's status, or ours before the platform has one."""
    account = transfer.account
    incoming = transfer.direction == TransferDirection.IN
    window = incoming and is_staff_user(transfer.created_by_id)
    if transfer.status:
        step_code, step_label = f"platform_{transfer.status}", TransferStatus(transfer.status).label
    elif incoming:
        step_code, step_label = "letter", "发送联系函"
    elif transfer.refuse_reason:
        step_code, step_label = "refusing", "答复不予转出"
    else:
        step_code, step_label = "letter_received", "审核来函"
    if not transfer.finished and transfer.payout_failure:
        step_code, step_label = "payout_failed", "划款失败待重试"
    outcome = _TRANSFER_OUTCOMES.get(transfer.status, "done") if transfer.finished else "open"
    direction = "转入" if incoming else "转出"
    return Tracked(
        item_code=TRANSFER.code, title=f"住房公积金异地转移接续（{direction}）", source_number=transfer.reference,
        branch_id=account.unit.employer.branch_id, person_id=account.person_id,
        lookup_suffix=suffix(account.person.id_number), channel="window" if window else "online",
        submitted_at=transfer.created_at, accepted_at=transfer.created_at, finished_at=transfer.finished_at,
        outcome=outcome, step_code=step_code, step_label=step_label,
        step_deadline=None if transfer.finished else time_limit_deadline(TRANSFER.code, transfer.created_at),
        step_since=transfer.finished_at, handled_by_id=transfer.created_by_id if window else transfer.handled_by_id,
        visits=1 if window else 0, pages=all_paper_pages(TRANSFER.code) if window else 0,
    )


def register_deposit_tracking() -> None:
    register_tracked(TrackedKind(
        key="deposits.unit_opening", model=UnitOpeningRequest, noun="单位开户申请", describe=describe_opening_request,
        staff_url=lambda r: reverse("staff:unit_request_detail", args=[r.pk]),
    ))
    register_tracked(TrackedKind(
        key="deposits.unit_application", model=UnitApplication, noun="缓缴/降比例申请",
        describe=describe_unit_application, staff_url=lambda a: reverse("staff:application_detail", args=[a.pk]),
        unit_url=lambda a: reverse("unit:applications"),
    ))
    register_tracked(TrackedKind(
        key="deposits.base_batch", model=BaseAdjustmentBatch, noun="缴存基数调整", describe=describe_base_batch,
        staff_url=lambda b: reverse("staff:unit_base_batch", args=[b.unit_id, b.pk]),
        unit_url=lambda b: reverse("unit:base_batch", args=[b.pk]),
    ))
    register_tracked(TrackedKind(
        key="deposits.transfer", model=CrossRegionTransfer, noun="异地转移接续", describe=describe_transfer,
        staff_url=lambda t: reverse("staff:transfer_letter", args=[t.pk]) if t.from_platform
        else reverse("staff:member_transfer", args=[t.account_id]),
        member_url=lambda t: reverse("member:transfer"),
    ))


register_deposit_tracking()
