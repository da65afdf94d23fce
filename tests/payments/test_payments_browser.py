"""The 付款管理 page in a real browser: 财务 sees a refused payment with its reason, its attempts and the
retry and hand-off buttons, and a paid one, within the page's width."""

import pytest

from fund.people.models import Post
from fund.people.services import staff_create
from tests.browser_support import SHOTS
from tests.conftest import PASSWORD
from tests.payments.support import bank_account, pay, reset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_finance_sees_every_state_with_its_actions(world, live_server, page, django_capture_on_commit_callbacks):
    from fund.payments.services import attempt_send
    from tests.browser_support import sign_in

    reset()
    staff_create(actor=None, username="finance", name="财务甲", branch=world.branch_a, posts=[Post.FINANCE],
                 employee_number="finance", password=PASSWORD)
    bank_account(fail_payouts=True)
    refused = pay(world.branch_a, send=False)
    attempt_send(attempt_id=refused.pk)
    bank_account(fail_payouts=False)
    paid = pay(world.branch_b, reference="TEST0002", amount="1234.56", send=False)
    attempt_send(attempt_id=paid.pk)
    staff_create(actor=None, username="finance_all", name="财务乙", branch=world.branch_a, posts=[Post.FINANCE],
                 employee_number="finance_all", password=PASSWORD, centre_wide=True)
    sign_in(page, live_server, "finance_all")
    page.goto(f"{live_server.url}/staff/payments/")
    text = page.inner_text("main")
    assert "付款失败待重试" in text and "已付款" in text and "1,234.56" in text and "TEST0001" in text
    assert page.locator("button", has_text="重新付款").count() == 1
    assert page.locator("button", has_text="转人工处理").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "payments-list.png"), full_page=True)
    with page.expect_navigation():
        page.click("button:has-text('转人工处理')")
    assert "已转人工处理" in page.inner_text("main")
