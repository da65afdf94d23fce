"""The call log of every outside-system call, and the sandbox systems' own tables.

The `Sandbox…` tables stand in for the other agencies' databases so that the whole system runs and is
tested offline. They are seeded by `fund.integrations.seed.seed_sandbox` and editable in the admin; nothing
in the business lines reads them directly — only the sandbox implementations do.
"""

from django.contrib.postgres.fields import ArrayField
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now

from fund.audit.masking import mask_text  # sandbox rows are titled in the admin: no whole ID or card there
from fund.validation import resident_id_validator


class System(models.TextChoices):
    IDENTITY = "identity", "公安（身份与户籍）"
    MARRIAGE = "marriage", "民政（婚姻登记）"
    PROPERTY = "property", "不动产登记"
    TAX = "tax", "税务"
    SOCIAL_INSURANCE = "social_insurance", "社保"
    CREDIT = "credit", "人行征信"
    BANK = "bank", "委托银行"
    SMS = "sms", "短信网关"
    TRANSFER = "transfer", "全国转移接续平台"


# The Chinese names of the interface methods (`fund.integrations.base.operation`) a call row records.
OPERATION_NAMES = {
    "collect": "委托收款", "collect_batch": "批量代扣", "collect_batch_result": "批量代扣结果", "confirm": "确认", "deed_tax": "契税查询", "family": "亲属关系查询", "funds": "资金查询",
    "funds_sent": "资金划出确认", "history": "婚姻登记历史查询", "homes": "房屋登记查询", "incoming_letters": "获取联系函", "incoming_transfers": "获取来账",
    "invoice": "发票查询", "lookup": "身份查询", "payment": "支付查询", "payout": "付款", "record": "记录查询",
    "register_mortgage": "抵押登记", "register_pre_mortgage": "预告登记（预抵押）", "release_mortgage": "解除抵押", "reply": "答复", "report": "信用报告查询",
    "send": "发送", "send_letter": "发送联系函", "status": "状态查询", "verify_account": "账户核验",
}


class IntegrationCall(models.Model):
    """One call to an outside system: what was asked, what came back, how long it took.

    Business decisions store the ids of the calls they relied on as evidence. Rows are written by
    `fund.integrations.base` only and never changed.
    """

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    system = models.CharField("外部系统", max_length=20, choices=System.choices)
    operation = models.CharField("操作", max_length=40)
    backend = models.CharField("实现", max_length=10, help_text="sandbox 或 http")
    reference = models.CharField("业务标识", max_length=100, blank=True, db_index=True)
    request = models.JSONField("请求", encoder=DjangoJSONEncoder, default=dict)
    response = models.JSONField("响应", encoder=DjangoJSONEncoder, null=True, blank=True)
    ok = models.BooleanField("成功")
    error = models.TextField("错误信息", blank=True)
    latency_ms = models.FloatField("耗时（毫秒）")

    class Meta:
        verbose_name = verbose_name_plural = "外部系统调用记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["system", "operation", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_system_display()} {self.operation_name} {self.reference}".strip()

    @property
    def operation_name(self) -> str:
        return OPERATION_NAMES.get(self.operation, self.operation)


# ---- 公安: identity, hukou and household relations ------------------------------------------------


