"""Payments out of the fund, squashed from 0001–0002 (issue 11): one initial migration instead of two.

Dropped: 0002's seed of the retry policies (payment_attempts_max, payment_retry_minutes, payment_retry_factor).
fund.policy's initial migration seeds every policy default, these among them.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('payments', '0001_payments'),
        ('payments', '0002_seed_payment_policies'),
    ]

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('ledger', '0001_squashed_0006_chinese_field_names'),
        ('people', '0001_squashed_0005_chinese_field_names'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Payment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('purpose', models.CharField(help_text='业务登记的用途代码，如 withdrawals.payout', max_length=40, verbose_name='付款用途')),
                ('subject_id', models.PositiveBigIntegerField(verbose_name='业务编号')),
                ('subject_label', models.CharField(max_length=200, verbose_name='业务')),
                ('payee_account', models.CharField(max_length=40, verbose_name='收款账号')),
                ('payee_name', models.CharField(max_length=120, verbose_name='收款人')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='金额')),
                ('debit_account', models.CharField(help_text='付款成功时借记的科目，如 221', max_length=10, verbose_name='借方科目')),
                ('credit_account', models.CharField(help_text='付款成功时贷记的科目，通常为 101', max_length=10, verbose_name='贷方科目')),
                ('business_type', models.CharField(max_length=4, verbose_name='业务类型')),
                ('ledger_reference', models.CharField(max_length=80, verbose_name='凭证业务参考')),
                ('memo', models.CharField(help_text='告诉银行的用途，也是付款凭证的摘要', max_length=200, verbose_name='付款摘要')),
                ('state', models.CharField(choices=[('pending', '付款中'), ('paid', '已付款'), ('refused', '付款失败待重试'), ('handed_off', '转人工处理')], default='pending', max_length=12, verbose_name='状态')),
                ('retry_after', models.DateTimeField(blank=True, null=True, verbose_name='下次重试时间')),
                ('failure', models.CharField(blank=True, max_length=200, verbose_name='最近失败原因')),
                ('paid_at', models.DateTimeField(blank=True, null=True, verbose_name='付款时间')),
                ('handed_off_at', models.DateTimeField(blank=True, null=True, verbose_name='转人工时间')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='指令时间')),
                ('branch', models.ForeignKey(blank=True, help_text='空：全中心业务，仅全中心人员可见', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.branch', verbose_name='管理部')),
                ('subject_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype', verbose_name='业务类型')),
            ],
            options={
                'verbose_name': '付款',
                'verbose_name_plural': '付款',
                'ordering': ['-id'],
            },
        ),
        migrations.CreateModel(
            name='PaymentAttempt',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('attempt', models.PositiveSmallIntegerField(verbose_name='第几次付款')),
                ('reference', models.CharField(max_length=40, unique=True, verbose_name='付款业务编号')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='金额')),
                ('payee_account', models.CharField(max_length=40, verbose_name='收款账号')),
                ('payee_name', models.CharField(max_length=120, verbose_name='收款人')),
                ('status', models.CharField(choices=[('pending', '处理中'), ('succeeded', '成功'), ('failed', '失败')], default='pending', max_length=10, verbose_name='状态')),
                ('bank_serial', models.CharField(blank=True, max_length=40, verbose_name='银行流水号')),
                ('reason', models.CharField(blank=True, max_length=200, verbose_name='失败原因')),
                ('requested_at', models.DateTimeField(auto_now_add=True, verbose_name='指令时间')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='发送银行时间')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='完成时间')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='经办人')),
                ('hold_entry', models.ForeignKey(blank=True, help_text='业务为本次付款划出款项的凭证（如提取从个人账户转入提取待付款），失败时由业务冲回', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='ledger.journalentry', verbose_name='备付凭证')),
                ('payment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='attempts', to='payments.payment', verbose_name='付款')),
                ('settle_entry', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='ledger.journalentry', verbose_name='付款/退回凭证')),
            ],
            options={
                'verbose_name': '付款尝试',
                'verbose_name_plural': '付款尝试',
                'ordering': ['payment', 'attempt'],
            },
        ),
        migrations.AddIndex(
            model_name='payment',
            index=models.Index(fields=['state', 'retry_after'], name='payments_pa_state_5b21e4_idx'),
        ),
        migrations.AddIndex(
            model_name='payment',
            index=models.Index(fields=['subject_type', 'subject_id'], name='payments_pa_subject_51ece1_idx'),
        ),
        migrations.AddConstraint(
            model_name='payment',
            constraint=models.UniqueConstraint(fields=('subject_type', 'subject_id', 'purpose'), name='payment_one_per_subject'),
        ),
        migrations.AddConstraint(
            model_name='payment',
            constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='payment_amount_positive'),
        ),
        migrations.AddIndex(
            model_name='paymentattempt',
            index=models.Index(fields=['status', 'requested_at'], name='payments_pa_status_1696d4_idx'),
        ),
        migrations.AddConstraint(
            model_name='paymentattempt',
            constraint=models.UniqueConstraint(fields=('payment', 'attempt'), name='payment_attempt_once'),
        ),
        migrations.AddConstraint(
            model_name='paymentattempt',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'pending')), fields=('payment',), name='payment_one_pending_attempt'),
        ),
    ]
