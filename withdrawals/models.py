"""Withdrawals (提取): the application, the rules its decision checked, the bank payouts, and standing
instructions (逐月提取).

The bank payouts are `fund.payments` payments (purpose `withdrawals.payout`), read through `payouts`.

A withdrawal's life: 已提交 (submitted; the 秒批 task is deciding) → 人工审核 (review, when a rule failed or the
reason always needs people) → 已批准 (approved: the money has left the member's account into 提取待付款 and the
bank is instructed) → 已到账 (paid). A payout the bank refuses puts the money back and leaves the withdrawal
付款失败 (payout_failed) until a retry pays it. 未通过 (rejected) and 已撤回 (cancelled) end it. At most one
withdrawal per account is in flight (a partial unique index), the national platform's rule.
"""

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse

if TYPE_CHECKING:
    from fund.payments.models import PaymentAttempt

MONEY = {"max_digits": 18, "decimal_places": 2}
# The fund.payments purpose of a withdrawal's payment to the card.
PAYOUT_PURPOSE = "withdrawals.payout"


class WithdrawalState(models.TextChoices):
    SUBMITTED = "submitted", "系统核验中"
    REVIEW = "review", "人工审核中"
    APPROVED = "approved", "已批准待到账"
    PAYOUT_FAILED = "payout_failed", "付款失败待重试"
    PAID = "paid", "已到账"
    REJECTED = "rejected", "未通过"
    CANCELLED = "cancelled", "已撤回"


IN_FLIGHT = (
    WithdrawalState.SUBMITTED, WithdrawalState.REVIEW, WithdrawalState.APPROVED, WithdrawalState.PAYOUT_FAILED,
)
# States whose money has been (or is being) taken: they count against caps and the same-home rule.
TAKEN = (WithdrawalState.APPROVED, WithdrawalState.PAYOUT_FAILED, WithdrawalState.PAID)


class Channel(models.TextChoices):
    WINDOW = "window", "综合窗口"
    ONLINE = "online", "个人网厅"
    API = "api", "手机/接口"
    STANDING = "standing", "逐月提取"


class Relation(models.TextChoices):
    """Whose home or whose death: the relation between the account holder and the other person named."""

    SELF = "self", "本人"
    SPOUSE = "spouse", "配偶"
    PARENT = "parent", "父母"
    CHILD = "child", "子女"
    HEIR = "heir", "继承人"


class Decider(models.TextChoices):
    AUTO = "auto", "系统秒批"
    MANUAL = "manual", "人工审核"


class Withdrawal(models.Model):
    number = models.CharField("提取业务编号", max_length=20, unique=True)
    account = models.ForeignKey(
        "deposits.MemberAccount", verbose_name="个人账户", on_delete=models.PROTECT, related_name="withdrawals"
    )
    branch = models.ForeignKey("people.Branch", verbose_name="管理部", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("提取原因", max_length=12, help_text="withdrawals.reasons 中的键，如 07、99-lift")
    reason_code = models.CharField("提取原因代码", max_length=2, help_text="TQYY")
    channel = models.CharField("办理渠道", max_length=10, choices=Channel.choices)
    relation = models.CharField("关系", max_length=10, choices=Relation.choices, default=Relation.SELF)
    other_id_number = models.CharField("关系人身份证号码", max_length=18, blank=True,
                                       help_text="房屋所有人（配偶/父母/子女）或继承人")
    other_name = models.CharField("关系人姓名", max_length=60, blank=True)
    amount_requested = models.DecimalField("申请金额", **MONEY, null=True, blank=True, help_text="空：按可提取最高额")
    amount = models.DecimalField("核准金额", **MONEY, null=True, blank=True)
    interest = models.DecimalField("结息金额", **MONEY, default=Decimal("0.00"), help_text="销户提取结至当日的利息")
    closes_account = models.BooleanField("销户提取", default=False)
    payee_name = models.CharField("收款人", max_length=60)
    payee_card = models.CharField("收款银行卡号", max_length=19)
    details = models.JSONField("申请信息", default=dict, blank=True)
    home_key = models.CharField("房屋标识", max_length=80, blank=True,
                                help_text="不动产权证号或购房发票号码：同一住房 12 个月内不得重复提取")
    home_place = models.CharField("房屋坐落（核验）", max_length=220, blank=True,
                                  help_text="不动产登记或发票上的房屋坐落（规范化）：以发票和以产权证申请的同一住房视为同一套")
    materials = models.JSONField("已收材料", default=list, blank=True)
    state = models.CharField("状态", max_length=14, choices=WithdrawalState.choices, default=WithdrawalState.SUBMITTED)
    decider = models.CharField("审批方式", max_length=10, choices=Decider.choices, blank=True)
    decision_note = models.CharField("审批结论", max_length=500, blank=True)
    due_on = models.DateField("人工审核时限", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT, related_name="+"
    )
    client_token = models.CharField("提交令牌", max_length=64, blank=True,
                                    help_text="同一提交人重复提交同一令牌只生成一笔提取")
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    paid_at = models.DateTimeField("到账时间", null=True, blank=True)
    ended_at = models.DateTimeField("办结时间", null=True, blank=True)
    prior_account_state = models.CharField("销户前账户状态", max_length=2, blank=True)
    standing = models.ForeignKey(
        "withdrawals.StandingInstruction", verbose_name="逐月提取协议", on_delete=models.PROTECT, null=True, blank=True,
        related_name="withdrawals",
    )
    standing_month = models.DateField("逐月提取月份", null=True, blank=True)
    # Not a column: withdrawal_submit marks the first withdrawal it hands back for a repeated client token.
    replayed = False

    class Meta:
        verbose_name = verbose_name_plural = "提取申请"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["state", "branch"]), models.Index(fields=["reason", "state"]),
            # Only withdrawals for a home are looked up by it: most (rent, retirement …) have none, and indexing
            # their empty values made every insert and state change write to one crowded page of each index.
            models.Index(fields=["home_key"], condition=~Q(home_key=""), name="withdrawal_home_key"),
            models.Index(fields=["home_place"], condition=~Q(home_place=""), name="withdrawal_home_place"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["account"], condition=Q(state__in=IN_FLIGHT), name="withdrawal_one_in_flight"),
            models.UniqueConstraint(
                fields=["submitted_by", "client_token"], condition=~Q(client_token=""), name="withdrawal_client_token"
            ),
            models.UniqueConstraint(
                fields=["standing", "standing_month"], condition=Q(standing__isnull=False), name="withdrawal_standing_month"
            ),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gt=0), name="withdrawal_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"提取 {self.number}"

    def get_staff_url(self) -> str:
        return reverse("staff:withdrawal", args=[self.pk])

    @property
    def payouts(self) -> "QuerySet[PaymentAttempt]":
        """The bank attempts of this withdrawal's payment (fund.payments), first to last."""
        from fund.payments.models import PaymentAttempt

        return PaymentAttempt.objects.filter(
            payment__subject_type=ContentType.objects.get_for_model(Withdrawal), payment__subject_id=self.pk,
            payment__purpose=PAYOUT_PURPOSE,
        ).order_by("attempt")

    # What the staff inbox (fund.workflow) shows of a subject so a reviewer can pick up the work without
    # opening each one: who applied, how much, and why.
    inbox_related = ("account__person",)

    def inbox_facts(self) -> dict[str, Any]:
        from .reasons import REASONS

        reason = REASONS.get(self.reason)
        return {"name": self.account.person.name, "amount": self.amount or self.amount_requested,
                "reason": reason.label if reason is not None else self.reason}


