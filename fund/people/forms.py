from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    username = forms.CharField(label="身份证号码或用户名", max_length=150)
    password = forms.CharField(label="密码", strip=False, widget=forms.PasswordInput)

    error_messages = {
        "invalid_login": "账号或密码不正确。连续多次输错将暂时锁定。",
        "inactive": "该账号已停用。",
        "throttled": "登录失败次数过多，请15分钟后再试，或通过短信验证码重置密码。",
    }

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except forms.ValidationError:
            if getattr(self.request, "login_throttled", False):
                raise forms.ValidationError(self.error_messages["throttled"], code="throttled") from None
            raise


class PasswordResetRequestForm(forms.Form):
    username = forms.CharField(label="身份证号码或用户名", max_length=150)
    phone = forms.CharField(label="预留手机号码", max_length=20)


class PasswordResetConfirmForm(forms.Form):
    # Filled from the session (the request step keeps it there, never in the URL); a posted value is the
    # fallback for a client without the session.
    username = forms.CharField(label="身份证号码或用户名", max_length=150, required=False, widget=forms.HiddenInput)
    code = forms.CharField(label="短信验证码", max_length=6, min_length=6)
    new_password1 = forms.CharField(label="新密码", strip=False, widget=forms.PasswordInput)
    new_password2 = forms.CharField(label="确认新密码", strip=False, widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的密码不一致")
        return data
