"""The counter's material checklist include, as other apps use it."""

import re

from django.template import Context, Template

from fund.catalogue.registry import Material, ServiceItem

USE = '{% include "catalogue/includes/material_checklist.html" with item=item checked=checked_codes field_name="materials" %}'


def render(item, checked=()):
    return Template(USE).render(Context({"item": item, "checked_codes": list(checked)}))


def test_it_renders_a_checkbox_per_paper_material_only(test_items):
    html = render(test_items["rent"], checked=["lease"])

    boxes = re.findall(r"<input[^>]*>", html)
    assert len(boxes) == 2
    assert all('type="checkbox"' in b and 'name="materials"' in b for b in boxes)
    assert [re.search(r'value="([^"]+)"', b).group(1) for b in boxes] == ["lease", "marriage"]
    assert "checked" in boxes[0] and "checked" not in boxes[1]
    assert "房屋租赁合同" in html and "复印件 2 份" in html and "已婚的" in html
    # Shared-data materials are listed, greyed, with no box to tick.
    assert "无房证明" in html and "已通过数据共享核验，无需提供" in html and "不动产登记" in html


def test_the_field_name_defaults_and_an_item_without_paper_says_so():
    item = ServiceItem(code="T-X", name="只需身份证", category="综合",
                       materials=(Material(code="id_card", name="居民身份证", shared_by="identity"),))
    html = Template('{% include "catalogue/includes/material_checklist.html" with item=item %}').render(
        Context({"item": item})
    )
    assert "<input" not in html and "本事项无需提交纸质材料" in html and "居民身份证" in html
