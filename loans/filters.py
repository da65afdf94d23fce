"""The query parameters of the loans lists, read one way by pages and the API (fund.filters)."""

import django_filters
from django.db.models import Q, QuerySet

from .models import ConstructionState, Project, ProjectState


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="楼盘/企业/地址", method="search", max_length=60)
    state = django_filters.ChoiceFilter(label="准入状态", choices=ProjectState.choices, empty_label="全部准入状态")
    construction = django_filters.ChoiceFilter(label="建设状态", choices=ConstructionState.choices,
                                               empty_label="全部建设状态")

    class Meta:
        model = Project
        fields = ["q", "state", "construction"]

    def search(self, queryset: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(developer__name__icontains=value)
                               | Q(address__icontains=value) | Q(presale_permit__icontains=value))
