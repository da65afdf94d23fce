"""The fund's general ledger and its sub-ledgers.

GL accounts (科目) carry no running balance: their balance is the sum of their lines, so no posting ever
waits on a hot "bank deposits" row. Sub-accounts (a member's 个人账户 money, later a loan's receivable)
do carry their balance, because withdrawals must lock it and check it; each sub-account hangs under one
control account, and Σ sub-account balances = the control account's balance (`manage.py reconcile`).

The database itself keeps the invariants (see migration 0002): every entry balances (a deferred
constraint trigger), posted lines, entries and sub-ledger rows can be neither updated nor deleted, a
sub-account's balance never goes below zero unless it is allowed to, and an idempotency key is used once.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models

MONEY: dict[str, Any] = {"max_digits": 18, "decimal_places": 2}


class AccountKind(models.TextChoices):
    ASSET = "asset", "资产"
    LIABILITY = "liability", "负债"
    EQUITY = "equity", "净资产"
    INCOME = "income", "收入"
    EXPENSE = "expense", "支出"


DEBIT_NORMAL = {AccountKind.ASSET, AccountKind.EXPENSE}


class Account(models.Model):
    """会计科目: one account of the chart."""

    code = models.CharField("科目代码", max_length=10, unique=True)
    name = models.CharField("科目名称", max_length=60)
    kind = models.CharField("类别", max_length=10, choices=AccountKind.choices)
    is_control = models.BooleanField("控制科目", default=False, help_text="有明细分户账（如个人账户）的科目")

    class Meta:
        verbose_name = verbose_name_plural = "会计科目"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def debit_normal(self) -> bool:
        return self.kind in DEBIT_NORMAL


class BusinessType(models.TextChoices):
    """业务类型: the standard's deposit/withdrawal codes (GJHTQYWLX) prefixed GJ, loan codes (DKYWMXLX) DK."""

    GJ_REMIT = "GJ01", "汇缴"
    GJ_BACKPAY = "GJ02", "补缴"
    GJ_OPEN = "GJ03", "开户"
    GJ_TRANSFER_INTERNAL = "GJ06", "内部转移"
    GJ_TRANSFER_OUT = "GJ07", "外部转出"
    GJ_TRANSFER_IN = "GJ08", "外部转入"
    GJ_INTEREST = "GJ09", "年终结息"
    GJ_PARTIAL_WITHDRAWAL = "GJ11", "部分提取"
    GJ_CLOSING_WITHDRAWAL = "GJ12", "销户提取"
    GJ_OTHER = "GJ99", "其他归集业务"
    DK_DISBURSE = "DK01", "贷款发放"
    DK_REPAY = "DK02", "正常还款"
    DK_PREPAY = "DK03", "提前还款"
    DK_OVERDUE_REPAY = "DK04", "逾期还款"
    DK_FUND_REPAY = "DK05", "公积金提取还款"
    DK_SETTLE = "DK06", "结清"
    DK_WRITE_OFF = "DK09", "核销"
    DK_OTHER = "DK99", "其他贷款业务"
    REVERSAL = "CZ", "冲账"


def interest_period_start(day: date) -> date:
    """The 1 July that opens the interest period (1 July – 30 June) containing `day`."""
    return date(day.year if day.month >= 7 else day.year - 1, 7, 1)


def interest_period_end(day: date) -> date:
    """The 30 June that closes the interest period containing `day` (the settlement date, 结息日)."""
    return date(interest_period_start(day).year + 1, 6, 30)


