"""Headless Chromium against a live server: each kind of user signs in and reaches their portal; a member
prints their account sheet and its code verifies on the public page. Screenshots land in
.local/screenshots/ for a person to look at."""

import re

import pytest

from tests.browser_support import SHOTS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("who", "path", "heading"),
    [("clerk", "/staff/", "工作台"), ("unit_a_op", "/unit/", "单位网厅"), ("member_a", "/member/", "个人网厅"),
     ("dev_a", "/developer/", "开发企业服务"), ("auditor", "/admin/", "")],
)
def test_each_kind_of_user_reaches_their_portal(world, live_server, page, who, path, heading):
    user = getattr(world, who)
    sign_in(page, live_server, user.username)
    assert page.url == f"{live_server.url}{path}"
    if heading:
        assert page.locator("h1.page-title").inner_text().startswith(heading)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"portal_{who}.png"), full_page=True)


def test_a_wrong_password_keeps_you_out(world, live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "clerk")
    page.fill("input[name=password]", "not-the-password")
    page.press("input[name=password]", "Enter")
    assert "账号或密码不正确" in page.content()
    assert page.goto(f"{live_server.url}/staff/").url.startswith(f"{live_server.url}/accounts/login/")


def test_a_clerk_opens_an_account_posts_a_month_and_the_member_prints_a_verified_sheet(world, live_server, page, browser):
    from deposits.models import MemberAccount

    sign_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/staff/members/{world.account_a.pk}/")
    page.fill("input[name=month]", "2025-02")
    page.click("form[action$='/deposit/'] button[type=submit]")
    assert "2025年02月 缴存 1,920.00 元已入账" in page.content()
    assert MemberAccount.objects.get(pk=world.account_a.pk).sub_account.balance == 1920

    member = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    sign_in(member, live_server, world.member_a.username)
    assert "1,920.00" in member.content()
    member.goto(f"{live_server.url}/member/certificates/")
    member.click("form button[type=submit] >> text=生成并打印")
    member.goto(f"{live_server.url}/member/certificates/")  # rendered eagerly in tests; a worker does it live
    code = re.search(r"<code>([A-Z2-9]{8,})</code>", member.content()).group(1)
    href = member.get_attribute("text=下载PDF", "href")
    pdf = member.request.get(f"{live_server.url}{href}")  # the member's own session
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    member.screenshot(path=str(SHOTS / "member_certificates.png"), full_page=True)

    public = browser.new_context().new_page()
    public.goto(f"{live_server.url}/verify/")
    public.fill("input[name=code]", code)
    public.press("input[name=code]", "Enter")
    assert "验证通过" in public.content()
    assert world.account_a.person.name not in public.content()  # the public sees a masked name
