"""The query parameters of the overdue ledger (staff page and API), as one FilterSet."""

import django_filters

from fund.people.models import Branch, EntrustedBank, User

from .models import CaseState, OverdueCase, Stage


class OverdueCaseFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(label="催收阶段", choices=[(str(v), label) for v, label in Stage.choices],
                                        empty_label="全部阶段")
    collector = django_filters.ModelChoiceFilter(label="清收责任人", empty_label="全部责任人",
                                                 queryset=User.objects.filter(staff_profile__posts__contains=["risk"]))
    branch = django_filters.ModelChoiceFilter(label="管理部", queryset=Branch.objects.all(), empty_label="全部管理部")
    bank = django_filters.ModelChoiceFilter(label="受托银行", queryset=EntrustedBank.objects.all(),
                                            empty_label="全部受托银行")
    state = django_filters.ChoiceFilter(label="状态", choices=CaseState.choices, empty_label="在册（逾期中）",
                                        method="in_state")

    class Meta:
        model = OverdueCase
        fields = ["stage", "collector", "branch", "bank", "state"]

    def in_state(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(state=value) if value else queryset
