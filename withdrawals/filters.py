"""The query parameters of the withdrawals lists (staff page and API), as one FilterSet."""

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from .models import Channel, Withdrawal, WithdrawalState
from .reasons import REASONS

DATE = forms.DateInput(attrs={"type": "date"})


class WithdrawalApiFilter(django_filters.FilterSet):
    """What the API list reads: state and reason."""

    state = django_filters.ChoiceFilter(label="状态", choices=WithdrawalState.choices, empty_label="全部")
    reason = django_filters.ChoiceFilter(label="提取原因", empty_label="全部",
                                         choices=[(k, f"{r.code} {r.label}") for k, r in REASONS.items()])

    class Meta:
        model = Withdrawal
        fields: list[str] = []


class WithdrawalFilter(WithdrawalApiFilter):
    """The staff list: also by number or ID number, channel and the day it was submitted."""

    q = django_filters.CharFilter(label="业务编号/身份证号", max_length=20, method="by_number")
    channel = django_filters.ChoiceFilter(label="渠道", choices=Channel.choices, empty_label="全部")
    date_from = django_filters.DateFilter(label="提交日期自", field_name="submitted_at", lookup_expr="date__gte",
                                          widget=DATE)
    date_to = django_filters.DateFilter(label="至", field_name="submitted_at", lookup_expr="date__lte", widget=DATE)

    class Meta:
        model = Withdrawal
        fields = ["q", "state", "reason", "channel", "date_from", "date_to"]

    def by_number(self, queryset: QuerySet[Withdrawal], name: str, value: Any) -> QuerySet[Withdrawal]:
        """A withdrawal's number, or the ID number of its applicant or of the relative it is for."""
        q = value.strip().upper()
        return queryset.filter(Q(number=q) | Q(account__person__id_number=q) | Q(other_id_number=q)) if q else queryset
