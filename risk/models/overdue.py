"""The overdue ledger (逾期台账, Liaoyuan): one case per overdue episode of a loan, kept by the nightly close
(risk.services.overdue.overdue_ledger_step), with its responsible collector (清收岗), its stage of escalation,
the tasks each stage opens and every contact made.

A case opens the first night a loan has an instalment owing after its due date and is cleared (销号) the night
the loan owes nothing overdue any more; it is never deleted, and a later overdue opens a new case. The figures
(periods, days, overdue principal, interest and penalty) are those of the last close.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

MONEY: dict[str, Any] = {"max_digits": 18, "decimal_places": 2, "default": Decimal("0.00")}


class Stage(models.IntegerChoices):
    """催收阶段 (Liaoyuan's escalation); the thresholds are the policies risk_collection_visit_periods and
    risk_collection_legal_periods. A case only climbs: a partial repayment does not undo a legal referral."""

    CALL = 1, "电话短信催收"
    VISIT = 2, "上门及书面催收"
    LEGAL = 3, "法律诉讼移交"


class CaseState(models.TextChoices):
    OPEN = "open", "逾期中"
    CLEARED = "cleared", "已销号"


class OverdueCase(models.Model):
    loan = models.ForeignKey("loans.Loan", verbose_name="贷款", on_delete=models.PROTECT, related_name="overdue_cases")
    branch = models.ForeignKey("people.Branch", verbose_name="管理部", on_delete=models.PROTECT, related_name="+")
    bank = models.ForeignKey("people.EntrustedBank", verbose_name="受托银行", on_delete=models.PROTECT, related_name="+")
    collector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="清收责任人", on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="overdue_cases")
    state = models.CharField("状态", max_length=8, choices=CaseState.choices, default=CaseState.OPEN)
    stage = models.PositiveSmallIntegerField("催收阶段", choices=Stage.choices, default=Stage.CALL)
    stage_since = models.DateField("进入本阶段日期")
    overdue_since = models.DateField("最早逾期应还日", null=True, blank=True)
    periods_overdue = models.PositiveSmallIntegerField("逾期期数", default=0)
    days_overdue = models.PositiveIntegerField("逾期天数", default=0)
    overdue_principal = models.DecimalField("逾期本金", **MONEY)
    overdue_interest = models.DecimalField("逾期利息", **MONEY)
    overdue_penalty = models.DecimalField("罚息", **MONEY)
    figures_on = models.DateField("数据日期", help_text="最近一次日终的业务日期")
    opened_on = models.DateField("列入台账日期")
    cleared_on = models.DateField("销号日期", null=True, blank=True)
    sms_sent_on = models.DateField("逾期短信日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "逾期台账"
        ordering = ["-days_overdue", "id"]
        constraints = [
            models.UniqueConstraint(fields=["loan"], condition=Q(state="open"), name="overdue_case_one_open_per_loan"),
            models.CheckConstraint(condition=Q(state="open", cleared_on__isnull=True)
                                   | Q(state="cleared", cleared_on__isnull=False), name="overdue_case_cleared_on"),
        ]
        indexes = [models.Index(fields=["state", "branch"]),
                   models.Index(fields=["cleared_on"], condition=Q(cleared_on__isnull=False),
                                name="overdue_case_cleared")]

    def __str__(self) -> str:
        return f"逾期台账 {self.pk}"

    def get_staff_url(self) -> str:
        return reverse("staff:risk-overdue-case", args=[self.pk])

    @property
    def overdue_total(self) -> Decimal:
        return self.overdue_principal + self.overdue_interest + self.overdue_penalty


class TaskKind(models.TextChoices):
    CALL = "call", "电话催收"
    VISIT = "visit", "上门催收"
    EMPLOYER = "employer", "联系借款人单位"
    NOTICE = "notice", "送达《逾期贷款通知单》"
    LEGAL = "legal", "移交法律诉讼"
    PROMISE = "promise", "跟进未履行的还款承诺"


# What each stage opens when a case enters it.
STAGE_TASKS: dict[int, tuple[str, ...]] = {
    Stage.CALL: (TaskKind.CALL,),
    Stage.VISIT: (TaskKind.VISIT, TaskKind.EMPLOYER, TaskKind.NOTICE),
    Stage.LEGAL: (TaskKind.LEGAL,),
}


class CollectionTask(models.Model):
    case = models.ForeignKey(OverdueCase, verbose_name="逾期台账", on_delete=models.PROTECT, related_name="tasks")
    kind = models.CharField("任务", max_length=10, choices=TaskKind.choices)
    stage = models.PositiveSmallIntegerField("催收阶段", choices=Stage.choices)
    opened_on = models.DateField("下达日期")
    due_on = models.DateField("完成时限")
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="完成人", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+")
    done_contact = models.ForeignKey("risk.CollectionContact", verbose_name="完成的催收记录", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    promise = models.OneToOneField("risk.CollectionContact", verbose_name="未履行的还款承诺", on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="follow_up")

    class Meta:
        verbose_name = verbose_name_plural = "催收任务"
        ordering = ["due_on", "id"]
        constraints = [
            # A stage's task is opened once per case (the close may run again for a date).
            models.UniqueConstraint(fields=["case", "kind"], condition=~Q(kind="promise"),
                                    name="collection_task_once_per_case"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.due_on}前）"

    @property
    def done(self) -> bool:
        return self.done_at is not None


class Channel(models.TextChoices):
    PHONE = "phone", "电话"
    SMS = "sms", "短信"
    VISIT = "visit", "上门"
    EMPLOYER = "employer", "单位"
    LETTER = "letter", "信函"
    LEGAL = "legal", "法律"


# Which open tasks a contact by a channel completes.
CHANNEL_TASKS: dict[str, tuple[str, ...]] = {
    Channel.PHONE: (TaskKind.CALL, TaskKind.PROMISE),
    Channel.VISIT: (TaskKind.VISIT, TaskKind.PROMISE),
    Channel.EMPLOYER: (TaskKind.EMPLOYER,),
    Channel.LETTER: (TaskKind.NOTICE,),
    Channel.LEGAL: (TaskKind.LEGAL,),
}


class CollectionContact(models.Model):
    """One contact with the borrower (催收记录): who, when, how, what came of it, and a promise to pay by a date,
    which the close checks the day after: kept when the loan was repaid between the contact and that date."""

    case = models.ForeignKey(OverdueCase, verbose_name="逾期台账", on_delete=models.PROTECT, related_name="contacts")
    channel = models.CharField("方式", max_length=10, choices=Channel.choices)
    contacted_on = models.DateField("联系日期")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="催收人", on_delete=models.PROTECT, null=True,
                           blank=True, related_name="+", help_text="空为系统自动")
    result = models.CharField("催收结果", max_length=500)
    promise_on = models.DateField("承诺还款日期", null=True, blank=True)
    promise_kept = models.BooleanField("承诺已履行", null=True, blank=True)
    document = models.ForeignKey("printing.Document", verbose_name="通知单", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "催收记录"
        ordering = ["-contacted_on", "-id"]
        indexes = [models.Index(fields=["promise_on"], condition=Q(promise_on__isnull=False, promise_kept__isnull=True),
                                name="contact_promise_open")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.contacted_on}"


class CollectorAssignment(models.Model):
    """The history of a case's collector: the rule's choice when it opened (by is empty), each reassignment."""

    case = models.ForeignKey(OverdueCase, verbose_name="逾期台账", on_delete=models.PROTECT, related_name="assignments")
    collector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="清收责任人", on_delete=models.PROTECT,
                                  related_name="+")
    previous = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="原责任人", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="调整人", on_delete=models.PROTECT, null=True,
                           blank=True, related_name="+", help_text="空为按规则自动分配")
    reason = models.CharField("原因", max_length=500)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "清收责任人分配"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.collector_id}"
