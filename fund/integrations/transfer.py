"""全国转移接续平台: moving a member's fund here from another city's centre.

This centre (the transfer-in side, 转入地) sends a contact letter (联系函) through the platform; the
transfer-out centre reviews it and sends the money; this centre confirms receipt and the platform closes the
case. The platform's own status codes are kept as they are (`TransferStatus`).
"""

from __future__ import annotations

import uuid
from abc import abstractmethod
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from .base import Integration, NotFound, Rejected, Result, operation
from .http import HttpClient
from .models import SandboxTransferLetter, TransferStatus

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


def _letter(row: SandboxTransferLetter) -> ContactLetter:
    return ContactLetter(
        letter_number=row.letter_number,
        id_number=row.id_number,
        name=row.name,
        from_centre=row.from_centre,
        status=TransferStatus(row.status),
        status_message=row.status_message,
        sent_at=row.sent_at,
    )


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
        row.letter_number = f"ZY{timezone.localdate():%Y%m%d}{row.pk:08d}"
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

    @staticmethod
    def _get(letter_number: str, *, lock: bool = False) -> SandboxTransferLetter:
        rows = SandboxTransferLetter.objects.select_for_update() if lock else SandboxTransferLetter.objects
        row = rows.filter(letter_number=letter_number).first()
        if row is None:
            raise NotFound("转移接续平台查无此联系函")
        return row


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
        )

    def status(self, *, letter_number: str) -> ContactLetter:
        return self._post("status", ContactLetter, letter_number=letter_number)

    def confirm(self, *, letter_number: str) -> ContactLetter:
        return self._post("confirm", ContactLetter, letter_number=letter_number)

    def funds(self, *, letter_number: str) -> FundsTransfer:
        return self._post("funds", FundsTransfer, letter_number=letter_number)


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
    row = SandboxTransferLetter.objects.select_for_update().filter(letter_number=letter_number).first()
    if row is None:
        raise NotFound("转移接续平台查无此联系函")
    row.funds_principal = principal
    row.funds_interest = interest
    row.funds_transferred_at = timezone.now()
    row.funds_bank_serial = f"ZJ{row.pk:010d}"
    row.status = TransferStatus.ACCOUNT_REVIEWED
    row.status_message = "转出地已划转资金"
    row.save(
        update_fields=[
            "funds_principal", "funds_interest", "funds_transferred_at", "funds_bank_serial", "status",
            "status_message",
        ]
    )
