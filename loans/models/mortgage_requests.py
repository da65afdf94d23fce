"""A mortgage registration request (抵押登记申请) filed with a loan application in the 贷款+不动产抵押登记一件事
bundle: written in the bundle's transaction as 待发送, sent to the property registry after commit, and the answer
recorded on it (the registration's number, or the registry's refusal). An application refused or withdrawn takes
its request with it: one not yet sent is cancelled, a registration made is released (注销)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fund.integrations.models import MortgageKind

MONEY = {"max_digits": 18, "decimal_places": 2}


class MortgageRequestState(models.TextChoices):
    PENDING = "pending", "待发送"
    REGISTERED = "registered", "已登记"
    REFUSED = "refused", "登记机构未办理"
    CANCELLED = "cancelled", "已撤销"  # the application ended before the request was sent: never sent
    RELEASED = "released", "已注销"  # registered, then released because the application ended


class MortgageRequest(models.Model):
    application = models.OneToOneField("loans.LoanApplication", verbose_name="贷款申请", on_delete=models.PROTECT,
                                       related_name="mortgage_request")
    kind = models.CharField("登记类型", max_length=10, choices=MortgageKind.choices,
                            help_text="期房为抵押权预告登记（预抵押），有不动产权证的为抵押登记")
    # What is filed: the registry is asked with these, so a later change to the application does not change a
    # request already on its way (and a retry asks exactly what the first send asked).
    reference = models.CharField("业务编号", max_length=60, unique=True,
                                 help_text="贷款申请编号与登记类型：重发时登记机构返回第一次的登记，不会重复登记")
    certificate_number = models.CharField("不动产权证号", max_length=60, blank=True)
    purchase_contract = models.CharField("购房合同/网签备案号", max_length=60, blank=True)
    owner_id_numbers = models.JSONField("权利人身份证号码", default=list)
    address = models.CharField("房屋坐落", max_length=200)
    amount = models.DecimalField("被担保债权数额", **MONEY, help_text="申请金额")
    state = models.CharField("状态", max_length=12, choices=MortgageRequestState.choices,
                             default=MortgageRequestState.PENDING)
    mortgage_number = models.CharField("不动产登记证明号", max_length=80, blank=True)
    registered_at = models.DateTimeField("登记时间", null=True, blank=True)
    refusal = models.CharField("未办理原因", max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    property_call_id = models.BigIntegerField("登记系统调用记录", null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT,
                                     related_name="+")
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    sent_at = models.DateTimeField("最近发送时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "抵押登记申请"
        ordering = ["-id"]
        indexes = [models.Index(fields=["state"], condition=models.Q(state="pending"),
                                name="loan_mortgage_request_pending")]

    def __str__(self) -> str:
        return f"抵押登记申请 {self.reference}"
