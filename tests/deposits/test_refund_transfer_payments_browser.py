"""The 付款管理 page in a real browser with the deposits callers' payments: a refused 错缴更正退款 waiting for
people (with its reason and the retry button) and a paid 异地转出划款, within the page's width."""

from datetime import date
from decimal import Decimal

import pytest

from deposits.models import (
    CrossRegionTransfer,
    MemberAccount,
    MemberState,
    PaymentChannel,
    RemittanceCorrection,
)
from deposits.services import monthly_deposit_post
from deposits.services.remittance import (
    bill_confirm,
    bill_generate,
    bill_post,
    bill_reverse,
    correction_refund,
)
from deposits.services.transfer import transfer_out_letter_execute, transfer_out_letters_fetch
from fund.integrations.models import SandboxBankAccount
from fund.integrations.transfer import sandbox_incoming_letter
from fund.people.models import Post
from fund.people.services import staff_create
from tests.browser_support import SHOTS
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_finance_sees_a_refused_refund_and_a_paid_transfer_out(world, live_server, page):
    from tests.browser_support import sign_in

    finance = staff_create(actor=None, username="finance", name="财务甲", branch=world.branch_a,
                           posts=[Post.FINANCE], employee_number="finance", password=PASSWORD, centre_wide=True)
    SandboxBankAccount.objects.update_or_create(account_number=world.unit_a.bank_account, defaults={
        "name": world.unit_a.employer.name, "balance": Decimal("0.00"), "fail_payouts": True})
    bill = bill_confirm(actor=world.unit_a_op,
                        bill=bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=date(2025, 2, 1)))
    bill, _ = bill_post(bill=bill, bank_reference="SLIP-1", channel=PaymentChannel.COUNTER, actor=world.clerk)
    bill_reverse(actor=world.clerk, bill=bill, reason="职工已离职仍被缴存", accounts=[world.account_a])
    correction_refund(actor=finance, correction=RemittanceCorrection.objects.get())

    monthly_deposit_post(actor=world.clerk_b, account=world.account_b, month=date(2025, 2, 1),
                         value_date=date(2025, 2, 15))
    MemberAccount.objects.filter(pk=world.account_b.pk).update(state=MemberState.SEALED)
    letter = sandbox_incoming_letter(id_number=world.account_b.person.id_number, name=world.account_b.person.name,
                                     to_centre="上海市住房公积金管理中心", to_centre_account="31001500100056000000")
    transfer_out_letters_fetch()
    transfer_out_letter_execute(actor=world.clerk_b, transfer=CrossRegionTransfer.objects.get(
        letter_number=letter.letter_number))

    sign_in(page, live_server, "finance")
    page.goto(f"{live_server.url}/staff/payments/")
    text = page.inner_text("main")
    assert "错缴更正退款" in text and "转人工处理" in text and "异地转出划款" in text and "已付款" in text
    assert page.locator("button", has_text="重新付款").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "payments-refund-transfer.png"), full_page=True)
