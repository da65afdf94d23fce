"""The withdrawals line's applications in 我的办件 (fund.tracking): every withdrawal a member or a window asked
for, each under its reason's catalogue item. A standing instruction's monthly run is not an application anyone
filed (the instruction was), so it stays off the register. Registered from `WithdrawalsConfig.ready()`."""

from __future__ import annotations

from django.urls import reverse

from fund.tracking.describing import open_review_step, paper_pages, same_day, suffix
from fund.tracking.registry import Tracked, TrackedKind, register_tracked

from .models import Channel, Decider, Withdrawal, WithdrawalState
from .reasons import REASONS

S = WithdrawalState

# The step where no review step is open: (code, label). Waiting for people starts at the review's first step.
_STEPS = {
    S.SUBMITTED: ("check", "系统核验"), S.REVIEW: ("review", "初审"), S.APPROVED: ("pay", "银行付款"),
    S.PAYOUT_FAILED: ("payout_failed", "付款失败待重试"), S.PAID: ("paid", "已到账"), S.REJECTED: ("rejected", "未通过"),
    S.CANCELLED: ("cancelled", "已撤回"),
}
_OUTCOMES = {S.PAID: "done", S.REJECTED: "refused", S.CANCELLED: "withdrawn"}


def describe_withdrawal(withdrawal: Withdrawal) -> Tracked | None:
    """A withdrawal: accepted as it is submitted (the system checks it at once), decided by 秒批 or by 初审 and
    审批, finished when the money reaches the card (or refused, or withdrawn). At a window the member came
    once and handed in the ticked paper materials; online they came not at all and brought none."""
    if withdrawal.standing_id is not None:
        return None
    reason = REASONS.get(withdrawal.reason)
    item_code = reason.item.code if reason is not None else f"TQ-{withdrawal.reason_code}"
    window = withdrawal.channel == Channel.WINDOW
    state = S(withdrawal.state)
    item = open_review_step(withdrawal) if state in (S.SUBMITTED, S.REVIEW) else None
    if item is not None:
        step_code, step_label, deadline, since = item.step, item.step_label, item.due_on, item.opened_at
    else:
        step_code, step_label = _STEPS[state]
        deadline = withdrawal.due_on if state == S.REVIEW else None
        since = withdrawal.decided_at if state in (S.APPROVED, S.PAYOUT_FAILED) else None
    finished_at = withdrawal.paid_at if state == S.PAID else withdrawal.ended_at if state in _OUTCOMES else None
    instant = withdrawal.decider == Decider.AUTO
    # The line texts the move to people (初审 with its deadline), the refusal and the payout; the system's check
    # and the bank's payment last seconds. The register texts only what the line does not: 审批.
    texted_by_line = state != S.REVIEW or step_code == "review"
    person = withdrawal.account.person
    return Tracked(
        item_code=item_code, title=reason.item.name if reason is not None else "提取住房公积金",
        source_number=withdrawal.number, branch_id=withdrawal.branch_id, person_id=person.pk,
        lookup_suffix=suffix(person.id_number), channel="window" if window else "online", instant=instant,
        submitted_at=withdrawal.submitted_at, accepted_at=withdrawal.submitted_at, finished_at=finished_at,
        outcome=_OUTCOMES.get(state, "open"), step_code=step_code, step_label=step_label, step_deadline=deadline,
        step_since=since or finished_at, handled_by_id=withdrawal.submitted_by_id if window else None,
        visits=1 if window else 0, pages=paper_pages(item_code, withdrawal.materials) if window else 0,
        texted_by_line=texted_by_line,
        on_the_spot=window and instant and state == S.PAID and same_day(withdrawal.submitted_at, withdrawal.paid_at),
    )


def register_withdrawal_tracking() -> None:
    register_tracked(TrackedKind(
        key="withdrawals.withdrawal", model=Withdrawal, noun="提取申请", describe=describe_withdrawal,
        staff_url=lambda w: reverse("staff:withdrawal", args=[w.pk]),
        member_url=lambda w: reverse("member:withdrawal", args=[w.pk]),
    ))


register_withdrawal_tracking()
