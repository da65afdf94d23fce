"""一件事 bundles and 跨省通办 items: what the business lines register, and the bundles the core defines from it.

A line registers each **part** it can run inside a bundle (`register_bundle_part`): a check that may ask outside
systems (run before the bundle's transaction opens) and a run that writes (inside the one transaction every
part of the bundle shares). The core defines the **bundles** from part codes (fund/bundles/definitions.py);
a bundle whose parts are not all registered is shown as not yet open. Each bundle is also a catalogue item
(事项清单), whose materials are the union of its parts' items' materials, so the guide and the one-time notice
list one set of materials for the whole bundle.

A line also says where a member does each 跨省通办 item in the personal hall (`register_cross_province_entry`),
so the public 跨省通办 page can lead a verified member there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from fund.catalogue.registry import Channel, Material, ServiceItem, Visits, catalogue_item, register_item


@dataclass(frozen=True)
class PartResult:
    """What one part did: a line for the applicant, and the record it made (its own application, if any)."""

    summary: str
    subject: models.Model | None = None


@dataclass
class BundleContext:
    """One run of a bundle, shared by its parts. `inputs` are the form's or the API's values (strings, a
    Decimal base …); `found` is where a part's check leaves what it looked up (an account) for its run and for
    later parts (see KEYS); `results` are the parts already run, by part code."""

    bundle: Bundle
    actor: Any
    channel: str  # fund.catalogue Channel value: window / online
    inputs: dict[str, Any]
    found: dict[str, Any] = field(default_factory=dict)
    results: dict[str, PartResult] = field(default_factory=dict)
    identity_call_ids: list[int] = field(default_factory=list)
    # The applicant of the bundle as a whole, set by the part that finds it (ctx.applicant(...)).
    person_id: int | None = None
    employer_id: int | None = None
    branch_id: int | None = None
    lookup_suffix: str = ""
    applicant_name: str = ""
    on_commit: list[Callable[[], None]] = field(default_factory=list)

    def applicant(self, *, branch_id: int, name: str, suffix: str, person_id: int | None = None,
                  employer_id: int | None = None) -> None:
        if self.branch_id is None:
            self.branch_id, self.person_id, self.employer_id = branch_id, person_id, employer_id
            self.applicant_name, self.lookup_suffix = name, suffix[-4:]

    def after_commit(self, fn: Callable[[], None]) -> None:
        """Run `fn` once every part has committed (an SMS), never for a run that rolled back."""
        self.on_commit.append(fn)


# Keys of `BundleContext.found` that more than one line reads (documented here, the one place both look).
KEYS = {
    "member_account": "the member account the bundle is about (deposits.MemberAccount)",
    "unit_account": "the unit account a new employee joins (deposits.UnitAccount)",
}


@dataclass(frozen=True)
class BundlePart:
    code: str  # "deposits.member_open"
    label: str  # 职工个人账户设立 — named in every refusal of this part
    item_code: str  # the catalogue item whose materials this part needs ("" for none)
    run: Callable[[BundleContext], PartResult]  # writes; inside the bundle's transaction
    check: Callable[[BundleContext], None] | None = None  # outside any transaction; may ask outside systems


@dataclass(frozen=True)
class BundleField:
    name: str
    label: str
    kind: str = "text"  # text / money / card / phone
    required: bool = True
    portals: tuple[str, ...] = ("staff", "unit", "member")  # where the form asks for it
    help: str = ""
    max_length: int = 40


@dataclass(frozen=True)
class Bundle:
    code: str  # its catalogue item code, "YJS-01"
    name: str
    summary: str
    portals: tuple[str, ...]  # staff / unit / member: who may run it
    parts: tuple[str, ...]  # part codes, run in this order
    fields: tuple[BundleField, ...]
    applicants: str = "缴存职工本人"
    order: int = 0


_PARTS: dict[str, BundlePart] = {}
_BUNDLES: dict[str, Bundle] = {}
_CROSS_ENTRIES: dict[str, tuple[str, tuple[Any, ...]]] = {}


def register_bundle_part(part: BundlePart) -> None:
    """Register (or replace: ready() may run twice) one part, and refresh the catalogue items of the bundles
    that use it (their materials now include this part's)."""
    _PARTS[part.code] = part
    for bundle in _BUNDLES.values():
        if part.code in bundle.parts:
            register_item(bundle_item(bundle))


def unregister_bundle_part(code: str) -> None:
    """Forget a part (tests register one and remove it afterwards)."""
    _PARTS.pop(code, None)


def bundle_part(code: str) -> BundlePart | None:
    return _PARTS.get(code)


def register_bundle(bundle: Bundle) -> None:
    _BUNDLES[bundle.code] = bundle
    register_item(bundle_item(bundle))


def unregister_bundle(code: str) -> None:
    _BUNDLES.pop(code, None)


def bundles(portal: str | None = None) -> list[Bundle]:
    return sorted((b for b in _BUNDLES.values() if portal is None or portal in b.portals), key=lambda b: b.order)


def bundle_get(code: str) -> Bundle | None:
    return _BUNDLES.get(code)


def bundle_missing_parts(bundle: Bundle) -> list[str]:
    """The part codes no line has registered yet: the bundle is not open until there are none."""
    return [code for code in bundle.parts if code not in _PARTS]


def bundle_parts(bundle: Bundle) -> list[BundlePart]:
    """The bundle's parts in order; ValidationError while one is not registered (the line has not landed)."""
    missing = bundle_missing_parts(bundle)
    if missing:
        raise ValidationError({"bundle": [f"“{bundle.name}”暂未开通（{'、'.join(missing)} 尚未接入）"]})
    return [_PARTS[code] for code in bundle.parts]


def _part_items(bundle: Bundle) -> list[ServiceItem]:
    items = []
    for code in bundle.parts:
        part = _PARTS.get(code)
        if part is None or not part.item_code:
            continue
        try:
            items.append(catalogue_item(part.item_code))
        except KeyError:
            continue
    return items


def bundle_materials(bundle: Bundle) -> tuple[Material, ...]:
    """One set of materials for the whole bundle: its parts' items' materials, each once (by material code;
    the first item to name it gives its wording)."""
    seen: dict[str, Material] = {}
    for item in _part_items(bundle):
        for material in item.materials:
            seen.setdefault(material.code, material)
    return tuple(seen.values())


def bundle_item(bundle: Bundle) -> ServiceItem:
    """The bundle as a catalogue item: its parts' conditions and materials, online when every part's item is."""
    items = _part_items(bundle)
    conditions = tuple(dict.fromkeys(c for item in items for c in item.conditions))
    legal = tuple(dict.fromkeys(b for item in items for b in item.legal_basis))
    channels = {Channel.WINDOW}
    if "member" in bundle.portals or "unit" in bundle.portals:
        channels.add(Channel.ONLINE)
    names = "、".join(item.name for item in items) or "（各业务接入后列出）"
    return ServiceItem(
        code=bundle.code, name=bundle.name, category="一件事", order=bundle.order, summary=bundle.summary,
        conditions=conditions, materials=bundle_materials(bundle), legal_basis=legal,
        time_limit="一次申请、一次办结；各分项按其时限办理", channels=frozenset(channels), visits=Visits.AT_MOST_ONCE,
        applicants=bundle.applicants, extra={"包含事项": names},
    )


def register_cross_province_entry(item_code: str, member_url_name: str, *args: Any) -> None:
    """Where in the personal hall a member does this 跨省通办 item (a URL name and its arguments)."""
    _CROSS_ENTRIES[item_code] = (member_url_name, args)


def cross_province_entry(item_code: str) -> tuple[str, tuple[Any, ...]] | None:
    return _CROSS_ENTRIES.get(item_code)
