"""全国转移接续平台: moving a member's fund between cities' centres.

Transfer in (转入): this centre sends a contact letter (联系函) through the platform; the transfer-out centre
reviews it and sends the money; this centre confirms receipt and the platform closes the case.

Transfer out (转出): another centre's letter about one of our members reaches us (`incoming_letters`, status
01); we reply — accept (02 联系函确认接收) or refuse with a reason (13 转出审核不通过) — then pay the new centre's
account and tell the platform (`funds_sent`, 08 账户信息复核通过); the new centre confirms receipt (00).

The platform's own status codes are kept as they are (`TransferStatus`).
"""

from __future__ import annotations

import uuid
from abc import abstractmethod
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from fund.numbers import number_format

from .base import Integration, NotFound, Rejected, Result, operation
from .http import HttpClient
from .models import SandboxBankAccount, SandboxIncomingLetter, SandboxTransferLetter, TransferStatus

# Codes after which the platform does nothing more with a letter.
FINISHED = frozenset(
    {
        TransferStatus.DONE,
        TransferStatus.CANCELLED,
        TransferStatus.OUT_REJECTED,
        TransferStatus.DONE_AFTER_NEGOTIATION,
        TransferStatus.OUT_FAILED,
    }
)


@dataclass(frozen=True, kw_only=True)
class ContactLetter(Result):
    letter_number: str
    id_number: str
    name: str
    from_centre: str
    status: TransferStatus
    status_message: str
    sent_at: datetime

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


@dataclass(frozen=True, kw_only=True)
class FundsTransfer(Result):
    letter_number: str
    principal: Decimal
    interest: Decimal
    transferred_at: datetime
    bank_serial: str

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest


@dataclass(frozen=True, kw_only=True)
class IncomingLetter(Result):
    """A letter another centre sent us: `to_centre` wants the member's fund paid to `to_centre_account`."""

    letter_number: str
    id_number: str
    name: str
    to_centre: str
    to_centre_account: str
    to_account_number: str
    status: TransferStatus
    status_message: str
    sent_at: datetime

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


@dataclass(frozen=True, kw_only=True)
class IncomingLetters(Result):
    letters: tuple[IncomingLetter, ...]


class TransferPlatform(Integration):
    system = "transfer"

    @operation(reference="reference")
    @abstractmethod
    def send_letter(
        self,
        *,
        id_number: str,
        name: str,
        from_centre: str,
        to_account_number: str,
        reference: str,
        from_account_number: str = "",
    ) -> ContactLetter:
        """Send a contact letter to `from_centre`; the same `reference` again returns the first letter."""

    @operation(reference="letter_number")
    @abstractmethod
    def status(self, *, letter_number: str) -> ContactLetter:
        """The letter's current status on the platform; `NotFound` for an unknown number."""

    @operation(reference="letter_number")
    @abstractmethod
    def confirm(self, *, letter_number: str) -> ContactLetter:
        """Confirm the transferred funds arrived, closing the case (00); confirming twice is harmless."""

    @operation(reference="letter_number")
    @abstractmethod
    def funds(self, *, letter_number: str) -> FundsTransfer:
        """The money the transfer-out centre sent for this letter; `NotFound` until it has sent it."""

    @operation()
    @abstractmethod
    def incoming_letters(self) -> IncomingLetters:
        """Letters other centres sent us about our members: every open one, and those finished in the last
        30 days (so a cancellation or the new centre's confirmation is seen), oldest first."""

    @operation(reference="letter_number")
    @abstractmethod
    def reply(self, *, letter_number: str, accept: bool, reason: str = "") -> IncomingLetter:
        """Accept (02) or refuse with a reason (13) a letter sent to us; the same answer again is harmless,
        the opposite answer is `Rejected`."""

    @operation(reference="letter_number")
    @abstractmethod
    def funds_sent(
        self, *, letter_number: str, principal: Decimal, interest: Decimal, bank_serial: str
    ) -> IncomingLetter:
        """Tell the platform the money was paid to the new centre (08); the same report again is harmless."""


