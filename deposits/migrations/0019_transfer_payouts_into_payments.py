"""Each transfer out's 划款 so far becomes a fund.payments payment (purpose deposits.transfer_out) with its
attempts: the references the bank was sent (the transfer's reference, then R01, R02 … after refusals), the
refusals' reasons and times (from the transfers' audit events), the paid attempt's bank serial, entry and time.
A reference is the bank's idempotency key, so an attempt still at the bank, sent again after this migration,
pays nothing more. A transfer never sent to the bank gets no payment (its next advance makes one)."""

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

HELD = "银行划款处理中"


def _reference(base, n):  # type: ignore[no-untyped-def]
    return base if n == 0 else f"{base}R{n:02d}"


def _events(AuditEvent, action, pk):  # type: ignore[no-untyped-def]
    return AuditEvent.objects.filter(action=action, target_type="deposits.crossregiontransfer",
                                     target_id=str(pk)).order_by("at", "id")


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    Transfer = apps.get_model("deposits", "CrossRegionTransfer")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    Payment = apps.get_model("payments", "Payment")
    PaymentAttempt = apps.get_model("payments", "PaymentAttempt")
    ContentType = apps.get_model("contenttypes", "ContentType")
    kind, _ = ContentType.objects.get_or_create(app_label="deposits", model="crossregiontransfer")
    now = timezone.now()
    tried = Transfer.objects.filter(direction="out", from_platform=True, entry__isnull=False).filter(
        Q(funds_entry__isnull=False) | Q(payout_attempt__gt=0) | ~Q(payout_failure="") | Q(status_message=HELD))
    for t in tried.select_related("account__unit__employer").order_by("id").iterator():
        amount = (t.principal or 0) + (t.interest or 0)
        failures = {(e.new or {}).get("reference"): e
                    for e in _events(AuditEvent, "deposits.transfer_out.payout_failed", t.pk)}
        retries = list(_events(AuditEvent, "deposits.transfer_out.payout_retried", t.pk))
        rows = []  # (status, reference, reason, answered at, requested at, actor_id, serial, entry_id)
        for n in range(t.payout_attempt):
            reference = _reference(t.reference, n)
            event = failures.get(reference)
            reason = (event.new or {}).get("reason") if event is not None else ""
            if not reason and n == t.payout_attempt - 1:
                reason = t.payout_failure
            asked = retries[n - 1] if 0 < n <= len(retries) else None
            rows.append(("failed", reference, (reason or "银行划款失败")[:200], event.at if event else None,
                         asked.at if asked else None, asked.actor_id if asked else None, "", None))
        last = _reference(t.reference, t.payout_attempt)
        asked = retries[t.payout_attempt - 1] if 0 < t.payout_attempt <= len(retries) else None
        if t.funds_entry_id is not None:
            paid = _events(AuditEvent, "deposits.transfer_out.paid", t.pk).last()
            at = paid.at if paid is not None else t.funds_reported_at
            rows.append(("succeeded", last, "", at, asked.at if asked else None, asked.actor_id if asked else None,
                         t.funds_bank_serial, t.funds_entry_id))
            state = "paid"
        elif t.payout_failure:
            state = "handed_off"
        else:
            # Retried by people, or held at the bank: still pending; the payments poll sends the same reference.
            rows.append(("pending", last, "", None, asked.at if asked else None, asked.actor_id if asked else None,
                         "", None))
            state = "pending"
        first_time = next((r[4] or r[3] for r in rows if r[4] or r[3]), None) or now
        last_failed = rows[-1] if rows and rows[-1][0] == "failed" else None
        payment = Payment.objects.create(
            purpose="deposits.transfer_out", subject_type=kind, subject_id=t.pk,
            subject_label=f"异地转出 {t.reference}", branch_id=t.account.unit.employer.branch_id,
            payee_account=t.other_bank_account, payee_name=t.other_centre, amount=amount, debit_account="231",
            credit_account="101", business_type="GJ07", ledger_reference=f"deposits.transfer:{t.reference}",
            memo=f"异地转移接续资金 {t.letter_number}", state=state,
            failure=t.payout_failure if state == "handed_off" else "",
            paid_at=rows[-1][3] if state == "paid" else None,
            handed_off_at=(last_failed[3] or now) if state == "handed_off" and last_failed else None,
        )
        for number, (status, reference, reason, answered, asked_at, actor_id, serial, entry_id) in enumerate(
                rows, start=1):
            attempt = PaymentAttempt.objects.create(
                payment=payment, attempt=number, reference=reference, amount=amount,
                payee_account=t.other_bank_account, payee_name=t.other_centre, status=status, bank_serial=serial,
                reason=reason, settle_entry_id=entry_id, actor_id=actor_id,
                sent_at=answered if status != "pending" else (now if t.status_message == HELD else None),
                finished_at=answered if status != "pending" else None,
            )
            # auto_now_add wrote now: the attempt keeps the time it was asked for (a retry's), else answered.
            PaymentAttempt.objects.filter(pk=attempt.pk).update(requested_at=asked_at or answered or now)
        Payment.objects.filter(pk=payment.pk).update(created_at=first_time)


class Migration(migrations.Migration):
    dependencies = [
        ("deposits", "0018_drop_correction_refund_fields"),
        ("payments", "0002_seed_payment_policies"),
        ("audit", "0003_append_only"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
