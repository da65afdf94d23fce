"""Forms of the rating pages: the rating itself, and the follow-up's assignment and outcome. They read what the
user typed; the services decide (fund.views.form_submit puts their refusals onto the fields)."""

from typing import Any

from django import forms

from fund.people.models import User

from .models import COMMENT_MAX_LENGTH, FollowUpOutcome

STARS = [(5, "★★★★★ 非常满意"), (4, "★★★★ 满意"), (3, "★★★ 基本满意"), (2, "★★ 不满意"), (1, "★ 非常不满意")]


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(label="评价", choices=STARS, coerce=int, widget=forms.RadioSelect,
                                   error_messages={"required": "请选择评价星级", "invalid_choice": "评价星级应为 1 至 5 星"})
    comment = forms.CharField(label="评价内容", required=False, max_length=COMMENT_MAX_LENGTH,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=f"选填，不超过 {COMMENT_MAX_LENGTH} 字；差评请写明原因，中心将核实整改并回访",
                              error_messages={"max_length": f"评价内容不能超过{COMMENT_MAX_LENGTH}字"})


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label="整改责任人", queryset=User.objects.none(),
                                      error_messages={"required": "请选择整改责任人", "invalid_choice": "请选择本管理部的工作人员"})

    def __init__(self, *args: Any, staff: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if staff is not None:
            self.fields["assignee"].queryset = staff  # type: ignore[attr-defined]


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label="整改结果", choices=[("", "请选择"), *FollowUpOutcome.choices],
                                error_messages={"required": "请选择整改结果", "invalid_choice": "请选择整改结果"})
    outcome_note = forms.CharField(label="整改情况", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                                   help_text="核实经过、整改措施和回访评价人的情况",
                                   error_messages={"required": "请填写整改情况", "max_length": "整改情况不能超过500字"})
