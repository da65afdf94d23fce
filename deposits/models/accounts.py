"""Unit accounts (单位账户) and member accounts (个人账户), in the national standard's codes.

The money of a member account lives in the ledger: `sub_account` is its sub-ledger account under
住房公积金 (201). This app keeps what the standard says about the account: its unit, base, ratios,
state and paid-up month (缴至年月).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from fund.ledger.models import SubAccount
from fund.people.models import Employer, Person

RATIO = {"max_digits": 5, "decimal_places": 4}
MONEY = {"max_digits": 18, "decimal_places": 2}


class UnitState(models.TextChoices):
    """单位账户状态 DWZHZT."""

    NORMAL = "01", "正常"
    OPENING = "02", "开户"
    DEFERRED = "03", "缓缴"
    CLOSED = "04", "销户"
    SEALED = "05", "封存"


class MemberState(models.TextChoices):
    """个人账户状态 GRZHZT."""

    NORMAL = "01", "正常"
    SEALED = "02", "封存"
    MERGED = "03", "合并销户"
    TRANSFERRED_OUT = "04", "外部转出销户"
    WITHDRAWN = "05", "提取销户"
    FROZEN = "06", "冻结"
    OTHER = "99", "其他"


ACTIVE_MEMBER_STATES = (MemberState.NORMAL, MemberState.SEALED, MemberState.FROZEN)


class UnitAccount(models.Model):
    number = models.CharField("单位账号", max_length=20, unique=True, help_text="DWZH")
    employer = models.OneToOneField(Employer, verbose_name="单位", on_delete=models.PROTECT, related_name="account")
    state = models.CharField("单位账户状态", max_length=2, choices=UnitState.choices, default=UnitState.NORMAL)
    unit_ratio = models.DecimalField("单位缴存比例", **RATIO, help_text="DWJCBL，如 0.1200")
    member_ratio = models.DecimalField("个人缴存比例", **RATIO, help_text="GRJCBL，如 0.1200")
    pay_day = models.PositiveSmallIntegerField("每月缴存日")
    bank_name = models.CharField("缴存银行", max_length=60)
    bank_account = models.CharField("单位银行账号", max_length=32)
    opened_on = models.DateField("开户日期")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "单位账户"
        constraints = [
            models.CheckConstraint(condition=Q(pay_day__gte=1, pay_day__lte=28), name="unit_pay_day_in_month"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.employer.name}"


class MemberAccount(models.Model):
    number = models.CharField("个人账号", max_length=20, unique=True, help_text="GRZH")
    person = models.ForeignKey(Person, verbose_name="职工", on_delete=models.PROTECT, related_name="fund_accounts")
    unit = models.ForeignKey(UnitAccount, verbose_name="单位账户", on_delete=models.PROTECT, related_name="members")
    sub_account = models.OneToOneField(SubAccount, verbose_name="分户账", on_delete=models.PROTECT, related_name="member_account")
    state = models.CharField("个人账户状态", max_length=2, choices=MemberState.choices, default=MemberState.NORMAL)
    base = models.DecimalField("个人缴存基数", **MONEY, help_text="GRJCJS")
    unit_monthly = models.DecimalField("单位月缴存额", **MONEY, help_text="DWYJCE")
    member_monthly = models.DecimalField("个人月缴存额", **MONEY, help_text="GRYJCE")
    bank_card = models.CharField("个人银行卡号", max_length=19, blank=True)
    opened_on = models.DateField("开户日期")
    first_month = models.DateField("起缴年月", help_text="新职工自入职次月起缴；存为该月1日")
    paid_up_to = models.DateField("缴至年月", null=True, blank=True, help_text="JZNY；存为该月1日")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "个人账户"
        constraints = [
            # 一人一户: one person has one account that is not closed.
            models.UniqueConstraint(
                fields=["person"], condition=Q(state__in=["01", "02", "06"]), name="one_active_account_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.person.name}"

    @property
    def monthly_total(self) -> Decimal:
        return self.unit_monthly + self.member_monthly

    @property
    def balance(self) -> Decimal:
        return self.sub_account.balance


class MonthlyDeposit(models.Model):
    """One member's deposit for one month (汇缴 or 补缴). A month is paid at most once per account until that
    payment is reversed (错缴更正), after which it may be paid again."""

    account = models.ForeignKey(MemberAccount, verbose_name="个人账户", on_delete=models.PROTECT, related_name="monthly_deposits")
    month = models.DateField("缴存年月", help_text="HBJNY；存为该月1日")
    unit_amount = models.DecimalField("单位缴存额", **MONEY)
    member_amount = models.DecimalField("个人缴存额", **MONEY)
    base = models.DecimalField("缴存基数", **MONEY, null=True, blank=True)
    entry = models.ForeignKey("ledger.JournalEntry", verbose_name="记账凭证", on_delete=models.PROTECT, related_name="+")
    bill_line = models.OneToOneField(
        "deposits.RemittanceBillLine", verbose_name="缴存核定单明细", on_delete=models.PROTECT, null=True, blank=True,
        related_name="deposit",
    )
    reversal = models.ForeignKey(
        "ledger.JournalEntry", verbose_name="冲正凭证", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "月度缴存"
        constraints = [
            models.UniqueConstraint(
                fields=["account", "month"], condition=Q(reversal__isnull=True), name="one_deposit_per_account_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.month:%Y-%m}"
