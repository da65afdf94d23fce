"""Issue 4 in Chromium: a member applies for a rent withdrawal online and sees it approved and paid within
seconds; a counter clerk accepts a purchase withdrawal with the materials ticked, and it is paid by 秒批."""

import time
from decimal import Decimal

import pytest

from tests.browser_support import SHOTS, sign_in

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


def test_a_person_a_risk_officer_blacklists_is_refused_online_with_the_reason(wd, live_server, page, browser):  # noqa: F811
    from fund.people.models import Post
    from fund.people.services import staff_create
    from tests.conftest import PASSWORD
    from withdrawals.models import Withdrawal

    staff_create(actor=None, username="risk01", name="风控甲", branch=wd.world.branch_a, posts=[Post.RISK],
                 employee_number="risk01", password=PASSWORD, centre_wide=True)
    officer = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    sign_in(officer, live_server, "risk01")
    officer.goto(f"{live_server.url}/staff/risk/blacklist/new/")
    officer.fill("input[name=name]", wd.person.name)
    officer.fill("input[name=id_number]", wd.person.id_number)
    officer.select_option("select[name=category]", "fraud_withdrawal")
    officer.fill("[name=reason]", "伪造租房合同骗提住房公积金")
    officer.click("button:has-text('确认列入')")
    assert "列入诚信黑名单" in officer.content()

    sign_in(page, live_server, wd.world.member_a.username)
    page.goto(f"{live_server.url}/member/withdrawals/apply/07/")
    page.fill("input[name=amount]", "1000.00")
    with page.expect_navigation():
        page.click("button:has-text('提交申请')")
    assert "诚信黑名单" in page.content() and "不能办理提取业务" in page.content()
    assert not Withdrawal.objects.filter(account=wd.account).exists()
