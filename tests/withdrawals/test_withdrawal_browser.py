"""Issue 4 in Chromium: a member applies for a rent withdrawal online and sees it approved and paid within
seconds; a counter clerk accepts a purchase withdrawal with the materials ticked, and it is paid by 秒批."""

import time
from decimal import Decimal

import pytest

from tests.test_browser import SHOTS, browser, page, sign_in  # noqa: F401 — shared fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_withdraws_for_rent_online_and_is_paid_in_seconds(wd, live_server, page):  # noqa: F811
    from fund.ledger.selectors import ledger_reconcile
    from withdrawals.models import Withdrawal

    SHOTS.mkdir(parents=True, exist_ok=True)
    sign_in(page, live_server, wd.world.member_a.username)
    page.goto(f"{live_server.url}/member/withdrawals/")
    page.click("a[href$='/member/withdrawals/apply/07/']")
    page.fill("input[name=amount]", "1800.00")
    started = time.monotonic()
    page.click("button:has-text('提交申请')")
    page.wait_for_selector("text=已到账", timeout=10_000)
    elapsed = time.monotonic() - started
    page.screenshot(path=str(SHOTS / "withdrawal_member_paid.png"), full_page=True)

    withdrawal = Withdrawal.objects.get(account=wd.account)
    assert withdrawal.state == "paid" and withdrawal.decider == "auto"
    assert elapsed < 10
    assert "本市名下无住房" in page.content()  # a rule's result in plain words
    assert wd.balance == Decimal("23040.00") - Decimal("1800.00")
    assert ledger_reconcile() == []


def test_a_clerk_accepts_a_purchase_with_the_materials_ticked(wd, live_server, page):  # noqa: F811
    from withdrawals.models import Withdrawal

    cert = "鲁(2026)示范市不动产权第0000777号"
    wd.home(wd.person.id_number, cert, price="650000.00")
    sign_in(page, live_server, wd.world.clerk.username)
    page.goto(f"{live_server.url}/staff/withdrawals/new/")
    page.fill("input[name=id_number]", wd.person.id_number)
    page.click("button:has-text('查询')")
    page.click("a:has-text('选择')")
    page.click("a[data-reason='01']")
    page.fill("input[name=certificate_number]", cert)
    page.fill("input[name=amount]", "20000.00")
    page.check("input[name=materials][value=contract]")
    page.screenshot(path=str(SHOTS / "withdrawal_window_purchase.png"), full_page=True)
    page.click("button:has-text('受理提交')")
    page.wait_for_selector("text=已到账", timeout=10_000)
    page.screenshot(path=str(SHOTS / "withdrawal_window_paid.png"), full_page=True)

    withdrawal = Withdrawal.objects.get(account=wd.account)
    assert withdrawal.channel == "window" and withdrawal.materials == ["contract"]
    assert withdrawal.home_key == cert.upper() and withdrawal.amount == Decimal("20000.00")
    assert withdrawal.state == "paid"
