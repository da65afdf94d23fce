"""An employer's online application to open a unit account (单位网上开户申请), reviewed by the window.

The applicant has no login yet: the request carries the operator's chosen user name and the *hashed*
password; the login is created, bound to the new employer, only when a 受理 clerk approves.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from fund.people.models import Branch

from .accounts import RATIO, UnitAccount


class OpeningRequestState(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已开户"
    REJECTED = "rejected", "已退回"


class UnitOpeningRequest(models.Model):
    state = models.CharField("状态", max_length=10, choices=OpeningRequestState.choices, default=OpeningRequestState.PENDING)
    branch = models.ForeignKey(Branch, verbose_name="所属管理部", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("单位名称", max_length=120)
    credit_code = models.CharField("统一社会信用代码", max_length=18)
    address = models.CharField("单位地址", max_length=200, blank=True)
    contact_name = models.CharField("经办人", max_length=60, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    bank_name = models.CharField("缴存银行", max_length=60)
    bank_account = models.CharField("单位银行账号", max_length=32)
    unit_ratio = models.DecimalField("单位缴存比例", **RATIO)
    member_ratio = models.DecimalField("个人缴存比例", **RATIO)
    pay_day = models.PositiveSmallIntegerField("每月缴存日")
    username = models.CharField("登录用户名", max_length=150)
    operator_name = models.CharField("经办人姓名", max_length=60)
    operator_phone = models.CharField("经办人手机号码", max_length=20)
    password = models.CharField("登录密码（哈希）", max_length=128)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    opinion = models.CharField("审核意见", max_length=200, blank=True)
    unit = models.OneToOneField(
        UnitAccount, verbose_name="开立的单位账户", on_delete=models.PROTECT, null=True, blank=True, related_name="opening_request"
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人登录", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "单位网上开户申请"
        constraints = [
            # One pending request per credit code and per chosen user name; the database settles races.
            models.UniqueConstraint(fields=["credit_code"], condition=Q(state="pending"), name="unit_opening_one_pending_code"),
            models.UniqueConstraint(fields=["username"], condition=Q(state="pending"), name="unit_opening_one_pending_username"),
        ]
        indexes = [models.Index(fields=["branch", "state", "-id"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_state_display()}）"
