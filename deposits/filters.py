"""The query parameters of the deposits lists (bills, unit applications, online opening requests)."""

import django_filters

from .models import (
    ApplicationState,
    BillState,
    OpeningRequestState,
    RemittanceBill,
    UnitApplication,
    UnitOpeningRequest,
)


class BillFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label="状态", choices=BillState.choices, empty_label="全部状态")
    month = django_filters.DateFilter(label="缴存年月", input_formats=["%Y-%m"],
                                      error_messages={"invalid": "格式应为 2026-11"})

    class Meta:
        model = RemittanceBill
        fields = ["state", "month"]


class ApplicationFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label="状态", choices=ApplicationState.choices, empty_label="全部状态")

    class Meta:
        model = UnitApplication
        fields = ["state"]


class OpeningRequestFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label="状态", choices=OpeningRequestState.choices, empty_label="全部状态")

    class Meta:
        model = UnitOpeningRequest
        fields = ["state"]
