"""The payout fields of a transfer out are dropped: 0019 copied them into fund.payments payments."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('deposits', '0019_transfer_payouts_into_payments'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='crossregiontransfer',
            name='funds_bank_serial',
        ),
        migrations.RemoveField(
            model_name='crossregiontransfer',
            name='funds_entry',
        ),
        migrations.RemoveField(
            model_name='crossregiontransfer',
            name='payout_attempt',
        ),
        migrations.RemoveField(
            model_name='crossregiontransfer',
            name='payout_failure',
        ),
    ]
