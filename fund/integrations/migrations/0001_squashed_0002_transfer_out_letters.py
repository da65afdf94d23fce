"""The sandbox tables of the outside systems, squashed from 0001–0002 (issue 11): one initial migration."""

import django.contrib.postgres.fields
import django.core.serializers.json
import django.db.models.deletion
import django.db.models.functions.datetime
import fund.validation
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('integrations', '0001_initial'),
        ('integrations', '0002_transfer_out_letters'),
    ]

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='SandboxBankAccount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('account_number', models.CharField(max_length=32, unique=True, verbose_name='账号/卡号')),
                ('name', models.CharField(max_length=120, verbose_name='户名')),
                ('holder_id', models.CharField(blank=True, db_index=True, help_text='身份证号码或统一社会信用代码', max_length=18, verbose_name='证件号码')),
                ('reserved_phone', models.CharField(blank=True, max_length=20, verbose_name='预留手机号')),
                ('bank_name', models.CharField(blank=True, max_length=60, verbose_name='开户行')),
                ('balance', models.DecimalField(decimal_places=2, default=0, max_digits=16, verbose_name='余额（元）')),
                ('fail_payouts', models.BooleanField(default=False, help_text='勾选后向此账户付款一律失败', verbose_name='付款失败')),
                ('hold_payouts', models.BooleanField(default=False, help_text='勾选后向此账户付款停在处理中', verbose_name='付款挂起')),
                ('frozen', models.BooleanField(default=False, help_text='冻结账户不能扣款', verbose_name='冻结')),
            ],
            options={
                'verbose_name': '模拟银行-账户',
                'verbose_name_plural': '模拟银行-账户',
                'ordering': ['account_number'],
            },
        ),
        migrations.CreateModel(
            name='SandboxCreditReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('id_number', models.CharField(max_length=18, unique=True, verbose_name='身份证号码')),
                ('report_number', models.CharField(max_length=30, unique=True, verbose_name='报告编号')),
                ('acceptable', models.BooleanField(default=True, verbose_name='无不良记录')),
                ('remark', models.CharField(blank=True, max_length=200, verbose_name='说明')),
            ],
            options={
                'verbose_name': '模拟征信-信用报告',
                'verbose_name_plural': '模拟征信-信用报告',
                'ordering': ['id_number'],
            },
        ),
        migrations.CreateModel(
            name='SandboxDeedTax',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('voucher_number', models.CharField(max_length=30, unique=True, verbose_name='完税凭证号')),
                ('taxpayer_id_number', models.CharField(db_index=True, max_length=18, verbose_name='纳税人身份证号码')),
                ('address', models.CharField(max_length=200, verbose_name='房屋坐落')),
                ('tax_base', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='计税价格（元）')),
                ('tax_amount', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='契税税额（元）')),
                ('paid_on', models.DateField(verbose_name='缴税日期')),
            ],
            options={
                'verbose_name': '模拟税务-契税',
                'verbose_name_plural': '模拟税务-契税',
                'ordering': ['-paid_on', 'voucher_number'],
            },
        ),
        migrations.CreateModel(
            name='SandboxIdentity',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('id_number', models.CharField(max_length=18, unique=True, validators=[fund.validation.resident_id_validator], verbose_name='身份证号码')),
                ('name', models.CharField(max_length=60, verbose_name='姓名')),
                ('sex', models.CharField(choices=[('1', '男'), ('2', '女')], max_length=1, verbose_name='性别')),
                ('birth_date', models.DateField(verbose_name='出生日期')),
                ('death_date', models.DateField(blank=True, null=True, verbose_name='死亡日期')),
                ('hukou_city_code', models.CharField(max_length=6, verbose_name='户籍地行政区划代码')),
                ('hukou_city_name', models.CharField(max_length=40, verbose_name='户籍地')),
                ('hukou_address', models.CharField(blank=True, max_length=200, verbose_name='户籍地址')),
            ],
            options={
                'verbose_name': '模拟公安-人口信息',
                'verbose_name_plural': '模拟公安-人口信息',
                'ordering': ['id_number'],
            },
        ),
        migrations.CreateModel(
            name='SandboxIncomingLetter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('letter_number', models.CharField(max_length=32, unique=True, verbose_name='联系函编号')),
                ('id_number', models.CharField(db_index=True, max_length=18, verbose_name='身份证号码')),
                ('name', models.CharField(max_length=60, verbose_name='姓名')),
                ('to_centre', models.CharField(max_length=120, verbose_name='转入中心')),
                ('to_centre_account', models.CharField(max_length=32, verbose_name='转入中心收款账号')),
                ('to_account_number', models.CharField(blank=True, max_length=32, verbose_name='转入地个人账号')),
                ('status', models.CharField(choices=[('00', '正常办结'), ('01', '联系函复核通过'), ('02', '联系函确认接收'), ('05', '转入撤销办结'), ('06', '协商中'), ('08', '账户信息复核通过'), ('13', '转出审核不通过'), ('20', '协商后办结'), ('40', '转出失败办结')], default='01', max_length=2, verbose_name='状态')),
                ('status_message', models.CharField(blank=True, max_length=200, verbose_name='状态说明')),
                ('sent_at', models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), verbose_name='来函时间')),
                ('replied_at', models.DateTimeField(blank=True, null=True, verbose_name='答复时间')),
                ('reply_reason', models.CharField(blank=True, max_length=200, verbose_name='不予转出原因')),
                ('funds_principal', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='转移本金（元）')),
                ('funds_interest', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, verbose_name='转移利息（元）')),
                ('funds_bank_serial', models.CharField(blank=True, max_length=32, verbose_name='资金划转流水号')),
                ('funds_sent_at', models.DateTimeField(blank=True, null=True, verbose_name='资金划转时间')),
                ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='转入确认时间')),
            ],
            options={
                'verbose_name': '模拟转移接续-来函（转出）',
                'verbose_name_plural': '模拟转移接续-来函（转出）',
                'ordering': ['-sent_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='SandboxIncomingTransfer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('bank_serial', models.CharField(max_length=32, unique=True, verbose_name='银行流水号')),
                ('reference', models.CharField(blank=True, db_index=True, max_length=64, verbose_name='附言/业务编号')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=16, verbose_name='金额（元）')),
                ('payer_account', models.CharField(max_length=32, verbose_name='付款账号')),
                ('payer_name', models.CharField(max_length=120, verbose_name='付款户名')),
                ('received_at', models.DateTimeField(verbose_name='到账时间')),
            ],
            options={
                'verbose_name': '模拟银行-来账',
                'verbose_name_plural': '模拟银行-来账',
                'ordering': ['-received_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='SandboxInvoice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('invoice_number', models.CharField(max_length=30, unique=True, verbose_name='发票号码')),
                ('buyer_id_number', models.CharField(db_index=True, max_length=18, verbose_name='购买方身份证号码')),
                ('buyer_name', models.CharField(max_length=60, verbose_name='购买方')),
                ('seller_name', models.CharField(max_length=120, verbose_name='销售方')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='价税合计（元）')),
                ('issued_on', models.DateField(verbose_name='开票日期')),
                ('valid', models.BooleanField(default=True, help_text='作废或红冲的发票无效', verbose_name='有效')),
                ('address', models.CharField(blank=True, max_length=200, verbose_name='房屋坐落')),
            ],
            options={
                'verbose_name': '模拟税务-发票',
                'verbose_name_plural': '模拟税务-发票',
                'ordering': ['-issued_on', 'invoice_number'],
            },
        ),
        migrations.CreateModel(
            name='SandboxSms',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('message_id', models.CharField(max_length=32, unique=True, verbose_name='消息编号')),
                ('phone', models.CharField(db_index=True, max_length=20, verbose_name='手机号码')),
                ('text', models.CharField(max_length=500, verbose_name='内容')),
                ('sent_at', models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), verbose_name='发送时间')),
            ],
            options={
                'verbose_name': '模拟短信',
                'verbose_name_plural': '模拟短信',
                'ordering': ['-sent_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='SandboxSocialInsurance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('id_number', models.CharField(max_length=18, unique=True, verbose_name='身份证号码')),
                ('months_local', models.PositiveIntegerField(verbose_name='本市累计缴费月数')),
                ('employer_credit_code', models.CharField(blank=True, max_length=18, verbose_name='当前参保单位统一社会信用代码')),
                ('employer_name', models.CharField(blank=True, max_length=120, verbose_name='当前参保单位')),
                ('retired_on', models.DateField(blank=True, null=True, verbose_name='退休日期')),
            ],
            options={
                'verbose_name': '模拟社保-参保信息',
                'verbose_name_plural': '模拟社保-参保信息',
                'ordering': ['id_number'],
            },
        ),
        migrations.CreateModel(
            name='SandboxTransferLetter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('letter_number', models.CharField(max_length=32, unique=True, verbose_name='联系函编号')),
                ('reference', models.CharField(max_length=64, unique=True, verbose_name='业务编号')),
                ('id_number', models.CharField(db_index=True, max_length=18, verbose_name='身份证号码')),
                ('name', models.CharField(max_length=60, verbose_name='姓名')),
                ('from_centre', models.CharField(max_length=120, verbose_name='转出中心')),
                ('from_account_number', models.CharField(blank=True, max_length=32, verbose_name='转出地个人账号')),
                ('to_account_number', models.CharField(blank=True, max_length=32, verbose_name='转入地个人账号')),
                ('status', models.CharField(choices=[('00', '正常办结'), ('01', '联系函复核通过'), ('02', '联系函确认接收'), ('05', '转入撤销办结'), ('06', '协商中'), ('08', '账户信息复核通过'), ('13', '转出审核不通过'), ('20', '协商后办结'), ('40', '转出失败办结')], default='01', max_length=2, verbose_name='状态')),
                ('status_message', models.CharField(blank=True, max_length=200, verbose_name='状态说明')),
                ('sent_at', models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), verbose_name='发函时间')),
                ('funds_principal', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='转移本金（元）')),
                ('funds_interest', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, verbose_name='转移利息（元）')),
                ('funds_transferred_at', models.DateTimeField(blank=True, null=True, verbose_name='资金划转时间')),
                ('funds_bank_serial', models.CharField(blank=True, max_length=32, verbose_name='资金划转流水号')),
                ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='转入确认时间')),
            ],
            options={
                'verbose_name': '模拟转移接续-联系函',
                'verbose_name_plural': '模拟转移接续-联系函',
                'ordering': ['-sent_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='IntegrationCall',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='时间')),
                ('system', models.CharField(choices=[('identity', '公安（身份与户籍）'), ('marriage', '民政（婚姻登记）'), ('property', '不动产登记'), ('tax', '税务'), ('social_insurance', '社保'), ('credit', '人行征信'), ('bank', '委托银行'), ('sms', '短信网关'), ('transfer', '全国转移接续平台')], max_length=20, verbose_name='外部系统')),
                ('operation', models.CharField(max_length=40, verbose_name='操作')),
                ('backend', models.CharField(help_text='sandbox 或 http', max_length=10, verbose_name='实现')),
                ('reference', models.CharField(blank=True, db_index=True, max_length=100, verbose_name='业务标识')),
                ('request', models.JSONField(default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder, verbose_name='请求')),
                ('response', models.JSONField(blank=True, encoder=django.core.serializers.json.DjangoJSONEncoder, null=True, verbose_name='响应')),
                ('ok', models.BooleanField(verbose_name='成功')),
                ('error', models.TextField(blank=True, verbose_name='错误信息')),
                ('latency_ms', models.FloatField(verbose_name='耗时（毫秒）')),
            ],
            options={
                'verbose_name': '外部系统调用记录',
                'verbose_name_plural': '外部系统调用记录',
                'ordering': ['-at', '-id'],
                'indexes': [models.Index(fields=['system', 'operation', '-at'], name='integration_system_0445a0_idx')],
            },
        ),
        migrations.CreateModel(
            name='SandboxBankPayment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reference', models.CharField(max_length=64, unique=True, verbose_name='业务编号')),
                ('kind', models.CharField(choices=[('payout', '付款'), ('collect', '委托收款')], max_length=10, verbose_name='类型')),
                ('account_number', models.CharField(max_length=32, verbose_name='账号/卡号')),
                ('name', models.CharField(max_length=120, verbose_name='户名')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=16, verbose_name='金额（元）')),
                ('purpose', models.CharField(blank=True, max_length=100, verbose_name='用途')),
                ('status', models.CharField(choices=[('pending', '处理中'), ('succeeded', '成功'), ('failed', '失败')], max_length=10, verbose_name='状态')),
                ('reason', models.CharField(blank=True, max_length=200, verbose_name='失败原因')),
                ('bank_serial', models.CharField(max_length=32, unique=True, verbose_name='银行流水号')),
                ('created_at', models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), verbose_name='受理时间')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='完成时间')),
            ],
            options={
                'verbose_name': '模拟银行-收付款',
                'verbose_name_plural': '模拟银行-收付款',
                'ordering': ['-created_at', '-id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='sandbox_payment_positive')],
            },
        ),
        migrations.CreateModel(
            name='SandboxCreditLoan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('lender', models.CharField(max_length=120, verbose_name='贷款机构')),
                ('kind', models.CharField(choices=[('commercial', '商业贷款'), ('fund', '公积金贷款'), ('other', '其他贷款')], max_length=12, verbose_name='贷款种类')),
                ('for_housing', models.BooleanField(default=True, verbose_name='住房贷款')),
                ('monthly_instalment', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='月还款额（元）')),
                ('balance', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='余额（元）')),
                ('overdue_count', models.PositiveIntegerField(default=0, verbose_name='逾期次数')),
                ('settled', models.BooleanField(default=False, verbose_name='已结清')),
                ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='loans', to='integrations.sandboxcreditreport', verbose_name='信用报告')),
            ],
            options={
                'verbose_name': '模拟征信-贷款记录',
                'verbose_name_plural': '模拟征信-贷款记录',
            },
        ),
        migrations.CreateModel(
            name='SandboxHome',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('certificate_number', models.CharField(max_length=60, unique=True, verbose_name='不动产权证号')),
                ('owner_id_numbers', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=18), help_text='共有人以逗号分隔', size=None, verbose_name='权利人身份证号码')),
                ('address', models.CharField(max_length=200, verbose_name='坐落')),
                ('city_code', models.CharField(max_length=6, verbose_name='所在地行政区划代码')),
                ('area', models.DecimalField(decimal_places=2, max_digits=8, verbose_name='建筑面积（㎡）')),
                ('price', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='成交价格（元）')),
                ('registered_on', models.DateField(verbose_name='登记日期')),
            ],
            options={
                'verbose_name': '模拟不动产-房屋登记',
                'verbose_name_plural': '模拟不动产-房屋登记',
                'ordering': ['certificate_number'],
                'indexes': [models.Index(fields=['owner_id_numbers'], name='sandbox_home_owners')],
            },
        ),
        migrations.CreateModel(
            name='SandboxHouseholdRelation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('parent_id_number', models.CharField(db_index=True, max_length=18, verbose_name='父/母身份证号码')),
                ('child_id_number', models.CharField(db_index=True, max_length=18, verbose_name='子女身份证号码')),
            ],
            options={
                'verbose_name': '模拟公安-亲属关系',
                'verbose_name_plural': '模拟公安-亲属关系',
                'constraints': [models.UniqueConstraint(fields=('parent_id_number', 'child_id_number'), name='sandbox_relation_unique'), models.CheckConstraint(condition=models.Q(('parent_id_number', models.F('child_id_number')), _negated=True), name='sandbox_relation_not_self')],
            },
        ),
        migrations.CreateModel(
            name='SandboxMarriage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('party_a', models.CharField(db_index=True, max_length=18, verbose_name='一方身份证号码')),
                ('party_b', models.CharField(db_index=True, max_length=18, verbose_name='另一方身份证号码')),
                ('married_on', models.DateField(verbose_name='结婚登记日期')),
                ('ended_on', models.DateField(blank=True, null=True, verbose_name='解除日期')),
                ('ended_by', models.CharField(blank=True, choices=[('divorce', '离婚'), ('death', '配偶死亡')], max_length=10, verbose_name='解除原因')),
            ],
            options={
                'verbose_name': '模拟民政-婚姻登记',
                'verbose_name_plural': '模拟民政-婚姻登记',
                'ordering': ['-married_on', '-id'],
                'constraints': [models.UniqueConstraint(fields=('party_a', 'party_b', 'married_on'), name='sandbox_marriage_unique'), models.CheckConstraint(condition=models.Q(('party_a', models.F('party_b')), _negated=True), name='sandbox_marriage_two_people'), models.CheckConstraint(condition=models.Q(models.Q(('ended_by', ''), ('ended_on__isnull', True)), models.Q(('ended_on__isnull', False), models.Q(('ended_by', ''), _negated=True)), _connector='OR'), name='sandbox_marriage_end_has_reason')],
            },
        ),
        migrations.CreateModel(
            name='SandboxMortgage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('mortgage_number', models.CharField(max_length=80, unique=True, verbose_name='不动产登记证明号')),
                ('kind', models.CharField(choices=[('pre', '预抵押'), ('mortgage', '抵押')], max_length=10, verbose_name='类型')),
                ('mortgagee', models.CharField(max_length=120, verbose_name='抵押权人')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='担保金额（元）')),
                ('reference', models.CharField(max_length=64, unique=True, verbose_name='业务编号')),
                ('registered_at', models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), verbose_name='登记时间')),
                ('released_at', models.DateTimeField(blank=True, null=True, verbose_name='注销时间')),
                ('home', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='mortgages', to='integrations.sandboxhome', verbose_name='房屋')),
            ],
            options={
                'verbose_name': '模拟不动产-抵押登记',
                'verbose_name_plural': '模拟不动产-抵押登记',
                'ordering': ['-registered_at', '-id'],
            },
        ),
    ]
