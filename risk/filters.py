"""The query parameters of the blacklist lists (staff page and API), as one FilterSet."""

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import BlacklistEntry, Category, EntryState, SubjectKind


class BlacklistFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label="对象类型", field_name="subject_kind", choices=SubjectKind.choices,
                                       empty_label="全部对象")
    category = django_filters.ChoiceFilter(label="失信类别", choices=Category.choices, empty_label="全部类别")
    state = django_filters.ChoiceFilter(
        label="状态", method="in_state", empty_label="全部状态",
        choices=[(EntryState.IN_FORCE, "生效中"), (EntryState.LIFTED, "已解除"), (EntryState.EXPIRED, "已到期")],
    )
    q = django_filters.CharFilter(label="姓名、单位名称或证件号码", max_length=120, method="search")

    class Meta:
        model = BlacklistEntry
        fields = ["kind", "category", "state", "q"]

    def in_state(self, queryset: QuerySet[BlacklistEntry], name: str, value: Any) -> QuerySet[BlacklistEntry]:
        """The state on today's date: 生效中 and 已到期 depend on the day, not on a stored column."""
        return queryset.in_state(value, timezone.localdate())

    def search(self, queryset: QuerySet[BlacklistEntry], name: str, value: Any) -> QuerySet[BlacklistEntry]:
        """A name in part, or a whole ID number or credit code."""
        q = value.strip()
        if not q:
            return queryset
        return queryset.filter(Q(name__icontains=q) | Q(id_number=q.upper()) | Q(credit_code=q.upper()))
