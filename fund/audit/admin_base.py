from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.html import format_html_join

from .actions import key_label, value_label
from .masking import mask_data


def readable_json(value: Any) -> Any:
    """A JSON value as '名称：值' lines, identifying numbers masked (the admin would print a Python dict)."""
    value = mask_data(value)
    if value in (None, "", {}, []):
        return "—"
    if isinstance(value, dict):
        return format_html_join("", "<div>{}：{}</div>", ((key_label(k), value_label(k, v)) for k, v in value.items()))
    if isinstance(value, list):
        return format_html_join("", "<div>{}</div>", ((value_label("", v),) for v in value))
    return str(value)


class ReadableJsonMixin:
    """Shows each JSONField of the model through `readable_json` instead of its raw text."""

    def __init__(self, model: type[models.Model], admin_site: Any) -> None:
        super().__init__(model, admin_site)  # type: ignore[call-arg]
        self._json_names = [f.name for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
        for field in model._meta.concrete_fields:
            if isinstance(field, models.JSONField):
                setattr(self, f"{field.name}_readable", self._display(field))

    @staticmethod
    def _display(field: models.Field) -> Any:
        def show(obj: Any) -> Any:
            return readable_json(getattr(obj, field.name))

        show.short_description = field.verbose_name  # type: ignore[attr-defined]
        return show

    def _swap(self, names: Any) -> list[Any]:
        out: list[Any] = []
        for n in names:
            n = f"{n}_readable" if n in self._json_names else n
            if n not in out:
                out.append(n)
        return out

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self._swap(super().get_fields(request, obj))  # type: ignore[misc]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*super().get_readonly_fields(request, obj), *(f"{n}_readable" for n in self._json_names)]  # type: ignore[misc]


class ReadOnlyAdmin(ReadableJsonMixin, admin.ModelAdmin):
    """Records that are only ever written by services: viewable in the admin, never edited there."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
