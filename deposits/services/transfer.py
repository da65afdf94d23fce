"""Cross-region transfer (异地转移接续): in through a contact letter we send, out on a letter we receive.

Platform calls happen outside transactions (they are I/O); each money movement is one ledger entry keyed by
the transfer, so polling the platform again or retrying a task never posts twice.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from fund.audit.services import audit_log
from fund.integrations import transfer_platform
from fund.integrations.base import IntegrationError
from fund.integrations.models import TransferStatus
from fund.ledger import chart
from fund.ledger.models import BusinessType, JournalEntry, SubAccount
from fund.ledger.services import Movement, credit, debit, entry_post, sub_account_interest_close
from fund.money import ZERO
from fund.numbers import next_number
from fund.payments.models import AttemptStatus, Payment, PaymentAttempt, PaymentState
from fund.payments.purposes import Purpose, register_purpose
from fund.payments.services import attempt_poll, payment_create, payment_of, payment_retry
from fund.people.models import Post
from fund.people.roles import roles_of
from fund.tracking.services import track_again
from fund.validation import (
    clean_account_number,
    clean_bank_account,
    clean_centre_name,
    clean_into,
    clean_letter_number,
    clean_line,
)
from fund.workflow.moves import StaleStatus, move_status

from ..models import ACTIVE_MEMBER_STATES, CrossRegionTransfer, MemberAccount, MemberState, TransferDirection
from ..models.transfer import TRANSFER_OUT_PURPOSE
from ..states import MEMBER_ACCOUNT_MOVES

# Other lines (loans) register a check here: fn(account) -> str | None, the reason the account may not leave.
TRANSFER_OUT_BLOCKERS: list[Any] = []


def _reference(prefix: str) -> str:
    return next_number("deposits_transfer_seq", f"{prefix}{timezone.localdate():%Y%m%d}", 6)


@transaction.atomic(durable=True)
def transfer_in_apply(
    *, actor: Any, account: MemberAccount, from_centre: str, from_account_number: str = ""
) -> CrossRegionTransfer:
    """A member who moved here asks to bring their fund over; the contact letter is sent after commit."""
    account = MemberAccount.objects.select_for_update().get(pk=account.pk)
    errors: dict[str, list[str]] = {}
    if account.state != MemberState.NORMAL:
        errors["account"] = [f"个人账户状态为“{account.get_state_display()}”，不能办理转入"]
    from_centre = clean_into(errors, "from_centre", clean_centre_name, from_centre, label="转出地公积金中心") or ""
    from_account_number = clean_into(errors, "from_account_number", clean_account_number, from_account_number,
                                     label="原个人账号", required=False) or ""
    if CrossRegionTransfer.objects.filter(account=account, finished_at__isnull=True).exists():
        errors["account"] = ["该职工已有办理中的转移接续业务"]
    if errors:
        raise ValidationError(errors)
    transfer = CrossRegionTransfer.objects.create(
        direction=TransferDirection.IN, account=account, reference=_reference("ZR"),
        other_centre=from_centre, other_account_number=from_account_number, created_by=actor,
    )
    audit_log(actor=actor, action="deposits.transfer_in.applied", target=transfer,
              new={"account": account.number, "from_centre": transfer.other_centre})
    from ..tasks.transfer import transfer_in_advance

    transaction.on_commit(lambda: transfer_in_advance.delay(transfer.pk), robust=True)
    return transfer


def transfer_in_advance(*, transfer_id: int) -> CrossRegionTransfer:
    """Move a transfer-in one step further: send the letter, read its status, take in the money, confirm.

    Safe to call at any time and any number of times (the beat job does): each step is keyed.
    """
    transfer = CrossRegionTransfer.objects.select_related("account__person").get(pk=transfer_id)
    if transfer.finished:
        return transfer
    platform = transfer_platform()
    try:
        if not transfer.letter_number:
            letter = platform.send_letter(
                id_number=transfer.account.person.id_number, name=transfer.account.person.name,
                from_centre=transfer.other_centre, to_account_number=transfer.account.number,
                from_account_number=transfer.other_account_number, reference=transfer.reference,
            )
        else:
            letter = platform.status(letter_number=transfer.letter_number)
        _record_status(transfer, letter.letter_number, letter.status, letter.status_message)
        if letter.status == TransferStatus.ACCOUNT_REVIEWED and transfer.entry_id is None:
            funds = platform.funds(letter_number=letter.letter_number)
            _post_transfer_in(transfer_id=transfer.pk, principal=funds.principal, interest=funds.interest)
            letter = platform.confirm(letter_number=letter.letter_number)
            _record_status(transfer, letter.letter_number, letter.status, letter.status_message)
        elif transfer.entry_id is not None and letter.status == TransferStatus.ACCOUNT_REVIEWED:
            letter = platform.confirm(letter_number=letter.letter_number)
            _record_status(transfer, letter.letter_number, letter.status, letter.status_message)
    except IntegrationError as exc:
        # The platform is asked again by the next run; the transfer keeps its last known status.
        CrossRegionTransfer.objects.filter(pk=transfer.pk).update(status_message=str(exc)[:200])
    transfer.refresh_from_db()
    return transfer


def _record_status(transfer: CrossRegionTransfer, letter_number: str, status: str, message: str) -> None:
    finished = status in {TransferStatus.DONE, TransferStatus.CANCELLED, TransferStatus.OUT_REJECTED,
                          TransferStatus.DONE_AFTER_NEGOTIATION, TransferStatus.OUT_FAILED}
    old = transfer.status
    CrossRegionTransfer.objects.filter(pk=transfer.pk).update(
        letter_number=letter_number, status=status, status_message=message[:200],
        finished_at=timezone.now() if finished else None,
    )
    if old != status:
        audit_log(actor=None, action="deposits.transfer.status_changed", target=transfer,
                  old={"status": old}, new={"status": status, "letter": letter_number})
        track_again(CrossRegionTransfer, transfer.pk)  # written by a plain UPDATE: 我的办件 hears of it here


@transaction.atomic
def _post_transfer_in(*, transfer_id: int, principal: Decimal, interest: Decimal) -> None:
    """外部转入 (GJ08): the money the old centre sent, into the member's carried-over balance."""
    transfer = CrossRegionTransfer.objects.select_for_update().select_related("account").get(pk=transfer_id)
    if transfer.entry_id is not None:
        return
    total = principal + interest
    posted = entry_post(
        business_type=BusinessType.GJ_TRANSFER_IN,
        reference=f"deposits.transfer:{transfer.reference}",
        idempotency_key=f"deposits.transfer_in:{transfer.pk}",
        value_date=timezone.localdate(),
        legs=[debit(chart.BANK, total), credit(chart.MEMBER_DEPOSITS, total)],
        movements=[Movement(transfer.account.sub_account_id, total, summary=f"异地转入（{transfer.other_centre}）",
                            current_year=ZERO, prior_year=total)],
        memo=f"异地转入 {transfer.reference}",
    )
    transfer.principal, transfer.interest, transfer.entry = principal, interest, posted.entry
    transfer.save(update_fields=["principal", "interest", "entry"])
    audit_log(actor=None, action="deposits.transfer_in.posted", target=transfer,
              new={"principal": principal, "interest": interest, "entry": posted.entry.number})


