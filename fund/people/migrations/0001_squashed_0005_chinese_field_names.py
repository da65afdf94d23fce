"""People, logins and branches, squashed from 0001–0005 (issue 11): one initial migration instead of five.

Dropped: 0003's port of DRF authtoken tokens into ApiToken. It only converted rows of a table a new database
does not have; an existing database has run it already.
"""

import django.contrib.auth.validators
import django.contrib.postgres.fields
import django.db.models.deletion
import django.utils.timezone
import fund.people.models
import fund.validation
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('people', '0001_initial'),
        ('people', '0002_passwordresetrequest'),
        ('people', '0003_api_tokens'),
        ('people', '0004_branch_text_validators'),
        ('people', '0005_chinese_field_names'),
    ]

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.CreateModel(
            name='Branch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=8, unique=True, verbose_name='编号')),
                ('name', models.CharField(max_length=60, unique=True, validators=[fund.validation.org_name_validator], verbose_name='名称')),
                ('address', models.CharField(blank=True, max_length=200, validators=[fund.validation.address_validator], verbose_name='地址')),
                ('phone', models.CharField(blank=True, max_length=30, validators=[fund.validation.one_line_validator], verbose_name='电话')),
            ],
            options={
                'verbose_name': '管理部',
                'verbose_name_plural': '管理部',
                'ordering': ['code'],
            },
        ),
        migrations.CreateModel(
            name='Developer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, verbose_name='企业名称')),
                ('credit_code', models.CharField(max_length=18, unique=True, validators=[fund.validation.credit_code_validator], verbose_name='统一社会信用代码')),
                ('contact_name', models.CharField(blank=True, max_length=60, verbose_name='联系人')),
                ('contact_phone', models.CharField(blank=True, max_length=30, verbose_name='联系电话')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='登记时间')),
            ],
            options={
                'verbose_name': '开发企业',
                'verbose_name_plural': '开发企业',
                'permissions': [('act_for_developer', '代表开发企业办理业务')],
            },
        ),
        migrations.CreateModel(
            name='User',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('password', models.CharField(max_length=128, verbose_name='password')),
                ('last_login', models.DateTimeField(blank=True, null=True, verbose_name='last login')),
                ('is_superuser', models.BooleanField(default=False, help_text='Designates that this user has all permissions without explicitly assigning them.', verbose_name='superuser status')),
                ('username', models.CharField(error_messages={'unique': 'A user with that username already exists.'}, help_text='Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.', max_length=150, unique=True, validators=[django.contrib.auth.validators.UnicodeUsernameValidator()], verbose_name='username')),
                ('first_name', models.CharField(blank=True, max_length=150, verbose_name='first name')),
                ('last_name', models.CharField(blank=True, max_length=150, verbose_name='last name')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='email address')),
                ('is_staff', models.BooleanField(default=False, help_text='Designates whether the user can log into this admin site.', verbose_name='staff status')),
                ('is_active', models.BooleanField(default=True, help_text='Designates whether this user should be treated as active. Unselect this instead of deleting accounts.', verbose_name='active')),
                ('date_joined', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date joined')),
                ('phone', models.CharField(blank=True, max_length=20, verbose_name='手机号码')),
                ('groups', models.ManyToManyField(blank=True, help_text='The groups this user belongs to. A user will get all permissions granted to each of their groups.', related_name='user_set', related_query_name='user', to='auth.group', verbose_name='groups')),
                ('user_permissions', models.ManyToManyField(blank=True, help_text='Specific permissions for this user.', related_name='user_set', related_query_name='user', to='auth.permission', verbose_name='user permissions')),
            ],
            options={
                'verbose_name': '用户',
                'verbose_name_plural': '用户',
                'abstract': False,
            },
            managers=[
                ('objects', fund.people.models.FundUserManager()),
            ],
        ),
        migrations.CreateModel(
            name='Employer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, verbose_name='单位名称')),
                ('credit_code', models.CharField(max_length=18, unique=True, validators=[fund.validation.credit_code_validator], verbose_name='统一社会信用代码')),
                ('address', models.CharField(blank=True, max_length=200, verbose_name='单位地址')),
                ('contact_name', models.CharField(blank=True, max_length=60, verbose_name='经办人')),
                ('contact_phone', models.CharField(blank=True, max_length=30, verbose_name='联系电话')),
                ('is_special', models.BooleanField(default=False, help_text='管理部为个体工商户、自由职业者设立的专户', verbose_name='灵活就业专户')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='登记时间')),
                ('branch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='employers', to='people.branch', verbose_name='所属管理部')),
            ],
            options={
                'verbose_name': '单位',
                'verbose_name_plural': '单位',
                'permissions': [('act_for_employer', '代表单位办理业务')],
            },
        ),
        migrations.CreateModel(
            name='LoginAttempt',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('username', models.CharField(db_index=True, max_length=150, verbose_name='登录名')),
                ('ip', models.GenericIPAddressField(blank=True, null=True, verbose_name='来源地址')),
                ('succeeded', models.BooleanField(verbose_name='成功')),
                ('at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='时间')),
            ],
            options={
                'verbose_name': '登录记录',
                'verbose_name_plural': '登录记录',
                'indexes': [models.Index(fields=['ip', 'at'], name='people_logi_ip_daca2e_idx')],
            },
        ),
        migrations.CreateModel(
            name='OneTimeCode',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('purpose', models.CharField(max_length=30)),
                ('code_hash', models.CharField(max_length=128)),
                ('expires_at', models.DateTimeField()),
                ('used_at', models.DateTimeField(blank=True, null=True)),
                ('attempts', models.PositiveSmallIntegerField(default=0)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='one_time_codes', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '短信验证码',
                'verbose_name_plural': '短信验证码',
            },
        ),
        migrations.CreateModel(
            name='PasswordResetRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('username', models.CharField(db_index=True, max_length=150)),
                ('ip', models.GenericIPAddressField(blank=True, null=True)),
                ('sent', models.BooleanField(default=False, verbose_name='已发送验证码')),
                ('at', models.DateTimeField(auto_now_add=True, db_index=True)),
            ],
            options={
                'verbose_name': '重置密码申请记录',
                'verbose_name_plural': '重置密码申请记录',
                'indexes': [models.Index(fields=['ip', 'at'], name='people_pass_ip_125e30_idx')],
            },
        ),
        migrations.CreateModel(
            name='Person',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('id_number', models.CharField(max_length=18, unique=True, validators=[fund.validation.resident_id_validator], verbose_name='身份证号码')),
                ('name', models.CharField(max_length=60, verbose_name='姓名')),
                ('sex', models.CharField(choices=[('1', '男'), ('2', '女')], max_length=1, verbose_name='性别')),
                ('birth_date', models.DateField(verbose_name='出生日期')),
                ('phone', models.CharField(blank=True, max_length=20, verbose_name='手机号码')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='登记时间')),
                ('branch', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='people', to='people.branch', verbose_name='所属管理部')),
            ],
            options={
                'verbose_name': '自然人',
                'verbose_name_plural': '自然人',
                'permissions': [('view_full_person', '查看完整个人信息')],
            },
        ),
        migrations.AddField(
            model_name='user',
            name='person',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='user', to='people.person', verbose_name='本人'),
        ),
        migrations.CreateModel(
            name='StaffProfile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('posts', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('accept', '受理'), ('review', '初审'), ('approve', '审批'), ('director', '分管副主任/主任'), ('finance', '财务'), ('loan_admin', '委贷管理'), ('risk', '风控/清收'), ('audit', '稽核')], max_length=16), default=list, size=None, verbose_name='岗位')),
                ('centre_wide', models.BooleanField(default=False, verbose_name='全中心范围')),
                ('employee_number', models.CharField(max_length=20, unique=True, verbose_name='工号')),
                ('branch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='staff', to='people.branch', verbose_name='管理部')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='staff_profile', to=settings.AUTH_USER_MODEL, verbose_name='用户')),
            ],
            options={
                'verbose_name': '工作人员',
                'verbose_name_plural': '工作人员',
            },
        ),
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=60, verbose_name='设备或客户端名称')),
                ('key_hash', models.CharField(max_length=64, unique=True)),
                ('prefix', models.CharField(help_text='用于辨认令牌，不能用于登录', max_length=8, verbose_name='令牌前几位')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='签发时间')),
                ('created_ip', models.GenericIPAddressField(blank=True, null=True, verbose_name='签发地址')),
                ('last_used_at', models.DateTimeField(blank=True, null=True, verbose_name='最近使用')),
                ('expires_at', models.DateTimeField(verbose_name='到期时间')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='撤销时间')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL, verbose_name='用户')),
            ],
            options={
                'verbose_name': '接口令牌',
                'verbose_name_plural': '接口令牌',
                'indexes': [models.Index(condition=models.Q(('revoked_at__isnull', True)), fields=['user', 'expires_at'], name='people_apitoken_active')],
            },
        ),
    ]
