from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.html import format_html_join

from .actions import key_label, value_label
from .masking import mask_data, mask_text

# The mixins below extend ModelAdmin's methods; the checker reads them as ModelAdmin subclasses.
if TYPE_CHECKING:
    _AdminBase = admin.ModelAdmin
else:
    _AdminBase = object


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


def _unique(names: Any) -> list[Any]:
    """Field names in order, once each (the admin's view-only form lists readonly names after the others)."""
    out: list[Any] = []
    for name in names:
        if name not in out:
            out.append(name)
    return out


class ReadableJsonMixin(_AdminBase):
    """Shows each JSONField of the model through `readable_json` instead of its raw text."""

    def __init__(self, model: type[models.Model], admin_site: Any) -> None:
        super().__init__(model, admin_site)
        self._json_names = [f.name for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
        for field in model._meta.concrete_fields:
            if isinstance(field, models.JSONField):
                setattr(self, f"{field.name}_readable", self._display(field))

    @staticmethod
    def _display(field: models.Field) -> Any:
        def show(obj: Any) -> Any:
            return readable_json(getattr(obj, field.name))

        return admin.display(show, description=field.verbose_name)

    def _swap(self, names: Any) -> list[Any]:
        return _unique(f"{n}_readable" if n in self._json_names else n for n in names)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self._swap(super().get_fields(request, obj))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*super().get_readonly_fields(request, obj), *(f"{n}_readable" for n in self._json_names)]


# Field names that hold a person's ID, card or phone number across the project's models.
MASKED_NAMES = frozenset({
    "id_number", "other_id_number", "parent_id_number", "child_id_number", "party_a", "party_b", "owner_id_numbers",
    "buyer_id_number", "taxpayer_id_number", "holder_id", "account_number", "card", "payee_card", "phone",
    "reserved_phone", "username", "spouse_id_number", "household_key", "repayment_card", "seller_account",
    "payee_account", "bank_card", "contact_phone", "notified_phone", "operator_phone",
})


class MaskedFieldsMixin(_AdminBase):
    """Identifying numbers (ID, card, phone) shown masked in lists, and on the record's page to whoever may not
    edit it (the auditor): the admin is for checking records, not for reading people's numbers. Testers who
    edit a sandbox table still see and type the whole value in its form."""

    masked_fields: tuple[str, ...] | None = None  # None: every field whose name says it holds such a number

    def __init__(self, model: type[models.Model], admin_site: Any) -> None:
        super().__init__(model, admin_site)
        if self.masked_fields is None:
            self.masked_fields = tuple(f.name for f in model._meta.concrete_fields if f.name in MASKED_NAMES)
        for name in self.masked_fields:
            setattr(self, f"{name}_masked", self._masker(model._meta.get_field(name)))

    @staticmethod
    def _masker(field: Any) -> Any:
        def show(obj: Any) -> str:
            value = getattr(obj, field.name)
            if isinstance(value, (list, tuple)):
                return "、".join(mask_text(str(v)) for v in value) or "—"
            return mask_text(str(value)) if value not in (None, "") else "—"

        return admin.display(show, description=field.verbose_name, ordering=field.name)

    def _mask_names(self, names: Any) -> list[Any]:
        return _unique(f"{n}_masked" if n in (self.masked_fields or ()) else n for n in names)

    def get_list_display(self, request: HttpRequest) -> Any:
        return self._mask_names(super().get_list_display(request))

    def get_list_display_links(self, request: HttpRequest, list_display: Any) -> Any:
        links = super().get_list_display_links(request, list_display)
        return self._mask_names(links) if links else links

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = super().get_fields(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            return self._mask_names(fields)
        return fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and not self.has_change_permission(request, obj):
            readonly += [f"{n}_masked" for n in self.masked_fields or ()]
        return readonly


class ReadOnlyAdmin(MaskedFieldsMixin, ReadableJsonMixin, admin.ModelAdmin):
    """Records that are only ever written by services: viewable in the admin, never edited there."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
