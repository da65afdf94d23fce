"""Deposits (归集), squashed from 0001–0020 (issue 11): one initial migration instead of twenty.

Carried over: the number sequences (0002 units and members, 0004 applications, 0006 transfers).
Dropped, because a new database has no rows for them and an existing one has run them already: 0010's and 0015's
policy seeds (fund.policy's initial migration seeds every policy), 0010's backfill of corrections for earlier
reversals, 0011's backfill of unit ratio history, 0017 and 0019, which moved refunds and transfer payouts into
fund.payments, and the columns 0018 and 0020 then dropped.
"""

import django.db.models.deletion
import django.db.models.expressions
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


# Business numbers come from sequences, so that two clerks opening at once never get the same number.
SEQUENCES = r"""
CREATE SEQUENCE deposits_unit_number_seq;
CREATE SEQUENCE deposits_member_number_seq START 100000001;
CREATE SEQUENCE deposits_application_number_seq;
CREATE SEQUENCE deposits_transfer_seq;
"""

DROP_SEQUENCES = r"""
DROP SEQUENCE deposits_transfer_seq;
DROP SEQUENCE deposits_application_number_seq;
DROP SEQUENCE deposits_member_number_seq;
DROP SEQUENCE deposits_unit_number_seq;
"""


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('deposits', '0001_initial'),
        ('deposits', '0002_number_sequences'),
        ('deposits', '0003_remittance_interest_base_adjustment'),
        ('deposits', '0004_lifecycle_events_applications'),
        ('deposits', '0005_cross_region_transfer'),
        ('deposits', '0006_transfer_sequence'),
        ('deposits', '0007_arrears_reminder'),
        ('deposits', '0008_unit_opening_request'),
        ('deposits', '0009_merge_and_opening_notice'),
        ('deposits', '0010_gaps_transfer_out_refund_policy'),
        ('deposits', '0011_unit_ratio_history'),
        ('deposits', '0012_base_batch_worker_progress_report'),
        ('deposits', '0013_interestrun_heartbeat'),
        ('deposits', '0014_chinese_field_names'),
        ('deposits', '0015_application_review_days_policy'),
        ('deposits', '0016_account_event_closing_withdrawal'),
        ('deposits', '0017_refunds_into_payments'),
        ('deposits', '0018_drop_correction_refund_fields'),
        ('deposits', '0019_transfer_payouts_into_payments'),
        ('deposits', '0020_drop_transfer_payout_fields'),
    ]

    dependencies = [
        ('ledger', '0001_squashed_0006_chinese_field_names'),
        ('people', '0001_squashed_0005_chinese_field_names'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='BaseAdjustmentBatch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveIntegerField(verbose_name='调整年度')),
                ('effective_month', models.DateField(blank=True, null=True, verbose_name='生效年月')),
                ('file', models.FileField(blank=True, upload_to='base-adjustments/%Y/', verbose_name='上传文件')),
                ('file_name', models.CharField(max_length=200, verbose_name='文件名')),
                ('state', models.CharField(choices=[('queued', '排队中'), ('checking', '校验中'), ('rejected', '校验未通过'), ('applied', '已生效'), ('failed', '处理失败')], max_length=10, verbose_name='状态')),
                ('row_count', models.PositiveIntegerField(default=0, verbose_name='行数')),
                ('rows_total', models.PositiveIntegerField(default=0, help_text='上传时清点，含表头和空行', verbose_name='工作表行数')),
                ('rows_read', models.PositiveIntegerField(default=0, verbose_name='已读行数')),
                ('errors', models.JSONField(blank=True, default=list, help_text='[{row, field, message}]', verbose_name='错误报告')),
                ('report', models.FileField(blank=True, upload_to='base-adjustments/reports/%Y/', verbose_name='错误说明文件')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='处理次数')),
                ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='上传时间')),
                ('progress_at', models.DateTimeField(blank=True, help_text='久无进度的批次由定时任务重新排队', null=True, verbose_name='最近进度')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='完成时间')),
                ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '基数调整批次',
                'verbose_name_plural': '基数调整批次',
                'ordering': ['-id'],
            },
        ),
        migrations.CreateModel(
            name='InterestRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveIntegerField(help_text='截至该年6月30日的年度', unique=True, verbose_name='结息年度')),
                ('period_start', models.DateField(verbose_name='计息起日')),
                ('period_end', models.DateField(verbose_name='计息止日')),
                ('state', models.CharField(choices=[('pending', '排队中'), ('running', '结息中'), ('done', '已完成'), ('failed', '失败')], default='pending', max_length=10, verbose_name='状态')),
                ('total_accounts', models.PositiveIntegerField(default=0, verbose_name='账户数')),
                ('processed_accounts', models.PositiveIntegerField(default=0, verbose_name='已处理账户数')),
                ('last_sub_account_id', models.BigIntegerField(default=0, help_text='断点续跑的位置', verbose_name='已处理至分户ID')),
                ('total_interest', models.DecimalField(decimal_places=2, default=0, max_digits=18, verbose_name='利息合计')),
                ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='开始时间')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='完成时间')),
                ('error', models.TextField(blank=True, verbose_name='错误')),
                ('heartbeat_at', models.DateTimeField(blank=True, help_text='每处理完一批账户即更新；排队或结息中而长时间未更新的，由定时任务重新排队（工作进程中断后自动续跑）', null=True, verbose_name='最近进展时间')),
                ('started_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '年度结息',
                'verbose_name_plural': '年度结息',
                'ordering': ['-year'],
            },
        ),
        migrations.CreateModel(
            name='MemberAccount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.CharField(help_text='GRZH', max_length=20, unique=True, verbose_name='个人账号')),
                ('state', models.CharField(choices=[('01', '正常'), ('02', '封存'), ('03', '合并销户'), ('04', '外部转出销户'), ('05', '提取销户'), ('06', '冻结'), ('99', '其他')], default='01', max_length=2, verbose_name='个人账户状态')),
                ('base', models.DecimalField(decimal_places=2, help_text='GRJCJS', max_digits=18, verbose_name='个人缴存基数')),
                ('unit_monthly', models.DecimalField(decimal_places=2, help_text='DWYJCE', max_digits=18, verbose_name='单位月缴存额')),
                ('member_monthly', models.DecimalField(decimal_places=2, help_text='GRYJCE', max_digits=18, verbose_name='个人月缴存额')),
                ('bank_card', models.CharField(blank=True, max_length=19, verbose_name='个人银行卡号')),
                ('opened_on', models.DateField(verbose_name='开户日期')),
                ('first_month', models.DateField(help_text='新职工自入职次月起缴；存为该月1日', verbose_name='起缴年月')),
                ('paid_up_to', models.DateField(blank=True, help_text='JZNY；存为该月1日', null=True, verbose_name='缴至年月')),
                ('opened_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='经办人')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='fund_accounts', to='people.person', verbose_name='职工')),
                ('sub_account', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='member_account', to='ledger.subaccount', verbose_name='分户账')),
            ],
            options={
                'verbose_name': '个人账户',
                'verbose_name_plural': '个人账户',
            },
        ),
        migrations.CreateModel(
            name='BaseAdjustment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('effective_month', models.DateField(verbose_name='生效年月')),
                ('old_base', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='原缴存基数')),
                ('new_base', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='新缴存基数')),
                ('unit_ratio', models.DecimalField(decimal_places=4, max_digits=5, verbose_name='单位缴存比例')),
                ('member_ratio', models.DecimalField(decimal_places=4, max_digits=5, verbose_name='个人缴存比例')),
                ('unit_monthly', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='单位月缴存额')),
                ('member_monthly', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='个人月缴存额')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('actor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('batch', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='adjustments', to='deposits.baseadjustmentbatch')),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='base_adjustments', to='deposits.memberaccount')),
            ],
            options={
                'verbose_name': '基数调整',
                'verbose_name_plural': '基数调整',
                'ordering': ['-id'],
            },
        ),
        migrations.CreateModel(
            name='OpeningNotice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('credit_code', models.CharField(db_index=True, max_length=18, verbose_name='统一社会信用代码')),
                ('employer_name', models.CharField(max_length=120, verbose_name='单位名称')),
                ('insured_count', models.PositiveIntegerField(verbose_name='参保人数')),
                ('channel', models.CharField(choices=[('phone', '电话通知'), ('letter', '书面催建函'), ('visit', '上门督导'), ('other', '其他')], max_length=10, verbose_name='通知方式')),
                ('contact', models.CharField(blank=True, max_length=60, verbose_name='联系人/电话')),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='说明')),
                ('sent_at', models.DateTimeField(auto_now_add=True, verbose_name='通知时间')),
                ('sent_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='经办人')),
            ],
            options={
                'verbose_name': '催建通知',
                'verbose_name_plural': '催建通知',
                'ordering': ['-id'],
            },
        ),
        migrations.CreateModel(
            name='RemittanceBill',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.CharField(help_text='银行转账时作为附言/参考号', max_length=24, unique=True, verbose_name='缴款单号')),
                ('month', models.DateField(help_text='存为该月1日', verbose_name='缴存年月')),
                ('kind', models.CharField(choices=[('01', '汇缴'), ('02', '补缴')], default='01', max_length=2, verbose_name='类型')),
                ('state', models.CharField(choices=[('draft', '待确认'), ('confirmed', '已确认待缴款'), ('paid', '已入账'), ('cancelled', '已作废')], default='draft', max_length=10, verbose_name='状态')),
                ('reason', models.CharField(blank=True, max_length=200, verbose_name='补缴原因')),
                ('member_count', models.PositiveIntegerField(default=0, verbose_name='人数')),
                ('unit_amount', models.DecimalField(decimal_places=2, default=0, max_digits=18, verbose_name='单位缴存额合计')),
                ('member_amount', models.DecimalField(decimal_places=2, default=0, max_digits=18, verbose_name='个人缴存额合计')),
                ('total', models.DecimalField(decimal_places=2, default=0, max_digits=18, verbose_name='应缴金额')),
                ('channel', models.CharField(blank=True, choices=[('collection', '委托收款'), ('transfer', '转账汇入'), ('counter', '柜台缴款')], max_length=12, verbose_name='缴款方式')),
                ('bank_reference', models.CharField(blank=True, max_length=64, null=True, unique=True, verbose_name='银行流水号')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='生成时间')),
                ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='确认时间')),
                ('paid_at', models.DateTimeField(blank=True, null=True, verbose_name='入账时间')),
                ('confirmed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('entry', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='ledger.journalentry', verbose_name='入账凭证')),
            ],
            options={
                'verbose_name': '汇补缴单',
                'verbose_name_plural': '汇补缴单',
            },
        ),
        migrations.CreateModel(
            name='RemittanceBillLine',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(verbose_name='缴存年月')),
                ('base', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='缴存基数')),
                ('unit_amount', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='单位缴存额')),
                ('member_amount', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='个人缴存额')),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='bill_lines', to='deposits.memberaccount')),
                ('bill', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='lines', to='deposits.remittancebill')),
            ],
            options={
                'verbose_name': '汇补缴明细',
                'verbose_name_plural': '汇补缴明细',
            },
        ),
        migrations.CreateModel(
            name='MonthlyDeposit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text='HBJNY；存为该月1日', verbose_name='缴存年月')),
                ('unit_amount', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='单位缴存额')),
                ('member_amount', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='个人缴存额')),
                ('base', models.DecimalField(blank=True, decimal_places=2, max_digits=18, null=True, verbose_name='缴存基数')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='monthly_deposits', to='deposits.memberaccount', verbose_name='个人账户')),
                ('entry', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='ledger.journalentry', verbose_name='记账凭证')),
                ('reversal', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='ledger.journalentry', verbose_name='冲正凭证')),
                ('bill_line', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='deposit', to='deposits.remittancebillline', verbose_name='缴存核定单明细')),
            ],
            options={
                'verbose_name': '月度缴存',
                'verbose_name_plural': '月度缴存',
            },
        ),
        migrations.CreateModel(
            name='UnitAccount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.CharField(help_text='DWZH', max_length=20, unique=True, verbose_name='单位账号')),
                ('state', models.CharField(choices=[('01', '正常'), ('02', '开户'), ('03', '缓缴'), ('04', '销户'), ('05', '封存')], default='01', max_length=2, verbose_name='单位账户状态')),
                ('unit_ratio', models.DecimalField(decimal_places=4, help_text='DWJCBL，如 0.1200', max_digits=5, verbose_name='单位缴存比例')),
                ('member_ratio', models.DecimalField(decimal_places=4, help_text='GRJCBL，如 0.1200', max_digits=5, verbose_name='个人缴存比例')),
                ('pay_day', models.PositiveSmallIntegerField(verbose_name='每月缴存日')),
                ('bank_name', models.CharField(max_length=60, verbose_name='缴存银行')),
                ('bank_account', models.CharField(max_length=32, verbose_name='单位银行账号')),
                ('opened_on', models.DateField(verbose_name='开户日期')),
                ('employer', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='account', to='people.employer', verbose_name='单位')),
                ('opened_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='经办人')),
            ],
            options={
                'verbose_name': '单位账户',
                'verbose_name_plural': '单位账户',
            },
        ),
        migrations.CreateModel(
            name='RemittanceCorrection',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='应退金额')),
                ('reason', models.CharField(max_length=500, verbose_name='更正原因')),
                ('corrected_at', models.DateTimeField(auto_now_add=True, verbose_name='更正时间')),
                ('bill', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='corrections', to='deposits.remittancebill', verbose_name='缴款单')),
                ('corrected_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更正人')),
                ('deposits', models.ManyToManyField(related_name='+', to='deposits.monthlydeposit', verbose_name='冲正的缴存')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='corrections', to='deposits.unitaccount', verbose_name='单位账户')),
            ],
            options={
                'verbose_name': '错缴更正退款',
                'verbose_name_plural': '错缴更正退款',
                'ordering': ['-id'],
            },
        ),
        migrations.AddField(
            model_name='remittancebill',
            name='unit',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='bills', to='deposits.unitaccount', verbose_name='单位账户'),
        ),
        migrations.AddField(
            model_name='memberaccount',
            name='unit',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='members', to='deposits.unitaccount', verbose_name='单位账户'),
        ),
        migrations.AddField(
            model_name='baseadjustmentbatch',
            name='unit',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='base_batches', to='deposits.unitaccount', verbose_name='单位账户'),
        ),
        migrations.CreateModel(
            name='ArrearsReminder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text='存为该月1日', verbose_name='催缴年月')),
                ('state', models.CharField(choices=[('pending', '待发送'), ('sending', '发送中'), ('sent', '已发送'), ('failed', '发送失败')], default='pending', max_length=10, verbose_name='状态')),
                ('months_owed', models.PositiveIntegerField(default=0, verbose_name='欠缴月数')),
                ('members_affected', models.PositiveIntegerField(default=0, verbose_name='涉及人数')),
                ('amount_owed', models.DecimalField(decimal_places=2, default=0, max_digits=18, verbose_name='估算欠缴金额')),
                ('phone', models.CharField(blank=True, max_length=20, verbose_name='接收号码')),
                ('message_id', models.CharField(blank=True, max_length=64, verbose_name='短信编号')),
                ('error', models.CharField(blank=True, max_length=300, verbose_name='失败原因')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='发送次数')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='生成时间')),
                ('claimed_at', models.DateTimeField(blank=True, null=True, verbose_name='开始发送时间')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='发送时间')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='arrears_reminders', to='deposits.unitaccount', verbose_name='单位账户')),
            ],
            options={
                'verbose_name': '催缴提醒',
                'verbose_name_plural': '催缴提醒',
                'ordering': ['-month', 'unit_id'],
            },
        ),
        migrations.CreateModel(
            name='AccountEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('business_type', models.CharField(choices=[('GJ04', '启封'), ('GJ05', '封存'), ('GJ06', '内部转移'), ('GJ12', '销户提取'), ('GJ13', '缓缴处理'), ('GJ14', '冻结'), ('GJ15', '解冻'), ('GJ99', '其他')], max_length=4, verbose_name='业务类型')),
                ('summary', models.CharField(max_length=60, verbose_name='摘要')),
                ('old_state', models.CharField(blank=True, max_length=2, verbose_name='原状态')),
                ('new_state', models.CharField(blank=True, max_length=2, verbose_name='新状态')),
                ('reason', models.CharField(blank=True, max_length=200, verbose_name='原因')),
                ('detail', models.JSONField(blank=True, default=dict, verbose_name='变更内容')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='办理时间')),
                ('actor', models.ForeignKey(blank=True, help_text='空为系统（到期自动处理）', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='经办人')),
                ('account', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='events', to='deposits.memberaccount', verbose_name='个人账户')),
                ('from_unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='deposits.unitaccount', verbose_name='转出单位')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='deposits.unitaccount', verbose_name='单位账户')),
            ],
            options={
                'verbose_name': '账户业务记录',
                'verbose_name_plural': '账户业务记录',
            },
        ),
        migrations.CreateModel(
            name='UnitApplication',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.CharField(max_length=24, unique=True, verbose_name='申请编号')),
                ('kind', models.CharField(choices=[('deferral', '缓缴'), ('ratio', '降低缴存比例')], max_length=10, verbose_name='申请类型')),
                ('state', models.CharField(choices=[('submitted', '待初审'), ('reviewed', '待审批'), ('approved', '已批准待生效'), ('in_effect', '执行中'), ('ended', '已到期'), ('rejected', '已驳回'), ('withdrawn', '已撤回')], default='submitted', max_length=10, verbose_name='状态')),
                ('start_month', models.DateField(help_text='存为该月1日', verbose_name='起始年月')),
                ('end_month', models.DateField(help_text='存为该月1日，含该月', verbose_name='截止年月')),
                ('reason', models.CharField(max_length=500, verbose_name='申请理由')),
                ('unit_ratio', models.DecimalField(blank=True, decimal_places=4, max_digits=5, null=True, verbose_name='申请单位缴存比例')),
                ('member_ratio', models.DecimalField(blank=True, decimal_places=4, max_digits=5, null=True, verbose_name='申请个人缴存比例')),
                ('previous_unit_ratio', models.DecimalField(blank=True, decimal_places=4, max_digits=5, null=True, verbose_name='原单位缴存比例')),
                ('previous_member_ratio', models.DecimalField(blank=True, decimal_places=4, max_digits=5, null=True, verbose_name='原个人缴存比例')),
                ('submitted_at', models.DateTimeField(auto_now_add=True, verbose_name='申请时间')),
                ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='初审时间')),
                ('review_opinion', models.CharField(blank=True, max_length=500, verbose_name='初审意见')),
                ('approved_at', models.DateTimeField(blank=True, null=True, verbose_name='审批时间')),
                ('approve_opinion', models.CharField(blank=True, max_length=500, verbose_name='审批意见')),
                ('effective_at', models.DateTimeField(blank=True, null=True, verbose_name='生效时间')),
                ('ended_at', models.DateTimeField(blank=True, null=True, verbose_name='到期时间')),
                ('backpay_state', models.CharField(blank=True, choices=[('', '无'), ('owed', '待补缴'), ('settled', '已补缴')], default='', help_text='批准后记为待补缴：缓缴或降比例期间少缴的月份，须日后以补缴方式缴清', max_length=8, verbose_name='补缴义务')),
                ('backpay_settled_at', models.DateTimeField(blank=True, null=True, verbose_name='补缴完成时间')),
                ('applicant', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='申请人')),
                ('approver', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='审批人')),
                ('reviewer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='初审人')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='applications', to='deposits.unitaccount', verbose_name='单位账户')),
            ],
            options={
                'verbose_name': '缓缴/降比例申请',
                'verbose_name_plural': '缓缴/降比例申请',
            },
        ),
        migrations.CreateModel(
            name='UnitOpeningRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('state', models.CharField(choices=[('pending', '待审核'), ('approved', '已开户'), ('rejected', '已退回')], default='pending', max_length=10, verbose_name='状态')),
                ('name', models.CharField(max_length=120, verbose_name='单位名称')),
                ('credit_code', models.CharField(max_length=18, verbose_name='统一社会信用代码')),
                ('address', models.CharField(blank=True, max_length=200, verbose_name='单位地址')),
                ('contact_name', models.CharField(blank=True, max_length=60, verbose_name='经办人')),
                ('contact_phone', models.CharField(blank=True, max_length=30, verbose_name='联系电话')),
                ('bank_name', models.CharField(max_length=60, verbose_name='缴存银行')),
                ('bank_account', models.CharField(max_length=32, verbose_name='单位银行账号')),
                ('unit_ratio', models.DecimalField(decimal_places=4, max_digits=5, verbose_name='单位缴存比例')),
                ('member_ratio', models.DecimalField(decimal_places=4, max_digits=5, verbose_name='个人缴存比例')),
                ('pay_day', models.PositiveSmallIntegerField(verbose_name='每月缴存日')),
                ('username', models.CharField(max_length=150, verbose_name='登录用户名')),
                ('operator_name', models.CharField(max_length=60, verbose_name='经办人姓名')),
                ('operator_phone', models.CharField(max_length=20, verbose_name='经办人手机号码')),
                ('password', models.CharField(max_length=128, verbose_name='登录密码（哈希）')),
                ('submitted_at', models.DateTimeField(auto_now_add=True, verbose_name='提交时间')),
                ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='审核时间')),
                ('opinion', models.CharField(blank=True, max_length=200, verbose_name='审核意见')),
                ('branch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.branch', verbose_name='所属管理部')),
                ('operator', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='经办人登录')),
                ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='审核人')),
                ('unit', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='opening_request', to='deposits.unitaccount', verbose_name='开立的单位账户')),
            ],
            options={
                'verbose_name': '单位网上开户申请',
                'verbose_name_plural': '单位网上开户申请',
            },
        ),
        migrations.CreateModel(
            name='UnitRatioChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('effective_month', models.DateField(help_text='存为该月1日', verbose_name='生效年月')),
                ('unit_ratio', models.DecimalField(decimal_places=4, max_digits=5, verbose_name='单位缴存比例')),
                ('member_ratio', models.DecimalField(decimal_places=4, max_digits=5, verbose_name='个人缴存比例')),
                ('source', models.CharField(choices=[('opening', '开户'), ('reduction', '降比例'), ('reduction_end', '降比例到期'), ('change', '变更')], max_length=16, verbose_name='来源')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='登记时间')),
                ('actor', models.ForeignKey(blank=True, help_text='空为系统（到期自动处理）', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='经办人')),
                ('application', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='deposits.unitapplication', verbose_name='降比例申请')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='ratio_changes', to='deposits.unitaccount', verbose_name='单位账户')),
            ],
            options={
                'verbose_name': '单位缴存比例变动',
                'verbose_name_plural': '单位缴存比例变动',
                'ordering': ['unit', 'effective_month', 'created_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='CrossRegionTransfer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('direction', models.CharField(choices=[('in', '转入'), ('out', '转出')], max_length=3, verbose_name='方向')),
                ('reference', models.CharField(max_length=32, unique=True, verbose_name='业务编号')),
                ('letter_number', models.CharField(blank=True, max_length=40, null=True, unique=True, verbose_name='联系函编号')),
                ('other_centre', models.CharField(max_length=120, verbose_name='对方中心')),
                ('other_account_number', models.CharField(blank=True, max_length=40, verbose_name='对方个人账号')),
                ('status', models.CharField(blank=True, choices=[('00', '正常办结'), ('01', '联系函复核通过'), ('02', '联系函确认接收'), ('05', '转入撤销办结'), ('06', '协商中'), ('08', '账户信息复核通过'), ('13', '转出审核不通过'), ('20', '协商后办结'), ('40', '转出失败办结')], max_length=2, verbose_name='平台状态')),
                ('status_message', models.CharField(blank=True, max_length=200, verbose_name='平台说明')),
                ('principal', models.DecimalField(blank=True, decimal_places=2, max_digits=18, null=True, verbose_name='本金')),
                ('interest', models.DecimalField(blank=True, decimal_places=2, max_digits=18, null=True, verbose_name='利息')),
                ('from_platform', models.BooleanField(default=False, verbose_name='平台来函')),
                ('other_bank_account', models.CharField(blank=True, max_length=32, verbose_name='转入中心收款账号')),
                ('letter_name', models.CharField(blank=True, max_length=60, verbose_name='来函姓名')),
                ('refuse_reason', models.CharField(blank=True, max_length=200, verbose_name='不予转出原因')),
                ('replied_at', models.DateTimeField(blank=True, null=True, verbose_name='答复平台时间')),
                ('funds_reported_at', models.DateTimeField(blank=True, null=True, verbose_name='划款报平台时间')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='申请时间')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='办结时间')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('entry', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='ledger.journalentry', verbose_name='入账凭证')),
                ('handled_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='办理人')),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='transfers', to='deposits.memberaccount', verbose_name='个人账户')),
            ],
            options={
                'verbose_name': '异地转移接续',
                'verbose_name_plural': '异地转移接续',
                'ordering': ['-id'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('finished_at__isnull', True)), fields=('account',), name='one_open_transfer_per_account')],
            },
        ),
        migrations.CreateModel(
            name='AccountMerge',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source_state', models.CharField(choices=[('01', '正常'), ('02', '封存'), ('03', '合并销户'), ('04', '外部转出销户'), ('05', '提取销户'), ('06', '冻结'), ('99', '其他')], max_length=2, verbose_name='并出账户原状态')),
                ('principal', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='并出余额（结息前）')),
                ('interest', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='结息')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='转入金额')),
                ('current_year', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='转入当年归集')),
                ('prior_year', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='转入上年结转')),
                ('reason', models.CharField(blank=True, max_length=200, verbose_name='原因')),
                ('merged_on', models.DateField(verbose_name='办理日期')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='办理时间')),
                ('actor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='经办人')),
                ('entry', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='ledger.journalentry', verbose_name='转移凭证')),
                ('interest_entry', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='ledger.journalentry', verbose_name='结息凭证')),
                ('source', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='merged_into', to='deposits.memberaccount', verbose_name='并出账户（合并销户）')),
                ('target', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='merges_in', to='deposits.memberaccount', verbose_name='并入账户')),
            ],
            options={
                'verbose_name': '合并销户',
                'verbose_name_plural': '合并销户',
                'ordering': ['-id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('source', models.F('target')), _negated=True), name='merge_source_is_not_target'), models.CheckConstraint(condition=models.Q(('amount', django.db.models.expressions.CombinedExpression(models.F('current_year'), '+', models.F('prior_year')))), name='merge_amount_is_split')],
            },
        ),
        migrations.AddConstraint(
            model_name='remittancebillline',
            constraint=models.UniqueConstraint(fields=('bill', 'account', 'month'), name='one_line_per_member_month'),
        ),
        migrations.AddConstraint(
            model_name='monthlydeposit',
            constraint=models.UniqueConstraint(condition=models.Q(('reversal__isnull', True)), fields=('account', 'month'), name='one_deposit_per_account_month'),
        ),
        migrations.AddConstraint(
            model_name='unitaccount',
            constraint=models.CheckConstraint(condition=models.Q(('pay_day__gte', 1), ('pay_day__lte', 28)), name='unit_pay_day_in_month'),
        ),
        migrations.AddConstraint(
            model_name='remittancecorrection',
            constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='correction_amount_positive'),
        ),
        migrations.AddIndex(
            model_name='remittancebill',
            index=models.Index(fields=['unit', 'month'], name='deposits_re_unit_id_8c6eeb_idx'),
        ),
        migrations.AddConstraint(
            model_name='remittancebill',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', '01'), models.Q(('state', 'cancelled'), _negated=True)), fields=('unit', 'month'), name='one_live_remit_bill'),
        ),
        migrations.AddConstraint(
            model_name='memberaccount',
            constraint=models.UniqueConstraint(condition=models.Q(('state__in', ['01', '02', '06'])), fields=('person',), name='one_active_account_per_person'),
        ),
        migrations.AddConstraint(
            model_name='arrearsreminder',
            constraint=models.UniqueConstraint(fields=('unit', 'month'), name='one_arrears_reminder_per_unit_month'),
        ),
        migrations.AddIndex(
            model_name='accountevent',
            index=models.Index(fields=['account', '-id'], name='deposits_ac_account_20e1ff_idx'),
        ),
        migrations.AddIndex(
            model_name='accountevent',
            index=models.Index(fields=['unit', '-id'], name='deposits_ac_unit_id_8a75b9_idx'),
        ),
        migrations.AddConstraint(
            model_name='unitapplication',
            constraint=models.UniqueConstraint(condition=models.Q(('state__in', ('submitted', 'reviewed', 'approved', 'in_effect'))), fields=('unit',), name='one_open_application_per_unit'),
        ),
        migrations.AddConstraint(
            model_name='unitapplication',
            constraint=models.CheckConstraint(condition=models.Q(('end_month__gte', models.F('start_month'))), name='application_period_order'),
        ),
        migrations.AddIndex(
            model_name='unitopeningrequest',
            index=models.Index(fields=['branch', 'state', '-id'], name='deposits_un_branch__f23b04_idx'),
        ),
        migrations.AddConstraint(
            model_name='unitopeningrequest',
            constraint=models.UniqueConstraint(condition=models.Q(('state', 'pending')), fields=('credit_code',), name='unit_opening_one_pending_code'),
        ),
        migrations.AddConstraint(
            model_name='unitopeningrequest',
            constraint=models.UniqueConstraint(condition=models.Q(('state', 'pending')), fields=('username',), name='unit_opening_one_pending_username'),
        ),
        migrations.AddIndex(
            model_name='unitratiochange',
            index=models.Index(fields=['unit', 'effective_month'], name='deposits_un_unit_id_438272_idx'),
        ),
        migrations.AddConstraint(
            model_name='unitratiochange',
            constraint=models.CheckConstraint(condition=models.Q(('effective_month__day', 1)), name='unit_ratio_change_first_of_month'),
        ),
        migrations.RunSQL(SEQUENCES, DROP_SEQUENCES),
    ]
