"""The public guide (/guide/) and the staff copy (/staff/guide/): what they show, search, 404s, access."""

from fund.catalogue.registry import catalogue_item


def test_the_index_groups_items_by_category_with_badges(client, db, test_items):
    page = client.get("/guide/").content.decode()

    assert page.index("测试单位开户") < page.index("测试租房提取住房公积金")  # 归集 section before 提取
    assert "/guide/TEST-RENT/" in page and "/guide/TEST-RENT/notice/" in page
    for badge in ("零跑腿", "窗口办理", "网上办理", "秒批", "即时办结"):
        assert badge in page
    assert "最多跑一次" in page  # TEST-OPEN keeps the default


def test_the_search_filters_by_name(client, db, test_items):
    page = client.get("/guide/", {"q": "租房"}).content.decode()
    assert "测试租房提取住房公积金" in page and "测试单位开户" not in page

    none = client.get("/guide/", {"q": "没有这个事项xyz"}).content.decode()
    assert "没有找到相关事项" in none and "测试租房提取住房公积金" not in none


def test_the_category_tab_filters_by_category(client, db, test_items):
    page = client.get("/guide/", {"category": "归集"}).content.decode()
    assert "测试单位开户" in page and "测试租房提取住房公积金" not in page
    # An unknown category shows everything rather than failing.
    assert "测试租房提取住房公积金" in client.get("/guide/", {"category": "不存在"}).content.decode()


def test_the_item_page_shows_conditions_materials_and_shared_data(client, db, test_items):
    response = client.get("/guide/TEST-RENT/")
    page = response.content.decode()

    assert response.status_code == 200
    assert "本人及配偶在本市无自有住房" in page
    assert "房屋租赁合同" in page and "复印件" in page and "中心留存" in page
    assert "由不动产登记数据共享替代，无需提供" in page
    assert "由公安（身份与户籍）数据共享替代，无需提供" in page
    assert "已婚的" in page  # a material's condition
    assert "《住房公积金管理条例》" in page and "提取额度" in page
    assert "须提交纸质材料 <strong>2</strong> 项" in page
    assert 'href="/guide/TEST-RENT/notice/"' in page


def test_the_printable_notice_lists_paper_and_shared_materials_apart_and_creates_no_document(client, db, test_items):
    from fund.printing.models import Document

    page = client.get("/guide/TEST-RENT/notice/").content.decode()

    paper, _, shared = page.partition("无需提供的材料")
    assert "房屋租赁合同" in paper and "结婚证" in paper
    assert "无房证明" not in paper and "无房证明：由不动产登记数据共享替代" in shared
    assert "12329" in page and "即时办结" in page and "测试租房提取住房公积金" in page
    assert Document.objects.count() == 0


def test_an_unknown_code_is_404_everywhere(client, db, world, test_items):
    for url in ("/guide/NOPE/", "/guide/NOPE/notice/"):
        assert client.get(url).status_code == 404
    client.force_login(world.clerk)
    for url in ("/staff/guide/NOPE/", "/staff/guide/NOPE/notice/"):
        assert client.get(url).status_code == 404
    assert client.post("/staff/guide/NOPE/notice/", {"applicant_name": "张三"}).status_code == 404


def test_the_staff_guide_shows_the_same_items_in_the_workspace(client, world, test_items):
    client.force_login(world.clerk)
    page = client.get("/staff/guide/").content.decode()
    assert "测试租房提取住房公积金" in page and "/staff/guide/TEST-RENT/notice/" in page and "打印一次性告知单" in page
    assert "综合窗口" in page  # staff/base.html

    item = client.get("/staff/guide/TEST-RENT/").content.decode()
    assert "由不动产登记数据共享替代，无需提供" in item and 'name="applicant_name"' in item


def test_the_staff_guide_is_not_found_for_non_staff(client, world, test_items):
    for user in (world.member_a, world.unit_a_op, world.outsider):
        client.force_login(user)
        assert client.get("/staff/guide/").status_code == 404
        assert client.get("/staff/guide/TEST-RENT/").status_code == 404


def test_the_guide_shows_the_deposit_items(client, db):
    from deposits.catalogue import DEPOSIT_ITEMS, register_deposit_items

    register_deposit_items()  # idempotent: ready() may already have done it
    page = client.get("/guide/").content.decode()
    for item in DEPOSIT_ITEMS:
        assert item.name in page
    assert catalogue_item("GJ-08").channel_list[-1].label == "跨省通办"
