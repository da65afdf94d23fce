"""Issue 3's whole path in Chromium: a unit operator uploads a base file, generates and confirms a month's
bill and pays it; the member sees the posting, prints a deposit certificate, and its code verifies publicly."""

import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.browser_support import SHOTS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_base_file_to_a_verified_certificate(world, live_server, page, browser, tmp_path):  # noqa: F811
    from deposits.models import BaseAdjustment, MemberAccount
    from fund.integrations.models import SandboxBankAccount
    from fund.ledger.selectors import ledger_reconcile

    SandboxBankAccount.objects.filter(account_number=world.unit_a.bank_account).update(  # known since opening
        balance=Decimal("100000.00"))
    SHOTS.mkdir(parents=True, exist_ok=True)

    # 1. The unit's operator fills the yearly base list and uploads it.
    sign_in(page, live_server, world.unit_a_op.username)
    page.goto(f"{live_server.url}/unit/base/")
    with page.expect_download() as info:
        page.click("button:has-text('下载调基名单')")
    path = tmp_path / "base.xlsx"
    info.value.save_as(path)
    book = load_workbook(path)
    book["调基名单"]["F2"] = 9000
    book.save(path)
    page.set_input_files("input[name=file]", str(path))
    page.click("button:has-text('上传并校验')")
    assert "调基名单已生效" in page.content()
    assert BaseAdjustment.objects.get(account=world.account_a).new_base == Decimal("9000.00")

    # 2. … generates February's bill, confirms it and pays it by 委托收款.
    page.goto(f"{live_server.url}/unit/remittance/")
    page.fill("input[name=month]", "2025-02")
    page.click("form button[type=submit] >> text=生成缴款单")
    page.click("text=确认缴款单")
    page.click("text=委托收款缴款")
    assert "委托收款成功" in page.content()
    assert MemberAccount.objects.get(pk=world.account_a.pk).paid_up_to.isoformat() == "2025-02-01"

    # 3. The member sees the posting and prints a deposit certificate.
    member = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    sign_in(member, live_server, world.member_a.username)
    member.goto(f"{live_server.url}/member/statement/")
    assert "2025年02月汇缴" in member.content()
    member.goto(f"{live_server.url}/member/certificates/deposit/")
    member.click("button:has-text('生成缴存证明')")
    member.goto(f"{live_server.url}/member/certificates/deposit/")  # rendered eagerly in tests
    code = re.search(r"<code>([A-Z0-9-]{8,})</code>", member.content()).group(1)
    pdf = member.request.get(f"{live_server.url}{member.get_attribute('text=下载PDF', 'href')}")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    member.screenshot(path=str(SHOTS / "journey_member_certificate.png"), full_page=True)

    # 4. Anyone can check the code on the public page; the name is masked there.
    public = browser.new_context().new_page()
    public.goto(f"{live_server.url}/verify/")
    public.fill("input[name=code]", code)
    public.press("input[name=code]", "Enter")
    assert "验证通过" in public.content() and "个人缴存证明" in public.content()
    assert world.account_a.person.name not in public.content()
    assert ledger_reconcile() == []
