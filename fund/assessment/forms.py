"""The weights form: the month, the base score and one field per term (built-in and registered sources)."""

from typing import Any

from django import forms

from .terms import term_specs


class WeightsForm(forms.Form):
    effective_from = forms.DateField(label="生效月份", input_formats=["%Y-%m"], help_text="如 2026-12；不能早于本月",
                                     error_messages={"required": "请填写生效月份", "invalid": "生效月份格式应为 2026-12"})
    base = forms.CharField(label="基础分", max_length=12, error_messages={"required": "请填写基础分"})

    def __init__(self, *args: Any, initial_weights: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for spec in term_specs():
            self.fields[f"w_{spec.code}"] = forms.CharField(
                label=f"{spec.label}（每次）", max_length=12, required=False, help_text=spec.about,
                initial=(initial_weights or {}).get(spec.code, "0"))
        self.fields["note"] = forms.CharField(label="调整说明", max_length=200, required=False,
                                              error_messages={"max_length": "调整说明不能超过200字"})

    def weights(self) -> dict[str, Any]:
        return {spec.code: self.cleaned_data.get(f"w_{spec.code}") or "0" for spec in term_specs()}


class MonthForm(forms.Form):
    month = forms.DateField(label="考核月份", input_formats=["%Y-%m"], required=False, help_text="如 2026-11",
                            error_messages={"invalid": "考核月份格式应为 2026-11"})
