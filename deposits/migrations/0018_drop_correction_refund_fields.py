"""The refund fields of a correction are dropped: 0017 copied them into fund.payments payments."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('deposits', '0017_refunds_into_payments'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='remittancecorrection',
            name='deposits_re_refund__3eff29_idx',
        ),
        migrations.RemoveField(
            model_name='remittancecorrection',
            name='refund_attempt',
        ),
        migrations.RemoveField(
            model_name='remittancecorrection',
            name='refund_bank_serial',
        ),
        migrations.RemoveField(
            model_name='remittancecorrection',
            name='refund_entry',
        ),
        migrations.RemoveField(
            model_name='remittancecorrection',
            name='refund_failure',
        ),
        migrations.RemoveField(
            model_name='remittancecorrection',
            name='refund_state',
        ),
        migrations.RemoveField(
            model_name='remittancecorrection',
            name='refunded_at',
        ),
        migrations.RemoveField(
            model_name='remittancecorrection',
            name='refunded_by',
        ),
    ]
