"""Deciding a withdrawal: 秒批 by rules, or people through the review flow; then taking the money.

`withdrawal_decide` runs the reason's rules against the sandboxes outside any transaction (they are calls
to other systems), then, under the withdrawal's row lock, stores every verdict with its evidence and either
approves (all passed and the reason allows 秒批) or sends the application to 初审 → 审批 with a deadline in
working days. Run twice, the second run finds the state moved and does nothing.

Approval (`approve_and_instruct`) is one transaction: `withdrawal_take` takes the money (for a closing
withdrawal, interest to the day and the 積数 cleared; the amount from 住房公积金 (201) into 提取待付款 (221) with
the member's sub-ledger row; the account closed as 提取销户 (05) through deposits when the reason closes it),
then a `fund.payments` payment (221 → bank) is made whose first attempt's reference is the bank's idempotency
key. The bank is called after commit by the payments task, or by the decide task itself (`payout.py`), which
also does a refused payout's part and the next attempts. This module imports neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from deposits.models import MemberAccount, MemberState
from deposits.services.account_closing import account_close_by_withdrawal
from deposits.services.interest import interest_to_date
from fund.audit.services import audit_log
from fund.integrations.base import IntegrationError
from fund.ledger import chart
from fund.ledger.models import BusinessType, JournalEntry
from fund.ledger.services import Movement, credit, debit, entry_post, sub_account_interest_close
from fund.money import ZERO, clean_amount, format_money
from fund.payments.services import payment_create
from fund.people.models import Post
from fund.validation import clean_into
from fund.workflow.flows import FlowSpec, StepSpec, register_flow
from fund.workflow.models import WorkItem
from fund.workflow.moves import move_status
from fund.workflow.services import work_act, work_open, work_open_item, work_refusal

from ..models import Decider, RuleCheck, Withdrawal, WithdrawalState
from ..reasons import REASONS, Context, Limit, Reason, Verdict, run_rule
from .application import blacklist_refusal
from .states import PAYOUT_PURPOSE, WITHDRAWAL_MOVES, payee_of, withdrawal_notify

REVIEW_FLOW = register_flow(FlowSpec(
    name="withdrawals.review", label="提取人工审核", deadline_policy="withdrawal_review_days",
    steps=(StepSpec("review", "初审", (Post.REVIEW,)), StepSpec("approve", "审批", (Post.APPROVE, Post.DIRECTOR))),
))


def _verdicts(withdrawal: Withdrawal, spec: Reason, today: date) -> tuple[Context, list[tuple[str, str, Verdict]]]:
    ctx = Context(withdrawal, today)
    out: list[tuple[str, str, Verdict]] = []
    refusal = blacklist_refusal(withdrawal.account.person.id_number)
    out.append(("blacklist", "诚信黑名单",
                Verdict(False, refusal, refusal) if refusal else Verdict(True, "未列入诚信黑名单", "信用记录正常")))
    for rule in spec.rules:
        out.append((rule.code, rule.label, run_rule(rule, ctx)))
    return ctx, out


def proposed_amount(withdrawal: Withdrawal, limit: Decimal | None, balance: Decimal) -> Decimal | None:
    """The amount to pay: what was asked, within the reason's limit and the balance. None: the whole balance
    with interest, fixed when the money is taken."""
    if withdrawal.closes_account:
        return None
    ceiling = balance if limit is None else min(limit, balance)
    asked = withdrawal.amount_requested
    return max(min(asked, ceiling) if asked is not None else ceiling, ZERO)


def withdrawal_decide(*, withdrawal_id: int, today: date | None = None, queue_payout: bool = True) -> Withdrawal:
    """The 秒批 decision (a Celery task calls this). Idempotent: only a submitted withdrawal is decided.

    `queue_payout=False` leaves the bank instruction to the caller (the decide task sends it at once, in the
    same worker, rather than queueing a second task behind other decisions)."""
    today = today or timezone.localdate()
    withdrawal = Withdrawal.objects.select_related("account__person", "account__sub_account").get(pk=withdrawal_id)
    if withdrawal.state != WithdrawalState.SUBMITTED:
        return withdrawal
    spec = REASONS[withdrawal.reason]
    ctx, verdicts = _verdicts(withdrawal, spec, today)
    limit, unverified = _limit(spec, ctx)
    with transaction.atomic():
        # The row lock, with the last rule round read in the same statement.
        withdrawal = (Withdrawal.objects.select_for_update(of=("self",)).select_related("account")
                      .annotate(last_round=_last(RuleCheck, "round")).get(pk=withdrawal_id))
        if withdrawal.state != WithdrawalState.SUBMITTED:
            return withdrawal
        if withdrawal.home_key:
            # Two withdrawals for one home decided at once: the second waits for the first to commit, then
            # checks the same-home rule again against what is now taken (nothing remembered before the lock).
            _lock_home(withdrawal.home_key, ctx.home_place)
            ctx.withdrawal = withdrawal
            ctx.forget()
            verdicts = [(code, label, run_rule(rule, ctx) if code == "same_home" and rule is not None else v)
                        for (code, label, v), rule in zip(verdicts, (None, *spec.rules), strict=True)]
            limit, unverified = _limit(spec, ctx)
        RuleCheck.objects.bulk_create([
            RuleCheck(withdrawal=withdrawal, round=(withdrawal.last_round or 0) + 1, order=i, rule=code, label=label,
                      passed=v.passed, detail=v.detail[:500], plain=(v.plain or v.detail)[:500], evidence=v.evidence)
            for i, (code, label, v) in enumerate(verdicts, start=1)
        ])
        # The account and its balance, locked now: an approval takes the money from them in this transaction.
        account = _account_locked(withdrawal.account_id)
        amount = proposed_amount(withdrawal, limit.amount, account.sub_account.balance)
        failed = [(label, v) for _, label, v in verdicts if not v.passed]
        withdrawal.details, withdrawal.home_place = ctx.details, ctx.home_place
        withdrawal.amount = amount if amount else None
        blacklisted = verdicts[0][2].passed is False  # blacklisted since submission: refused, with the reason
        if account.state == MemberState.FROZEN:  # frozen since submission: people decide, nothing is paid
            failed.append(("账户状态", Verdict(False, "个人账户已冻结", "您的账户已被冻结，需人工审核")))
        if unverified is not None:
            failed.append(("可提取金额", unverified))
        elif amount is not None and amount <= 0:
            failed.append(("提取金额", Verdict(False, f"可提取金额为 0（{limit.note}）", f"可提取金额为 0：{limit.note}")))
        if not blacklisted and not failed and spec.auto:
            # The verdict's details and amount go in the same compare-and-set as the approval.
            note = f"秒批通过：{len(verdicts)} 项规则全部通过；{limit.note}"
            return _approve(withdrawal=withdrawal, decider=Decider.AUTO, note=note, actor=None, today=today,
                            queue_payout=queue_payout, account=account,
                            fields={"details": withdrawal.details, "home_place": withdrawal.home_place})
        withdrawal.save(update_fields=["details", "home_place", "amount"])
        if blacklisted:
            return _end(withdrawal, WithdrawalState.REJECTED, verdicts[0][2].plain, actor=None)
        reasons = "；".join(f"{label}：{v.detail}" for label, v in failed) or "该提取原因须人工审核"
        return _to_review(withdrawal, note=f"转人工审核：{reasons}"[:500], today=today)


def _lock_home(home_key: str, home_place: str) -> None:
    """Until the transaction ends, no other decision or approval for this home, by its number or by its place,
    runs its checks (both locks, always in the same order)."""
    with connection.cursor() as cursor:
        for name in sorted({f"withdrawals.home:{home_key}", *([f"withdrawals.place:{home_place}"] if home_place else [])}):
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [name])


def _home_context(withdrawal: Withdrawal, today: date) -> Context:
    """Before an approval's transaction: the outside systems' answers the home's limit reads, asked once and
    kept in the context, so that `_home_still_allowed` reads only this database under its locks."""
    ctx = Context(Withdrawal.objects.select_related("account__person").get(pk=withdrawal.pk), today)
    _limit(REASONS[withdrawal.reason], ctx)
    return ctx


def _home_still_allowed(withdrawal: Withdrawal, ctx: Context) -> None:
    """At the last approval of a withdrawal for a home, under the home's lock: the same-home rule and the
    home's limit again, against what other withdrawals (a family member's 秒批 while this one was in review)
    have taken since it was decided. Raises ValidationError when the approval must not pay."""
    _lock_home(withdrawal.home_key, withdrawal.home_place)
    spec = REASONS[withdrawal.reason]
    ctx.withdrawal = withdrawal
    ctx.forget()  # what this database said is read again under the lock; the outside answers stay
    for rule in spec.rules:
        if rule.code == "same_home":
            verdict = run_rule(rule, ctx)
            if not verdict.passed:
                raise ValidationError({"state": [f"不能批准：{verdict.detail}。请驳回"]})
    limit, unverified = _limit(spec, ctx)
    if unverified is None and limit.amount is not None and withdrawal.amount is not None \
            and withdrawal.amount > limit.amount:
        raise ValidationError({"amount": [f"该住房现可提取 {format_money(limit.amount)} 元（{limit.note}），请调低核准金额或驳回"]})


def _limit(spec: Reason, ctx: Context) -> tuple[Limit, Verdict | None]:
    """The reason's limit, and a failed verdict when an outside system could not tell it: then people decide,
    on the balance (审批 may lower the amount), as they do when a rule's system fails (`run_rule`)."""
    try:
        return spec.limit(ctx), None
    except IntegrationError as exc:
        return Limit(None, "可提取金额未经共享数据核定"), Verdict(
            False, f"外部系统无法核定可提取金额（{exc}），请人工核定", "暂时无法通过共享数据核定可提取金额，已转人工审核",
            {"call_id": exc.call_id} if exc.call_id else {})


