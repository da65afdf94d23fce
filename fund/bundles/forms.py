"""Forms of the 一件事 pages (built from the bundle's fields for the portal) and of the 跨省通办 entry and queue."""

from __future__ import annotations

from typing import Any

from django import forms

from .models import CrossState
from .registry import Bundle, bundle_materials

WIDGETS = {"money": {"inputmode": "decimal"}, "card": {"inputmode": "numeric"}, "phone": {"inputmode": "tel"}}


def bundle_form_class(bundle: Bundle, portal: str) -> type[forms.Form]:
    """The bundle's fields this portal asks for; at the window, the paper materials to tick too."""
    fields: dict[str, Any] = {}
    for spec in bundle.fields:
        if portal in spec.portals:
            fields[spec.name] = forms.CharField(label=spec.label, required=spec.required, max_length=spec.max_length,
                                                help_text=spec.help, widget=forms.TextInput(attrs=WIDGETS.get(spec.kind, {})))
    if portal == "staff":
        paper = [(m.code, m.name) for m in bundle_materials(bundle) if not m.shared_by]
        if paper:
            fields["materials"] = forms.MultipleChoiceField(label="已收材料", choices=paper, required=False,
                                                            widget=forms.CheckboxSelectMultiple)
    fields["client_token"] = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    return type(f"{bundle.code.replace('-', '')}Form", (forms.Form,), fields)


class CrossProvinceForm(forms.Form):
    WAYS = [("online", "本人登录个人网厅在线办理"), ("window", "由通办窗口工作人员联系代办（无需到现场）")]

    item = forms.ChoiceField(label="办理事项")
    name = forms.CharField(label="姓名", max_length=30)
    id_number = forms.CharField(label="身份证号码", max_length=18)
    way = forms.ChoiceField(label="办理方式", choices=WAYS, initial="online", widget=forms.RadioSelect)
    phone = forms.CharField(label="手机号码", max_length=20, required=False, help_text="选择窗口代办时必填")
    province = forms.CharField(label="现居省份", max_length=20, required=False)
    note = forms.CharField(label="诉求说明", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, items: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = items  # type: ignore[attr-defined]


class CrossFinishForm(forms.Form):
    outcome = forms.ChoiceField(label="办理结果", choices=[("done", "办结"), ("refused", "不予办理")])
    result = forms.CharField(label="结果说明", max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class CrossFilterForm(forms.Form):
    state = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *CrossState.choices])