class SubAccount(models.Model):
    """A sub-ledger account under a control account: a member's fund money, or a loan's receivable.

    The balance is split into this year's deposits (当年归集) and the carried-over balance (上年结转).

    Accumulation (积数) for interest, kept by every posting (`fund.ledger.services.posting.movement_apply` and the same
    rules in SQL in `entry_post_set`), so settling interest never rescans the year:

    - Interest periods run 1 July – 30 June (`interest_period_start`/`interest_period_end`).
    - `accumulation` is Σ of end-of-day balances for the days of the running period before
      `accumulated_to` (which always lies in the running period); `accumulation_prior` is the same Σ for
      the 上年结转 part alone. A posting on day D first adds balance × (D − accumulated_to) days, so the
      new balance counts from D itself (a deposit earns for the day it is posted). A back-dated posting
      adds its amount × the days it missed, within the running period.
    - The period boundary: a posting dated in a later period than `accumulated_to` closes the running
      period first: its full 积数 (to 30 June inclusive) goes to `closed_accumulation` /
      `closed_accumulation_prior`, its end date to `closed_period_end`, and the 当年归集 balance it ended
      with to `closed_current_year` (still to be rolled into 上年结转 at settlement); the running figures
      restart at 1 July. Until the settlement, the 上年结转 part's 积数 counts `closed_current_year` as
      carried over (it is, from 1 July), and withdrawals that reach into 当年归集 consume it first.
      A back-dated posting dated in the closed period adds its days there too.
    - Settlement of a period (`interest_settle_set`) uses the closed figures when `closed_period_end` is
      the period's end, otherwise `accumulation + balance × days to 30 June inclusive`; then it credits
      the interest to 上年结转, rolls the period's 当年归集 into 上年结转, clears the closed figures and
      (for accounts that had not crossed) restarts the running figures at 1 July.
    - Crossing never moves money between the parts (callers may post an explicit split read from the
      account); only the settlement rolls. Only one closed period is kept: a year must be settled before
      the next 30 June passes. A posting that finds an older closed period still unsettled drops its
      figures (the year was skipped; its 当年归集 stays marked to roll); a posting after whole periods
      without activity closes the last of them with the constant balance, all of it carried over.
    """

    control = models.ForeignKey(Account, verbose_name="控制科目", on_delete=models.PROTECT, related_name="sub_accounts")
    number = models.CharField("分户账号", max_length=32, unique=True)
    name = models.CharField("户名", max_length=120)
    balance = models.DecimalField("余额", **MONEY, default=Decimal("0.00"))
    current_year = models.DecimalField("当年归集余额", **MONEY, default=Decimal("0.00"))
    prior_year = models.DecimalField("上年结转余额", **MONEY, default=Decimal("0.00"))
    accumulation = models.DecimalField("积数", max_digits=24, decimal_places=2, default=Decimal("0.00"))
    accumulated_to = models.DateField("积数计至")
    # db_default too: bulk loaders (COPY) that predate these fields leave them out.
    accumulation_prior = models.DecimalField(
        "上年结转积数", max_digits=24, decimal_places=2, default=Decimal("0.00"), db_default=Decimal("0.00")
    )
    closed_period_end = models.DateField("待结息期末", null=True, blank=True, help_text="已跨期但尚未结息的计息期止日")
    closed_accumulation = models.DecimalField(
        "待结息积数", max_digits=24, decimal_places=2, default=Decimal("0.00"), db_default=Decimal("0.00")
    )
    closed_accumulation_prior = models.DecimalField(
        "待结息上年结转积数", max_digits=24, decimal_places=2, default=Decimal("0.00"), db_default=Decimal("0.00")
    )
    closed_current_year = models.DecimalField(
        "待结转当年归集", **MONEY, default=Decimal("0.00"), db_default=Decimal("0.00"),
        help_text="已结束计息期的当年归集余额，结息时转入上年结转",
    )
    allow_negative = models.BooleanField("允许负余额", default=False)
    opened_on = models.DateField("开户日期")

    class Meta:
        verbose_name = verbose_name_plural = "分户账"
        # Pages keep room for the balance updates every posting makes (fillfactor, migration 0009): with room
        # beside the row an update writes no index (a HOT update) — a batch posts 20,000 sub-accounts at once.
        constraints = [
            models.CheckConstraint(
                condition=models.Q(balance=models.F("current_year") + models.F("prior_year")),
                name="subaccount_balance_is_split",
            ),
            models.CheckConstraint(
                condition=models.Q(allow_negative=True)
                | models.Q(balance__gte=0, current_year__gte=0, prior_year__gte=0),
                name="subaccount_not_overdrawn",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class JournalEntry(models.Model):
    """记账凭证: one business event, posted once (idempotency key), never changed (reversed instead)."""

    number = models.CharField("业务流水号", max_length=32, unique=True)
    business_type = models.CharField("业务类型", max_length=4, choices=BusinessType.choices)
    reference = models.CharField("业务参考", max_length=120, db_index=True)
    idempotency_key = models.CharField("幂等键", max_length=160, unique=True)
    value_date = models.DateField("记账日期", db_index=True)
    posted_at = models.DateTimeField("过账时间", auto_now_add=True)
    memo = models.CharField("摘要", max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    reverses = models.OneToOneField(
        "self", verbose_name="冲正原凭证", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )

    class Meta:
        verbose_name = verbose_name_plural = "记账凭证"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.get_business_type_display()}"


class JournalLine(models.Model):
    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="lines")
    account = models.ForeignKey(Account, verbose_name="科目", on_delete=models.PROTECT, related_name="lines")
    debit = models.DecimalField("借方", **MONEY, default=Decimal("0.00"))
    credit = models.DecimalField("贷方", **MONEY, default=Decimal("0.00"))

    class Meta:
        verbose_name = verbose_name_plural = "分录"
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(debit__gt=0, credit=0) | models.Q(debit=0, credit__gt=0)),
                name="journalline_one_side_positive",
            ),
        ]


class SubLedgerRow(models.Model):
    """明细账: one movement on a sub-account, written in the same transaction as its entry."""

    entry = models.ForeignKey(JournalEntry, verbose_name="记账凭证", on_delete=models.PROTECT, related_name="sub_rows")
    # Indexed by (sub_account, id) below, which leads with it: a second index on the key alone was written on
    # every posting for nothing.
    sub_account = models.ForeignKey(SubAccount, verbose_name="分户账", on_delete=models.PROTECT, related_name="rows",
                                    db_index=False)
    value_date = models.DateField("记账日期")
    amount = models.DecimalField("发生额", **MONEY, help_text="正数增加余额，负数减少余额")
    current_year_amount = models.DecimalField("当年归集发生额", **MONEY)
    prior_year_amount = models.DecimalField("上年结转发生额", **MONEY)
    balance_after = models.DecimalField("余额", **MONEY)
    summary = models.CharField("摘要", max_length=120, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "明细账"
        indexes = [models.Index(fields=["sub_account", "id"])]

    def __str__(self) -> str:
        return f"{self.value_date} {self.summary or '明细'} {self.amount}"
