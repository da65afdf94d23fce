import pytest

from fund.catalogue.registry import (
    Channel,
    Material,
    ServiceItem,
    catalogue_categories,
    catalogue_grouped,
    catalogue_item,
    catalogue_items,
    catalogue_search,
    register_item,
    unregister_item,
)


def test_it_refuses_an_item_with_duplicate_material_codes():
    item = ServiceItem(
        code="TEST-DUP", name="重复材料", category="综合",
        materials=(Material(code="id_card", name="身份证"), Material(code="id_card", name="户口簿")),
    )
    with pytest.raises(ValueError, match="材料编码重复"):
        register_item(item)
    with pytest.raises(KeyError):
        catalogue_item("TEST-DUP")


def test_paper_materials_leave_out_those_replaced_by_shared_data(test_items):
    rent = test_items["rent"]
    assert [m.code for m in rent.paper_materials] == ["lease", "marriage"]
    assert [m.code for m in rent.shared_materials] == ["id_card", "no_home"]


def test_items_come_in_guide_order_whatever_the_registration_order(test_items):
    late = ServiceItem(code="TEST-LOAN", name="测试贷款", category="贷款")
    other = ServiceItem(code="TEST-ZZ", name="其他类", category="其他")
    early = ServiceItem(code="TEST-AA", name="测试提取之前", category="提取", order=0)
    for item in (other, late, early):
        register_item(item)
    try:
        codes = [i.code for i in catalogue_items() if i.code.startswith("TEST-")]
        # 归集 before 提取 before 贷款 (not Unicode order), unknown categories last; `order` within a category.
        assert codes == ["TEST-OPEN", "TEST-AA", "TEST-RENT", "TEST-LOAN", "TEST-ZZ"]
        cats = catalogue_categories()
        assert cats.index("归集") < cats.index("提取") < cats.index("贷款") < cats.index("其他")
        groups = [(c, [i.code for i in items]) for c, items in catalogue_grouped([late, early, test_items["open"]])]
        assert groups == [("归集", ["TEST-OPEN"]), ("提取", ["TEST-AA"]), ("贷款", ["TEST-LOAN"])]
    finally:
        for item in (other, late, early):
            unregister_item(item.code)


def test_registering_again_replaces_and_unregister_forgets(test_items):
    renamed = ServiceItem(code="TEST-OPEN", name="测试单位开户（新）", category="归集")
    register_item(renamed)
    assert catalogue_item("TEST-OPEN").name == "测试单位开户（新）"
    unregister_item("TEST-OPEN")
    with pytest.raises(KeyError):
        catalogue_item("TEST-OPEN")
    unregister_item("TEST-OPEN")  # unknown: ignored


def test_search_matches_every_word_of_the_name_and_the_category_filter(test_items):
    assert [i.code for i in catalogue_search("租房 提取") if i.code.startswith("TEST-")] == ["TEST-RENT"]
    assert [i.code for i in catalogue_search("开户", "提取") if i.code.startswith("TEST-")] == []
    assert "TEST-RENT" not in [i.code for i in catalogue_search("", "归集")]


def test_channels_are_listed_in_a_stable_order(test_items):
    assert test_items["rent"].channel_list == [Channel.WINDOW, Channel.ONLINE, Channel.INSTANT]