def transfer_out_blockers(account: MemberAccount, *, letter: CrossRegionTransfer | None = None) -> list[str]:
    """Why this account may not leave the city yet; empty when it may (SPEC: sealed, no unpaid loan, not frozen).

    With `letter` (a contact letter fetched from the platform for this account), that letter itself is not
    counted as a transfer in progress, and the name on the letter must match the member's."""
    reasons = []
    if letter is not None and letter.letter_name and letter.letter_name != account.person.name:
        reasons.append(f"联系函姓名“{letter.letter_name}”与本中心登记姓名不一致")
    if letter is not None:
        reasons.extend(_letter_problems(letter))
    if account.state == MemberState.FROZEN:
        reasons.append("账户已冻结")
    elif account.state != MemberState.SEALED:
        reasons.append(f"账户须先封存（当前为“{account.get_state_display()}”）")
    if account.sub_account.balance <= 0:
        reasons.append("账户无余额可转出")
    others = CrossRegionTransfer.objects.filter(account=account, finished_at__isnull=True)
    if letter is not None:
        others = others.exclude(pk=letter.pk)
    if others.exists():
        reasons.append("已有办理中的转移接续业务")
    for check in TRANSFER_OUT_BLOCKERS:
        reason = check(account)
        if reason:
            reasons.append(reason)
    return reasons


