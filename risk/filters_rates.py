"""The query parameters of the classification and warning lists (staff pages and API), as FilterSets."""

import django_filters

from .models import CreditNotice, LoanTier, StopKind, StoppedDeposit, Tier


class TierFilter(django_filters.FilterSet):
    tier = django_filters.ChoiceFilter(label="五级分类", choices=[c for c in Tier.choices if c[0] != Tier.NORMAL],
                                       empty_label="全部不良与关注")

    class Meta:
        model = LoanTier
        fields = ["tier"]


class StoppedFilter(django_filters.FilterSet):
    month = django_filters.DateFilter(label="排查月份", input_formats=["%Y-%m"], help_text="如 2026-06")
    kind = django_filters.ChoiceFilter(label="类型", choices=StopKind.choices, empty_label="全部类型")

    class Meta:
        model = StoppedDeposit
        fields = ["month", "kind"]


class CreditNoticeFilter(django_filters.FilterSet):
    open = django_filters.BooleanFilter(label="逾期未结清", field_name="cleared_on", lookup_expr="isnull")

    class Meta:
        model = CreditNotice
        fields = ["open"]
