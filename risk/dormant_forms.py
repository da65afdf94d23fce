"""The dormant campaign's forms and list filter (page and API). They parse input only; risk.services.dormant
decides what is valid."""

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from fund.people.models import Branch

from .models import MANUAL_OUTCOMES, DormantAccount, DormantOutcome

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class DormantStartForm(forms.Form):
    name = forms.CharField(label="行动名称", max_length=60, initial="呆滞账户清理", required=False)
    ends_on = forms.DateField(label="结束日期", required=False, widget=DATE, help_text="不填则为开始后 90 天")


class DormantOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label="清理结果", choices=[(c, DormantOutcome(c).label) for c in MANUAL_OUTCOMES])
    note = forms.CharField(label="联系情况", max_length=200, required=False,
                           help_text="联系方式、联系结果、约定办理时间等；已提取、已转移由日终自动识别")


class DormantAccountFilter(django_filters.FilterSet):
    outcome = django_filters.ChoiceFilter(label="清理结果", choices=DormantOutcome.choices, empty_label="全部结果")
    branch = django_filters.ModelChoiceFilter(label="管理部", queryset=Branch.objects.all(), empty_label="全部管理部")
    contact = django_filters.ChoiceFilter(label="联系方式", method="by_contact", empty_label="全部",
                                          choices=[("phone", "有手机号码"), ("none", "无联系方式")])
    q = django_filters.CharFilter(label="姓名、个人账号或单位", max_length=120, method="search")

    class Meta:
        model = DormantAccount
        fields = ["outcome", "branch", "contact", "q"]

    def by_contact(self, queryset: QuerySet[DormantAccount], name: str, value: Any) -> QuerySet[DormantAccount]:
        empty = Q(account__person__phone="")
        return queryset.filter(empty) if value == "none" else queryset.exclude(empty)

    def search(self, queryset: QuerySet[DormantAccount], name: str, value: Any) -> QuerySet[DormantAccount]:
        q = value.strip()
        if not q:
            return queryset
        return queryset.filter(Q(account__person__name__icontains=q) | Q(account__number=q)
                               | Q(unit__employer__name__icontains=q) | Q(unit__number=q))
