from decimal import Decimal

from django import forms

from fund.people.models import Branch

from .models import UnitAccount

PERCENT_HELP = "填写百分数，如 12 表示 12%"


class PercentField(forms.DecimalField):
    """A ratio typed as a percentage (12) and stored as a fraction (0.12)."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=5, decimal_places=2, help_text=PERCENT_HELP, **kwargs)

    def clean(self, value):
        cleaned = super().clean(value)
        return None if cleaned is None else (cleaned / Decimal(100)).quantize(Decimal("0.0001"))


class UnitOpenForm(forms.Form):
    name = forms.CharField(label="单位名称", max_length=120)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, min_length=18)
    branch = forms.ModelChoiceField(label="所属管理部", queryset=Branch.objects.all(), empty_label=None)
    address = forms.CharField(label="单位地址", max_length=200, required=False)
    contact_name = forms.CharField(label="经办人", max_length=60, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=30, required=False)
    bank_name = forms.CharField(label="缴存银行", max_length=60)
    bank_account = forms.CharField(label="单位银行账号", max_length=32)
    unit_ratio = PercentField(label="单位缴存比例（%）")
    member_ratio = PercentField(label="个人缴存比例（%）")
    pay_day = forms.IntegerField(label="每月缴存日", min_value=1, max_value=28, initial=15)


class MemberOpenForm(forms.Form):
    unit = forms.ModelChoiceField(label="单位账户", queryset=UnitAccount.objects.none(), empty_label="请选择单位")
    id_number = forms.CharField(label="身份证号码", max_length=18, min_length=18)
    name = forms.CharField(label="姓名", max_length=60)
    phone = forms.CharField(label="手机号码", max_length=20, required=False)
    base = forms.DecimalField(label="缴存基数（元）", max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    bank_card = forms.CharField(label="个人银行卡号", max_length=23, required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else UnitAccount.objects.none()
        self.fields["unit"].label_from_instance = lambda u: f"{u.number} {u.employer.name}"


class MonthlyDepositForm(forms.Form):
    month = forms.DateField(label="缴存年月", input_formats=["%Y-%m"], widget=forms.DateInput(attrs={"type": "month"}))
