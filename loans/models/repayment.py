"""The stored schedule, repayments, the fund-account agreement (自愿扣划) and the bank's batch debits.

A loan's schedule is stored per instalment for the rate year in force: the instalments due up to 31 December
(and at least the first). Those after it cannot be known yet, since the loan re-prices on 1 January when the
policy rates have changed; the yearly job (`loans.services.repricing`) stores the next year's instalments then,
continuing the current `ScheduleSegment` or starting a new one at the new rate. Pages show the stored
instalments and, after them, the rest of the segment as a projection at today's rate.

A re-pricing or a prepayment starts a new segment; the instalments it replaces are kept, marked 已调整
(superseded), so the old schedule stays in history beside the segment that made it.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q

MONEY: dict[str, Any] = {"max_digits": 18, "decimal_places": 2}
ZERO_MONEY: dict[str, Any] = {**MONEY, "default": Decimal("0.00")}


class SegmentReason(models.TextChoices):
    DISBURSED = "disbursed", "贷款发放"
    REPRICED = "repriced", "利率调整"
    PREPAY_TERM = "prepay_term", "提前还款（缩短期限）"
    PREPAY_PAYMENT = "prepay_payment", "提前还款（减少月供）"


class ScheduleSegment(models.Model):
    """A version of the schedule: from instalment `first_number` to `last_number`, one rate and one payment."""

    # Indexed by the unique (loan, id) below, which instalments' one key check refers to.
    loan = models.ForeignKey("loans.Loan", verbose_name="贷款", on_delete=models.PROTECT, related_name="segments",
                             db_index=False)
    reason = models.CharField("原因", max_length=16, choices=SegmentReason.choices)
    effective_on = models.DateField("生效日期")
    balance = models.DecimalField("起始本金余额", **MONEY)
    rate = models.DecimalField("年利率（%）", max_digits=6, decimal_places=3)
    method = models.CharField("还款方式", max_length=10)
    first_number = models.PositiveSmallIntegerField("起始期次")
    last_number = models.PositiveSmallIntegerField("最后期次")
    first_due = models.DateField("起始期次还款日")
    day = models.PositiveSmallIntegerField("还款日")
    payment = models.DecimalField("月还款额/月还本金", **MONEY, help_text="等额本息为月供，等额本金为每月应还本金")
    first_interest = models.DecimalField("首期按日计息", **MONEY, null=True, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "还款计划版本"
        ordering = ["loan", "id"]
        constraints = [models.UniqueConstraint(fields=["loan", "id"], name="segment_of_loan")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.effective_on} 第{self.first_number}–{self.last_number}期"


class InstalmentState(models.TextChoices):
    PENDING = "pending", "未到期"
    OVERDUE = "overdue", "逾期"
    PAID = "paid", "已还清"
    SUPERSEDED = "superseded", "已调整"


OPEN_STATES = (InstalmentState.PENDING, InstalmentState.OVERDUE)


class Instalment(models.Model):
    """One instalment of the schedule: what is due, what has been paid, and the penalty interest on its principal
    while it is overdue. Penalty to a day D = `penalty_frozen` + unpaid principal × daily penalty rate × (D −
    `penalty_from`), so the nightly close can compute it again for the same date and get the same figure."""

    # The loan and the segment are checked by ONE key, (loan, segment) → the segment's unique (loan, id), added
    # by migration 0012 (Django declares no composite foreign keys): an instalment's segment must be of its own
    # loan, and the segment's own key checks the loan. Two single keys cost two checks per row at commit, and
    # the yearly job inserts 2.4 million instalments at 200,000 loans (the checks were a third of its time).
    loan = models.ForeignKey("loans.Loan", verbose_name="贷款", on_delete=models.PROTECT, related_name="instalments",
                             db_constraint=False)
    # No index of its own: nothing looks instalments up by segment, and the yearly job pays for every index
    # (a segment is never deleted, so its PROTECT check never runs).
    segment = models.ForeignKey(ScheduleSegment, verbose_name="计划版本", on_delete=models.PROTECT,
                                related_name="instalments", db_index=False, db_constraint=False)
    number = models.PositiveSmallIntegerField("期次")
    due_on = models.DateField("应还日期")
    principal = models.DecimalField("应还本金", **MONEY)
    interest = models.DecimalField("应还利息", **MONEY)
    balance_after = models.DecimalField("计划剩余本金", **MONEY)
    principal_paid = models.DecimalField("已还本金", **ZERO_MONEY)
    interest_paid = models.DecimalField("已还利息", **ZERO_MONEY)
    penalty = models.DecimalField("罚息", **ZERO_MONEY, help_text="至最近一次日终的应计罚息（含已还）")
    penalty_paid = models.DecimalField("已还罚息", **ZERO_MONEY)
    penalty_frozen = models.DecimalField("已计罚息", **ZERO_MONEY, help_text="本金部分归还前已计的罚息")
    penalty_from = models.DateField("罚息起算日", null=True, blank=True)
    state = models.CharField("状态", max_length=10, choices=InstalmentState.choices, default=InstalmentState.PENDING)
    paid_on = models.DateField("还清日期", null=True, blank=True)
    # The nightly close's due-date reminder (loans.close): set when the text is queued, so it goes once.
    reminded_on = models.DateField("提醒日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "还款计划"
        ordering = ["loan", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "number"], condition=~Q(state="superseded"),
                                    name="instalment_one_current_per_number"),
            models.CheckConstraint(condition=Q(principal_paid__lte=F("principal"), interest_paid__lte=F("interest"),
                                               penalty_paid__lte=F("penalty")),
                                   name="instalment_not_overpaid"),
            models.CheckConstraint(condition=Q(principal__gte=0, interest__gte=0, principal_paid__gte=0,
                                               interest_paid__gte=0, penalty_paid__gte=0),
                                   name="instalment_amounts_not_negative"),
        ]
        indexes = [
            # the nightly close: what falls due or is overdue on a date
            models.Index(fields=["due_on"], condition=Q(state__in=["pending", "overdue"]), name="instalment_open_due"),
            # the close's counters: instalments repaid after their due date (late), by the day they were repaid
            models.Index(fields=["paid_on"], condition=Q(paid_on__gt=F("due_on")), name="instalment_paid_late"),
        ]

    def __str__(self) -> str:
        return f"第{self.number}期 {self.due_on}"

    @property
    def owed(self) -> Decimal:
        return (self.principal - self.principal_paid) + (self.interest - self.interest_paid) + (
            self.penalty - self.penalty_paid)


class RepaymentKind(models.TextChoices):
    """还款类型, with the ledger's business type (DK…) each posts under."""

    SCHEDULED = "scheduled", "正常还款"
    OVERDUE = "overdue", "逾期还款"
    PREPAY_PARTIAL = "prepay_partial", "部分提前还款"
    PREPAY_FULL = "prepay_full", "提前结清"


