"""Work items and status changes, squashed from 0001–0003 (issue 11): one initial migration instead of three."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('workflow', '0001_work_items'),
        ('workflow', '0002_chinese_field_names'),
        ('workflow', '0003_status_changes'),
    ]

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('people', '0001_squashed_0005_chinese_field_names'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='StatusChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('subject_id', models.PositiveBigIntegerField(verbose_name='业务编号')),
                ('field', models.CharField(max_length=40, verbose_name='状态字段')),
                ('old', models.CharField(max_length=40, verbose_name='原状态')),
                ('new', models.CharField(max_length=40, verbose_name='新状态')),
                ('action', models.CharField(max_length=80, verbose_name='操作')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='时间')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人')),
                ('subject_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype', verbose_name='业务类型')),
            ],
            options={
                'verbose_name': '状态变更',
                'verbose_name_plural': '状态变更',
                'ordering': ['id'],
                'indexes': [models.Index(fields=['subject_type', 'subject_id'], name='workflow_st_subject_69e8cf_idx')],
            },
        ),
        migrations.CreateModel(
            name='WorkItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('flow', models.CharField(max_length=40, verbose_name='流程')),
                ('step', models.CharField(max_length=20, verbose_name='环节')),
                ('step_label', models.CharField(max_length=20, verbose_name='环节名称')),
                ('subject_id', models.PositiveBigIntegerField(verbose_name='业务编号')),
                ('subject_label', models.CharField(max_length=200, verbose_name='业务')),
                ('state', models.CharField(choices=[('open', '待办'), ('done', '已办'), ('cancelled', '已撤销')], default='open', max_length=10, verbose_name='状态')),
                ('opened_at', models.DateTimeField(auto_now_add=True, verbose_name='到达时间')),
                ('due_on', models.DateField(verbose_name='办结时限')),
                ('acted_at', models.DateTimeField(blank=True, null=True, verbose_name='办理时间')),
                ('decision', models.CharField(blank=True, choices=[('pass', '同意'), ('reject', '不同意')], max_length=10, verbose_name='意见')),
                ('opinion', models.CharField(blank=True, max_length=500, verbose_name='审核意见')),
                ('acted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='办理人')),
                ('applicant', models.ForeignKey(blank=True, help_text='提交申请的人：不能审核自己的申请', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='申请/经办人')),
                ('branch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.branch', verbose_name='管理部')),
                ('subject_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype', verbose_name='业务类型')),
            ],
            options={
                'verbose_name': '待办事项',
                'verbose_name_plural': '待办事项',
                'ordering': ['due_on', 'id'],
                'indexes': [models.Index(fields=['subject_type', 'subject_id'], name='workflow_wo_subject_85c5cb_idx'), models.Index(fields=['state', 'branch'], name='workflow_wo_state_8d74d5_idx')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('state', 'open')), fields=('subject_type', 'subject_id'), name='workflow_one_open_step')],
            },
        ),
    ]
