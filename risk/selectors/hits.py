"""Read helpers of the audit queue (screening hits) and the rules: who sees which hits, the queue's filters and
counts (the dashboard reads `queue_summary`)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import django_filters
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from fund.people.models import Post
from fund.people.roles import roles_of
from fund.people.selectors import get_or_404, scoped

from ..models import HIT_STANDING, HitState, ScreeningHit, ScreeningRule
from ..screening.registry import Category, Level

# The queue's age bands, in days since the hit was found (the dashboard and the page use the same ones).
AGE_BANDS = (("3日内", 0, 3), ("4–10日", 4, 10), ("超过10日", 11, None))


def hits_for_user(user: Any) -> QuerySet[ScreeningHit]:
    """Hits as `user` may see them: staff see their branch's (to rectify), centre-wide staff every one; nobody
    else any."""
    if not roles_of(user).is_staff:
        return ScreeningHit.objects.none()
    return scoped(ScreeningHit.objects.select_related("rule", "branch", "subject_type"), user, branch="branch")


def hit_get_for_user(user: Any, pk: Any) -> ScreeningHit:
    """One hit the user may see; 404 both when missing and when not theirs."""
    return get_or_404(hits_for_user(user), pk=pk)


def hits_may_work(user: Any) -> bool:
    """稽核岗 confirm, dismiss and ask for rectification."""
    return roles_of(user).has_post(Post.AUDIT)


def rules_for_user(user: Any) -> QuerySet[ScreeningRule]:
    """The rules: every member of staff may read them (they say what is checked); nobody else."""
    if not roles_of(user).is_staff:
        return ScreeningRule.objects.none()
    return ScreeningRule.objects.annotate(open_hits=Count("hits", filter=Q(hits__state__in=HIT_STANDING)))


def rule_get_for_user(user: Any, pk: Any) -> ScreeningRule:
    return get_or_404(rules_for_user(user), pk=pk)


class HitFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label="状态", choices=[("standing", "未办结"), *HitState.choices],
                                        method="in_state", empty_label="全部状态")
    level = django_filters.ChoiceFilter(label="风险等级", choices=Level.choices, empty_label="全部等级")
    category = django_filters.ChoiceFilter(label="类别", choices=Category.choices, empty_label="全部类别")
    age = django_filters.ChoiceFilter(label="发现时长", choices=[(str(i), band[0]) for i, band in enumerate(AGE_BANDS)],
                                      method="in_age", empty_label="不限")
    q = django_filters.CharFilter(label="业务、规则或身份证号码", max_length=60, method="search")

    class Meta:
        model = ScreeningHit
        fields = ["state", "level", "category", "age", "q"]

    def in_state(self, queryset: QuerySet[ScreeningHit], name: str, value: str) -> QuerySet[ScreeningHit]:
        return queryset.filter(state__in=HIT_STANDING) if value == "standing" else queryset.filter(state=value)

    def in_age(self, queryset: QuerySet[ScreeningHit], name: str, value: str) -> QuerySet[ScreeningHit]:
        return queryset.filter(_age_q(AGE_BANDS[int(value)], timezone.localdate()))

    def search(self, queryset: QuerySet[ScreeningHit], name: str, value: str) -> QuerySet[ScreeningHit]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(subject_label__icontains=value) | Q(rule__label__icontains=value)
                               | Q(summary__icontains=value) | Q(id_number=value.upper()))


def _age_q(band: tuple[str, int, int | None], on: date) -> Q:
    _label, low, high = band
    q = Q(found_at__date__lte=on - timedelta(days=low))
    if high is not None:
        q &= Q(found_at__date__gte=on - timedelta(days=high))
    return q


def queue_summary(user: Any, *, on: date) -> dict[str, Any]:
    """The open queue as `user` may see it: {"open": int, "fraud_open": int (hits of fraud checks),
    "by_level": [{"level": "1".."4", "label": 办理要件存疑…, "count": int}],
    "by_age": [{"label": "3日内"/"4–10日"/"超过10日", "count": int}]}"""
    standing = hits_for_user(user).filter(state__in=HIT_STANDING)
    counts = standing.aggregate(
        open=Count("id"), fraud_open=Count("id", filter=Q(category=Category.FRAUD)),
        **{f"level_{value}": Count("id", filter=Q(level=value)) for value in Level.values},
        **{f"age_{i}": Count("id", filter=_age_q(band, on)) for i, band in enumerate(AGE_BANDS)},
    )
    return {
        "open": counts["open"], "fraud_open": counts["fraud_open"],
        "by_level": [{"level": value, "label": label, "count": counts[f"level_{value}"]}
                     for value, label in reversed(Level.choices)],
        "by_age": [{"label": band[0], "count": counts[f"age_{i}"]} for i, band in enumerate(AGE_BANDS)],
    }