class SandboxIdentity(models.Model):
    id_number = models.CharField("身份证号码", max_length=18, unique=True, validators=[resident_id_validator])
    name = models.CharField("姓名", max_length=60)
    sex = models.CharField("性别", max_length=1, choices=[("1", "男"), ("2", "女")])
    birth_date = models.DateField("出生日期")
    death_date = models.DateField("死亡日期", null=True, blank=True)
    hukou_city_code = models.CharField("户籍地行政区划代码", max_length=6)
    hukou_city_name = models.CharField("户籍地", max_length=40)
    hukou_address = models.CharField("户籍地址", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "模拟公安-人口信息"
        ordering = ["id_number"]

    def __str__(self) -> str:
        return mask_text(f"{self.name} {self.id_number}")


class SandboxHouseholdRelation(models.Model):
    """A parent–child relation as recorded in the household register."""

    parent_id_number = models.CharField("父/母身份证号码", max_length=18, db_index=True)
    child_id_number = models.CharField("子女身份证号码", max_length=18, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "模拟公安-亲属关系"
        constraints = [
            models.UniqueConstraint(fields=["parent_id_number", "child_id_number"], name="sandbox_relation_unique"),
            models.CheckConstraint(
                condition=~models.Q(parent_id_number=models.F("child_id_number")), name="sandbox_relation_not_self"
            ),
        ]

    def __str__(self) -> str:
        return mask_text(f"{self.parent_id_number} → {self.child_id_number}")


# ---- 民政: marriage registrations ----------------------------------------------------------------------


class MarriageEnd(models.TextChoices):
    DIVORCE = "divorce", "离婚"
    DEATH = "death", "配偶死亡"


class SandboxMarriage(models.Model):
    """One marriage registration; ended by divorce or a spouse's death, or still in force."""

    party_a = models.CharField("一方身份证号码", max_length=18, db_index=True)
    party_b = models.CharField("另一方身份证号码", max_length=18, db_index=True)
    married_on = models.DateField("结婚登记日期")
    ended_on = models.DateField("解除日期", null=True, blank=True)
    ended_by = models.CharField("解除原因", max_length=10, choices=MarriageEnd.choices, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "模拟民政-婚姻登记"
        ordering = ["-married_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["party_a", "party_b", "married_on"], name="sandbox_marriage_unique"),
            models.CheckConstraint(condition=~models.Q(party_a=models.F("party_b")), name="sandbox_marriage_two_people"),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True, ended_by="") | models.Q(ended_on__isnull=False) & ~models.Q(ended_by=""),
                name="sandbox_marriage_end_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return mask_text(f"{self.party_a} × {self.party_b}")


# ---- 不动产登记: homes and mortgages ---------------------------------------------------------------------


class SandboxHome(models.Model):
    """A home in the registry. An off-plan home (期房) enters it with its purchase contract at the pre-mortgage
    (预购商品房预告登记) and has no certificate until it is completed; the certificate is then issued on the same
    row (`sandbox_certificate_issue`), so a full mortgage on it releases the pre-mortgage (预抵押转现)."""

    # NULL (not "") until issued, so the plain unique index stays what the seed's upsert conflicts on.
    certificate_number = models.CharField("不动产权证号", max_length=60, unique=True, null=True, blank=True,
                                          help_text="期房在办证前为空")
    purchase_contract = models.CharField("购房合同/网签备案号", max_length=60, blank=True,
                                         help_text="期房预告登记所依据的购房合同")
    owner_id_numbers = ArrayField(
        models.CharField(max_length=18), verbose_name="权利人身份证号码", help_text="共有人以逗号分隔"
    )
    address = models.CharField("坐落", max_length=200)
    city_code = models.CharField("所在地行政区划代码", max_length=6)
    area = models.DecimalField("建筑面积（㎡）", max_digits=8, decimal_places=2)
    price = models.DecimalField("成交价格（元）", max_digits=14, decimal_places=2)
    registered_on = models.DateField("登记日期")

    class Meta:
        verbose_name = verbose_name_plural = "模拟不动产-房屋登记"
        ordering = ["certificate_number"]
        indexes = [models.Index(fields=["owner_id_numbers"], name="sandbox_home_owners")]
        constraints = [
            models.UniqueConstraint(fields=["purchase_contract"], condition=~Q(purchase_contract=""),
                                    name="sandbox_home_contract_once"),
            models.CheckConstraint(condition=Q(certificate_number__isnull=False) | ~Q(purchase_contract=""),
                                   name="sandbox_home_certificate_or_contract"),
        ]

    def __str__(self) -> str:
        return self.certificate_number or f"期房（合同 {self.purchase_contract}）"


class MortgageKind(models.TextChoices):
    PRE = "pre", "预抵押"
    MORTGAGE = "mortgage", "抵押"


class SandboxMortgage(models.Model):
    home = models.ForeignKey(SandboxHome, verbose_name="房屋", on_delete=models.PROTECT, related_name="mortgages")
    mortgage_number = models.CharField("不动产登记证明号", max_length=80, unique=True)
    kind = models.CharField("类型", max_length=10, choices=MortgageKind.choices)
    mortgagee = models.CharField("抵押权人", max_length=120)
    amount = models.DecimalField("担保金额（元）", max_digits=14, decimal_places=2)
    reference = models.CharField("业务编号", max_length=64, unique=True)
    registered_at = models.DateTimeField("登记时间", db_default=Now())
    released_at = models.DateTimeField("注销时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "模拟不动产-抵押登记"
        ordering = ["-registered_at", "-id"]

    def __str__(self) -> str:
        return self.mortgage_number


# ---- 税务: invoices and deed tax ------------------------------------------------------------------------


class SandboxInvoice(models.Model):
    invoice_number = models.CharField("发票号码", max_length=30, unique=True)
    buyer_id_number = models.CharField("购买方身份证号码", max_length=18, db_index=True)
    buyer_name = models.CharField("购买方", max_length=60)
    seller_name = models.CharField("销售方", max_length=120)
    amount = models.DecimalField("价税合计（元）", max_digits=14, decimal_places=2)
    issued_on = models.DateField("开票日期")
    valid = models.BooleanField("有效", default=True, help_text="作废或红冲的发票无效")
    address = models.CharField("房屋坐落", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "模拟税务-发票"
        ordering = ["-issued_on", "invoice_number"]

    def __str__(self) -> str:
        return self.invoice_number


class SandboxDeedTax(models.Model):
    voucher_number = models.CharField("完税凭证号", max_length=30, unique=True)
    taxpayer_id_number = models.CharField("纳税人身份证号码", max_length=18, db_index=True)
    address = models.CharField("房屋坐落", max_length=200)
    tax_base = models.DecimalField("计税价格（元）", max_digits=14, decimal_places=2)
    tax_amount = models.DecimalField("契税税额（元）", max_digits=12, decimal_places=2)
    paid_on = models.DateField("缴税日期")

    class Meta:
        verbose_name = verbose_name_plural = "模拟税务-契税"
        ordering = ["-paid_on", "voucher_number"]

    def __str__(self) -> str:
        return self.voucher_number


# ---- 社保 -------------------------------------------------------------------------------------------


class SandboxSocialInsurance(models.Model):
    id_number = models.CharField("身份证号码", max_length=18, unique=True)
    months_local = models.PositiveIntegerField("本市累计缴费月数")
    employer_credit_code = models.CharField("当前参保单位统一社会信用代码", max_length=18, blank=True)
    employer_name = models.CharField("当前参保单位", max_length=120, blank=True)
    retired_on = models.DateField("退休日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "模拟社保-参保信息"
        ordering = ["id_number"]

    def __str__(self) -> str:
        return mask_text(self.id_number)


# ---- 人行征信 ----------------------------------------------------------------------------------------


class SandboxCreditReport(models.Model):
    id_number = models.CharField("身份证号码", max_length=18, unique=True)
    report_number = models.CharField("报告编号", max_length=30, unique=True)
    acceptable = models.BooleanField("无不良记录", default=True)
    remark = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "模拟征信-信用报告"
        ordering = ["id_number"]

    def __str__(self) -> str:
        return self.report_number


class LoanKind(models.TextChoices):
    COMMERCIAL = "commercial", "商业贷款"
    FUND = "fund", "公积金贷款"
    OTHER = "other", "其他贷款"


# PBoC's 24-month repayment status (还款状态): one character a month, oldest first; a digit is the number of
# months overdue in that month, the other marks are months with nothing overdue.
repayment_history_validator = RegexValidator(
    r"^[N1-7/*CG#]*$", "还款状态只能由 N、1–7、/、*、C、G、# 组成（每月一个字符）"
)


class SandboxCreditLoan(models.Model):
    report = models.ForeignKey(SandboxCreditReport, verbose_name="信用报告", on_delete=models.CASCADE, related_name="loans")
    lender = models.CharField("贷款机构", max_length=120)
    kind = models.CharField("贷款种类", max_length=12, choices=LoanKind.choices)
    for_housing = models.BooleanField("住房贷款", default=True)
    monthly_instalment = models.DecimalField("月还款额（元）", max_digits=12, decimal_places=2)
    balance = models.DecimalField("余额（元）", max_digits=14, decimal_places=2)
    overdue_count = models.PositiveIntegerField("逾期次数", default=0)
    repayment_history = models.CharField(
        "24个月还款状态", max_length=24, blank=True, default="", validators=[repayment_history_validator],
        help_text="按月份由远及近，每月一个字符：N 正常，1–7 逾期月数，/ 无记录，* 当月无需还款，C 结清",
    )
    settled = models.BooleanField("已结清", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "模拟征信-贷款记录"

    def __str__(self) -> str:
        return f"{self.lender} {self.get_kind_display()}"


# ---- 委托银行 -----------------------------------------------------------------------------------------


class SandboxBankAccount(models.Model):
    """A card or account at an entrusted bank. Flags let tests and demos make payouts fail or wait."""

    account_number = models.CharField("账号/卡号", max_length=32, unique=True)
    name = models.CharField("户名", max_length=120)
    holder_id = models.CharField("证件号码", max_length=18, blank=True, db_index=True, help_text="身份证号码或统一社会信用代码")
    reserved_phone = models.CharField("预留手机号", max_length=20, blank=True)
    bank_name = models.CharField("开户行", max_length=60, blank=True)
    balance = models.DecimalField("余额（元）", max_digits=16, decimal_places=2, default=0)
    fail_payouts = models.BooleanField("付款失败", default=False, help_text="勾选后向此账户付款一律失败")
    hold_payouts = models.BooleanField("付款挂起", default=False, help_text="勾选后向此账户付款停在处理中")
    frozen = models.BooleanField("冻结", default=False, help_text="冻结账户不能扣款")

    class Meta:
        verbose_name = verbose_name_plural = "模拟银行-账户"
        ordering = ["account_number"]
        # Pages keep room for balance updates (fillfactor, migration 0006): a batch debit updates 20,000
        # accounts at once, and with room beside each row the update writes no index (a HOT update).

    def __str__(self) -> str:
        return mask_text(f"{self.name} {self.account_number}")


class PaymentKind(models.TextChoices):
    PAYOUT = "payout", "付款"
    COLLECT = "collect", "委托收款"


class PaymentStatus(models.TextChoices):
    PENDING = "pending", "处理中"
    SUCCEEDED = "succeeded", "成功"
    FAILED = "failed", "失败"


class SandboxBankPayment(models.Model):
    """A payout or collection, unique by the centre's reference: a retry can never move money twice."""

    # Unique by constraints below rather than unique=True, which on PostgreSQL adds a second (pattern) index on
    # each for LIKE 'prefix%' searches nothing makes: a batch debit inserts 20,000 rows and pays for every index.
    reference = models.CharField("业务编号", max_length=64)
    kind = models.CharField("类型", max_length=10, choices=PaymentKind.choices)
    account_number = models.CharField("账号/卡号", max_length=32)
    name = models.CharField("户名", max_length=120)
    amount = models.DecimalField("金额（元）", max_digits=16, decimal_places=2)
    purpose = models.CharField("用途", max_length=100, blank=True)
    status = models.CharField("状态", max_length=10, choices=PaymentStatus.choices)
    reason = models.CharField("失败原因", max_length=200, blank=True)
    bank_serial = models.CharField("银行流水号", max_length=32)
    created_at = models.DateTimeField("受理时间", db_default=Now())
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    # The batch (批量代扣) an item was first sent in, so the batch's answers can be read back by its reference.
    batch_reference = models.CharField("批次号", max_length=40, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "模拟银行-收付款"
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="sandbox_payment_positive"),
                       models.UniqueConstraint(fields=["reference"], name="sandbox_payment_reference_unique"),
                       models.UniqueConstraint(fields=["bank_serial"], name="sandbox_payment_serial_unique")]
        indexes = [models.Index(fields=["batch_reference"], name="sandbox_payment_batch")]

    def __str__(self) -> str:
        return self.reference


class SandboxIncomingTransfer(models.Model):
    """Money arriving in the centre's accounts (units' remittances by transfer), as the bank statement shows."""

    bank_serial = models.CharField("银行流水号", max_length=32, unique=True)
    reference = models.CharField("附言/业务编号", max_length=64, blank=True, db_index=True)
    amount = models.DecimalField("金额（元）", max_digits=16, decimal_places=2)
    payer_account = models.CharField("付款账号", max_length=32)
    payer_name = models.CharField("付款户名", max_length=120)
    received_at = models.DateTimeField("到账时间")

    class Meta:
        verbose_name = verbose_name_plural = "模拟银行-来账"
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.payer_name} {self.amount}"


# ---- 短信网关 -----------------------------------------------------------------------------------------


class SandboxSms(models.Model):
    message_id = models.CharField("消息编号", max_length=32, unique=True)
    phone = models.CharField("手机号码", max_length=20, db_index=True)
    text = models.CharField("内容", max_length=500)
    sent_at = models.DateTimeField("发送时间", db_default=Now())

    class Meta:
        verbose_name = verbose_name_plural = "模拟短信"
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return mask_text(f"{self.phone} {self.text[:20]}")


# ---- 全国转移接续平台 ------------------------------------------------------------------------------------


class TransferStatus(models.TextChoices):
    """The platform's own status codes."""

    DONE = "00", "正常办结"
    LETTER_REVIEWED = "01", "联系函复核通过"
    LETTER_ACCEPTED = "02", "联系函确认接收"
    CANCELLED = "05", "转入撤销办结"
    NEGOTIATING = "06", "协商中"
    ACCOUNT_REVIEWED = "08", "账户信息复核通过"
    OUT_REJECTED = "13", "转出审核不通过"
    DONE_AFTER_NEGOTIATION = "20", "协商后办结"
    OUT_FAILED = "40", "转出失败办结"


class SandboxTransferLetter(models.Model):
    """A contact letter (联系函) from this centre to the centre the member's fund is moving from."""

    letter_number = models.CharField("联系函编号", max_length=32, unique=True)
    reference = models.CharField("业务编号", max_length=64, unique=True)
    id_number = models.CharField("身份证号码", max_length=18, db_index=True)
    name = models.CharField("姓名", max_length=60)
    from_centre = models.CharField("转出中心", max_length=120)
    from_account_number = models.CharField("转出地个人账号", max_length=32, blank=True)
    to_account_number = models.CharField("转入地个人账号", max_length=32, blank=True)
    status = models.CharField("状态", max_length=2, choices=TransferStatus.choices, default=TransferStatus.LETTER_REVIEWED)
    status_message = models.CharField("状态说明", max_length=200, blank=True)
    sent_at = models.DateTimeField("发函时间", db_default=Now())
    funds_principal = models.DecimalField("转移本金（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    funds_interest = models.DecimalField("转移利息（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    funds_transferred_at = models.DateTimeField("资金划转时间", null=True, blank=True)
    funds_bank_serial = models.CharField("资金划转流水号", max_length=32, blank=True)
    confirmed_at = models.DateTimeField("转入确认时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "模拟转移接续-联系函"
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return self.letter_number


class SandboxIncomingLetter(models.Model):
    """A contact letter (联系函) another city's centre sent to this centre: one of our members' fund is to move
    there (转出). We reply (accept or refuse with a reason), pay the new centre's account and say so; the new
    centre confirms receipt, closing the case (00)."""

    letter_number = models.CharField("联系函编号", max_length=32, unique=True)
    id_number = models.CharField("身份证号码", max_length=18, db_index=True)
    name = models.CharField("姓名", max_length=60)
    to_centre = models.CharField("转入中心", max_length=120)
    to_centre_account = models.CharField("转入中心收款账号", max_length=32)
    to_account_number = models.CharField("转入地个人账号", max_length=32, blank=True)
    status = models.CharField("状态", max_length=2, choices=TransferStatus.choices, default=TransferStatus.LETTER_REVIEWED)
    status_message = models.CharField("状态说明", max_length=200, blank=True)
    sent_at = models.DateTimeField("来函时间", db_default=Now())
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    reply_reason = models.CharField("不予转出原因", max_length=200, blank=True)
    funds_principal = models.DecimalField("转移本金（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    funds_interest = models.DecimalField("转移利息（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    funds_bank_serial = models.CharField("资金划转流水号", max_length=32, blank=True)
    funds_sent_at = models.DateTimeField("资金划转时间", null=True, blank=True)
    confirmed_at = models.DateTimeField("转入确认时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "模拟转移接续-来函（转出）"
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return self.letter_number
