"""The one source of a withdrawal's state in words: its label, its badge and the sentence that explains it
(`withdrawal_status`), and the member's progress step by step (`withdrawal_progress`).

Every page (member, staff, the home panels) and the API read them here, so a withdrawal never shows one state
in its badge and another in a sentence beside it. The words depend on the decision path as well as the
state: a reason that always goes to people is never said to be "秒批", and while people hold it the progress
names the step (初审, 审批), its deadline and the post that holds it, never a person's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fund.people.models import Post
from fund.workflow.models import ItemState
from fund.workflow.services import work_history

from .models import Channel, Decider, Withdrawal, WithdrawalState
from .reasons import REASONS

S = WithdrawalState

# The badge each state wears (the classes of static/css: badge-success, badge-warning ...).
BADGES = {
    S.SUBMITTED: "badge-warning", S.REVIEW: "badge-warning", S.APPROVED: "badge-info",
    S.PAYOUT_FAILED: "badge-danger", S.PAID: "badge-success", S.REJECTED: "badge-danger", S.CANCELLED: "badge-dark",
}


@dataclass(frozen=True)
class Status:
    state: str
    label: str  # the badge's words: the state's label, the same on every page and in the API
    badge: str  # the badge's CSS class
    sentence: str  # what is happening now and what comes next, in the member's words
    tone: str  # the sentence's alert tone: "" (plain), "error"


def manual_path(withdrawal: Withdrawal) -> bool:
    """Whether people decide (or decided) this withdrawal: its reason always goes to people, or the rules sent
    it there, or it was decided by people."""
    reason = REASONS.get(withdrawal.reason)
    return (reason is None or not reason.auto or withdrawal.state == S.REVIEW
            or withdrawal.decider == Decider.MANUAL)


def _post_label(posts: tuple[str, ...]) -> str:
    return f"{Post(posts[0]).label}岗"


def _open_step(withdrawal: Withdrawal, items: list[Any] | None) -> Any:
    items = _items(withdrawal) if items is None else items
    return next((i for i in items if i.state == ItemState.OPEN), None)


def _items(withdrawal: Withdrawal) -> list[Any]:
    if withdrawal.pk is None or not manual_path(withdrawal):
        return []
    return list(work_history(withdrawal))


def withdrawal_status(withdrawal: Withdrawal, *, items: list[Any] | None = None) -> Status:
    """The label, badge and sentence for `withdrawal` as it is now. `items` (its work items, oldest first) may
    be passed by a caller that has read them; otherwise they are read when people hold the withdrawal."""
    state = withdrawal.state
    label = WithdrawalState(state).label
    tone = ""
    if state == S.SUBMITTED:
        if manual_path(withdrawal):
            sentence = "已受理，系统正在通过数据共享核验申请信息，随后转初审、审批。"
        else:
            sentence = "系统正在通过数据共享核验您的申请，通常几秒钟即可完成，符合条件的即时批准。"
    elif state == S.REVIEW:
        item = _open_step(withdrawal, items)
        if item is not None:
            sentence = f"申请正在“{item.step_label}”环节（{withdrawal.branch.name}{_step_post(item)}办理），将于 {item.due_on:%Y-%m-%d} 前办结。"
        else:
            sentence = "申请已转人工审核" + (f"，将于 {withdrawal.due_on:%Y-%m-%d} 前办结。" if withdrawal.due_on else "。")
    elif state == S.APPROVED:
        sentence = "已批准，款项正在通过银行付款，到账后本页显示“已到账”。"
    elif state == S.PAYOUT_FAILED:
        sentence = "银行付款未成功，款项已退回公积金账户，系统将自动重试；如收款银行卡有误，请到综合窗口变更。"
        tone = "error"
    elif state == S.PAID:
        sentence = "款项已转入收款银行卡，本笔提取已办结。"
    elif state == S.REJECTED:
        sentence = f"未通过：{withdrawal.decision_note}" if withdrawal.decision_note else "未通过。"
        tone = "error"
    else:
        sentence = "申请已撤回，本笔提取已办结。"
    return Status(state=state, label=label, badge=BADGES.get(state, "badge-default"), sentence=sentence, tone=tone)


def _step_post(item: Any) -> str:
    from fund.workflow.flows import flow

    try:
        return _post_label(flow(item.flow).step(item.step).posts)
    except KeyError:
        return ""


def _step(key: str, label: str, state: str, *, when: Any = None, holder: str = "", due: Any = None) -> dict[str, Any]:
    return {"key": key, "label": label, "state": state, "when": when, "holder": holder, "due": due}


def withdrawal_progress(withdrawal: Withdrawal, *, items: list[Any] | None = None) -> list[dict[str, Any]]:
    """The steps, in the shape of templates/includes/steps.html: 受理 → 系统核验 → (初审 → 审批, when people
    decide) → 银行付款 → 资金到账, each {key, label, state: done|current|todo|failed, when, holder (a post or
    the system, never a name), due (the deadline of a step with people)}."""
    from .services.decision import REVIEW_FLOW

    state = withdrawal.state
    items = _items(withdrawal) if items is None else items
    manual = manual_path(withdrawal)
    ended = state in (S.REJECTED, S.CANCELLED)
    window = withdrawal.channel == Channel.WINDOW
    steps = [_step("accept", "受理", "done", when=withdrawal.submitted_at,
                   holder=f"{withdrawal.branch.name}受理岗" if window else "网上办理")]
    if state == S.SUBMITTED:
        check_state = "current"
    elif state == S.REJECTED and not items:
        check_state = "failed"  # refused by the rules themselves (a member blacklisted since submission)
    elif state == S.CANCELLED and not items and withdrawal.decided_at is None:
        check_state = "todo"  # withdrawn before the system had checked it
    else:
        check_state = "done"
    steps.append(_step("check", "系统核验", check_state, holder="系统自动核验",
                       when=withdrawal.decided_at if check_state == "done" and not manual else None))
    if manual:
        by_step: dict[str, Any] = {}
        for item in items:
            by_step[item.step] = item  # the newest item of each step
        for spec in REVIEW_FLOW.steps:
            item = by_step.get(spec.code)
            holder = f"{withdrawal.branch.name}{_post_label(spec.posts)}"
            due = item.due_on if item is not None else withdrawal.due_on
            if item is None:
                step_state = "todo"
            elif item.state == ItemState.OPEN:
                step_state = "current"
            elif item.state == ItemState.DONE and item.decision == "pass":
                step_state = "done"
            elif item.state == ItemState.DONE:
                step_state = "failed"
            else:
                step_state = "todo"  # cancelled: the applicant withdrew before it was decided
            steps.append(_step(spec.code, spec.label, step_state, holder=holder,
                               when=item.acted_at if step_state in ("done", "failed") else None,
                               due=due if step_state in ("current", "todo") and not ended else None))
    paying = state in (S.APPROVED, S.PAYOUT_FAILED)
    pay_state = ("failed" if state == S.PAYOUT_FAILED else "current" if paying else "done" if state == S.PAID
                 else "todo")
    steps.append(_step("pay", "银行付款", pay_state, holder="受托银行",
                       when=withdrawal.paid_at if state == S.PAID else withdrawal.decided_at if paying else None))
    steps.append(_step("paid", "资金到账", "done" if state == S.PAID else "todo", holder="收款银行卡",
                       when=withdrawal.paid_at))
    if ended:
        steps.append(_step("end", WithdrawalState(state).label, "failed", when=withdrawal.ended_at))
        # Nothing after the end is still to come: drop the payment steps that never happened.
        steps = [s for s in steps if not (s["key"] in ("pay", "paid") and s["state"] == "todo")]
    return steps