R = TypeVar("R", ContactLetter, IncomingLetter)


def _result(cls: type[R], row: SandboxTransferLetter | SandboxIncomingLetter) -> R:
    """The platform's answer about a sandbox letter: the row's fields of the same names, the status as a code."""
    values = {f.name: getattr(row, f.name) for f in fields(cls) if f.name not in ("call_id", "status")}
    return cls(status=TransferStatus(row.status), **values)


def _letter(row: SandboxTransferLetter) -> ContactLetter:
    return _result(ContactLetter, row)


def _incoming(row: SandboxIncomingLetter) -> IncomingLetter:
    return _result(IncomingLetter, row)


M = TypeVar("M", SandboxTransferLetter, SandboxIncomingLetter)


def _sandbox_row(model: type[M], letter_number: str, *, lock: bool = False) -> M:
    """A sandbox letter by its number (locked for a write); `NotFound` as the platform answers an unknown one."""
    rows = model.objects.select_for_update() if lock else model.objects.all()
    row = rows.filter(letter_number=letter_number).first()
    if row is None:
        raise NotFound("转移接续平台查无此联系函")
    return row


class SandboxTransferPlatform(TransferPlatform):
    backend = "sandbox"

    def send_letter(
        self,
        *,
        id_number: str,
        name: str,
        from_centre: str,
        to_account_number: str,
        reference: str,
        from_account_number: str = "",
    ) -> ContactLetter:
        id_number = id_number.upper()
        existing = SandboxTransferLetter.objects.filter(reference=reference).first()
        if existing is not None:
            if existing.id_number != id_number:
                raise Rejected("该业务编号已用于另一职工的联系函")
            return _letter(existing)
        open_letters = SandboxTransferLetter.objects.filter(id_number=id_number).exclude(status__in=FINISHED)
        if open_letters.exists():
            raise Rejected("该职工已有办理中的转移接续业务")
        try:
            with transaction.atomic():
                row = SandboxTransferLetter.objects.create(
                    letter_number=f"待编号-{uuid.uuid4().hex[:24]}",
                    reference=reference,
                    id_number=id_number,
                    name=name,
                    from_centre=from_centre,
                    from_account_number=from_account_number,
                    to_account_number=to_account_number,
                    status=TransferStatus.LETTER_REVIEWED,
                )
        except IntegrityError:
            return _letter(SandboxTransferLetter.objects.get(reference=reference))
        row.letter_number = number_format(f"ZY{timezone.localdate():%Y%m%d}", row.pk, 8)
        row.save(update_fields=["letter_number"])
        row.refresh_from_db(fields=["sent_at"])
        return _letter(row)

    def status(self, *, letter_number: str) -> ContactLetter:
        return _letter(self._get(letter_number))

    def confirm(self, *, letter_number: str) -> ContactLetter:
        row = self._get(letter_number, lock=True)
        if row.status == TransferStatus.DONE:
            return _letter(row)
        if row.status != TransferStatus.ACCOUNT_REVIEWED or row.funds_transferred_at is None:
            raise Rejected(f"联系函当前状态为“{row.get_status_display()}”，转出资金未到账，不能确认")
        row.status = TransferStatus.DONE
        row.status_message = "转入地已确认收款"
        row.confirmed_at = timezone.now()
        row.save(update_fields=["status", "status_message", "confirmed_at"])
        return _letter(row)

    def funds(self, *, letter_number: str) -> FundsTransfer:
        row = self._get(letter_number)
        if row.funds_transferred_at is None or row.funds_principal is None:
            raise NotFound("转出地尚未划转资金")
        return FundsTransfer(
            letter_number=row.letter_number,
            principal=row.funds_principal,
            interest=row.funds_interest or Decimal("0.00"),
            transferred_at=row.funds_transferred_at,
            bank_serial=row.funds_bank_serial,
        )

    def incoming_letters(self) -> IncomingLetters:
        recent = timezone.now() - timedelta(days=30)
        rows = SandboxIncomingLetter.objects.filter(
            ~Q(status__in=FINISHED) | Q(sent_at__gte=recent) | Q(replied_at__gte=recent) | Q(confirmed_at__gte=recent)
        ).order_by("sent_at", "id")
        return IncomingLetters(letters=tuple(_incoming(r) for r in rows))

    def reply(self, *, letter_number: str, accept: bool, reason: str = "") -> IncomingLetter:
        with transaction.atomic():
            row = self._incoming(letter_number)
            wanted = TransferStatus.LETTER_ACCEPTED if accept else TransferStatus.OUT_REJECTED
            if row.replied_at is not None:
                if (row.status == TransferStatus.OUT_REJECTED) != (not accept):
                    raise Rejected(f"联系函已答复（{row.get_status_display()}），不能改为相反的答复")
                return _incoming(row)
            if row.status != TransferStatus.LETTER_REVIEWED:
                raise Rejected(f"联系函当前状态为“{row.get_status_display()}”，不能答复")
            if not accept and not (reason or "").strip():
                raise Rejected("不予转出须说明原因")
            row.status = wanted
            row.reply_reason = "" if accept else reason.strip()[:200]
            row.status_message = "转出地已确认接收联系函" if accept else f"转出地审核不通过：{row.reply_reason}"[:200]
            row.replied_at = timezone.now()
            row.save(update_fields=["status", "reply_reason", "status_message", "replied_at"])
            return _incoming(row)

    def funds_sent(
        self, *, letter_number: str, principal: Decimal, interest: Decimal, bank_serial: str
    ) -> IncomingLetter:
        with transaction.atomic():
            row = self._incoming(letter_number)
            if row.funds_sent_at is not None:
                if (row.funds_principal, row.funds_interest, row.funds_bank_serial) != (principal, interest, bank_serial):
                    raise Rejected("该联系函已报送另一笔划款")
                return _incoming(row)
            if row.status != TransferStatus.LETTER_ACCEPTED:
                raise Rejected(f"联系函当前状态为“{row.get_status_display()}”，不能报送划款")
            row.funds_principal, row.funds_interest, row.funds_bank_serial = principal, interest, bank_serial
            row.funds_sent_at = timezone.now()
            row.status = TransferStatus.ACCOUNT_REVIEWED
            row.status_message = "转出地已划转资金，待转入地确认"
            row.save(update_fields=[
                "funds_principal", "funds_interest", "funds_bank_serial", "funds_sent_at", "status", "status_message",
            ])
            return _incoming(row)

    @staticmethod
    def _incoming(letter_number: str) -> SandboxIncomingLetter:
        return _sandbox_row(SandboxIncomingLetter, letter_number, lock=True)

    @staticmethod
    def _get(letter_number: str, *, lock: bool = False) -> SandboxTransferLetter:
        return _sandbox_row(SandboxTransferLetter, letter_number, lock=lock)


