"""Refund of 应退单位款 (231) after 错缴更正: finance (or a director), never the person who made the
correction, pays the correction's money back to the unit's bank account through the bank sandbox — once per
correction however often it is retried; a failed payment leaves it refundable with the bank's reason; the
ledger posts Dr 231 / Cr 101 and 231 returns to where it was before the correction."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.test import Client
from rest_framework.test import APIClient

from deposits.models import RefundState, RemittanceCorrection
from deposits.services.remittance import (
    correction_refund,
)
from fund.audit.models import AuditEvent
from fund.integrations.models import SandboxBankAccount, SandboxBankPayment
from fund.ledger.models import JournalEntry, JournalLine
from fund.ledger.selectors import ledger_reconcile

pytestmark = pytest.mark.django_db

FEB = date(2025, 2, 1)


def suspense() -> Decimal:
    sums = JournalLine.objects.filter(account__code="231").aggregate(d=Sum("debit"), c=Sum("credit"))
    return (sums["c"] or Decimal(0)) - (sums["d"] or Decimal(0))


def bank_101() -> Decimal:
    sums = JournalLine.objects.filter(account__code="101").aggregate(d=Sum("debit"), c=Sum("credit"))
    return (sums["d"] or Decimal(0)) - (sums["c"] or Decimal(0))


def test_finance_refunds_the_unit_once_and_231_returns(world, finance, correction):
    before_101 = bank_101()
    done = correction_refund(actor=finance, correction=correction)
    assert done.refund_state == RefundState.REFUNDED and done.refunded_by == finance
    assert suspense() == correction.suspense_before
    assert bank_101() == before_101 - correction.amount
    assert sorted(done.refund_entry.lines.values_list("account__code", "debit", "credit")) == [
        ("101", Decimal("0.00"), correction.amount), ("231", correction.amount, Decimal("0.00"))]
    assert SandboxBankAccount.objects.get(account_number=world.unit_a.bank_account).balance == correction.amount

    # Retried, from the service and the API: the unit is paid once, the ledger posted once.
    entries = JournalEntry.objects.count()
    correction_refund(actor=finance, correction=correction)
    client = APIClient()
    client.force_authenticate(world.director)
    assert client.post(f"/api/deposits/corrections/{correction.pk}/refund/").status_code == 200
    assert SandboxBankPayment.objects.filter(kind="payout").count() == 1
    assert JournalEntry.objects.count() == entries
    assert SandboxBankAccount.objects.get(account_number=world.unit_a.bank_account).balance == correction.amount
    assert AuditEvent.objects.filter(action="deposits.correction.refunded", target_id=str(correction.pk)).count() == 1
    assert ledger_reconcile() == []


def test_who_may_refund(world, finance, correction):
    # The person who made the correction may not refund it, even as a director; 受理 and 稽核 may not either.
    with pytest.raises(PermissionDenied, match="财务岗"):
        correction_refund(actor=world.clerk, correction=correction)
    with pytest.raises(PermissionDenied):
        correction_refund(actor=world.auditor, correction=correction)
    corrected_by_director = RemittanceCorrection.objects.filter(pk=correction.pk)
    corrected_by_director.update(corrected_by=world.director)
    with pytest.raises(PermissionDenied, match="办理错缴更正的人员"):
        correction_refund(actor=world.director, correction=corrected_by_director.get())
    assert not SandboxBankPayment.objects.filter(kind="payout").exists()
    # Through the API: other branches' staff, the unit, members and outsiders see nothing (404).
    for who in (world.clerk_b, world.unit_a_op, world.member_a, world.outsider):
        client = APIClient()
        client.force_authenticate(who)
        assert client.post(f"/api/deposits/corrections/{correction.pk}/refund/").status_code == 404
        assert client.get("/api/deposits/corrections/").json() == []
    client = APIClient()
    client.force_authenticate(world.clerk)
    assert client.post(f"/api/deposits/corrections/{correction.pk}/refund/").status_code == 403
    assert [c["id"] for c in client.get("/api/deposits/corrections/").json()] == [correction.pk]
    assert RemittanceCorrection.objects.get(pk=correction.pk).refund_state == RefundState.AWAITING


def test_a_failed_refund_stays_refundable_with_the_reason_and_a_retry_pays_once(world, finance, correction):
    SandboxBankAccount.objects.filter(account_number=world.unit_a.bank_account).update(fail_payouts=True)
    failed = correction_refund(actor=finance, correction=correction)
    assert failed.refund_state == RefundState.AWAITING and "异常" in failed.refund_failure
    assert suspense() == correction.suspense_before + correction.amount  # the money still waits in 231
    page = _staff_page(finance)
    assert "退款失败" in page and failed.refund_failure in page and "重新退款" in page

    SandboxBankAccount.objects.filter(account_number=world.unit_a.bank_account).update(fail_payouts=False)
    done = correction_refund(actor=finance, correction=correction)
    correction_refund(actor=finance, correction=correction)
    assert done.refund_state == RefundState.REFUNDED and done.refund_failure == ""
    paid = SandboxBankPayment.objects.filter(kind="payout", status="succeeded")
    assert [p.reference for p in paid] == [f"TK{correction.pk:010d}R01"]
    assert suspense() == correction.suspense_before
    assert ledger_reconcile() == []


def _staff_page(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get("/staff/remittance/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_staff_page_lists_corrections_awaiting_refund_and_refunds_them(world, finance, correction):
    page = _staff_page(finance)
    assert "错缴更正待退款" in page and correction.bill.number in page and "职工已离职仍被缴存" in page
    assert "办理错缴更正的人员不能再办理该笔退款" not in page
    clerk_page = _staff_page(world.clerk)  # the corrector sees it, without a button
    assert "应退单位款须由财务岗或分管主任办理退款" in clerk_page
    assert correction.bill.number not in _staff_page(world.clerk_b)
    client = Client()
    client.force_login(finance)
    response = client.post(f"/staff/remittance/refunds/{correction.pk}/")
    assert response.status_code == 302
    assert RemittanceCorrection.objects.get(pk=correction.pk).refund_state == RefundState.REFUNDED
    assert correction.bill.number not in _staff_page(finance).split("错缴更正待退款")[1].split("缴款单</h2>")[0]
    assert ledger_reconcile() == []
