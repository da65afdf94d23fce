"""The query parameters of the suspected rings list (staff page and API), and the ring note form."""

from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet

from .models import Ring, RingMember, RingState

RULES = [("size", "关联人数超过阈值"), ("card", "不同家庭共用银行卡"), ("phone", "不同家庭共用手机号码")]


class RingFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label="状态", choices=RingState.choices, empty_label="全部状态")
    rule = django_filters.ChoiceFilter(label="疑点", choices=RULES, method="with_rule", empty_label="全部疑点")
    number = django_filters.CharFilter(label="申请编号", max_length=20, method="with_application")

    class Meta:
        model = Ring
        fields = ["state", "rule", "number"]

    def with_rule(self, queryset: QuerySet[Ring], name: str, value: Any) -> QuerySet[Ring]:
        return queryset.filter(reasons__contains=[{"rule": value}])

    def with_application(self, queryset: QuerySet[Ring], name: str, value: Any) -> QuerySet[Ring]:
        """Rings holding the withdrawal or loan application of that number."""
        number = (value or "").strip().upper()
        if not number:
            return queryset
        return queryset.filter(Exists(RingMember.objects.filter(ring=OuterRef("pk"), number=number)))


class RingNoteForm(forms.Form):
    note = forms.CharField(label="核查备注", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="核查了什么、结论如何；下次计算找到同一团伙时保留")