class HttpTransferPlatform(HttpClient, TransferPlatform):
    def send_letter(
        self,
        *,
        id_number: str,
        name: str,
        from_centre: str,
        to_account_number: str,
        reference: str,
        from_account_number: str = "",
    ) -> ContactLetter:
        return self._post(
            "send_letter",
            ContactLetter,
            id_number=id_number,
            name=name,
            from_centre=from_centre,
            to_account_number=to_account_number,
            reference=reference,
            from_account_number=from_account_number,
            idempotency_key=reference,
        )

    def status(self, *, letter_number: str) -> ContactLetter:
        return self._post("status", ContactLetter, letter_number=letter_number)

    def confirm(self, *, letter_number: str) -> ContactLetter:
        return self._post("confirm", ContactLetter, letter_number=letter_number)

    def funds(self, *, letter_number: str) -> FundsTransfer:
        return self._post("funds", FundsTransfer, letter_number=letter_number)

    def incoming_letters(self) -> IncomingLetters:
        return self._post("incoming_letters", IncomingLetters)

    def reply(self, *, letter_number: str, accept: bool, reason: str = "") -> IncomingLetter:
        return self._post("reply", IncomingLetter, letter_number=letter_number, accept=accept, reason=reason)

    def funds_sent(
        self, *, letter_number: str, principal: Decimal, interest: Decimal, bank_serial: str
    ) -> IncomingLetter:
        return self._post(
            "funds_sent", IncomingLetter, letter_number=letter_number, principal=principal, interest=interest,
            bank_serial=bank_serial,
        )


