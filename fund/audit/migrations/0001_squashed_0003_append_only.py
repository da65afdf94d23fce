"""Audit events and person views, squashed from 0001–0003 (issue 11): one initial migration instead of three.

Carried over: 0003's triggers that make both tables append-only.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


FORWARD = r"""
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_auditevent_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_personview_append_only BEFORE UPDATE OR DELETE ON audit_personview
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
"""

BACKWARD = r"""
DROP TRIGGER audit_personview_append_only ON audit_personview;
DROP TRIGGER audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION audit_refuse_change();
"""


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('audit', '0001_initial'),
        ('audit', '0002_initial'),
        ('audit', '0003_append_only'),
    ]

    dependencies = [
        ('people', '0001_squashed_0005_chinese_field_names'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PersonView',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='时间')),
                ('context', models.CharField(max_length=120, verbose_name='场景')),
                ('ip', models.GenericIPAddressField(blank=True, null=True, verbose_name='来源地址')),
                ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='查看人')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.person', verbose_name='被查看人')),
            ],
            options={
                'verbose_name': '个人信息查看记录',
                'verbose_name_plural': '个人信息查看记录',
                'ordering': ['-at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='时间')),
                ('action', models.CharField(db_index=True, help_text='带点号的操作代码，如 deposits.member.opened', max_length=80, verbose_name='操作')),
                ('target_type', models.CharField(max_length=80, verbose_name='对象类型')),
                ('target_id', models.CharField(max_length=64, verbose_name='对象编号')),
                ('target_repr', models.CharField(blank=True, max_length=200, verbose_name='对象')),
                ('old', models.JSONField(blank=True, null=True, verbose_name='原值')),
                ('new', models.JSONField(blank=True, null=True, verbose_name='新值')),
                ('reason', models.CharField(blank=True, max_length=500, verbose_name='原因')),
                ('ip', models.GenericIPAddressField(blank=True, null=True, verbose_name='来源地址')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人')),
            ],
            options={
                'verbose_name': '审计日志',
                'verbose_name_plural': '审计日志',
                'ordering': ['-at', '-id'],
                'indexes': [models.Index(fields=['target_type', 'target_id'], name='audit_audit_target__59bbff_idx')],
            },
        ),
        # The database refuses UPDATE and DELETE on both tables, whoever writes (old 0003_append_only).
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