def _letter_problems(letter: CrossRegionTransfer) -> list[str]:
    """What on a platform letter no real one has: the money is paid to its centre's account by name, so a
    letter naming no centre or no account is answered with a refusal, never paid."""
    problems: list[str] = []
    for cleaner, value, label in (
        (clean_centre_name, letter.other_centre, "来函的转入地公积金中心"),
        (clean_bank_account, letter.other_bank_account, "来函的转入中心收款账号"),
    ):
        try:
            cleaner(value, label=label)
        except ValidationError as exc:
            problems.extend(f"{m}，请答复不予转出" for m in exc.messages)
    return problems


@transaction.atomic(durable=True)
def transfer_out_execute(
    *, actor: Any, account: MemberAccount, letter_number: str, to_centre: str, to_account_number: str = ""
) -> CrossRegionTransfer:
    """外部转出 (GJ07): on the new centre's contact letter, pay the whole balance out and close the account.

    Interest is settled to the day first (and the account's 积数 cleared), so the transfer carries it and
    no later annual settlement pays this account again.

    The money leaves the member's account into 暂收款 (231) pending the bank transfer to the new centre,
    which finance settles; the account closes as 外部转出销户 (04).
    """
    account = MemberAccount.objects.select_for_update().select_related("sub_account").get(pk=account.pk)
    errors: dict[str, list[str]] = {}
    letter_number = clean_into(errors, "letter_number", clean_letter_number, letter_number) or ""
    to_centre = clean_into(errors, "to_centre", clean_centre_name, to_centre, label="转入地公积金中心") or ""
    to_account_number = clean_into(errors, "to_account_number", clean_account_number, to_account_number,
                                   label="转入地个人账号", required=False) or ""
    if errors:
        raise ValidationError(errors)
    reasons = transfer_out_blockers(account)
    if reasons:
        raise ValidationError({"account": reasons})
    try:
        with transaction.atomic():
            transfer = CrossRegionTransfer.objects.create(
                direction=TransferDirection.OUT, account=account, reference=_reference("ZC"),
                letter_number=letter_number, other_centre=to_centre,
                other_account_number=to_account_number, status=TransferStatus.LETTER_ACCEPTED,
                created_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError({"letter_number": ["该联系函已办理"]}) from exc
    _transfer_out_post(transfer=transfer, account=account, actor=actor)
    transfer.status = TransferStatus.ACCOUNT_REVIEWED
    transfer.save(update_fields=["status"])
    return transfer


def _transfer_out_post(*, transfer: CrossRegionTransfer, account: MemberAccount, actor: Any) -> None:
    """The money side of a transfer out (inside the caller's transaction, the account locked): interest to
    the day, the whole balance from the member's account into 暂收款 (231), the account closed 外部转出销户."""
    # Interest to the day before: today's closing balance is nil, since the money leaves today.
    from datetime import timedelta

    from .interest import interest_to_date

    sub = SubAccount.objects.select_for_update().get(pk=account.sub_account_id)
    today = timezone.localdate()
    principal = sub.balance
    interest_current, interest_prior = interest_to_date(sub, today - timedelta(days=1))
    sub_account_interest_close(
        sub_account_id=sub.pk, value_date=today, current=interest_current, prior=interest_prior,
        expense_code=chart.INTEREST_EXPENSE, reference=f"deposits.transfer:{transfer.reference}",
        idempotency_key=f"deposits.transfer_out_interest:{transfer.pk}", actor=actor, summary="转出结息",
    )
    sub.refresh_from_db()
    total = sub.balance
    posted = entry_post(
        business_type=BusinessType.GJ_TRANSFER_OUT,
        reference=f"deposits.transfer:{transfer.reference}",
        idempotency_key=f"deposits.transfer_out:{transfer.pk}",
        value_date=timezone.localdate(),
        legs=[debit(chart.MEMBER_DEPOSITS, total), credit(chart.SUSPENSE, total)],
        # The whole balance; the ledger takes 上年结转 first, then 当年归集 (after any period roll).
        movements=[Movement(sub.pk, -total, summary=f"异地转出（{transfer.other_centre}）")],
        actor=actor,
        memo=f"异地转出 {transfer.reference} 待划款",
    )
    transfer.principal, transfer.interest, transfer.entry = principal, total - principal, posted.entry
    transfer.save(update_fields=["principal", "interest", "entry"])
    try:
        move_status(account, MemberState.TRANSFERRED_OUT, table=MEMBER_ACCOUNT_MOVES, actor=actor,
                    action="deposits.member.transferred_out", expect=MemberState.SEALED, verb="外部转出销户",
                    was={"balance": total}, note={"transfer": transfer.reference, "to": transfer.other_centre})
    except StaleStatus as exc:
        raise ValidationError({"account": ["账户状态已变化，请刷新后重试"]}) from exc
    # The transfer's own record of the money leaving (the account's move above is the account's record).
    audit_log(actor=actor, action="deposits.transfer_out.executed", target=transfer,
              old={"state": MemberState.SEALED, "balance": total},
              new={"state": MemberState.TRANSFERRED_OUT, "entry": posted.entry.number, "to": transfer.other_centre,
                   "letter": transfer.letter_number})


# ---- transfer out on the letters other centres send us through the platform --------------------------------
#
# fetch (beat) → a CrossRegionTransfer per letter, status 01, matched to the member by ID number
# execute (受理岗): the money to 231 and the account closed, then the platform told "accept" (02)
#   or refuse (受理岗, with a reason): the platform told "refuse" (13), nothing moves
# 划款: a fund.payments payment to the new centre's account from 231 (Dr 231 / Cr 101, once), the platform told (08)
# the new centre confirms receipt on the platform (00), seen by the next fetch.
#
# Every platform or bank call is made after the decision is committed and may be repeated: the letter's
# answer, the bank's reference and the ledger's key make a repeat harmless. `transfer_out_advance` does
# whatever is left; the scheduled `transfer_out_sync` calls it for every open letter.

NO_ACCOUNT = "本中心查无该职工可转出的住房公积金账户"
BUSY = "该职工在本中心已有办理中的转移接续业务"


@dataclass
class FetchReport:
    created: list[str] = field(default_factory=list)  # letter numbers recorded now
    updated: list[str] = field(default_factory=list)  # known letters whose platform status moved
    refused: list[str] = field(default_factory=list)  # refused at once: no account, or one already busy


def _lock_letter(transfer: CrossRegionTransfer | int) -> CrossRegionTransfer:
    pk = transfer if isinstance(transfer, int) else transfer.pk
    return CrossRegionTransfer.objects.select_for_update(of=("self", "account")).select_related("account__person").get(pk=pk)


def _check_letter(transfer: CrossRegionTransfer) -> None:
    if transfer.direction != TransferDirection.OUT or not transfer.from_platform:
        raise ValidationError("只有转移接续平台来函的转出业务可以在此办理")
    if transfer.finished:
        raise ValidationError(f"该联系函已办结（{transfer.get_status_display()}）")
    if transfer.entry_id is not None:
        raise ValidationError("该联系函已办理转出")
    if transfer.refuse_reason:
        raise ValidationError("该联系函已答复不予转出")
    if transfer.status != TransferStatus.LETTER_REVIEWED:
        raise ValidationError(f"联系函平台状态为“{transfer.get_status_display()}”，不能办理")


def _require_window(actor: Any) -> None:
    if not roles_of(actor).can_accept:
        raise PermissionDenied("转出业务须由综合窗口受理岗办理")


def transfer_out_letters_fetch() -> FetchReport:
    """Read the platform's letters addressed to us: record new ones (matched to the member's account by ID
    number), follow the status of known ones. A letter for a person with no account here, or whose account
    already has a transfer in progress, is refused at once with that reason. Safe to run at any time."""
    platform = transfer_platform()
    letters = platform.incoming_letters().letters
    known = {
        t.letter_number: t
        for t in CrossRegionTransfer.objects.filter(letter_number__in=[x.letter_number for x in letters])
    }
    report = FetchReport()
    for letter in letters:
        transfer = known.get(letter.letter_number)
        if transfer is not None:
            if transfer.status != letter.status:
                _record_status(transfer, letter.letter_number, letter.status, letter.status_message)
                report.updated.append(letter.letter_number)
            continue
        if letter.status != TransferStatus.LETTER_REVIEWED:
            continue  # answered already (by us, before this row existed, or cancelled): nothing to take on
        account = (
            MemberAccount.objects.filter(person__id_number=letter.id_number.upper(), state__in=ACTIVE_MEMBER_STATES)
            .select_related("person").first()
        )
        why = NO_ACCOUNT if account is None else ""
        if account is not None:
            try:
                with transaction.atomic():
                    transfer = CrossRegionTransfer.objects.create(
                        direction=TransferDirection.OUT, from_platform=True, account=account,
                        reference=_reference("ZC"), letter_number=letter.letter_number,
                        other_centre=letter.to_centre, other_account_number=letter.to_account_number,
                        other_bank_account=letter.to_centre_account, letter_name=letter.name,
                        status=letter.status, status_message=letter.status_message[:200],
                    )
                    audit_log(actor=None, action="deposits.transfer_out.letter_received", target=transfer,
                              new={"letter": letter.letter_number, "account": account.number, "to": letter.to_centre})
            except IntegrityError:
                if CrossRegionTransfer.objects.filter(letter_number=letter.letter_number).exists():
                    continue  # a concurrent fetch recorded it
                why = BUSY
            else:
                report.created.append(letter.letter_number)
                continue
        try:
            platform.reply(letter_number=letter.letter_number, accept=False, reason=why)
        except IntegrationError:
            continue  # asked again on the next fetch
        report.refused.append(letter.letter_number)
    return report


def transfer_out_letter_execute(*, actor: Any, transfer: CrossRegionTransfer) -> CrossRegionTransfer:
    """办理转出 on a platform letter: the preconditions checked, the balance (with interest to the day) moved to
    231 and the account closed in one transaction; then the platform is told "accept" and the bank pays the
    new centre (after commit, in a task; the scheduled sync finishes whatever a failure left)."""
    _require_window(actor)
    with transaction.atomic(durable=True):
        transfer = _lock_letter(transfer)
        _check_letter(transfer)
        account = MemberAccount.objects.select_for_update(of=("self", "sub_account")).select_related("sub_account", "person").get(
            pk=transfer.account_id
        )
        reasons = transfer_out_blockers(account, letter=transfer)
        if reasons:
            raise ValidationError({"account": reasons})
        _transfer_out_post(transfer=transfer, account=account, actor=actor)
        CrossRegionTransfer.objects.filter(pk=transfer.pk).update(handled_by=actor)
        track_again(CrossRegionTransfer, transfer.pk, actor=actor)
        _advance_after_commit(transfer.pk)
    transfer.refresh_from_db()
    return transfer


def transfer_out_letter_refuse(*, actor: Any, transfer: CrossRegionTransfer, reason: str) -> CrossRegionTransfer:
    """不予转出: record the refusal and its reason, then reply to the platform (13) after commit."""
    _require_window(actor)
    errors: dict[str, list[str]] = {}
    # The reason goes to the other centre through the platform: one line.
    reason = clean_into(errors, "reason", clean_line, reason, label="不予转出的原因", max_length=200) or ""
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        transfer = _lock_letter(transfer)
        _check_letter(transfer)
        CrossRegionTransfer.objects.filter(pk=transfer.pk).update(refuse_reason=reason, handled_by=actor)
        track_again(CrossRegionTransfer, transfer.pk, actor=actor)
        audit_log(actor=actor, action="deposits.transfer_out.refused", target=transfer, reason=reason,
                  new={"letter": transfer.letter_number, "reason": reason})
        _advance_after_commit(transfer.pk)
    transfer.refresh_from_db()
    return transfer


def transfer_out_payout_retry(*, actor: Any, transfer: CrossRegionTransfer) -> CrossRegionTransfer:
    """重新划款 after a refused payout (e.g. the new centre's account was wrong and has been put right): the
    payment's next attempt goes to the bank under a new reference (fund.payments); the money leaves 231 once."""
    _require_payout_post(actor)
    payment = payment_of(transfer, TRANSFER_OUT_PURPOSE)
    if payment is None or payment.state not in (PaymentState.REFUSED, PaymentState.HANDED_OFF):
        raise ValidationError("该笔转出没有失败待重试的划款")
    payment_retry(payment_id=payment.pk, actor=actor, force=True)
    return CrossRegionTransfer.objects.get(pk=transfer.pk)


def _require_payout_post(actor: Any) -> None:
    roles = roles_of(actor)
    if not (roles.can_accept or roles.has_post(Post.FINANCE)):
        raise PermissionDenied("划款须由财务岗或受理岗办理")


def _advance_after_commit(transfer_id: int) -> None:
    from ..tasks.transfer import transfer_out_advance as task

    transaction.on_commit(lambda: task.delay(transfer_id), robust=True)


def transfer_out_advance(*, transfer_id: int) -> CrossRegionTransfer:
    """Do what is left of a platform letter's transfer out: the reply, the payout, the report of the funds.

    Runs outside any transaction (each step is I/O and then one short transaction); any number of times."""
    transfer = CrossRegionTransfer.objects.get(pk=transfer_id)
    if not transfer.from_platform or transfer.direction != TransferDirection.OUT:
        return transfer
    try:
        _reply(transfer)
        transfer.refresh_from_db()
        _pay(transfer)
        transfer = CrossRegionTransfer.objects.get(pk=transfer_id)  # the payment as it is now, not as cached
        _report_funds(transfer)
    except IntegrationError as exc:
        CrossRegionTransfer.objects.filter(pk=transfer.pk).update(status_message=str(exc)[:200])
    transfer.refresh_from_db()
    return transfer


def _reply(transfer: CrossRegionTransfer) -> None:
    if transfer.replied_at is not None or transfer.finished:
        return
    accept = transfer.entry_id is not None
    if not accept and not transfer.refuse_reason:
        return  # not decided yet
    letter = transfer_platform().reply(
        letter_number=transfer.letter_number or "", accept=accept, reason="" if accept else transfer.refuse_reason
    )
    CrossRegionTransfer.objects.filter(pk=transfer.pk).update(replied_at=timezone.now())
    _record_status(transfer, letter.letter_number, letter.status, letter.status_message)


def _pay(transfer: CrossRegionTransfer) -> None:
    """划款: the payment to the new centre is made once (under the letter's lock) and its pending attempt is
    sent, or asked about, now; a refused one waits for 重新划款, a paid one for the report."""
    if transfer.entry_id is None or transfer.status != TransferStatus.LETTER_ACCEPTED:
        return
    payment = payment_of(transfer, TRANSFER_OUT_PURPOSE)
    if payment is None:
        with transaction.atomic():
            transfer = _lock_letter(transfer.pk)
            payment = payment_of(transfer, TRANSFER_OUT_PURPOSE)
            if payment is None:
                payment = payment_create(
                    purpose=TRANSFER_OUT_PURPOSE, subject=transfer, subject_label=f"异地转出 {transfer.reference}",
                    amount=(transfer.principal or ZERO) + (transfer.interest or ZERO),
                    payee_account=transfer.other_bank_account, payee_name=transfer.other_centre,
                    reference=transfer.reference, business_type=BusinessType.GJ_TRANSFER_OUT,
                    ledger_reference=f"deposits.transfer:{transfer.reference}",
                    memo=f"异地转移接续资金 {transfer.letter_number}", branch=transfer.account.unit.employer.branch,
                    send=False,
                ).payment
    attempt = payment.attempts.filter(status=AttemptStatus.PENDING).first()
    if attempt is None:
        return
    if attempt_poll(attempt_id=attempt.pk).status == AttemptStatus.PENDING:
        CrossRegionTransfer.objects.filter(pk=transfer.pk).update(status_message="银行划款处理中")


def _report_funds(transfer: CrossRegionTransfer) -> None:
    if transfer.funds_entry_id is None or transfer.funds_reported_at is not None:
        return
    letter = transfer_platform().funds_sent(
        letter_number=transfer.letter_number or "", principal=transfer.principal or ZERO,
        interest=transfer.interest or ZERO, bank_serial=transfer.funds_bank_serial,
    )
    CrossRegionTransfer.objects.filter(pk=transfer.pk).update(funds_reported_at=timezone.now())
    _record_status(transfer, letter.letter_number, letter.status, letter.status_message)


# The transfer's part of each outcome of its payment (fund.payments calls these in the payment's transaction).

def _payout_locked(payment: Payment) -> CrossRegionTransfer:
    return CrossRegionTransfer.objects.select_for_update().get(pk=payment.subject_id)


def _payout_paid(payment: Payment, attempt: PaymentAttempt) -> None:
    """Paid: the funds are reported to the platform next (after commit, whoever applied the bank's answer)."""
    transfer = _payout_locked(payment)
    audit_log(actor=attempt.actor, action="deposits.transfer_out.paid", target=transfer,
              new={"amount": attempt.amount, "bank_serial": attempt.bank_serial,
                   "entry": attempt.settle_entry.number if attempt.settle_entry else "",
                   "account": attempt.payee_account})
    _advance_after_commit(transfer.pk)


def _payout_refused(payment: Payment, attempt: PaymentAttempt) -> JournalEntry | None:
    """Refused: the money stays in 231 and the transfer waits for 重新划款 (the schedule does not retry)."""
    transfer = _payout_locked(payment)
    audit_log(actor=attempt.actor, action="deposits.transfer_out.payout_failed", target=transfer,
              new={"reference": attempt.reference, "reason": attempt.reason})
    return None


def _payout_retry(payment: Payment, number: int, actor: Any) -> None:
    """重新划款, here or on the 付款管理 page: by 财务岗 or the window, while the letter is still open."""
    if actor is None:
        raise ValidationError("转出划款失败须人工核实后重新划款")
    _require_payout_post(actor)
    transfer = _payout_locked(payment)
    if transfer.finished or transfer.status != TransferStatus.LETTER_ACCEPTED:
        raise ValidationError(f"联系函平台状态为“{transfer.get_status_display()}”，不能重新划款")
    audit_log(actor=actor, action="deposits.transfer_out.payout_retried", target=transfer,
              old={"failure": payment.failure}, new={"attempt": number})


register_purpose(Purpose(
    code=TRANSFER_OUT_PURPOSE, label="异地转出划款", debit_account=chart.SUSPENSE, retries=False,
    on_paid=_payout_paid, on_refused=_payout_refused, on_retry=_payout_retry,
))


def transfer_out_sync() -> dict[str, int]:
    """The scheduled job: fetch the platform's letters, then finish every open letter's remaining steps."""
    report = transfer_out_letters_fetch()
    # A refused payout waits for people (重新划款), not for the schedule.
    waiting = Payment.objects.filter(
        purpose=TRANSFER_OUT_PURPOSE, subject_type__app_label="deposits", subject_type__model="crossregiontransfer",
        subject_id=OuterRef("pk"), state__in=(PaymentState.REFUSED, PaymentState.HANDED_OFF))
    open_ids = list(
        CrossRegionTransfer.objects.filter(
            direction=TransferDirection.OUT, from_platform=True, finished_at__isnull=True
        ).filter(
            Q(replied_at__isnull=True, entry__isnull=False) | Q(replied_at__isnull=True) & ~Q(refuse_reason="")
            | Q(entry__isnull=False, funds_reported_at__isnull=True) & ~Exists(waiting)
        ).values_list("pk", flat=True)[:1000]
    )
    for transfer_id in open_ids:
        transfer_out_advance(transfer_id=transfer_id)
    return {"created": len(report.created), "updated": len(report.updated), "refused": len(report.refused),
            "advanced": len(open_ids)}


def letter_blockers(transfer: CrossRegionTransfer) -> list[str]:
    if transfer.entry_id is not None or transfer.refuse_reason:
        return []
    return transfer_out_blockers(transfer.account, letter=transfer)
