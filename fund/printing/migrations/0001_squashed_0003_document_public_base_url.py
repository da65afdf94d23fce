"""Printed documents, squashed from 0001–0003 (issue 11): one initial migration instead of three."""

import django.core.serializers.json
import django.db.models.deletion
import fund.printing.codes
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('printing', '0001_initial'),
        ('printing', '0002_document_content_hash'),
        ('printing', '0003_document_public_base_url'),
    ]

    dependencies = [
        ('people', '0001_squashed_0005_chinese_field_names'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Document',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(db_index=True, max_length=60, verbose_name='文件种类')),
                ('title', models.CharField(max_length=120, verbose_name='标题')),
                ('subject_label', models.CharField(blank=True, help_text='验证页面显示的对象，已脱敏，如“张*（110101********1234）”', max_length=120, verbose_name='所涉对象（脱敏）')),
                ('status', models.CharField(choices=[('pending', '排队中'), ('ready', '已生成'), ('failed', '生成失败')], default='pending', max_length=10, verbose_name='状态')),
                ('context', models.JSONField(blank=True, default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder, verbose_name='文件数据')),
                ('file', models.FileField(blank=True, upload_to='documents/%Y/%m/', verbose_name='PDF 文件')),
                ('sha256', models.CharField(blank=True, max_length=64, verbose_name='SHA-256 指纹')),
                ('content_hash', models.CharField(blank=True, db_index=True, help_text='种类、对象与文件数据的 SHA-256：同一天再次申请相同内容时直接给出这一份', max_length=64, verbose_name='内容指纹')),
                ('verification_code', models.CharField(default=fund.printing.codes.new_verification_code, editable=False, max_length=16, unique=True, verbose_name='验证码')),
                ('public_base_url', models.CharField(blank=True, editable=False, help_text='文件上验证网址与二维码的前缀，申请时按 FUND_PUBLIC_BASE_URL 或申请所用的网址确定', max_length=200, verbose_name='验证网址前缀')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='开具时间')),
                ('rendered_at', models.DateTimeField(blank=True, null=True, verbose_name='生成时间')),
                ('error', models.TextField(blank=True, verbose_name='错误信息')),
                ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='requested_documents', to=settings.AUTH_USER_MODEL, verbose_name='开具人')),
                ('subject', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='documents', to='people.person', verbose_name='所涉人员')),
            ],
            options={
                'verbose_name': '打印文件',
                'verbose_name_plural': '打印文件',
                'ordering': ['-created_at', '-id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('verification_code__regex', '^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{12}$')), name='printing_document_code_format'), models.CheckConstraint(condition=models.Q(models.Q(('status', 'ready'), _negated=True), models.Q(models.Q(('sha256', ''), _negated=True), models.Q(('file', ''), _negated=True)), _connector='OR'), name='printing_document_ready_has_file')],
            },
        ),
    ]
