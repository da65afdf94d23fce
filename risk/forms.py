"""Forms for the blacklist pages. They parse input only; the services decide what is valid."""

from django import forms
from django.utils import timezone

from fund.validation import clean_credit_code, clean_resident_id

from .models import Category, SubjectKind


class BlacklistAddForm(forms.Form):
    subject_kind = forms.ChoiceField(
        label="对象类型", choices=SubjectKind.choices, initial=SubjectKind.PERSON, widget=forms.RadioSelect
    )
    name = forms.CharField(label="姓名/单位名称", max_length=120)
    id_number = forms.CharField(label="身份证号码", max_length=18, required=False, help_text="列入个人时填写")
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, required=False, help_text="列入单位时填写")
    category = forms.ChoiceField(label="失信类别", choices=Category.choices)
    listed_on = forms.DateField(label="列入日期", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    until = forms.DateField(
        label="限制截止日期", required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text="不填则按政策“失信黑名单期限”自列入日期起计算；当日起不再限制",
    )
    bans_withdrawal = forms.BooleanField(label="限制提取", required=False, initial=True)
    bans_loan = forms.BooleanField(label="限制贷款", required=False, initial=True)
    reason = forms.CharField(
        label="列入事由", max_length=1000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="写明失信事实、认定依据（文书编号）",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["listed_on"].initial = timezone.localdate()

    # The checksums are checked here too, so one submission shows every mistake at once (the service checks
    # them again: it is the authority, and the API goes straight to it).
    def clean_id_number(self) -> str:
        value = self.cleaned_data["id_number"].strip().upper()
        return clean_resident_id(value).number if value else value

    def clean_credit_code(self) -> str:
        value = self.cleaned_data["credit_code"].strip().upper()
        return clean_credit_code(value) if value else value


class BlacklistLiftForm(forms.Form):
    reason = forms.CharField(
        label="解除原因", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如：经复核认定有误、法院判决撤销等，写明依据",
    )