def _last(model: Any, field: str) -> Subquery:
    """The highest `field` of the withdrawal's `model` rows (rule rounds), as a subquery."""
    rows = model.objects.filter(withdrawal=OuterRef("pk")).order_by(f"-{field}").values(field)[:1]
    return Subquery(rows)


def _account_locked(account_id: int) -> MemberAccount:
    """The member account and its sub-account, both locked, in one statement (the person comes along unlocked)."""
    return (MemberAccount.objects.select_for_update(of=("self", "sub_account"))
            .select_related("person", "sub_account").get(pk=account_id))


def _end(withdrawal: Withdrawal, state: str, note: str, *, actor: Any) -> Withdrawal:
    now = timezone.now()
    move_status(withdrawal, state, table=WITHDRAWAL_MOVES, action=f"withdrawals.{state}", actor=actor,
                note={"note": note[:200]}, decision_note=note[:500], decided_at=now, ended_at=now,
                decider=Decider.MANUAL if actor else Decider.AUTO)
    withdrawal_notify(withdrawal, f"您的住房公积金提取申请（{withdrawal.number}）未通过：{note[:60]}")
    return withdrawal


def _to_review(withdrawal: Withdrawal, *, note: str, today: date) -> Withdrawal:
    item = work_open(spec=REVIEW_FLOW, subject=withdrawal, branch=withdrawal.branch,
                     applicant=withdrawal.submitted_by, today=today)
    move_status(withdrawal, WithdrawalState.REVIEW, table=WITHDRAWAL_MOVES, action="withdrawals.to_review", actor=None,
                note={"due_on": item.due_on, "note": note[:200]}, decision_note=note, due_on=item.due_on)
    withdrawal_notify(withdrawal, f"您的住房公积金提取申请（{withdrawal.number}）已转人工审核，"
                        f"将于 {item.due_on:%Y年%m月%d日} 前办结，进度可在个人网厅查询。")
    return withdrawal


