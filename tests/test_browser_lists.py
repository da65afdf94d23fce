"""Lists and actions people can work, as a browser shows them: 作废 stands apart from the primary button and
asks before it acts; the unit hall's navigation shows every item (单位信息 last) beside the unit's badge at
common desktop widths. Screenshots go to FUND_SCREENSHOTS (default: the test's temporary folder)."""

import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("FUND_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def signed_in(browser: Any, live_server: Any, username: str, width: int = 1366) -> Any:
    page = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN").new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
    return page


def test_void_stands_apart_from_the_primary_button_and_asks_first(world, live_server, browser, shots):
    from deposits.models import BillState, RemittanceBill
    from deposits.services.remittance import bill_generate

    bill = bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=date(2025, 2, 1))
    page = signed_in(browser, live_server, world.unit_a_op.username)
    page.goto(f"{live_server.url}/unit/remittance/{bill.pk}/")
    void = page.locator("button", has_text="作废")
    primary = page.locator("button.btn-primary", has_text="确认缴款单")
    assert void.get_attribute("data-confirm")
    assert "btn-primary" not in (void.get_attribute("class") or "")
    gap = void.bounding_box()["x"] - (primary.bounding_box()["x"] + primary.bounding_box()["width"])
    assert gap >= 24  # set apart (a divider between), not a twin beside it
    page.screenshot(path=str(shots / "unit_bill_actions.png"))

    page.once("dialog", lambda dialog: dialog.dismiss())
    void.click()  # dismissed: the form is never sent, so there is no navigation to wait for
    assert RemittanceBill.objects.get(pk=bill.pk).state == BillState.DRAFT  # said no: nothing happened

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        void.click()
    assert RemittanceBill.objects.get(pk=bill.pk).state == BillState.CANCELLED


@pytest.mark.parametrize("width", [1366, 1920])
def test_the_unit_nav_shows_every_item_beside_the_unit_badge(world, live_server, browser, shots, width):
    employer = world.unit_a.employer
    employer.name = "示范市第一人民医院后勤服务中心"  # a long name, as real units have
    employer.save(update_fields=["name"])
    page = signed_in(browser, live_server, world.unit_a_op.username, width)
    assert page.url.endswith("/unit/")
    page.screenshot(path=str(shots / f"unit_nav_{width}.png"))
    badge = page.locator(".topnav-context").bounding_box()
    nav = page.locator(".topnav .nav-list").bounding_box()
    # The bar's own entries and the 便民服务 menu's title (the menu's links are inside it, opened below).
    for link in page.locator(".topnav .nav-list > .nav-item > a, .topnav .nav-list > .nav-menu summary").all():
        box = link.bounding_box()
        label = link.inner_text()
        assert box["x"] >= nav["x"] - 1 and box["x"] + box["width"] <= nav["x"] + nav["width"] + 1, f"{label} 被截断"
        assert badge is None or box["x"] + box["width"] <= badge["x"], f"{label} 被单位名称遮挡"
    overflow = page.locator(".topnav .nav-list").evaluate("el => el.scrollWidth - el.clientWidth")
    assert overflow <= 1, f"导航栏有 {overflow}px 被隐藏"
    page.locator(".topnav .nav-menu summary").click()  # the menu opens below the bar, every link in sight
    for link in page.locator(".topnav .nav-menu-list a").all():
        box = link.bounding_box()
        assert link.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= width, link.inner_text()
        assert box["y"] >= nav["y"] + nav["height"] - 1, link.inner_text()
    page.screenshot(path=str(shots / f"unit_nav_menu_{width}.png"))
    assert "示范市第一人民医院后勤服务中心" in page.locator(".topnav-context").get_attribute("title")
