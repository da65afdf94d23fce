"""The loans line's applications in 我的办件 (fund.tracking): a loan application from any channel, from the
buyer's confirmation or the window's acceptance through 初审/审批, signing and mortgage to the disbursement.
Registered from `LoansConfig.ready()`."""

from __future__ import annotations

from django.urls import reverse

from fund.tracking.describing import open_review_step, paper_pages, suffix
from fund.tracking.registry import Tracked, TrackedKind, register_tracked

from .catalogue import item_for
from .models import ApplicationState, Channel, LoanApplication

S = ApplicationState
_OUTCOMES = {S.DISBURSED: "done", S.REJECTED: "refused", S.WITHDRAWN: "withdrawn"}
# Where the application waits with no review step open; accepted and waiting for 初审 is that step already.
_LABELS = {
    S.DRAFT: "待购房人确认", S.SUBMITTED: "待受理", S.REVIEWING: "初审", S.APPROVED: "待签约", S.SIGNED: "待抵押登记",
    S.MORTGAGED: "待放款", S.DISBURSING: "放款中", S.DISBURSED: "已放款", S.REJECTED: "未通过", S.WITHDRAWN: "已撤回",
}


def describe_loan_application(application: LoanApplication) -> Tracked:
    """A loan application. The line counts the applicant's visits itself (to a window or a bank outlet), and
    the paper materials ticked when it was accepted there; it is finished when disbursed, refused or withdrawn."""
    state = S(application.state)
    item = open_review_step(application) if state == S.REVIEWING else None
    if item is not None:
        step_code, step_label, deadline, since = item.step, item.step_label, item.due_on, item.opened_at
    else:
        step_code = "review" if state == S.REVIEWING else state.value
        step_label, deadline = _LABELS[state], None
        since = application.disbursed_at or application.decided_at or application.accepted_at
    finished_at = application.disbursed_at if state == S.DISBURSED else (
        application.ended_at or application.decided_at) if state in _OUTCOMES else None
    item_code = item_for(application.home_kind).code
    # The line texts the developer's draft, the decision and the disbursement; a withdrawal is the applicant's own.
    texted_by_line = state in (S.DRAFT, S.APPROVED, S.REJECTED, S.DISBURSED, S.WITHDRAWN)
    window = application.channel in (Channel.WINDOW, Channel.BANK)
    borrower = application.borrower
    return Tracked(
        item_code=item_code, title=item_for(application.home_kind).name, source_number=application.number,
        branch_id=application.branch_id, person_id=borrower.pk, lookup_suffix=suffix(borrower.id_number),
        channel="window" if window else "online", submitted_at=application.created_at,
        accepted_at=application.accepted_at, finished_at=finished_at, outcome=_OUTCOMES.get(state, "open"),
        step_code=step_code, step_label=step_label, step_deadline=deadline, step_since=since or finished_at,
        handled_by_id=application.accepted_by_id, visits=application.visits, texted_by_line=texted_by_line,
        pages=paper_pages(item_code, application.materials) if application.visits else 0,
    )


def register_loan_tracking() -> None:
    register_tracked(TrackedKind(
        key="loans.application", model=LoanApplication, noun="贷款申请", describe=describe_loan_application,
        staff_url=lambda a: reverse("staff:loan-application", args=[a.pk]),
        member_url=lambda a: reverse("member:loan-applications"),
    ))


register_loan_tracking()
