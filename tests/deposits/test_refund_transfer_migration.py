"""Migrations 0017–0020 move the refunds' and the transfers' own attempts into fund.payments without losing any
money history: references, reasons, bank serials, entries, actors and times as they were recorded."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from deposits.models import PaymentChannel
from deposits.services.remittance import bill_confirm, bill_generate, bill_post, bill_reverse
from fund.ledger import chart
from fund.ledger.models import BusinessType
from fund.ledger.services import credit, debit, entry_post

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("deposits", "0016_account_event_closing_withdrawal")]


def _migrate(targets):  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def _entry(key: str, amount: Decimal):  # type: ignore[no-untyped-def]
    return entry_post(business_type=BusinessType.GJ_OTHER, reference="tests", idempotency_key=key,
                      value_date=timezone.localdate(), legs=[debit(chart.SUSPENSE, amount), credit(chart.BANK, amount)],
                      memo="迁移前的付款").entry


def test_old_refunds_and_transfer_payouts_become_payments_with_every_attempt(world):
    bill = bill_confirm(actor=world.unit_a_op,
                        bill=bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=date(2025, 2, 1)))
    bill, _ = bill_post(bill=bill, bank_reference="SLIP-1", channel=PaymentChannel.COUNTER, actor=world.clerk)
    bill_reverse(actor=world.clerk, bill=bill, reason="职工已离职仍被缴存", accounts=[world.account_a])
    refund_entry = _entry("old.refund", Decimal("1920.00"))
    funds_entry = _entry("old.funds", Decimal("100.00"))
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()

    old = _migrate([node for node in latest if node[0] != "deposits"] + BEFORE)
    Correction = old.get_model("deposits", "RemittanceCorrection")
    Transfer = old.get_model("deposits", "CrossRegionTransfer")
    AuditEvent = old.get_model("audit", "AuditEvent")
    paid_at = timezone.make_aware(datetime(2025, 3, 5, 10, 0))
    correction = Correction.objects.get()
    Correction.objects.filter(pk=correction.pk).update(
        refund_state="refunded", refund_attempt=1, refund_bank_serial="BS-REFUND", refund_entry_id=refund_entry.pk,
        refunded_by_id=world.director.pk, refunded_at=paid_at)
    failed = AuditEvent.objects.create(action="deposits.correction.refund_failed", target_type="deposits.remittancecorrection",
                                       target_id=str(correction.pk), actor_id=world.director.pk,
                                       new={"reference": f"TK{correction.pk:010d}", "reason": "账户异常"})
    refused_at = failed.at  # the audit trail is append-only: the refusal's time is when it was recorded
    refused = Transfer.objects.create(direction="out", from_platform=True, account_id=world.account_a.pk,
                                      reference="ZC20250301000001", letter_number="LN1", other_centre="上海市住房公积金管理中心",
                                      other_bank_account="31001500100056000000", principal=Decimal("90.00"),
                                      interest=Decimal("10.00"), entry_id=funds_entry.pk, status="02",
                                      payout_attempt=1, payout_failure="户名不符", finished_at=paid_at)
    paid = Transfer.objects.create(direction="out", from_platform=True, account_id=world.account_b.pk,
                                   reference="ZC20250301000002", letter_number="LN2", other_centre="上海市住房公积金管理中心",
                                   other_bank_account="31001500100056000000", principal=Decimal("100.00"),
                                   interest=Decimal("0.00"), entry_id=refund_entry.pk, status="08",
                                   funds_entry_id=funds_entry.pk, funds_bank_serial="BS-FUNDS",
                                   funds_reported_at=paid_at)

    new = _migrate(latest)
    Payment = new.get_model("payments", "Payment")
    refund = Payment.objects.get(purpose="deposits.correction_refund", subject_id=correction.pk)
    assert (refund.state, refund.paid_at, refund.amount, refund.debit_account, refund.business_type) == (
        "paid", paid_at, Decimal("1920.00"), "231", "GJ99")
    assert [(a.attempt, a.reference, a.status, a.reason, a.bank_serial, a.settle_entry_id, a.actor_id, a.finished_at)
            for a in refund.attempts.order_by("attempt")] == [
        (1, f"TK{correction.pk:010d}", "failed", "账户异常", "", None, world.director.pk, refused_at),
        (2, f"TK{correction.pk:010d}R01", "succeeded", "", "BS-REFUND", refund_entry.pk, world.director.pk, paid_at)]

    waiting = Payment.objects.get(purpose="deposits.transfer_out", subject_id=refused.pk)
    assert (waiting.state, waiting.failure, waiting.amount, waiting.business_type) == (
        "handed_off", "户名不符", Decimal("100.00"), "GJ07")
    assert list(waiting.attempts.values_list("reference", "status", "reason")) == [
        ("ZC20250301000001", "failed", "户名不符")]
    done = Payment.objects.get(purpose="deposits.transfer_out", subject_id=paid.pk)
    assert done.state == "paid" and list(done.attempts.values_list("reference", "status", "bank_serial",
                                                                  "settle_entry_id")) == [
        ("ZC20250301000002", "succeeded", "BS-FUNDS", funds_entry.pk)]

    from deposits.models import CrossRegionTransfer, RemittanceCorrection

    assert RemittanceCorrection.objects.get(pk=correction.pk).refund_bank_serial == "BS-REFUND"
    assert CrossRegionTransfer.objects.get(pk=refused.pk).payout_failure == "户名不符"
    assert CrossRegionTransfer.objects.get(pk=paid.pk).funds_entry_id == funds_entry.pk
