"""提前还款: partial prepayment (缩期 keeps the payment and shortens the term; 减少月供 keeps the term and lowers
the payment) and full prepayment (提前结清), from the repayment card or the borrower's fund account (提取还贷).

`prepayment_preview` is a pure read: it shows what a prepayment would do (the new payment, the new last
instalment, the interest saved, the first rows of the new schedule) and refuses what the rules forbid, each
refusal a ValidationError naming the field. `prepay` does it: the money first (a bank collection outside any
transaction, whose reference derives from the client's token, so a resubmitted form never collects twice), then
in one transaction with the loan locked the new segment (`schedule_store.schedule_start`, the replaced
instalments kept as 已调整) and the posting (`repayment_post`, idempotent by the same token).

What is owed now (an instalment due today) is paid first, in the allocation order; the rest repays principal
ahead of the schedule. A loan with an overdue instalment is refused: the arrears are repaid first, at the counter
or online (`loan` names it), so a prepayment never hides an overdue instalment behind a new schedule.

Full: the instalments due today, the interest on the outstanding principal by days from the last due date (or
the disbursement) to the value date (balance × rate × days ÷ 36000), and all the principal. The loan closes
(`repayment_post` does it when the principal reaches 0) and the payoff follow-up runs after the commit.

A partial prepayment repays principal only; the instalment it starts from carries a month's interest on the new
balance (the formula's), not interest to the day on the prepaid part (the team's brief for issue 14 decided
so; SPEC §2.3 is silent).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from fund.audit.services import audit_log
from fund.integrations import entrusted_bank
from fund.integrations.base import IntegrationError
from fund.ledger.services.posting import PostingError
from fund.money import ZERO, format_money, to_fen
from fund.people.roles import roles_of
from fund.policy.selectors import policy_value

from ..allocation import Allocation, allocate
from ..models import (
    OPEN_STATES,
    Instalment,
    InstalmentState,
    Loan,
    LoanStatus,
    Repayment,
    RepaymentChannel,
    RepaymentKind,
    ScheduleSegment,
    SegmentReason,
)
from ..schedule import Instalment as Planned
from ..schedule import Segment, days_interest, segment_new, segment_shortened, segment_walk
from .notify import application_notify
from .repayment_posting import Sources, loan_locked, owed_total, owing_rows, repayment_post
from .schedule_store import segment_of
from .signing import window_staff_check

TERM = "term"  # 缩期
PAYMENT = "payment"  # 减少月供
FULL = "full"  # 提前结清
MODES = {TERM: "缩短期限（月供不变）", PAYMENT: "减少月供（期限不变）", FULL: "提前结清"}
CARD = "card"
FUND = "fund"
SOURCES = {CARD: "还款银行卡", FUND: "公积金账户（提取还贷）"}
PREVIEW_ROWS = 12


@dataclass(frozen=True)
class Preview:
    mode: str
    on: date
    amount: Decimal  # what the borrower pays
    owed_now: Decimal  # instalments due today, paid first
    interest_to_day: Decimal  # full: interest by days on the outstanding principal
    prepaid_principal: Decimal  # principal repaid ahead of the schedule
    balance_before: Decimal
    balance_after: Decimal
    old_payment: Decimal  # the current segment's payment (等额本金: its monthly principal)
    new_payment: Decimal
    old_last_number: int
    new_last_number: int
    old_last_due: date
    new_last_due: date | None
    interest_saved: Decimal
    rows: tuple[Planned, ...]  # the first rows of the new schedule
    segment: Segment | None  # the new segment (None for a full prepayment)

    @property
    def mode_label(self) -> str:
        return MODES[self.mode]

    @property
    def months_saved(self) -> int:
        return self.old_last_number - self.new_last_number


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _mode(mode: Any) -> str:
    value = str(mode or "").strip()
    if value not in MODES:
        raise _refuse("mode", "请选择提前还款方式：缩短期限、减少月供或提前结清")
    return value


def _amount(amount: Any) -> Decimal:
    try:
        value = Decimal(str(amount).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise _refuse("amount", "提前还款金额应为数字（元）") from None
    if not value.is_finite() or value <= 0:
        raise _refuse("amount", "提前还款金额须大于零")
    if value != to_fen(value):
        raise _refuse("amount", "提前还款金额最多精确到分")
    return value


def _loan_check(loan: Loan, on: date) -> None:
    if loan.status != LoanStatus.ACTIVE:
        raise _refuse("loan", f"贷款{loan.get_status_display()}，不能办理提前还款")
    overdue = loan.instalments.filter(state__in=OPEN_STATES, due_on__lt=on).count()
    if overdue:
        raise _refuse("loan", f"贷款有 {overdue} 期逾期未还，请先归还逾期本息（含罚息）后再办理提前还款")


def _yearly_check(loan: Loan, on: date) -> None:
    limit = int(policy_value("loan_prepay_per_year", on))
    done = Repayment.objects.filter(loan=loan, kind=RepaymentKind.PREPAY_PARTIAL, value_date__year=on.year).count()
    if done >= limit:
        raise _refuse("mode", f"本年度已办理部分提前还款 {done} 次，每年最多 {limit} 次；可选择提前结清")


def _last_due(loan: Loan, on: date) -> date:
    """Interest to the day runs from the last due date on or before `on` (or the disbursement)."""
    last = (loan.instalments.exclude(state=InstalmentState.SUPERSEDED).filter(due_on__lte=on)
            .order_by("-due_on").values_list("due_on", flat=True).first())
    return last or loan.disbursed_on or on


def _next_number(loan: Loan, current: Segment, on: date) -> int:
    """The instalment the new segment starts at: the first not yet due that nothing has been paid on (stored, or
    the next after the stored ones when the year's are all due)."""
    stored = loan.instalments.exclude(state=InstalmentState.SUPERSEDED)
    start = (stored.filter(state__in=OPEN_STATES, due_on__gt=on, principal_paid=0, interest_paid=0)
             .order_by("number").values_list("number", flat=True).first())
    if start is not None:
        return start
    last = stored.order_by("-number").values_list("number", flat=True).first() or current.first_number - 1
    return max(last + 1, current.first_number)


def _figures(loan: Loan, *, amount: Decimal | None, mode: str, on: date,
             rows: list[tuple[Instalment, Any]]) -> tuple[Preview, Allocation]:
    """The prepayment worked out from `rows` (owing_rows on `on`): the preview and the allocation to post."""
    balance = loan.sub_account.balance
    owing = [o for _, o in rows]
    owed_now = owed_total(rows)
    if loan.segment_id is None:
        raise _refuse("loan", "贷款尚无还款计划，不能办理提前还款，请到窗口咨询")
    current = segment_of(ScheduleSegment.objects.get(pk=loan.segment_id))
    old_last_due = current.due_on(current.last_number)
    if mode == FULL:
        allocation = allocate(owed_now, owing)
        left = balance - allocation.principal_total
        interest = days_interest(left, loan.rate, max((on - _last_due(loan, on)).days, 0)) if left > 0 else ZERO
        if left <= 0:
            raise _refuse("loan", "贷款本金已还清")
        allocation = dataclasses.replace(allocation, interest=allocation.interest + interest)
        total = owed_now + interest + left
        if amount is not None and amount != total:
            raise _refuse("amount", f"提前结清应还 {format_money(total)} 元（本金 {format_money(left)} 元，"
                                    f"利息 {format_money(total - left - allocation.principal_total)} 元）")
        n = _next_number(loan, current, on)
        old_rest = segment_walk(current, start=n, balance=left) if n <= current.last_number else []
        saved = sum((p.interest for p in old_rest), ZERO) - interest
        preview = Preview(
            mode=mode, on=on, amount=total, owed_now=owed_now, interest_to_day=interest, prepaid_principal=left,
            balance_before=balance, balance_after=ZERO, old_payment=current.payment, new_payment=ZERO,
            old_last_number=current.last_number, new_last_number=n - 1, old_last_due=old_last_due, new_last_due=None,
            interest_saved=max(saved, ZERO), rows=(), segment=None,
        )
        return preview, allocation
    if amount is None:
        raise _refuse("amount", "请填写提前还款金额")
    _yearly_check(loan, on)
    allocation = allocate(amount, owing)
    if allocation.rest <= 0 or amount <= owed_now:
        raise _refuse("amount", f"今日有 {format_money(owed_now)} 元到期应还，提前还款金额须超过此数")
    prepaid = allocation.rest
    minimum = Decimal(policy_value("loan_prepay_min", on))
    if prepaid < minimum:
        raise _refuse("amount", f"部分提前还款归还本金不得低于 {format_money(minimum)} 元"
                                + (f"（另加今日到期 {format_money(owed_now)} 元）" if owed_now else ""))
    left = balance - allocation.principal_total  # principal outstanding once today's instalments are paid
    if prepaid >= left:
        raise _refuse("amount", f"提前还款金额超过剩余本金 {format_money(left)} 元；全部还清请选择提前结清")
    n = _next_number(loan, current, on)
    if n > current.last_number:
        raise _refuse("mode", "贷款已到最后一期，请选择提前结清")
    # Open instalments before `n` (due today, or paid on ahead) keep their principal; the segment takes the rest.
    kept = sum((i.principal - i.principal_paid
                for i in loan.instalments.filter(state__in=OPEN_STATES, number__lt=n)), ZERO)
    kept -= allocation.principal_total
    old_balance = left - kept
    new_balance = old_balance - prepaid
    first_due = current.due_on(n)
    if mode == TERM:
        segment = segment_shortened(balance=new_balance, rate=loan.rate, method=current.method,
                                    payment=current.payment, first_number=n, last_number=current.last_number,
                                    first_due=first_due, day=current.day)
    else:
        segment = segment_new(balance=new_balance, rate=loan.rate, method=current.method, first_number=n,
                              last_number=current.last_number, first_due=first_due, day=current.day)
    old_plan = segment_walk(current, start=n, balance=old_balance)
    new_plan = segment_walk(segment)
    saved = sum((p.interest for p in old_plan), ZERO) - sum((p.interest for p in new_plan), ZERO)
    preview = Preview(
        mode=mode, on=on, amount=amount, owed_now=owed_now, interest_to_day=ZERO, prepaid_principal=prepaid,
        balance_before=balance, balance_after=balance - allocation.principal_total - prepaid,
        old_payment=current.payment, new_payment=segment.payment, old_last_number=current.last_number,
        new_last_number=segment.last_number, old_last_due=old_last_due, new_last_due=segment.due_on(segment.last_number),
        interest_saved=saved, rows=tuple(new_plan[:PREVIEW_ROWS]), segment=segment,
    )
    return preview, dataclasses.replace(allocation, rest=ZERO)


def prepayment_preview(*, loan: Loan, amount: Any, mode: Any, on: date | None = None) -> Preview:
    """What a prepayment of `amount` (ignored, may be None, for "full") in `mode` would do on `on` (today).
    Writes nothing; refusals are ValidationErrors naming amount, mode or loan."""
    on = on or timezone.localdate()
    mode = _mode(mode)
    value = None if mode == FULL and (amount is None or str(amount).strip() == "") else _amount(amount)
    loan = Loan.objects.select_related("sub_account").get(pk=loan.pk)
    _loan_check(loan, on)
    with transaction.atomic():
        # owing_rows reads under row locks (the posting's path); held only for this read.
        rows = owing_rows(loan, on)
        preview, _ = _figures(loan, amount=value, mode=mode, on=on, rows=rows)
    return preview


def fund_account_for(loan: Loan, account: Any = None) -> Any:
    """The borrower's own fund account that 提取还贷 takes from (a given one must be the borrower's)."""
    from deposits.models import MemberAccount, MemberState

    accounts = MemberAccount.objects.filter(person_id=loan.borrower_id).select_related("sub_account")
    if account is not None:
        chosen = accounts.filter(pk=getattr(account, "pk", account)).first()
        if chosen is None:
            raise _refuse("account", "只能从借款人本人的公积金账户提取还贷")
    else:
        chosen = accounts.filter(state__in=[MemberState.NORMAL, MemberState.SEALED]).order_by("-opened_on", "-id").first()
        if chosen is None:
            raise _refuse("source", "借款人没有可提取的公积金账户")
    if chosen.state not in (MemberState.NORMAL, MemberState.SEALED):
        raise _refuse("source", f"公积金账户{chosen.get_state_display()}，不能提取还贷")
    return chosen


def _actor_check(actor: Any, loan: Loan) -> str:
    """The channel: the borrower online, or the 受理 post at the window of the loan's branch."""
    roles = roles_of(actor)
    if roles.is_staff:
        window_staff_check(actor=actor, application=loan.application, verb="提前还款")
        return RepaymentChannel.COUNTER
    if getattr(actor, "person_id", None) != loan.borrower_id:
        raise PermissionDenied("只有借款人本人可以办理提前还款")
    return RepaymentChannel.ONLINE


def idempotency_key(loan: Loan, client_token: str) -> str:
    return f"loans.prepay:{loan.pk}:{client_token}"


def bank_reference(loan: Loan, client_token: str) -> str:
    return f"LNPP-{loan.pk}-{client_token}"[:64]


def _token(client_token: Any) -> str:
    value = str(client_token or "").strip()
    if not value or len(value) > 40 or not all(c.isalnum() or c in "-_" for c in value):
        raise _refuse("client_token", "请求标识无效，请刷新页面后重试")
    return value


def prepay(
    *, actor: Any, loan: Loan, amount: Any, mode: Any, source: Any, client_token: Any, account: Any = None,
    on: date | None = None,
) -> Repayment:
    """Make the prepayment previewed by the same arguments; the same `client_token` again returns the first
    repayment and neither collects nor posts twice."""
    token = _token(client_token)
    on = on or timezone.localdate()
    key = idempotency_key(loan, token)
    done = Repayment.objects.filter(idempotency_key=key).first()
    if done is not None:
        return done
    channel = _actor_check(actor, loan)
    source = str(source or "").strip()
    if source not in SOURCES:
        raise _refuse("source", "请选择资金来源：还款银行卡或公积金账户")
    preview = prepayment_preview(loan=loan, amount=amount, mode=mode, on=on)
    fund_account = None
    reference = ""
    if source == FUND:
        fund_account = fund_account_for(loan, account)
        if fund_account.sub_account.balance < preview.amount:
            raise _refuse("source", f"公积金账户余额 {format_money(fund_account.sub_account.balance)} 元，"
                                    f"不足提前还款金额 {format_money(preview.amount)} 元")
    else:
        if not loan.repayment_card:
            raise _refuse("source", "贷款未登记还款银行卡，请选择公积金账户或到柜台办理")
        reference = bank_reference(loan, token)
        try:
            payment = entrusted_bank().collect(
                account_number=loan.repayment_card, name=loan.borrower.name, amount=preview.amount,
                reference=reference, purpose=f"提前还款 {loan.contract_number}",
            )
        except IntegrationError as exc:
            raise _refuse("source", f"银行扣款未成功：{exc.message}") from exc
        if not payment.succeeded:
            raise _refuse("source", f"银行扣款未成功：{payment.reason or '银行处理中，请稍后再试'}")
    sources = (Sources(from_fund=preview.amount, fund_account=fund_account) if source == FUND else
               Sources(from_card=preview.amount, card=loan.repayment_card, bank_reference=reference))
    try:
        repayment = _post(actor=actor, loan=loan, mode=preview.mode, amount=preview.amount, on=on, key=key,
                          channel=channel, sources=sources)
    except (PostingError, ValidationError) as exc:
        reasons = [str(exc)] if isinstance(exc, PostingError) else exc.messages
        if reference:
            # The card was debited for figures that no longer hold (a repayment committed in between): the money
            # is on record for finance to return, and the same token tried again posts it if the figures allow.
            audit_log(actor=actor, action="loans.loan.prepay_unposted", target=loan, new={
                "bank_reference": reference, "amount": preview.amount, "reason": "；".join(reasons)})
            raise _refuse("amount", "；".join(reasons) + f"。已从银行卡扣收的 {format_money(preview.amount)} 元"
                                    "未入账，将由中心退回原卡") from exc
        if isinstance(exc, ValidationError):
            raise
        raise _refuse("source", str(exc)) from exc
    return repayment


def _post(*, actor: Any, loan: Loan, mode: str, amount: Decimal, on: date, key: str, channel: str,
          sources: Sources) -> Repayment:
    with transaction.atomic():
        locked = loan_locked(loan)
        existing = Repayment.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing
        _loan_check(locked, on)
        rows = owing_rows(locked, on)
        # Worked out again under the lock: a repayment committed since the preview changes the figures, and
        # money collected for figures that no longer hold must not post (the bank reference is kept to refund).
        preview, allocation = _figures(locked, amount=amount, mode=mode, on=on, rows=rows)
        row = None
        if preview.segment is not None:
            reason = SegmentReason.PREPAY_TERM if mode == TERM else SegmentReason.PREPAY_PAYMENT
            from .schedule_store import schedule_start

            row = schedule_start(loan=locked, segment=preview.segment, reason=reason, effective_on=on, actor=actor)
        kind = RepaymentKind.PREPAY_FULL if mode == FULL else RepaymentKind.PREPAY_PARTIAL
        repayment, created = repayment_post(
            loan=locked, on=on, rows=rows, allocation=allocation, sources=sources, channel=channel,
            idempotency_key=key, actor=actor, kind=kind, prepaid_principal=preview.prepaid_principal, segment=row,
            memo=f"{MODES[mode]} {locked.contract_number}",
        )
        if created:
            audit_log(actor=actor, action="loans.loan.prepaid", target=locked, new={
                "repayment": repayment.number, "mode": mode, "amount": amount,
                "prepaid_principal": preview.prepaid_principal, "from_fund": sources.from_fund,
                "from_card": sources.from_card, "new_payment": preview.new_payment,
                "new_last_number": preview.new_last_number,
            })
            application_notify(locked.application, _sms_text(locked, preview, repayment))
    return repayment


def _sms_text(loan: Loan, preview: Preview, repayment: Repayment) -> str:
    head = f"您的住房公积金贷款（合同号{loan.contract_number}）于{preview.on:%Y年%m月%d日}"
    if preview.mode == FULL:
        return head + f"提前结清，还款{format_money(repayment.amount)}元，贷款已结清。"
    last = f"，最后一期还款日{preview.new_last_due:%Y年%m月%d日}" if preview.new_last_due else ""
    return head + (f"提前归还本金{format_money(preview.prepaid_principal)}元，"
                   f"月还款额{format_money(preview.new_payment)}元{last}。")


__all__ = ["CARD", "FULL", "FUND", "MODES", "PAYMENT", "SOURCES", "TERM", "Preview", "fund_account_for", "prepay",
           "prepayment_preview"]
