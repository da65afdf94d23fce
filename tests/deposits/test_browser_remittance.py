"""Headless Chromium against a live server: a unit operator generates a month's bill, confirms it and pays
it by 委托收款; the member then sees the posting in their statement. Screenshots land in .local/screenshots/."""

from decimal import Decimal

import pytest

from tests.browser_support import SHOTS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_unit_generates_confirms_and_pays_a_bill_and_the_member_sees_it(world, live_server, page, browser):  # noqa: F811
    from deposits.models import BillState, MemberAccount, RemittanceBill
    from fund.integrations.models import SandboxBankAccount
    from fund.ledger.selectors import ledger_reconcile

    SandboxBankAccount.objects.filter(account_number=world.unit_a.bank_account).update(  # known since opening
        balance=Decimal("100000.00"))
    SHOTS.mkdir(parents=True, exist_ok=True)
    sign_in(page, live_server, world.unit_a_op.username)
    page.goto(f"{live_server.url}/unit/remittance/")
    page.fill("input[name=month]", "2025-02")
    page.click("form button[type=submit] >> text=生成缴款单")
    assert "请核对后确认" in page.content()
    bill = RemittanceBill.objects.get()
    assert page.url == f"{live_server.url}/unit/remittance/{bill.pk}/"
    assert world.account_a.person.id_number not in page.content()  # masked on the page
    page.screenshot(path=str(SHOTS / "remittance_unit_draft.png"), full_page=True)
    page.click("text=确认缴款单")
    assert "缴款单已确认" in page.content()
    page.click("text=委托收款缴款")
    assert "委托收款成功" in page.content()
    page.screenshot(path=str(SHOTS / "remittance_unit_paid.png"), full_page=True)
    bill.refresh_from_db()
    assert bill.state == BillState.PAID
    assert MemberAccount.objects.get(pk=world.account_a.pk).paid_up_to.isoformat() == "2025-02-01"
    assert ledger_reconcile() == []

    member = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    sign_in(member, live_server, world.member_a.username)
    member.goto(f"{live_server.url}/member/statement/")
    content = member.content()
    assert "2025年02月汇缴" in content and "1,920.00" in content
    member.screenshot(path=str(SHOTS / "remittance_member_statement.png"), full_page=True)