def approve_and_instruct(
    *, withdrawal: Withdrawal, decider: str, note: str, actor: Any, today: date | None = None, queue_payout: bool = True
) -> Withdrawal:
    """Take the money and instruct the bank (after commit). The caller holds the withdrawal's row lock."""
    return _approve(withdrawal=withdrawal, decider=decider, note=note, actor=actor, today=today,
                    queue_payout=queue_payout, account=_account_locked(withdrawal.account_id))


def _approve(
    *, withdrawal: Withdrawal, decider: str, note: str, actor: Any, today: date | None, queue_payout: bool,
    account: MemberAccount, fields: dict[str, Any] | None = None,
) -> Withdrawal:
    """The first approval: take the money (`withdrawal_take`, the account and its sub-account already locked by
    `_account_locked`) and make the payment, whose first attempt is sent after commit unless the caller sends it
    (`queue_payout=False`: the decide task). `fields` are saved with the state move."""
    taken = withdrawal_take(withdrawal=withdrawal, account=account, attempt=1, actor=actor, today=today,
                            fields={**(fields or {}), "decider": decider, "decided_at": timezone.now(),
                                    "decision_note": note[:500]})
    payment_create(
        purpose=PAYOUT_PURPOSE, subject=withdrawal, subject_label=f"提取 {withdrawal.number}", amount=taken.amount,
        payee_account=taken.card, payee_name=taken.name, reference=f"{withdrawal.number}-1",
        business_type=_business_type(withdrawal), ledger_reference=f"withdrawals:{withdrawal.number}",
        memo=f"住房公积金提取 {withdrawal.number}", branch=withdrawal.branch, actor=actor, hold_entry=taken.entry,
        send=queue_payout,
    )
    return withdrawal


