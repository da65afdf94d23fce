"""The service catalogue (事项清单): every business item a member or unit can ask for, with its conditions,
materials, legal basis, time limit and channels.

Items are defined in code, next to the business rules they describe, by the business apps (a withdrawal
reason and its catalogue item live in one place), and registered here from their `AppConfig.ready`. The
core never imports a business app: the public service guide, the one-time notice (一次性告知单) and the
counter's material checklist all read this registry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Channel(StrEnum):
    WINDOW = "window"  # 综合窗口
    ONLINE = "online"  # 网上办理（个人/单位网厅、手机）
    INSTANT = "instant"  # 秒批（系统自动审批）
    CROSS_PROVINCE = "cross_province"  # 跨省通办

    @property
    def label(self) -> str:
        return CHANNEL_LABELS[self]


CHANNEL_LABELS = {
    Channel.WINDOW: "窗口办理",
    Channel.ONLINE: "网上办理",
    Channel.INSTANT: "秒批",
    Channel.CROSS_PROVINCE: "跨省通办",
}


class Visits(StrEnum):
    NONE = "零跑腿"
    AT_MOST_ONCE = "最多跑一次"


@dataclass(frozen=True, kw_only=True)
class Material:
    """One material (要件) of an item, as the one-time notice lists it."""

    code: str  # stable within its item, e.g. "id_card"; the counter's checklist stores these
    name: str  # 居民身份证
    copies: int = 1
    original: bool = True  # 原件 (shown and returned) or 复印件 (kept)
    provider: str = "申请人"  # who brings it
    step: str = "受理"  # at which step it is checked
    keeper: str = "核验后退还"  # who keeps it: 核验后退还 / 中心留存
    shared_by: str = ""  # the shared-data system that replaces it (fund.integrations.models.System value); "" = paper
    condition: str = ""  # when it is needed, if not always ("购买二手房时"); "" = always
    note: str = ""

    @property
    def replaced_by_shared_data(self) -> bool:
        return bool(self.shared_by)

    @property
    def form_label(self) -> str:
        return "原件" if self.original else "复印件"


@dataclass(frozen=True, kw_only=True)
class ServiceItem:
    code: str  # unique, e.g. "TQ-07"
    name: str  # 租房提取住房公积金
    category: str  # 提取 / 归集 / 贷款 / 综合
    summary: str = ""
    conditions: tuple[str, ...] = ()
    materials: tuple[Material, ...] = ()
    legal_basis: tuple[str, ...] = ()
    time_limit: str = "即时办结"
    channels: frozenset[Channel] = frozenset({Channel.WINDOW})
    visits: Visits = Visits.AT_MOST_ONCE
    fee: str = "不收费"
    applicants: str = "缴存职工本人"
    order: int = 0
    extra: dict[str, str] = field(default_factory=dict)  # further rows for the guide: label → text

    @property
    def paper_materials(self) -> tuple[Material, ...]:
        """What the applicant must still bring: materials that no shared data replaces."""
        return tuple(m for m in self.materials if not m.shared_by)

    @property
    def shared_materials(self) -> tuple[Material, ...]:
        """Materials the centre checks through shared data instead of asking for paper."""
        return tuple(m for m in self.materials if m.shared_by)

    @property
    def channel_list(self) -> list[Channel]:
        """The channels in a stable order (window, online, 秒批, 跨省通办), for display."""
        return [c for c in Channel if c in self.channels]

    @property
    def online(self) -> bool:
        return Channel.ONLINE in self.channels

    def material(self, code: str) -> Material:
        for material in self.materials:
            if material.code == code:
                return material
        raise KeyError(code)


_ITEMS: dict[str, ServiceItem] = {}


def register_item(item: ServiceItem) -> ServiceItem:
    """Register an item; registering the same code again replaces it (autoreload calls `ready` twice)."""
    codes = [m.code for m in item.materials]
    if len(codes) != len(set(codes)):
        raise ValueError(f"事项 {item.code} 的材料编码重复")
    _ITEMS[item.code] = item
    return item


def unregister_item(code: str) -> None:
    """Forget an item (tests register one and remove it afterwards); an unknown code is ignored."""
    _ITEMS.pop(code, None)


def _sort_key(item: ServiceItem) -> tuple[int, str, int, str]:
    return (CATEGORY_ORDER.get(item.category, 99), item.category, item.order, item.code)


def catalogue_items(category: str | None = None) -> list[ServiceItem]:
    """Items in guide order: by category (归集, 提取, 贷款, 综合, then any other), then `order`, then code."""
    items = [i for i in _ITEMS.values() if category is None or i.category == category]
    return sorted(items, key=_sort_key)


def catalogue_item(code: str) -> ServiceItem:
    """The item with this code; KeyError if none is registered."""
    return _ITEMS[code]


def catalogue_categories() -> list[str]:
    return sorted({i.category for i in _ITEMS.values()}, key=lambda c: CATEGORY_ORDER.get(c, 99))


CATEGORY_ORDER = {"归集": 1, "提取": 2, "贷款": 3, "综合": 4}


def catalogue_search(query: str = "", category: str | None = None) -> list[ServiceItem]:
    """Items whose name, code or summary contains every word of `query` (case-insensitive), in guide order."""
    words = query.lower().split()
    return [
        i for i in catalogue_items(category)
        if all(w in i.name.lower() or w in i.code.lower() or w in i.summary.lower() for w in words)
    ]


def catalogue_grouped(items: list[ServiceItem] | None = None) -> list[tuple[str, list[ServiceItem]]]:
    """`items` (default: all) as (category, items) pairs in guide order; categories without items are left out."""
    groups: dict[str, list[ServiceItem]] = {}
    for item in catalogue_items() if items is None else sorted(items, key=_sort_key):
        groups.setdefault(item.category, []).append(item)
    return list(groups.items())
