"""Forms of the overdue ledger pages. They parse input only; risk.services.overdue decides what is valid."""

from typing import Any

from django import forms

from .models import Channel

DATE = {"format": "%Y-%m-%d", "attrs": {"type": "date"}}


class ContactForm(forms.Form):
    channel = forms.ChoiceField(label="联系方式", choices=[c for c in Channel.choices if c[0] != Channel.SMS])
    contacted_on = forms.DateField(label="联系日期", required=False, widget=forms.DateInput(**DATE),
                                   help_text="不填为今天")
    result = forms.CharField(label="催收结果", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="写明联系对象、借款人答复、逾期原因")
    promise_on = forms.DateField(label="承诺还款日期", required=False, widget=forms.DateInput(**DATE),
                                 help_text="借款人承诺还款的，当晚日终起跟进：到期未还款自动生成跟进任务")


class ReassignForm(forms.Form):
    collector = forms.TypedChoiceField(label="清收责任人", coerce=int)
    reason = forms.CharField(label="调整原因", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, collectors: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["collector"].choices = [(u.pk, u.first_name or u.username) for u in collectors]
