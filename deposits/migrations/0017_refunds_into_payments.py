"""Each 错缴更正 refund tried so far becomes a fund.payments payment (purpose deposits.correction_refund) with
its attempts: the references the bank was sent (TK…, then R01, R02 … after refusals), the refusals' reasons
and times (from the corrections' audit events), the paid attempt's bank serial, entry, actor and time. A
reference is the bank's idempotency key, so an attempt still at the bank, sent again after this migration,
pays nothing more. A correction never sent to the bank gets no payment (its first refund makes one)."""

from django.db import migrations
from django.utils import timezone

HELD = "银行处理中，请稍后刷新或重试"


def _reference(base, n):  # type: ignore[no-untyped-def]
    return base if n == 0 else f"{base}R{n:02d}"


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    Correction = apps.get_model("deposits", "RemittanceCorrection")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    Payment = apps.get_model("payments", "Payment")
    PaymentAttempt = apps.get_model("payments", "PaymentAttempt")
    ContentType = apps.get_model("contenttypes", "ContentType")
    kind, _ = ContentType.objects.get_or_create(app_label="deposits", model="remittancecorrection")
    now = timezone.now()
    tried = Correction.objects.exclude(refund_state="awaiting", refund_attempt=0, refund_failure="")
    for c in tried.select_related("bill", "unit__employer").order_by("id").iterator():
        base = f"TK{c.pk:010d}"
        failures = {
            (e.new or {}).get("reference"): e
            for e in AuditEvent.objects.filter(action="deposits.correction.refund_failed",
                                               target_type="deposits.remittancecorrection", target_id=str(c.pk))
        }
        rows = []  # (status, reference, reason, time, actor_id, serial, entry_id)
        for n in range(c.refund_attempt):
            reference = _reference(base, n)
            event = failures.get(reference)
            reason = (event.new or {}).get("reason") if event is not None else ""
            if not reason and n == c.refund_attempt - 1 and c.refund_failure != HELD:
                reason = c.refund_failure
            rows.append(("failed", reference, (reason or "银行付款失败")[:200], event.at if event else None,
                         event.actor_id if event else None, "", None))
        last = _reference(base, c.refund_attempt)
        if c.refund_state == "refunded":
            rows.append(("succeeded", last, "", c.refunded_at, c.refunded_by_id, c.refund_bank_serial,
                         c.refund_entry_id))
            state = "paid"
        elif c.refund_failure == HELD:
            rows.append(("pending", last, "", None, None, "", None))  # sent; the payments poll asks the bank
            state = "pending"
        elif rows:
            state = "handed_off"
        else:
            continue
        first_time = next((r[3] for r in rows if r[3] is not None), None) or now
        last_failed = rows[-1] if rows and rows[-1][0] == "failed" else None
        unit = c.unit
        payment = Payment.objects.create(
            purpose="deposits.correction_refund", subject_type=kind, subject_id=c.pk,
            subject_label=f"错缴更正退款 {c.bill.number}", branch_id=unit.employer.branch_id,
            payee_account=unit.bank_account, payee_name=unit.employer.name, amount=c.amount, debit_account="231",
            credit_account="101", business_type="GJ99", ledger_reference=f"deposits.bill:{c.bill.number}",
            memo=f"错缴更正退款 {c.bill.number}", state=state,
            failure=last_failed[2] if state == "handed_off" and last_failed else "",
            paid_at=c.refunded_at if state == "paid" else None,
            handed_off_at=(last_failed[3] or now) if state == "handed_off" and last_failed else None,
        )
        for number, (status, reference, reason, at, actor_id, serial, entry_id) in enumerate(rows, start=1):
            attempt = PaymentAttempt.objects.create(
                payment=payment, attempt=number, reference=reference, amount=c.amount,
                payee_account=unit.bank_account, payee_name=unit.employer.name, status=status, bank_serial=serial,
                reason=reason, settle_entry_id=entry_id, actor_id=actor_id,
                sent_at=at if status != "pending" else now, finished_at=at if status != "pending" else None,
            )
            # auto_now_add wrote now: the attempt keeps the time it was made (the answer's, the only one kept).
            PaymentAttempt.objects.filter(pk=attempt.pk).update(requested_at=at or now)
        Payment.objects.filter(pk=payment.pk).update(created_at=first_time)


class Migration(migrations.Migration):
    dependencies = [
        ("deposits", "0016_account_event_closing_withdrawal"),
        ("payments", "0002_seed_payment_policies"),
        ("audit", "0003_append_only"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
