"""Cross-region transfer (异地转移接续): in through a contact letter we send, out on a letter we receive.

Platform calls happen outside transactions (they are I/O); each money movement is one ledger entry keyed by
the transfer, so polling the platform again or retrying a task never posts twice.
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from fund.audit.services import audit_log
from fund.integrations import transfer_platform
from fund.integrations.base import IntegrationError
from fund.integrations.models import TransferStatus
from fund.ledger import chart
from fund.ledger.models import BusinessType, SubAccount
from fund.ledger.services import Movement, credit, debit, entry_post, sub_account_interest_close
from fund.money import ZERO

from ..models import CrossRegionTransfer, MemberAccount, MemberState, TransferDirection

# Other lines (loans) register a check here: fn(account) -> str | None, the reason the account may not leave.
TRANSFER_OUT_BLOCKERS: list[Any] = []


def _reference(prefix: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('deposits_transfer_seq')")
        (value,) = cursor.fetchone()
    return f"{prefix}{timezone.localdate():%Y%m%d}{value:06d}"


@transaction.atomic(durable=True)
def transfer_in_apply(
    *, actor: Any, account: MemberAccount, from_centre: str, from_account_number: str = ""
) -> CrossRegionTransfer:
    """A member who moved here asks to bring their fund over; the contact letter is sent after commit."""
    account = MemberAccount.objects.select_for_update().get(pk=account.pk)
    errors: dict[str, list[str]] = {}
    if account.state != MemberState.NORMAL:
        errors["account"] = [f"个人账户状态为“{account.get_state_display()}”，不能办理转入"]
    if not (from_centre or "").strip():
        errors["from_centre"] = ["请填写转出地公积金中心"]
    if CrossRegionTransfer.objects.filter(account=account, finished_at__isnull=True).exists():
        errors["account"] = ["该职工已有办理中的转移接续业务"]
    if errors:
        raise ValidationError(errors)
    transfer = CrossRegionTransfer.objects.create(
        direction=TransferDirection.IN, account=account, reference=_reference("ZR"),
        other_centre=from_centre.strip(), other_account_number=from_account_number.strip(), created_by=actor,
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


def transfer_out_blockers(account: MemberAccount) -> list[str]:
    """Why this account may not leave the city yet; empty when it may (SPEC: sealed, no unpaid loan, not frozen)."""
    reasons = []
    if account.state == MemberState.FROZEN:
        reasons.append("账户已冻结")
    elif account.state != MemberState.SEALED:
        reasons.append(f"账户须先封存（当前为“{account.get_state_display()}”）")
    if account.sub_account.balance <= 0:
        reasons.append("账户无余额可转出")
    if CrossRegionTransfer.objects.filter(account=account, finished_at__isnull=True).exists():
        reasons.append("已有办理中的转移接续业务")
    for check in TRANSFER_OUT_BLOCKERS:
        reason = check(account)
        if reason:
            reasons.append(reason)
    return reasons


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
    if not (letter_number or "").strip():
        raise ValidationError({"letter_number": ["请填写联系函编号"]})
    if not (to_centre or "").strip():
        raise ValidationError({"to_centre": ["请填写转入地公积金中心"]})
    reasons = transfer_out_blockers(account)
    if reasons:
        raise ValidationError({"account": reasons})
    try:
        with transaction.atomic():
            transfer = CrossRegionTransfer.objects.create(
                direction=TransferDirection.OUT, account=account, reference=_reference("ZC"),
                letter_number=letter_number.strip(), other_centre=to_centre.strip(),
                other_account_number=to_account_number.strip(), status=TransferStatus.LETTER_ACCEPTED,
                created_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError({"letter_number": ["该联系函已办理"]}) from exc
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
    transfer.status = TransferStatus.ACCOUNT_REVIEWED
    transfer.save(update_fields=["principal", "interest", "entry", "status"])
    updated = MemberAccount.objects.filter(pk=account.pk, state=MemberState.SEALED).update(
        state=MemberState.TRANSFERRED_OUT
    )
    if updated != 1:
        raise ValidationError({"account": ["账户状态已变化，请刷新后重试"]})
    audit_log(actor=actor, action="deposits.transfer_out.executed", target=transfer,
              old={"state": MemberState.SEALED, "balance": total},
              new={"state": MemberState.TRANSFERRED_OUT, "entry": posted.entry.number, "to": transfer.other_centre})
    return transfer
