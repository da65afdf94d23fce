"""Cross-region transfer (异地转移接续) through the national transfer platform.

Transfer in: a member who moved here asks us to fetch their fund; we send the platform a contact letter
(联系函) to the old centre, which reviews it and sends the money; we credit the account and confirm.
Transfer out: the new centre's letter reaches us through the platform; once the account meets the
preconditions (sealed, not frozen, no unpaid loan) we pay the whole balance out and close the account.
The platform's status codes are kept as they are.
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q

from fund.integrations.models import TransferStatus

from .accounts import MONEY, MemberAccount

if TYPE_CHECKING:
    from fund.ledger.models import JournalEntry
    from fund.payments.models import Payment, PaymentAttempt

# The fund.payments purpose of a transfer out's payment to the new centre's account.
TRANSFER_OUT_PURPOSE = "deposits.transfer_out"


class TransferDirection(models.TextChoices):
    IN = "in", "转入"
    OUT = "out", "转出"


FINISHED_STATUSES = [
    TransferStatus.DONE, TransferStatus.CANCELLED, TransferStatus.OUT_REJECTED,
    TransferStatus.DONE_AFTER_NEGOTIATION, TransferStatus.OUT_FAILED,
]


class CrossRegionTransfer(models.Model):
    direction = models.CharField("方向", max_length=3, choices=TransferDirection.choices)
    account = models.ForeignKey(MemberAccount, verbose_name="个人账户", on_delete=models.PROTECT, related_name="transfers")
    reference = models.CharField("业务编号", max_length=32, unique=True)
    letter_number = models.CharField("联系函编号", max_length=40, null=True, blank=True, unique=True)
    other_centre = models.CharField("对方中心", max_length=120)
    other_account_number = models.CharField("对方个人账号", max_length=40, blank=True)
    status = models.CharField("平台状态", max_length=2, choices=TransferStatus.choices, blank=True)
    status_message = models.CharField("平台说明", max_length=200, blank=True)
    principal = models.DecimalField("本金", **MONEY, null=True, blank=True)
    interest = models.DecimalField("利息", **MONEY, null=True, blank=True)
    entry = models.OneToOneField(
        "ledger.JournalEntry", verbose_name="入账凭证", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Empty for a letter fetched from the platform by the scheduled job (no person asked for it).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # ---- transfer out on a letter received through the platform -------------------------------------
    from_platform = models.BooleanField("平台来函", default=False)
    other_bank_account = models.CharField("转入中心收款账号", max_length=32, blank=True)
    letter_name = models.CharField("来函姓名", max_length=60, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="办理人", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    refuse_reason = models.CharField("不予转出原因", max_length=200, blank=True)
    replied_at = models.DateTimeField("答复平台时间", null=True, blank=True)
    # The payment of the funds to the new centre is a fund.payments payment (purpose `deposits.transfer_out`);
    # its failure, entry and bank serial are read from it below.
    payments = GenericRelation("payments.Payment", content_type_field="subject_type", object_id_field="subject_id")
    funds_reported_at = models.DateTimeField("划款报平台时间", null=True, blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    finished_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "异地转移接续"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account"], condition=Q(finished_at__isnull=True), name="one_open_transfer_per_account"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.reference}"

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    @property
    def payout_payment(self) -> "Payment | None":
        """The payment of the funds to the new centre, if one was made (as prefetched, when it was)."""
        return next((p for p in self.payments.all() if p.purpose == TRANSFER_OUT_PURPOSE), None)

    def _payout_attempts(self) -> "list[PaymentAttempt]":
        payment = self.payout_payment
        return sorted(payment.attempts.all(), key=lambda a: a.attempt) if payment is not None else []

    def _payout_paid(self) -> "PaymentAttempt | None":
        return next((a for a in self._payout_attempts() if a.status == "succeeded"), None)

    @property
    def payout_attempt(self) -> int:
        """How many attempts of the payout the bank refused."""
        return sum(1 for a in self._payout_attempts() if a.status == "failed")

    @property
    def payout_failure(self) -> str:
        """The bank's reason while a refused payout waits for someone to retry it; empty otherwise."""
        payment = self.payout_payment
        return payment.failure if payment is not None and payment.state in ("refused", "handed_off") else ""

    @property
    def funds_entry(self) -> "JournalEntry | None":
        """划款凭证: the paid attempt's entry (Dr 231 / Cr 101)."""
        paid = self._payout_paid()
        return paid.settle_entry if paid is not None else None

    @property
    def funds_entry_id(self) -> int | None:
        paid = self._payout_paid()
        return paid.settle_entry_id if paid is not None else None

    @property
    def funds_bank_serial(self) -> str:
        paid = self._payout_paid()
        return paid.bank_serial if paid is not None else ""
