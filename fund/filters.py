"""List filters: each list's query parameters are a django-filter FilterSet, read one way by pages and the API.

A bad value (a state that does not exist, a date that is not one) is never a 500 and never silently ignored:
the API answers 400 with the parameter's Chinese name and the reason; a page shows the same as an error
message and lists without filters, as it did before it had any.
"""

from collections.abc import Mapping
from typing import Any, TypeVar

import django_filters
from django.contrib import messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from rest_framework import serializers

M = TypeVar("M", bound=Model)


def filter_errors(filterset: django_filters.FilterSet) -> dict[str, list[str]]:
    """The form's errors by parameter, each message starting with the field's Chinese label."""
    fields = filterset.form.fields
    out: dict[str, list[str]] = {}
    for name, errors in filterset.form.errors.items():
        label = fields[name].label if name in fields else None
        out[name] = [f"{label}：{error}" if label else str(error) for error in errors]
    return out


def api_filtered(filterset_class: type[django_filters.FilterSet], request: Any, queryset: QuerySet[M],
                 **kwargs: Any) -> QuerySet[M]:
    """The queryset filtered by the request's query parameters; a bad value is a 400 naming the parameter."""
    filterset = filterset_class(request.query_params, queryset=queryset, request=request, **kwargs)
    if not filterset.is_valid():
        raise serializers.ValidationError(filter_errors(filterset))
    return filterset.qs


def page_filtered(request: HttpRequest, filterset_class: type[django_filters.FilterSet], queryset: QuerySet[M],
                  *, data: Mapping[str, Any] | None = None, **kwargs: Any) -> tuple[django_filters.FilterSet, QuerySet[M]]:
    """The filter set (its `.form` is the page's filter form) and the rows to list.

    `data` replaces the query string (a page that filters by default). A bad value is said as an error
    message and the list is shown unfiltered."""
    filterset = filterset_class(data if data is not None else (request.GET or None), queryset=queryset,
                                request=request, **kwargs)
    if not filterset.is_bound:
        return filterset, queryset
    if not filterset.is_valid():
        for errors in filter_errors(filterset).values():
            for error in errors:
                messages.error(request, error)
        return filterset, queryset
    return filterset, filterset.qs
