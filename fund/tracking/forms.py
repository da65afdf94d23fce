"""Forms of 我的办件's pages: the public lookup and the window's search."""

from django import forms


class LookupForm(forms.Form):
    number = forms.CharField(label="办件编号", max_length=20, help_text="以 BJ 开头的 18 位编号，见受理回执或短信")
    suffix = forms.CharField(label="证件号码后四位", min_length=4, max_length=4,
                             help_text="申请人居民身份证号码（单位为统一社会信用代码）的最后四位",
                             error_messages={"min_length": "请填写证件号码的最后四位", "max_length": "请填写证件号码的最后四位"})

    def clean_number(self) -> str:
        return self.cleaned_data["number"].strip().upper()

    def clean_suffix(self) -> str:
        return self.cleaned_data["suffix"].strip().upper()


class WindowSearchForm(forms.Form):
    q = forms.CharField(label="身份证号码或统一社会信用代码", max_length=18, min_length=18,
                        error_messages={"min_length": "请输入18位居民身份证号码或统一社会信用代码",
                                        "max_length": "请输入18位居民身份证号码或统一社会信用代码"})