def _business_type(withdrawal: Withdrawal) -> str:
    return BusinessType.GJ_CLOSING_WITHDRAWAL if withdrawal.closes_account else BusinessType.GJ_PARTIAL_WITHDRAWAL


@dataclass(frozen=True)
class Taken:
    """What one payout attempt pays: the amount taken into 221 (`entry`), and the card."""

    amount: Decimal
    card: str
    name: str
    entry: JournalEntry


def withdrawal_take(
    *, withdrawal: Withdrawal, account: MemberAccount | None, attempt: int, actor: Any, today: date | None = None,
    fields: dict[str, Any] | None = None,
) -> Taken:
    """Take the money for payout attempt `attempt` and move the withdrawal to 已批准, under the withdrawal's row
    lock and the account's and its sub-account's (`_account_locked`). A closing withdrawal settles interest to
    the day first and closes the account through deposits (`account_close_by_withdrawal`). `fields` are saved
    with the state move (`account` None: locked here). The first approval and every retry after a refused
    payout take it this way."""
    today = today or timezone.localdate()
    if account is None:
        account = _account_locked(withdrawal.account_id)
    if account.state == MemberState.FROZEN:
        raise ValidationError({"account": ["个人账户已冻结，不能付款"]})
    sub = account.sub_account
    interest = ZERO
    if withdrawal.closes_account:
        current, prior = interest_to_date(sub, today - timedelta(days=1))
        sub_account_interest_close(
            sub_account_id=sub.pk, value_date=today, current=current, prior=prior, expense_code=chart.INTEREST_EXPENSE,
            reference=f"withdrawals:{withdrawal.number}", idempotency_key=f"withdrawals.interest:{withdrawal.pk}:{attempt}",
            actor=actor, summary="销户提取结息",
        )
        interest = current + prior
        sub.refresh_from_db()
        amount = sub.balance
    else:
        amount = min(withdrawal.amount or ZERO, sub.balance)
    if amount <= 0:
        raise ValidationError({"amount": ["账户可提取金额为 0"]})
    closing = withdrawal.closes_account
    posted = entry_post(
        business_type=_business_type(withdrawal),
        reference=f"withdrawals:{withdrawal.number}",
        idempotency_key=f"withdrawals.debit:{withdrawal.pk}:{attempt}",
        value_date=today,
        legs=[debit(chart.MEMBER_DEPOSITS, amount), credit(chart.WITHDRAWAL_PAYABLE, amount)],
        movements=[Movement(sub.pk, -amount, summary=f"{'销户' if closing else '部分'}提取（{REASONS[withdrawal.reason].label}）")],
        actor=actor, memo=f"提取 {withdrawal.number} 第 {attempt} 次付款",
    )
    card, name = payee_of(withdrawal)
    fields = {**(fields or {}), "amount": amount, "payee_card": card,
              "interest": interest if attempt == 1 else withdrawal.interest + interest}
    if closing:
        fields["prior_account_state"] = account_close_by_withdrawal(
            account=account, withdrawal_number=withdrawal.number, actor=actor)
    move_status(withdrawal, WithdrawalState.APPROVED, table=WITHDRAWAL_MOVES, action="withdrawals.approved",
                actor=actor, verb="批准付款",
                note={"amount": amount, "attempt": attempt, "entry": posted.entry.number}, **fields)
    return Taken(amount=amount, card=card, name=name, entry=posted.entry)


