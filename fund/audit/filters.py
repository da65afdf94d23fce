"""The staff audit log's query parameter, as a FilterSet."""

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from .models import AuditEvent


class AuditEventFilter(django_filters.FilterSet):
    action = django_filters.CharFilter(label="业务类别", max_length=100, method="in_family")

    class Meta:
        model = AuditEvent
        fields = ["action"]

    def in_family(self, queryset: QuerySet[AuditEvent], name: str, value: Any) -> QuerySet[AuditEvent]:
        """An action code or its family: "deposits" lists deposits.* as well."""
        action = value.strip().rstrip(".")
        return queryset.filter(Q(action=action) | Q(action__startswith=f"{action}.")) if action else queryset
