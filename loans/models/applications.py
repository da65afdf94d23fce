"""A loan application (贷款申请), from whichever channel it came, and its co-borrowers (共同借款人).

Its life, the one the buyer follows: 待购房人确认 (draft: a developer's operator entered it) → 待受理 (submitted)
→ 审核中 (reviewing: 初审 and 审批 in fund.workflow, the approving level by amount) → 已审批待签约 (approved) →
已签约待抵押 (signed: the Loan exists) → 已抵押待放款 (mortgaged) → 放款中 (disbursing) → 已放款 (disbursed).
未通过 (rejected) and 已撤回 (withdrawn) end it. One application per household is in flight at a time (a partial
unique index on `household_key`). The move table is `loans.states.APPLICATION_MOVES`.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

MONEY: dict[str, Any] = {"max_digits": 18, "decimal_places": 2}


class ApplicationState(models.TextChoices):
    DRAFT = "draft", "待购房人确认"
    SUBMITTED = "submitted", "待受理"
    REVIEWING = "reviewing", "审核中"
    APPROVED = "approved", "已审批待签约"
    SIGNED = "signed", "已签约待抵押"
    MORTGAGED = "mortgaged", "已抵押待放款"
    DISBURSING = "disbursing", "放款中"
    DISBURSED = "disbursed", "已放款"
    REJECTED = "rejected", "未通过"
    WITHDRAWN = "withdrawn", "已撤回"


IN_FLIGHT = (
    ApplicationState.DRAFT, ApplicationState.SUBMITTED, ApplicationState.REVIEWING, ApplicationState.APPROVED,
    ApplicationState.SIGNED, ApplicationState.MORTGAGED, ApplicationState.DISBURSING,
)


class Channel(models.TextChoices):
    WINDOW = "window", "综合窗口"
    ONLINE = "online", "个人网厅"
    DEVELOPER = "developer", "开发企业"
    BANK = "bank", "受托银行网点"
    API = "api", "接口"


class HomeKind(models.TextChoices):
    NEW = "new", "新建商品房"
    SECOND_HAND = "second_hand", "二手房"
    SELF_BUILD = "self_build", "自建/翻建大修"


class HomeOrder(models.TextChoices):
    """首套/二套, decided from the property registry for the household, never from what the applicant says."""

    FIRST = "first", "首套"
    SECOND = "second", "二套"


class Product(models.TextChoices):
    ORDINARY = "ordinary", "公积金贷款"
    COMBINATION = "combination", "组合贷款"
    CONVERSION = "conversion", "商转公"


class RepaymentMethod(models.TextChoices):
    EQUAL_INSTALMENT = "annuity", "等额本息"
    EQUAL_PRINCIPAL = "principal", "等额本金"


class LoanApplication(models.Model):
    number = models.CharField("贷款申请编号", max_length=20, unique=True)
    channel = models.CharField("受理渠道", max_length=10, choices=Channel.choices)
    branch = models.ForeignKey("people.Branch", verbose_name="管理部", on_delete=models.PROTECT, related_name="+")
    borrower = models.ForeignKey("people.Person", verbose_name="借款人", on_delete=models.PROTECT,
                                 related_name="loan_applications")
    account = models.ForeignKey("deposits.MemberAccount", verbose_name="借款人公积金账户", on_delete=models.PROTECT,
                                related_name="loan_applications")
    household_key = models.CharField(
        "家庭标识", max_length=40, help_text="借款人与配偶身份证号码（排序后连接）：同一家庭同时只能有一笔在办贷款申请"
    )
    spouse_id_number = models.CharField("配偶身份证号码", max_length=18, blank=True, help_text="婚姻登记信息")
    spouse_name = models.CharField("配偶姓名", max_length=60, blank=True)
    # The home
    home_kind = models.CharField("房屋类型", max_length=12, choices=HomeKind.choices)
    home_order = models.CharField("首套/二套", max_length=8, choices=HomeOrder.choices, blank=True,
                                  help_text="按不动产登记信息认定")
    project = models.ForeignKey("loans.Project", verbose_name="楼盘", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="applications")
    developer = models.ForeignKey("people.Developer", verbose_name="录入开发企业", on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    bank_outlet = models.ForeignKey("people.EntrustedBank", verbose_name="受理银行网点", on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    home_address = models.CharField("房屋坐落", max_length=200)
    certificate_number = models.CharField("不动产权证号", max_length=60, blank=True, help_text="二手房、自建房")
    purchase_contract = models.CharField("购房合同/网签备案号", max_length=60, blank=True)
    price = models.DecimalField("房屋总价", **MONEY)
    area = models.DecimalField("建筑面积（㎡）", max_digits=8, decimal_places=2, null=True, blank=True)
    building_year = models.PositiveSmallIntegerField("建成年份", null=True, blank=True, help_text="二手房")
    seller_name = models.CharField("收款人（售房人）", max_length=120, blank=True)
    seller_account = models.CharField("收款账号", max_length=40, blank=True)
    seller_bank = models.CharField("收款开户行", max_length=120, blank=True)
    agent_name = models.CharField("经纪机构", max_length=120, blank=True,
                                  help_text="二手房经纪机构（中介）：风控按经纪机构统计短期内的小额二手房交易")
    # What is asked for
    monthly_income = models.DecimalField("家庭月收入", **MONEY)
    monthly_debt = models.DecimalField("现有月还款额", **MONEY, default=Decimal("0.00"), help_text="按征信报告")
    amount_requested = models.DecimalField("申请金额", **MONEY)
    term_months = models.PositiveSmallIntegerField("贷款期限（月）")
    method = models.CharField("还款方式", max_length=10, choices=RepaymentMethod.choices,
                              default=RepaymentMethod.EQUAL_INSTALMENT)
    product = models.CharField("贷款品种", max_length=12, choices=Product.choices, default=Product.ORDINARY)
    commercial_amount = models.DecimalField("商业贷款部分", **MONEY, null=True, blank=True, help_text="组合贷款")
    commercial_bank = models.CharField("商业贷款银行", max_length=120, blank=True, help_text="组合贷款、商转公")
    conversion_reference = models.CharField("原商业贷款", max_length=80, blank=True,
                                            help_text="商转公：征信报告中被置换的商业住房贷款")
    conversion_balance = models.DecimalField("原商业贷款余额", **MONEY, null=True, blank=True)
    subsidy_eligible = models.BooleanField("符合贴息条件", default=False, help_text="低收入家庭贴息")
    # What the centre found
    quota = models.DecimalField("可贷额度", **MONEY, null=True, blank=True)
    quota_detail = models.JSONField("额度测算", default=dict, blank=True)
    eligibility = models.JSONField("贷款条件核验", default=list, blank=True)
    rate = models.DecimalField("年利率（%）", max_digits=6, decimal_places=3, null=True, blank=True)
    approved_amount = models.DecimalField("核准金额", **MONEY, null=True, blank=True)
    materials = models.JSONField("已收材料", default=list, blank=True)
    state = models.CharField("状态", max_length=12, choices=ApplicationState.choices, default=ApplicationState.SUBMITTED)
    decision_note = models.CharField("审批意见", max_length=500, blank=True)
    # Who and when
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT,
                                     related_name="+")
    client_token = models.CharField("提交令牌", max_length=64, blank=True,
                                    help_text="同一提交人重复提交同一令牌只生成一笔申请")
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    confirmed_at = models.DateTimeField("购房人确认时间", null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="受理人", on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    disbursed_at = models.DateTimeField("放款时间", null=True, blank=True)
    ended_at = models.DateTimeField("办结时间", null=True, blank=True)
    visits = models.PositiveSmallIntegerField("到窗口次数", default=0, help_text="申请人为本笔贷款到中心或网点的次数")
    # Not a column: application_submit marks the application it hands back for a repeated client token.
    replayed = False

    class Meta:
        verbose_name = verbose_name_plural = "贷款申请"
        ordering = ["-id"]
        indexes = [models.Index(fields=["state", "branch"]), models.Index(fields=["channel", "state"])]
        constraints = [
            models.UniqueConstraint(fields=["household_key"], condition=Q(state__in=IN_FLIGHT),
                                    name="loan_application_one_per_household"),
            models.UniqueConstraint(fields=["submitted_by", "client_token"], condition=~Q(client_token=""),
                                    name="loan_application_client_token"),
            models.CheckConstraint(condition=Q(price__gt=0), name="loan_application_price_positive"),
            models.CheckConstraint(condition=Q(amount_requested__gt=0), name="loan_application_amount_positive"),
            models.CheckConstraint(condition=Q(term_months__gt=0), name="loan_application_term_positive"),
        ]

    def __str__(self) -> str:
        return f"贷款申请 {self.number}"

    def get_staff_url(self) -> str:
        return reverse("staff:loan-application", args=[self.pk])

    inbox_related = ("borrower",)  # what inbox_facts reads, fetched with the inbox's page

    def inbox_facts(self) -> dict[str, Any]:
        """What the staff inbox shows of an application: the borrower, the home, the amount asked."""
        return {"name": self.borrower.name, "reason": f"贷款·{self.get_home_kind_display()}",
                "amount": self.amount_requested}


class Relation(models.TextChoices):
    SPOUSE = "spouse", "配偶"
    PARENT = "parent", "父母"
    CHILD = "child", "子女"
    OTHER = "other", "其他直系亲属"


class CoBorrower(models.Model):
    """共同借款人: adds income and fund balance to the quota, and passes the same checks as the borrower."""

    application = models.ForeignKey(LoanApplication, verbose_name="贷款申请", on_delete=models.PROTECT,
                                    related_name="co_borrowers")
    person = models.ForeignKey("people.Person", verbose_name="共同借款人", on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey("deposits.MemberAccount", verbose_name="公积金账户", on_delete=models.PROTECT,
                                null=True, blank=True, related_name="+", help_text="未在本中心缴存的为空")
    relation = models.CharField("与借款人关系", max_length=8, choices=Relation.choices)
    monthly_income = models.DecimalField("月收入", **MONEY, default=Decimal("0.00"))

    class Meta:
        verbose_name = verbose_name_plural = "共同借款人"
        constraints = [models.UniqueConstraint(fields=["application", "person"], name="co_borrower_once")]

    def __str__(self) -> str:
        return f"{self.person}（{self.get_relation_display()}）"
