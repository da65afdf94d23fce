
import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


def seed_collection_policies(apps, schema_editor):
    """The collection tasks' deadlines (电话/上门/法律 in working days) are policy. Idempotent."""
    from fund.policy.services import policy_defaults_seed

    policy_defaults_seed(model=apps.get_model("policy", "PolicyValue"))


class Migration(migrations.Migration):

    dependencies = [
        ('loans', '0007_instalment_reminded_on_and_paid_late'),
        ('people', '0006_entrusted_bank'),
        ('printing', '0001_squashed_0003_document_public_base_url'),
        ('policy', '0001_squashed_0003_seed_defaults'),
        ('risk', '0001_blacklist'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CollectionContact',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('channel', models.CharField(choices=[('phone', '电话'), ('sms', '短信'), ('visit', '上门'), ('employer', '单位'), ('letter', '信函'), ('legal', '法律')], max_length=10, verbose_name='方式')),
                ('contacted_on', models.DateField(verbose_name='联系日期')),
                ('result', models.CharField(max_length=500, verbose_name='催收结果')),
                ('promise_on', models.DateField(blank=True, null=True, verbose_name='承诺还款日期')),
                ('promise_kept', models.BooleanField(blank=True, null=True, verbose_name='承诺已履行')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='登记时间')),
                ('by', models.ForeignKey(blank=True, help_text='空为系统自动', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='催收人')),
                ('document', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='printing.document', verbose_name='通知单')),
            ],
            options={
                'verbose_name': '催收记录',
                'verbose_name_plural': '催收记录',
                'ordering': ['-contacted_on', '-id'],
            },
        ),
        migrations.CreateModel(
            name='OverdueCase',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('state', models.CharField(choices=[('open', '逾期中'), ('cleared', '已销号')], default='open', max_length=8, verbose_name='状态')),
                ('stage', models.PositiveSmallIntegerField(choices=[(1, '电话短信催收'), (2, '上门及书面催收'), (3, '法律诉讼移交')], default=1, verbose_name='催收阶段')),
                ('stage_since', models.DateField(verbose_name='进入本阶段日期')),
                ('overdue_since', models.DateField(blank=True, null=True, verbose_name='最早逾期应还日')),
                ('periods_overdue', models.PositiveSmallIntegerField(default=0, verbose_name='逾期期数')),
                ('days_overdue', models.PositiveIntegerField(default=0, verbose_name='逾期天数')),
                ('overdue_principal', models.DecimalField(decimal_places=2, default=Decimal('0.00'), max_digits=18, verbose_name='逾期本金')),
                ('overdue_interest', models.DecimalField(decimal_places=2, default=Decimal('0.00'), max_digits=18, verbose_name='逾期利息')),
                ('overdue_penalty', models.DecimalField(decimal_places=2, default=Decimal('0.00'), max_digits=18, verbose_name='罚息')),
                ('figures_on', models.DateField(help_text='最近一次日终的业务日期', verbose_name='数据日期')),
                ('opened_on', models.DateField(verbose_name='列入台账日期')),
                ('cleared_on', models.DateField(blank=True, null=True, verbose_name='销号日期')),
                ('sms_sent_on', models.DateField(blank=True, null=True, verbose_name='逾期短信日期')),
                ('bank', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.entrustedbank', verbose_name='受托银行')),
                ('branch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.branch', verbose_name='管理部')),
                ('collector', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='overdue_cases', to=settings.AUTH_USER_MODEL, verbose_name='清收责任人')),
                ('loan', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='overdue_cases', to='loans.loan', verbose_name='贷款')),
            ],
            options={
                'verbose_name': '逾期台账',
                'verbose_name_plural': '逾期台账',
                'ordering': ['-days_overdue', 'id'],
            },
        ),
        migrations.CreateModel(
            name='CollectorAssignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.CharField(max_length=500, verbose_name='原因')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='时间')),
                ('by', models.ForeignKey(blank=True, help_text='空为按规则自动分配', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='调整人')),
                ('collector', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='清收责任人')),
                ('previous', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='原责任人')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assignments', to='risk.overduecase', verbose_name='逾期台账')),
            ],
            options={
                'verbose_name': '清收责任人分配',
                'verbose_name_plural': '清收责任人分配',
                'ordering': ['-id'],
            },
        ),
        migrations.CreateModel(
            name='CollectionTask',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('call', '电话催收'), ('visit', '上门催收'), ('employer', '联系借款人单位'), ('notice', '送达《逾期贷款通知单》'), ('legal', '移交法律诉讼'), ('promise', '跟进未履行的还款承诺')], max_length=10, verbose_name='任务')),
                ('stage', models.PositiveSmallIntegerField(choices=[(1, '电话短信催收'), (2, '上门及书面催收'), (3, '法律诉讼移交')], verbose_name='催收阶段')),
                ('opened_on', models.DateField(verbose_name='下达日期')),
                ('due_on', models.DateField(verbose_name='完成时限')),
                ('done_at', models.DateTimeField(blank=True, null=True, verbose_name='完成时间')),
                ('done_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='完成人')),
                ('done_contact', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='risk.collectioncontact', verbose_name='完成的催收记录')),
                ('promise', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='follow_up', to='risk.collectioncontact', verbose_name='未履行的还款承诺')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='tasks', to='risk.overduecase', verbose_name='逾期台账')),
            ],
            options={
                'verbose_name': '催收任务',
                'verbose_name_plural': '催收任务',
                'ordering': ['due_on', 'id'],
            },
        ),
        migrations.AddField(
            model_name='collectioncontact',
            name='case',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='contacts', to='risk.overduecase', verbose_name='逾期台账'),
        ),
        migrations.AddIndex(
            model_name='overduecase',
            index=models.Index(fields=['state', 'branch'], name='risk_overdu_state_a6ff62_idx'),
        ),
        migrations.AddIndex(
            model_name='overduecase',
            index=models.Index(condition=models.Q(('cleared_on__isnull', False)), fields=['cleared_on'], name='overdue_case_cleared'),
        ),
        migrations.AddConstraint(
            model_name='overduecase',
            constraint=models.UniqueConstraint(condition=models.Q(('state', 'open')), fields=('loan',), name='overdue_case_one_open_per_loan'),
        ),
        migrations.AddConstraint(
            model_name='overduecase',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('cleared_on__isnull', True), ('state', 'open')), models.Q(('cleared_on__isnull', False), ('state', 'cleared')), _connector='OR'), name='overdue_case_cleared_on'),
        ),
        migrations.AddConstraint(
            model_name='collectiontask',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'promise'), _negated=True), fields=('case', 'kind'), name='collection_task_once_per_case'),
        ),
        migrations.AddIndex(
            model_name='collectioncontact',
            index=models.Index(condition=models.Q(('promise_kept__isnull', True), ('promise_on__isnull', False)), fields=['promise_on'], name='contact_promise_open'),
        ),
        # Reversing leaves the policy rows: they are history, and the table refuses deletes.
        migrations.RunPython(seed_collection_policies, migrations.RunPython.noop),
    ]
