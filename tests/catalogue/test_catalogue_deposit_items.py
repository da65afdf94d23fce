"""The deposits line's catalogue items are well formed and name only systems the centre is connected to."""

from deposits.catalogue import DEPOSIT_ITEMS, register_deposit_items
from fund.catalogue.registry import Channel, Visits, catalogue_item
from fund.integrations.models import System

EXPECTED = {"单位开户", "个人开户", "缴存基数调整", "汇缴", "补缴", "缓缴", "封存", "异地转移接续", "缴存证明打印"}


def test_every_required_deposit_item_is_there_and_registers():
    register_deposit_items()
    names = " ".join(i.name for i in DEPOSIT_ITEMS)
    for word in EXPECTED:
        assert word in names, word
    for item in DEPOSIT_ITEMS:
        assert catalogue_item(item.code) is item
        assert item.conditions and item.legal_basis and item.time_limit
        assert any("住房公积金管理条例" in b for b in item.legal_basis)


def test_shared_data_names_only_connected_systems_and_the_licence_stays_paper():
    systems = set(System.values)
    for item in DEPOSIT_ITEMS:
        for material in item.materials:
            assert not material.shared_by or material.shared_by in systems, (item.code, material.code)
    unit_open = next(i for i in DEPOSIT_ITEMS if "单位开户" in i.name)
    assert unit_open.material("business_licence") in unit_open.paper_materials
    assert all(m.shared_by == System.IDENTITY for m in unit_open.materials if "身份证" in m.name)


def test_cross_province_and_zero_visit_items():
    by_name = {i.name: i for i in DEPOSIT_ITEMS}
    transfer = next(i for n, i in by_name.items() if "异地转移接续" in n)
    certificate = next(i for n, i in by_name.items() if "缴存证明打印" in n)
    assert Channel.CROSS_PROVINCE in transfer.channels
    assert Channel.CROSS_PROVINCE in certificate.channels and certificate.visits == Visits.NONE