class RepaymentChannel(models.TextChoices):
    DEBIT = "debit", "银行批量扣款"
    FUND = "fund", "公积金账户扣划"
    COUNTER = "counter", "柜台还款"
    ONLINE = "online", "网上还款"


class Repayment(models.Model):
    """还款明细: one repayment, how it was allocated, where the money came from, and its journal entry."""

    # Indexed by (loan, value_date) below, and the nullable keys only where set (a batch debit's 20,000 rows
    # carry none of them): the nightly close inserts a row per paid loan and pays for every index.
    loan = models.ForeignKey("loans.Loan", verbose_name="贷款", on_delete=models.PROTECT, related_name="repayments",
                             db_index=False)
    # Unique by constraints below rather than unique=True, which on PostgreSQL adds a second (pattern) index on
    # each for LIKE 'prefix%' searches nothing makes.
    number = models.CharField("还款流水号", max_length=24)
    idempotency_key = models.CharField("幂等键", max_length=120)
    kind = models.CharField("还款类型", max_length=16, choices=RepaymentKind.choices)
    channel = models.CharField("还款渠道", max_length=10, choices=RepaymentChannel.choices)
    value_date = models.DateField("还款日期")
    amount = models.DecimalField("还款金额", **MONEY)
    penalty = models.DecimalField("罚息", **ZERO_MONEY)
    overdue_interest = models.DecimalField("逾期利息", **ZERO_MONEY)
    overdue_principal = models.DecimalField("逾期本金", **ZERO_MONEY)
    interest = models.DecimalField("当期利息", **ZERO_MONEY)
    principal = models.DecimalField("当期本金", **ZERO_MONEY)
    prepaid_principal = models.DecimalField("提前归还本金", **ZERO_MONEY)
    from_fund = models.DecimalField("公积金账户支付", **ZERO_MONEY)
    from_card = models.DecimalField("银行卡支付", **ZERO_MONEY)
    fund_account = models.ForeignKey("deposits.MemberAccount", verbose_name="扣划公积金账户", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+", db_index=False)
    card = models.CharField("扣款账号", max_length=40, blank=True)
    bank_reference = models.CharField("银行业务编号", max_length=64, blank=True)
    entry = models.ForeignKey("ledger.JournalEntry", verbose_name="记账凭证", on_delete=models.PROTECT,
                              related_name="+")
    balance_after = models.DecimalField("还款后本金余额", **MONEY)
    segment = models.ForeignKey(ScheduleSegment, verbose_name="新还款计划", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+", help_text="提前还款生成的还款计划版本", db_index=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", db_index=False)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "还款明细"
        ordering = ["-value_date", "-id"]
        indexes = [models.Index(fields=["loan", "value_date"]),
                   models.Index(fields=["fund_account"], condition=Q(fund_account__isnull=False),
                                name="repayment_fund_account"),
                   models.Index(fields=["segment"], condition=Q(segment__isnull=False), name="repayment_segment"),
                   models.Index(fields=["actor"], condition=Q(actor__isnull=False), name="repayment_actor")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount=F("penalty") + F("overdue_interest") + F("overdue_principal") + F("interest")
                            + F("principal") + F("prepaid_principal")),
                name="repayment_allocated_in_full"),
            models.CheckConstraint(condition=Q(amount=F("from_fund") + F("from_card")), name="repayment_sources_add_up"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="repayment_amount_positive"),
            models.UniqueConstraint(fields=["number"], name="repayment_number_unique"),
            models.UniqueConstraint(fields=["idempotency_key"], name="repayment_idempotency_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()} {self.amount}"

    @property
    def principal_total(self) -> Decimal:
        return self.overdue_principal + self.principal + self.prepaid_principal

    @property
    def interest_total(self) -> Decimal:
        return self.overdue_interest + self.interest


class RepaymentAgreement(models.Model):
    """自愿扣划 (Linyi): by the account holder's agreement, instalments are taken from this fund account first (the
    borrower's or a co-borrower's), in `position` order, and what is left from the repayment card."""

    loan = models.ForeignKey("loans.Loan", verbose_name="贷款", on_delete=models.PROTECT, related_name="agreements")
    account = models.ForeignKey("deposits.MemberAccount", verbose_name="公积金账户", on_delete=models.PROTECT,
                                related_name="+")
    position = models.PositiveSmallIntegerField("扣划顺序", default=1)
    active = models.BooleanField("有效", default=True)
    signed_at = models.DateTimeField("签订时间", auto_now_add=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签订人", on_delete=models.PROTECT,
                                  related_name="+")
    ended_at = models.DateTimeField("终止时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "自愿扣划协议"
        ordering = ["loan", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["loan", "account"], condition=Q(active=True),
                                               name="agreement_one_active_per_account")]

    def __str__(self) -> str:
        return f"自愿扣划 {self.account_id} → {self.loan_id}"
