"""The service guide in Chromium: a visitor finds the rent withdrawal by search and reads what to bring; a
clerk prints its one-time notice, whose code the public verify page accepts; the public disclosure page of
blacklisted units opens from the top navigation."""

import re

import pytest

from tests.browser_support import SHOTS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_reads_the_guide_and_a_clerk_prints_a_verified_notice(world, live_server, page, browser):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{live_server.url}/guide/")
    page.fill("input[name=q]", "租赁")
    page.press("input[name=q]", "Enter")
    page.click("text=租赁住房提取住房公积金")
    assert "无房证明" in page.content() and "不动产登记" in page.content()  # replaced by shared data, and says by whom
    page.screenshot(path=str(SHOTS / "guide_rent_item.png"), full_page=True)

    clerk = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    sign_in(clerk, live_server, world.clerk.username)
    clerk.goto(f"{live_server.url}/staff/guide/TQ-09/")
    clerk.fill("input[name=applicant_name]", "王小明")
    clerk.click("form button:has-text('打印一次性告知单')")
    clerk.wait_for_selector("text=打开PDF打印")  # rendered eagerly in tests
    code = re.search(r"<code>([A-Z0-9-]{8,})</code>", clerk.content()).group(1)

    page.goto(f"{live_server.url}/verify/")
    page.fill("input[name=code]", code)
    page.press("input[name=code]", "Enter")
    assert "验证通过" in page.content() and "王小明" not in page.content()

    page.click("a:has-text('失信单位公示')")
    assert page.url.endswith("/risk/units/")