class RuleCheck(models.Model):
    """One rule a decision checked: its result, what it means for staff and, in plain words, for the member,
    and the evidence (values read and the integration call ids)."""

    withdrawal = models.ForeignKey(Withdrawal, on_delete=models.PROTECT, related_name="checks")
    round = models.PositiveSmallIntegerField("第几次审核", default=1)
    order = models.PositiveSmallIntegerField("顺序")
    rule = models.CharField("规则", max_length=40)
    label = models.CharField("规则名称", max_length=60)
    passed = models.BooleanField("通过")
    detail = models.CharField("核查结果", max_length=500)
    plain = models.CharField("给申请人的说明", max_length=500)
    evidence = models.JSONField("证据", default=dict, blank=True)
    checked_at = models.DateTimeField("核查时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "秒批规则核查"
        ordering = ["round", "order"]
        constraints = [models.UniqueConstraint(fields=["withdrawal", "round", "rule"], name="rulecheck_once_per_round")]

    def __str__(self) -> str:
        return f"{self.label}：{'通过' if self.passed else '未通过'}"


class StandingState(models.TextChoices):
    ACTIVE = "active", "生效中"
    ENDED = "ended", "已终止"


class StandingInstruction(models.Model):
    """逐月提取: each month, take the housing loan's instalment from the fund account and pay it to the card
    the loan is repaid from. The loan is found through a loan source (`withdrawals.loans`): a commercial loan
    from the credit report now, this centre's own loans when the loans line registers its source."""

    number = models.CharField("协议编号", max_length=20, unique=True)
    account = models.ForeignKey(
        "deposits.MemberAccount", verbose_name="个人账户", on_delete=models.PROTECT, related_name="standing_instructions"
    )
    source = models.CharField("贷款来源", max_length=20)
    loan_reference = models.CharField("贷款标识", max_length=80)
    lender = models.CharField("贷款机构", max_length=120)
    monthly_amount = models.DecimalField("月提取额上限", **MONEY, help_text="不超过月还款额")
    payee_card = models.CharField("还款卡号", max_length=19)
    payee_name = models.CharField("户名", max_length=60)
    day = models.PositiveSmallIntegerField("每月提取日", default=5)
    state = models.CharField("状态", max_length=10, choices=StandingState.choices, default=StandingState.ACTIVE)
    starts_on = models.DateField("起始日期")
    ended_on = models.DateField("终止日期", null=True, blank=True)
    end_reason = models.CharField("终止原因", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签约人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_month = models.DateField("最近提取月份", null=True, blank=True)
    last_note = models.CharField("最近执行情况", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "逐月提取协议"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["account"], condition=Q(state="active"), name="standing_one_active"),
            models.CheckConstraint(condition=Q(monthly_amount__gt=0), name="standing_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"逐月提取 {self.number}"
