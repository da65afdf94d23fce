"""The query parameters of 我的办件's lists (pages and API), as one FilterSet."""

import django_filters

from .models import Application, Outcome
from .registry import tracked_kinds


def _kinds() -> list[tuple[str, str]]:
    return [(k.key, k.noun) for k in tracked_kinds()]


class ApplicationFilter(django_filters.FilterSet):
    outcome = django_filters.ChoiceFilter(label="结果", choices=Outcome.choices, empty_label="全部")
    kind = django_filters.ChoiceFilter(label="业务类别", choices=_kinds, empty_label="全部")

    class Meta:
        model = Application
        fields: list[str] = []
