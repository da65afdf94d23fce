"""Items registered for one test and removed afterwards, so the guide's tests do not depend on what the
business lines register."""

from collections.abc import Iterator
from typing import Any

import pytest

from fund.catalogue.registry import Channel, Material, ServiceItem, Visits, register_item, unregister_item

RENT = ServiceItem(
    code="TEST-RENT", name="测试租房提取住房公积金", category="提取", order=1, summary="无房职工租房提取",
    conditions=("本人及配偶在本市无自有住房", "连续足额缴存满3个月"),
    materials=(
        Material(code="id_card", name="居民身份证", shared_by="identity"),
        Material(code="lease", name="房屋租赁合同", original=False, copies=2, keeper="中心留存"),
        Material(code="no_home", name="无房证明", shared_by="property"),
        Material(code="marriage", name="结婚证", condition="已婚的", original=True),
    ),
    legal_basis=("《住房公积金管理条例》",),
    time_limit="即时办结",
    channels=frozenset({Channel.ONLINE, Channel.WINDOW, Channel.INSTANT}),
    visits=Visits.NONE,
    extra={"提取额度": "每年不超过政策上限"},
)
OPEN = ServiceItem(
    code="TEST-OPEN", name="测试单位开户", category="归集", order=1,
    materials=(Material(code="licence", name="营业执照"),),
    channels=frozenset({Channel.WINDOW}),
)


@pytest.fixture
def test_items() -> Iterator[dict[str, ServiceItem]]:
    items = {"rent": RENT, "open": OPEN}
    for item in items.values():
        register_item(item)
    yield items
    for item in items.values():
        unregister_item(item.code)


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
