"""Forms of the remittance pages: generate a bill, record a bank receipt, correct a wrong payment."""

from django import forms

from .models import BillKind, PaymentChannel


class BillGenerateForm(forms.Form):
    month = forms.DateField(
        label="缴存年月", input_formats=["%Y-%m"], widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": "请按“年-月”选择缴存年月", "required": "请选择缴存年月"},
    )
    kind = forms.ChoiceField(label="类型", choices=BillKind.choices, initial=BillKind.REMIT)
    reason = forms.CharField(label="补缴原因", max_length=200, required=False, help_text="补缴时必填")


class ReceiptForm(forms.Form):
    channel = forms.ChoiceField(
        label="缴款方式", choices=[(PaymentChannel.COUNTER, "柜台缴款"), (PaymentChannel.TRANSFER, "转账汇入")]
    )
    bank_reference = forms.CharField(label="银行流水号/进账单号", max_length=64)


class ReverseForm(forms.Form):
    reason = forms.CharField(label="更正原因", max_length=200)
