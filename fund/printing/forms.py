from django import forms

from .codes import CODE_LENGTH, is_well_formed, normalize_code


class VerifyForm(forms.Form):
    code = forms.CharField(
        label="验证码",
        max_length=32,
        widget=forms.TextInput(attrs={"placeholder": "如 ABCD-EFGH-JKLM", "autocomplete": "off", "autofocus": True}),
        error_messages={"required": "请输入文件上的验证码"},
    )

    def clean_code(self) -> str:
        code = normalize_code(self.cleaned_data["code"])
        if not is_well_formed(code):
            raise forms.ValidationError(
                f"验证码为{CODE_LENGTH}位大写字母和数字（不含 0、O、1、I），请核对后重新输入", code="format"
            )
        return code
