"""In Chromium: the member's page at the window shows the ID masked; 显示完整号码 swaps in the whole number
in place and the view is logged. Screenshots go to FUND_SCREENSHOTS (default .local/screenshots/)."""


import pytest

from fund.audit.masking import mask_id_number
from tests.browser_support import SHOTS
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_window_clerk_reveals_a_members_whole_id_on_a_click_and_it_is_logged(world, live_server, browser):
    from fund.audit.models import PersonView

    person = world.account_a.person
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", world.clerk.username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
    page.goto(f"{live_server.url}/staff/members/{world.account_a.pk}/")
    shown = page.locator(f"#person-id-{person.pk}")
    assert shown.locator(".masked").inner_text() == mask_id_number(person.id_number)
    assert person.id_number not in page.content()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "id_masked.png"))
    logged = PersonView.objects.filter(actor=world.clerk, context__startswith="显示完整身份证号码")
    assert not logged.exists()

    shown.get_by_role("button", name="显示完整号码").click()
    page.locator("[data-full-id]").wait_for()
    assert shown.inner_text().strip() == person.id_number
    page.screenshot(path=str(SHOTS / "id_revealed.png"))
    assert logged.get().person == person
    context.close()
