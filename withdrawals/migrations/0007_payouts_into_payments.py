"""Each withdrawal's payouts become a fund.payments payment with its attempts: references, amounts, cards,
statuses, bank serials, entries and times copied exactly (a reference is the bank's idempotency key, so a
pending attempt sent again after this migration is still paid once)."""

from django.db import migrations

STATE = {"pending": "pending", "succeeded": "paid"}


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    Payout = apps.get_model("withdrawals", "Payout")
    Withdrawal = apps.get_model("withdrawals", "Withdrawal")
    Payment = apps.get_model("payments", "Payment")
    PaymentAttempt = apps.get_model("payments", "PaymentAttempt")
    ContentType = apps.get_model("contenttypes", "ContentType")
    kind, _ = ContentType.objects.get_or_create(app_label="withdrawals", model="withdrawal")
    for withdrawal in Withdrawal.objects.filter(payouts__isnull=False).distinct().iterator():
        payouts = list(Payout.objects.filter(withdrawal=withdrawal).order_by("attempt"))
        last = payouts[-1]
        if last.status == "failed":
            state = "refused" if last.retry_after else "handed_off"
        else:
            state = STATE[last.status]
        payment = Payment.objects.create(
            purpose="withdrawals.payout", subject_type=kind, subject_id=withdrawal.pk,
            subject_label=f"提取 {withdrawal.number}", branch_id=withdrawal.branch_id, payee_account=last.card,
            payee_name=last.name, amount=last.amount, debit_account="221", credit_account="101",
            business_type="GJ12" if withdrawal.closes_account else "GJ11",
            ledger_reference=f"withdrawals:{withdrawal.number}", memo=f"住房公积金提取 {withdrawal.number}",
            state=state, retry_after=last.retry_after if state == "refused" else None,
            failure=last.reason if last.status == "failed" else "",
            paid_at=last.finished_at if last.status == "succeeded" else None,
            handed_off_at=last.finished_at if state == "handed_off" else None,
        )
        for p in payouts:
            attempt = PaymentAttempt.objects.create(
                payment=payment, attempt=p.attempt, reference=p.reference, amount=p.amount, payee_account=p.card,
                payee_name=p.name, status=p.status, bank_serial=p.bank_serial, reason=p.reason,
                hold_entry_id=p.debit_entry_id, settle_entry_id=p.settle_entry_id, sent_at=p.sent_at,
                finished_at=p.finished_at,
            )
            # auto_now_add wrote now: the attempt keeps the time it was instructed.
            PaymentAttempt.objects.filter(pk=attempt.pk).update(requested_at=p.requested_at)
        Payment.objects.filter(pk=payment.pk).update(created_at=payouts[0].requested_at)


class Migration(migrations.Migration):
    dependencies = [
        ("withdrawals", "0006_chinese_field_names"),
        ("payments", "0002_seed_payment_policies"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