# ---- playing the other centre in the sandbox (tests, demo, admin) -------------------------------------


def sandbox_set_status(*, letter_number: str, status: TransferStatus, message: str = "") -> None:
    """Move a sandbox letter to any platform status, as the transfer-out centre or the platform would."""
    updated = SandboxTransferLetter.objects.filter(letter_number=letter_number).update(
        status=status, status_message=message
    )
    if updated != 1:
        raise NotFound("转移接续平台查无此联系函")


@transaction.atomic
def sandbox_transfer_out(*, letter_number: str, principal: Decimal, interest: Decimal) -> None:
    """Play the transfer-out centre sending the money: funds recorded, status 08 账户信息复核通过."""
    row = _sandbox_row(SandboxTransferLetter, letter_number, lock=True)
    row.funds_principal = principal
    row.funds_interest = interest
    row.funds_transferred_at = timezone.now()
    row.funds_bank_serial = number_format("ZJ", row.pk, 10)
    row.status = TransferStatus.ACCOUNT_REVIEWED
    row.status_message = "转出地已划转资金"
    row.save(
        update_fields=[
            "funds_principal", "funds_interest", "funds_transferred_at", "funds_bank_serial", "status",
            "status_message",
        ]
    )


def sandbox_incoming_letter(
    *,
    id_number: str,
    name: str,
    to_centre: str = "上海市住房公积金管理中心",
    to_centre_account: str = "31001500100056000000",
    to_account_number: str = "",
    letter_number: str | None = None,
) -> SandboxIncomingLetter:
    """Play another centre sending us a contact letter (status 01). The new centre's receiving account is
    opened at the sandbox bank under the centre's name if it is not there, so a payout to it succeeds."""
    SandboxBankAccount.objects.get_or_create(
        account_number=to_centre_account, defaults={"name": to_centre, "bank_name": "建设银行"}
    )
    row = SandboxIncomingLetter.objects.create(
        letter_number=letter_number or f"待编号-{uuid.uuid4().hex[:24]}", id_number=id_number.upper(), name=name,
        to_centre=to_centre, to_centre_account=to_centre_account, to_account_number=to_account_number,
        status_message="转入地联系函已复核，待转出地接收",
    )
    if letter_number is None:
        row.letter_number = number_format(f"ZL{timezone.localdate():%Y%m%d}", row.pk, 8)
        row.save(update_fields=["letter_number"])
    row.refresh_from_db()
    return row


def sandbox_incoming_confirm(*, letter_number: str) -> SandboxIncomingLetter:
    """Play the new centre confirming it received the money: 08 → 00 正常办结."""
    with transaction.atomic():
        row = _sandbox_row(SandboxIncomingLetter, letter_number, lock=True)
        if row.status == TransferStatus.DONE:
            return row
        if row.status != TransferStatus.ACCOUNT_REVIEWED:
            raise Rejected(f"联系函当前状态为“{row.get_status_display()}”，转出资金未划转，不能确认")
        row.status, row.status_message, row.confirmed_at = TransferStatus.DONE, "转入地已确认收款", timezone.now()
        row.save(update_fields=["status", "status_message", "confirmed_at"])
        return row


def sandbox_incoming_set_status(*, letter_number: str, status: TransferStatus, message: str = "") -> None:
    """Move a letter sent to us to any status, as the new centre or the platform would (e.g. 05 撤销)."""
    if SandboxIncomingLetter.objects.filter(letter_number=letter_number).update(status=status, status_message=message) != 1:
        raise NotFound("转移接续平台查无此联系函")
