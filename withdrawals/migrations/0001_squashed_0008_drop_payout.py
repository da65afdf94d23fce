"""Withdrawals (提取), squashed from 0001–0008 (issue 11): one initial migration instead of eight.

Carried over: 0001's number sequences.
Dropped, because a new database has no rows for them and an existing one has run them already: 0003's policy
seed (fund.policy's initial migration seeds every policy), 0007, which moved payouts into fund.payments, and the
Payout table 0008 then deleted.
"""

import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('withdrawals', '0001_initial'),
        ('withdrawals', '0002_home_place'),
        ('withdrawals', '0003_repeat_months_policy'),
        ('withdrawals', '0004_partial_home_indexes'),
        ('withdrawals', '0005_submitted_state_label'),
        ('withdrawals', '0006_chinese_field_names'),
        ('withdrawals', '0007_payouts_into_payments'),
        ('withdrawals', '0008_drop_payout'),
    ]

    dependencies = [
        ('deposits', '0001_squashed_0020_drop_transfer_payout_fields'),
        ('people', '0001_squashed_0005_chinese_field_names'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='StandingInstruction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.CharField(max_length=20, unique=True, verbose_name='协议编号')),
                ('source', models.CharField(max_length=20, verbose_name='贷款来源')),
                ('loan_reference', models.CharField(max_length=80, verbose_name='贷款标识')),
                ('lender', models.CharField(max_length=120, verbose_name='贷款机构')),
                ('monthly_amount', models.DecimalField(decimal_places=2, help_text='不超过月还款额', max_digits=18, verbose_name='月提取额上限')),
                ('payee_card', models.CharField(max_length=19, verbose_name='还款卡号')),
                ('payee_name', models.CharField(max_length=60, verbose_name='户名')),
                ('day', models.PositiveSmallIntegerField(default=5, verbose_name='每月提取日')),
                ('state', models.CharField(choices=[('active', '生效中'), ('ended', '已终止')], default='active', max_length=10, verbose_name='状态')),
                ('starts_on', models.DateField(verbose_name='起始日期')),
                ('ended_on', models.DateField(blank=True, null=True, verbose_name='终止日期')),
                ('end_reason', models.CharField(blank=True, max_length=200, verbose_name='终止原因')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('last_month', models.DateField(blank=True, null=True, verbose_name='最近提取月份')),
                ('last_note', models.CharField(blank=True, max_length=200, verbose_name='最近执行情况')),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='standing_instructions', to='deposits.memberaccount', verbose_name='个人账户')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='签约人')),
            ],
            options={
                'verbose_name': '逐月提取协议',
                'verbose_name_plural': '逐月提取协议',
                'ordering': ['-id'],
            },
        ),
        migrations.CreateModel(
            name='Withdrawal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.CharField(max_length=20, unique=True, verbose_name='提取业务编号')),
                ('reason', models.CharField(help_text='withdrawals.reasons 中的键，如 07、99-lift', max_length=12, verbose_name='提取原因')),
                ('reason_code', models.CharField(help_text='TQYY', max_length=2, verbose_name='提取原因代码')),
                ('channel', models.CharField(choices=[('window', '综合窗口'), ('online', '个人网厅'), ('api', '手机/接口'), ('standing', '逐月提取')], max_length=10, verbose_name='办理渠道')),
                ('relation', models.CharField(choices=[('self', '本人'), ('spouse', '配偶'), ('parent', '父母'), ('child', '子女'), ('heir', '继承人')], default='self', max_length=10, verbose_name='关系')),
                ('other_id_number', models.CharField(blank=True, help_text='房屋所有人（配偶/父母/子女）或继承人', max_length=18, verbose_name='关系人身份证号码')),
                ('other_name', models.CharField(blank=True, max_length=60, verbose_name='关系人姓名')),
                ('amount_requested', models.DecimalField(blank=True, decimal_places=2, help_text='空：按可提取最高额', max_digits=18, null=True, verbose_name='申请金额')),
                ('amount', models.DecimalField(blank=True, decimal_places=2, max_digits=18, null=True, verbose_name='核准金额')),
                ('interest', models.DecimalField(decimal_places=2, default=Decimal('0.00'), help_text='销户提取结至当日的利息', max_digits=18, verbose_name='结息金额')),
                ('closes_account', models.BooleanField(default=False, verbose_name='销户提取')),
                ('payee_name', models.CharField(max_length=60, verbose_name='收款人')),
                ('payee_card', models.CharField(max_length=19, verbose_name='收款银行卡号')),
                ('details', models.JSONField(blank=True, default=dict, verbose_name='申请信息')),
                ('home_key', models.CharField(blank=True, help_text='不动产权证号或购房发票号码：同一住房 12 个月内不得重复提取', max_length=80, verbose_name='房屋标识')),
                ('home_place', models.CharField(blank=True, help_text='不动产登记或发票上的房屋坐落（规范化）：以发票和以产权证申请的同一住房视为同一套', max_length=220, verbose_name='房屋坐落（核验）')),
                ('materials', models.JSONField(blank=True, default=list, verbose_name='已收材料')),
                ('state', models.CharField(choices=[('submitted', '系统核验中'), ('review', '人工审核中'), ('approved', '已批准待到账'), ('payout_failed', '付款失败待重试'), ('paid', '已到账'), ('rejected', '未通过'), ('cancelled', '已撤回')], default='submitted', max_length=14, verbose_name='状态')),
                ('decider', models.CharField(blank=True, choices=[('auto', '系统秒批'), ('manual', '人工审核')], max_length=10, verbose_name='审批方式')),
                ('decision_note', models.CharField(blank=True, max_length=500, verbose_name='审批结论')),
                ('due_on', models.DateField(blank=True, null=True, verbose_name='人工审核时限')),
                ('client_token', models.CharField(blank=True, help_text='同一提交人重复提交同一令牌只生成一笔提取', max_length=64, verbose_name='提交令牌')),
                ('submitted_at', models.DateTimeField(auto_now_add=True, verbose_name='提交时间')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='审批时间')),
                ('paid_at', models.DateTimeField(blank=True, null=True, verbose_name='到账时间')),
                ('ended_at', models.DateTimeField(blank=True, null=True, verbose_name='办结时间')),
                ('prior_account_state', models.CharField(blank=True, max_length=2, verbose_name='销户前账户状态')),
                ('standing_month', models.DateField(blank=True, null=True, verbose_name='逐月提取月份')),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='withdrawals', to='deposits.memberaccount', verbose_name='个人账户')),
                ('branch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.branch', verbose_name='管理部')),
                ('standing', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='withdrawals', to='withdrawals.standinginstruction', verbose_name='逐月提取协议')),
                ('submitted_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='提交人')),
            ],
            options={
                'verbose_name': '提取申请',
                'verbose_name_plural': '提取申请',
                'ordering': ['-id'],
            },
        ),
        migrations.CreateModel(
            name='RuleCheck',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('round', models.PositiveSmallIntegerField(default=1, verbose_name='第几次审核')),
                ('order', models.PositiveSmallIntegerField(verbose_name='顺序')),
                ('rule', models.CharField(max_length=40, verbose_name='规则')),
                ('label', models.CharField(max_length=60, verbose_name='规则名称')),
                ('passed', models.BooleanField(verbose_name='通过')),
                ('detail', models.CharField(max_length=500, verbose_name='核查结果')),
                ('plain', models.CharField(max_length=500, verbose_name='给申请人的说明')),
                ('evidence', models.JSONField(blank=True, default=dict, verbose_name='证据')),
                ('checked_at', models.DateTimeField(auto_now_add=True, verbose_name='核查时间')),
                ('withdrawal', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='checks', to='withdrawals.withdrawal')),
            ],
            options={
                'verbose_name': '秒批规则核查',
                'verbose_name_plural': '秒批规则核查',
                'ordering': ['round', 'order'],
            },
        ),
        migrations.AddConstraint(
            model_name='standinginstruction',
            constraint=models.UniqueConstraint(condition=models.Q(('state', 'active')), fields=('account',), name='standing_one_active'),
        ),
        migrations.AddConstraint(
            model_name='standinginstruction',
            constraint=models.CheckConstraint(condition=models.Q(('monthly_amount__gt', 0)), name='standing_amount_positive'),
        ),
        migrations.AddIndex(
            model_name='withdrawal',
            index=models.Index(fields=['state', 'branch'], name='withdrawals_state_77dd3a_idx'),
        ),
        migrations.AddIndex(
            model_name='withdrawal',
            index=models.Index(fields=['reason', 'state'], name='withdrawals_reason_3bfa4c_idx'),
        ),
        migrations.AddIndex(
            model_name='withdrawal',
            index=models.Index(condition=models.Q(('home_key', ''), _negated=True), fields=['home_key'], name='withdrawal_home_key'),
        ),
        migrations.AddIndex(
            model_name='withdrawal',
            index=models.Index(condition=models.Q(('home_place', ''), _negated=True), fields=['home_place'], name='withdrawal_home_place'),
        ),
        migrations.AddConstraint(
            model_name='withdrawal',
            constraint=models.UniqueConstraint(condition=models.Q(('state__in', ('submitted', 'review', 'approved', 'payout_failed'))), fields=('account',), name='withdrawal_one_in_flight'),
        ),
        migrations.AddConstraint(
            model_name='withdrawal',
            constraint=models.UniqueConstraint(condition=models.Q(('client_token', ''), _negated=True), fields=('submitted_by', 'client_token'), name='withdrawal_client_token'),
        ),
        migrations.AddConstraint(
            model_name='withdrawal',
            constraint=models.UniqueConstraint(condition=models.Q(('standing__isnull', False)), fields=('standing', 'standing_month'), name='withdrawal_standing_month'),
        ),
        migrations.AddConstraint(
            model_name='withdrawal',
            constraint=models.CheckConstraint(condition=models.Q(('amount__isnull', True), ('amount__gt', 0), _connector='OR'), name='withdrawal_amount_positive'),
        ),
        migrations.AddConstraint(
            model_name='rulecheck',
            constraint=models.UniqueConstraint(fields=('withdrawal', 'round', 'rule'), name='rulecheck_once_per_round'),
        ),
        migrations.RunSQL(
            "CREATE SEQUENCE withdrawals_number_seq; CREATE SEQUENCE withdrawals_standing_seq;",
            "DROP SEQUENCE withdrawals_number_seq; DROP SEQUENCE withdrawals_standing_seq;",
        ),
    ]
