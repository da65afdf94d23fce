"""预约服务's forms: they parse input only; fund.appointments.services decides what is valid."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from fund.catalogue.registry import Channel, catalogue_items
from fund.people.models import Branch

from .models import WEEKDAYS, PeriodLabel, VisitReason

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
TIME = forms.TimeInput(format="%H:%M", attrs={"type": "time"})


def item_choices() -> list[tuple[str, str]]:
    return [(i.code, f"{i.name}") for i in catalogue_items() if Channel.WINDOW in i.channels]


class PeriodForm(forms.Form):
    weekday = forms.TypedChoiceField(label="星期", choices=list(enumerate(WEEKDAYS)), coerce=int)
    start = forms.TimeField(label="开始时间", widget=TIME)
    end = forms.TimeField(label="结束时间", widget=TIME)
    slot_minutes = forms.IntegerField(label="每个时段（分钟）", min_value=5, max_value=240, initial=30)
    capacity = forms.IntegerField(label="每时段可预约人数", min_value=1, max_value=200, initial=5)
    label = forms.ChoiceField(label="类别", choices=PeriodLabel.choices)


class ExceptionForm(forms.Form):
    day = forms.DateField(label="日期", widget=DATE)
    closed = forms.BooleanField(label="当日不开放", required=False)
    start = forms.TimeField(label="开始时间", widget=TIME, required=False)
    end = forms.TimeField(label="结束时间", widget=TIME, required=False)
    slot_minutes = forms.IntegerField(label="每个时段（分钟）", min_value=5, max_value=240, required=False)
    capacity = forms.IntegerField(label="每时段可预约人数", min_value=1, max_value=200, required=False)
    label = forms.ChoiceField(label="类别", choices=PeriodLabel.choices, initial=PeriodLabel.HOLIDAY)
    note = forms.CharField(label="说明", max_length=60, required=False, help_text="如：国庆节不打烊、系统升级暂停服务")


class VisitRequestForm(forms.Form):
    for_other = forms.BooleanField(label="为亲属申请", required=False, help_text="为父母等亲属申请时勾选，并填写其身份证号码和姓名")
    id_number = forms.CharField(label="服务对象身份证号码", max_length=18, required=False)
    name = forms.CharField(label="服务对象姓名", max_length=60, required=False)
    relation = forms.CharField(label="与服务对象关系", max_length=20, required=False)
    reason = forms.ChoiceField(label="上门原因", choices=VisitReason.choices)
    item_code = forms.ChoiceField(label="办理事项", required=False)
    description = forms.CharField(label="需求说明", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    contact_name = forms.CharField(label="联系人", max_length=60)
    contact_phone = forms.CharField(label="联系电话", max_length=20)
    address = forms.CharField(label="上门地址", max_length=200)
    branch = forms.ModelChoiceField(label="管理部", queryset=Branch.objects.order_by("code"), empty_label=None)

    def __init__(self, *args: Any, staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["item_code"]).choices = [("", "（未定）"), *item_choices()]
        if staff:
            del self.fields["for_other"], self.fields["relation"]


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label="上门人员")

    def __init__(self, *args: Any, staff: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["assignee"]).choices = [(u.pk, u.get_full_name() or u.username) for u in staff or []]


class ScheduleForm(forms.Form):
    on = forms.DateField(label="上门日期", widget=DATE)
    time_text = forms.CharField(label="上门时间", max_length=20, help_text="如：上午9时、14:30")


class FinishForm(forms.Form):
    done = forms.TypedChoiceField(label="结果", choices=[("1", "办结"), ("0", "未办结")], coerce=lambda v: v == "1")
    done_what = forms.CharField(label="办理事项", max_length=200, required=False)
    note = forms.CharField(label="办理情况", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
