"""The what-if form: a period, the businesses to replay, and up to four draft values as a person types them
(percent for %). It only types the input; the service decides what is valid."""

from typing import Any

from django import forms

from fund.policy.definitions import DEFINITIONS

from .registry import replayers

ROWS = 4


class WhatIfForm(forms.Form):
    title = forms.CharField(label="说明", max_length=100, required=False, help_text="如：2027年租房提取限额调整")
    period_start = forms.DateField(label="重放起始日", widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label="重放截止日", widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["replayers"] = forms.MultipleChoiceField(
            label="重放的业务", widget=forms.CheckboxSelectMultiple, choices=[(r.code, r.label) for r in replayers()])
        options = [("", "—— 不调整 ——"), *((d.name, f"{d.group}｜{d.label}") for d in DEFINITIONS if not d.choices)]
        for i in range(1, ROWS + 1):
            self.fields[f"name_{i}"] = forms.ChoiceField(label=f"政策项 {i}", choices=options, required=False)
            self.fields[f"value_{i}"] = forms.CharField(
                label=f"模拟值 {i}", max_length=40, required=False, help_text="百分比按百分数填写，如 2.10 表示 2.10%")

    def draft(self) -> dict[str, object]:
        """The draft values in stored units (from what was typed; the service checks them)."""
        from fund.policy.definitions import BY_NAME

        out: dict[str, object] = {}
        for i in range(1, ROWS + 1):
            name, value = self.cleaned_data.get(f"name_{i}"), (self.cleaned_data.get(f"value_{i}") or "").strip()
            if name and name in BY_NAME:
                out[name] = BY_NAME[name].from_display(value)
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(1, ROWS + 1):
            if data.get(f"name_{i}") and not (data.get(f"value_{i}") or "").strip():
                self.add_error(f"value_{i}", "请填写模拟值")
        return data
