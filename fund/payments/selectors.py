"""Who sees and handles outgoing payments: 财务 and the director, within their scope."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from fund.people.roles import roles_of
from fund.people.selectors import scoped

from .models import Payment, PaymentState
from .purposes import purposes


def payments_may_handle(user: Any) -> bool:
    """财务岗 and the director see every state of the payments and retry or hand them off."""
    return roles_of(user).handles_payments


def payments_for_user(user: Any) -> QuerySet[Payment]:
    """The payments of the user's branch (every one for centre-wide staff); nothing for anyone else."""
    if not payments_may_handle(user):
        return Payment.objects.none()
    return scoped(Payment.objects.select_related("branch"), user, branch="branch")


def payment_get_for_user(user: Any, pk: Any) -> Payment:
    """One payment the user may handle; Payment.DoesNotExist both when missing and when not theirs."""
    return payments_for_user(user).get(pk=pk)


class PaymentFilter(django_filters.FilterSet):
    """The list's filters: state, purpose, and the payee or the business (number or name, in part)."""

    state = django_filters.ChoiceFilter(label="状态", choices=PaymentState.choices, empty_label="全部状态")
    purpose = django_filters.ChoiceFilter(label="用途", choices=lambda: [(p.code, p.label) for p in purposes()],
                                          empty_label="全部用途")
    q = django_filters.CharFilter(label="收款人/业务", method="search")

    class Meta:
        model = Payment
        fields = ["state", "purpose"]

    def search(self, queryset: QuerySet[Payment], name: str, value: str) -> QuerySet[Payment]:
        value = value.strip()[:60]
        return queryset.filter(Q(payee_name__icontains=value) | Q(subject_label__icontains=value)) if value else queryset