def withdrawal_review(
    *, actor: Any, withdrawal: Withdrawal, approve: bool, opinion: str = "", amount: Any = None
) -> Withdrawal:
    """Decide the open review step. The last step's approval takes the money (optionally less than proposed)."""
    step = _step_for(actor, withdrawal)
    # Only the last step's approval reads the home's limit from outside systems, and only once the actor is
    # known to hold that step: anyone else in scope posting "approve" asks nothing outside.
    last = step.step == REVIEW_FLOW.steps[-1].code
    home = _home_context(withdrawal, timezone.localdate()) if approve and last and withdrawal.home_key else None
    with transaction.atomic():
        withdrawal = Withdrawal.objects.select_for_update().get(pk=withdrawal.pk)
        if withdrawal.state != WithdrawalState.REVIEW:
            raise ValidationError({"state": [f"提取状态为“{withdrawal.get_state_display()}”，不在审核中"]})
        item: WorkItem | None = work_open_item(withdrawal)
        if item is None:
            raise ValidationError({"state": ["没有待审核的环节"]})
        lowered = None
        if amount not in (None, ""):
            errors: dict[str, list[str]] = {}
            lowered = clean_into(errors, "amount", clean_amount, amount, label="核准金额", required=False)
            if errors:
                raise ValidationError(errors)
            if withdrawal.closes_account:
                raise ValidationError({"amount": ["销户提取按全部余额办理，不能修改金额"]})
            if withdrawal.amount is not None and lowered is not None and lowered > withdrawal.amount:
                raise ValidationError({"amount": [f"核准金额不能超过可提取金额 {format_money(withdrawal.amount)} 元"]})
        outcome = work_act(actor=actor, item=item, approve=approve, opinion=opinion)
        if not outcome.finished:
            audit_log(actor=actor, action="withdrawals.reviewed", target=withdrawal, new={"step": item.step_label})
            return withdrawal
        if not outcome.approved:
            return _end(withdrawal, WithdrawalState.REJECTED, opinion or "审核未通过", actor=actor)
        if item.step != REVIEW_FLOW.steps[-1].code:
            raise PermissionDenied("审批环节未完成")
        if lowered is not None and withdrawal.amount is not None:
            withdrawal.amount = lowered
        if not withdrawal.closes_account and not withdrawal.amount:
            raise ValidationError({"amount": ["可提取金额为 0（已达限额或无可提取余额），不能批准，请驳回"]})
        if withdrawal.home_key:
            if home is None:  # the step moved on since it was read above: its home was never checked
                raise ValidationError({"state": ["审核环节已变化，请刷新后重试"]})
            _home_still_allowed(withdrawal, home)
        return approve_and_instruct(withdrawal=withdrawal, decider=Decider.MANUAL,
                                    note=f"人工审核通过：{opinion}".rstrip("："), actor=actor)


def _step_for(actor: Any, withdrawal: Withdrawal) -> WorkItem:
    """The open review step, when `actor` may decide it; raises what `work_act` would. Read before anything is
    asked outside (`work_act` checks again under the locks)."""
    current = Withdrawal.objects.filter(pk=withdrawal.pk).values_list("state", flat=True).first()
    if current != WithdrawalState.REVIEW:
        label = WithdrawalState(current).label if current else "不存在"
        raise ValidationError({"state": [f"提取状态为“{label}”，不在审核中"]})
    item = work_open_item(withdrawal)
    if item is None:
        raise ValidationError({"state": ["没有待审核的环节"]})
    refusal = work_refusal(actor=actor, item=item)
    if refusal:
        raise PermissionDenied(refusal)
    return item


def decisions_stale(*, older_than: timedelta = timedelta(minutes=1)) -> list[int]:
    """Submitted withdrawals still undecided after a while: their decide task was lost (the broker was down
    when it was queued, or a worker died). Deciding twice is harmless, so the beat job queues them again."""
    cutoff = timezone.now() - older_than
    return list(Withdrawal.objects.filter(state=WithdrawalState.SUBMITTED, submitted_at__lte=cutoff)
                .order_by("id").values_list("pk", flat=True)[:500])
