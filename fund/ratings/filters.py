"""The query parameters of the rating and follow-up lists (staff pages and API), as FilterSets."""

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from fund.people.models import Branch

from .models import FollowUp, FollowUpState, Rating
from .selectors import GOOD_STARS, month_bounds

LEVELS = [("good", "好评（4–5星）"), ("neutral", "中评（3星）"), ("bad", "差评")]


class RatingFilter(django_filters.FilterSet):
    month = django_filters.DateFilter(label="评价月份", input_formats=["%Y-%m"], method="in_month",
                                      help_text="如 2026-11")
    branch = django_filters.ModelChoiceFilter(label="管理部", field_name="application__branch",
                                              queryset=Branch.objects.all(), empty_label="全部管理部")
    item = django_filters.CharFilter(label="事项编码", field_name="application__item_code", max_length=20)
    level = django_filters.ChoiceFilter(label="评价", choices=LEVELS, method="at_level", empty_label="全部评价")

    class Meta:
        model = Rating
        fields = ["month", "branch", "item", "level"]

    def in_month(self, queryset: QuerySet[Rating], name: str, value: Any) -> QuerySet[Rating]:
        start, end = month_bounds(value)
        return queryset.filter(created_at__gte=start, created_at__lt=end)

    def at_level(self, queryset: QuerySet[Rating], name: str, value: Any) -> QuerySet[Rating]:
        if value == "good":
            return queryset.filter(stars__gte=GOOD_STARS)
        if value == "bad":
            return queryset.filter(bad=True)
        return queryset.filter(stars__lt=GOOD_STARS, bad=False)


class FollowUpFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label="状态", choices=FollowUpState.choices, empty_label="全部状态")
    overdue = django_filters.BooleanFilter(label="已超期未办结", method="is_overdue")

    class Meta:
        model = FollowUp
        fields = ["state", "overdue"]

    def is_overdue(self, queryset: QuerySet[FollowUp], name: str, value: Any) -> QuerySet[FollowUp]:
        late = Q(due_on__lt=timezone.localdate()) & ~Q(state=FollowUpState.DONE)
        return queryset.filter(late) if value else queryset.exclude(late)
