"""The page form for scheduling a value. It only types the input; the service decides what is valid."""

from typing import Any

from django import forms


class PolicyScheduleForm(forms.Form):
    value = forms.CharField(label="新值", max_length=40)
    effective_from = forms.DateField(label="生效日期", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="调整依据（文件文号）", max_length=200)

    def __init__(self, *args: Any, choices: tuple[tuple[str, str], ...] = (), unit: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        if choices:
            self.fields["value"] = forms.ChoiceField(label="新值", choices=[("", "—— 请选择 ——"), *choices])
        elif unit:
            self.fields["value"].label = f"新值（{unit}）"
            self.fields["value"].widget.attrs["inputmode"] = "decimal"


class PolicyWithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回原因", max_length=200)
