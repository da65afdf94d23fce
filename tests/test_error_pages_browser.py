"""The error pages as a person sees them in Chromium (DEBUG off): in the site's look, in Chinese, with the
way out working. Screenshots go to FUND_SCREENSHOTS (default .local/screenshots/)."""

from typing import Any

import pytest
from django.test import override_settings

from tests.browser_support import SHOTS, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"error_{name}.png"), full_page=True)


def assert_error_page(page: Any, title: str) -> None:
    assert page.locator("h1.page-title").inner_text() == title
    assert page.locator("header.site-header").is_visible()  # the site's look, not a bare page
    text = page.locator("body").inner_text()
    for english in ("Not Found", "Forbidden", "Server Error", "CSRF verification failed", "Traceback"):
        assert english not in text


def test_a_missing_page_shows_the_chinese_404_and_leads_home(world, live_server, page):
    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response.status == 404
    assert_error_page(page, "页面不存在")
    shot(page, "404")
    page.click("text=返回首页")
    assert page.url == f"{live_server.url}/"


def test_an_action_the_post_may_not_take_shows_the_chinese_403(world, live_server, page):
    sign_in(page, live_server, world.auditor.username)
    response = page.goto(f"{live_server.url}/staff/units/open/")
    assert response.status == 403
    assert_error_page(page, "无权办理此项业务")
    shot(page, "403")
    page.click("text=回到我的首页")
    assert page.url == f"{live_server.url}/admin/"  # the 稽核 post's own home


def test_a_form_sent_without_its_cookie_shows_the_chinese_csrf_page(world, live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")
    page.context.clear_cookies()  # as after a long pause or a sign-out in another window
    page.fill("input[name=username]", world.clerk.username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation() as navigation:
        page.press("input[name=password]", "Enter")
    assert navigation.value.status == 403
    assert_error_page(page, "页面已过期，请重新提交")
    shot(page, "csrf")


@override_settings(ROOT_URLCONF="tests.error_urls")
def test_a_failing_page_shows_the_chinese_500_without_technical_detail(world, live_server, page):
    response = page.goto(f"{live_server.url}/test-broken/")
    assert response.status == 500
    assert_error_page(page, "系统暂时出现问题")
    assert "a bug in a view" not in page.content()
    shot(page, "500")
