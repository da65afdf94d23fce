"""The periodic jobs (django-celery-beat) in Chinese."""

from typing import Any

from django.contrib import admin
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from .schedules import crontab_words, schedule_words, task_label

# The package's own admin names columns "Scheduler" and "Human readable", shows cron in English and task codes
# as they are; these subclasses keep its behaviour and speak Chinese. Its untranslated strings are in
# locale/zh_Hans.

_BEAT_LABELS = {
    "name": "名称", "regtask": "任务", "task": "任务代码", "enabled": "启用", "description": "说明",
    "interval": "间隔计划", "crontab": "定时计划", "solar": "日出日落计划", "clocked": "单次计划",
    "start_time": "开始时间", "one_off": "只运行一次", "args": "位置参数", "kwargs": "关键字参数",
    "expires": "截止时间", "expire_seconds": "过期秒数", "queue": "队列", "exchange": "交换机",
    "routing_key": "路由键", "headers": "消息头", "priority": "优先级", "last_run_at": "上次运行时间",
    "total_run_count": "已运行次数", "date_changed": "修改时间",
}


class PeriodicTaskChineseForm(beat_admin.PeriodicTaskForm):
    class Meta(beat_admin.PeriodicTaskForm.Meta):
        labels = _BEAT_LABELS
        help_texts = {name: "" for name in _BEAT_LABELS}


class TaskFilter(admin.SimpleListFilter):
    title = "任务"
    parameter_name = "task"

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, str]]:
        codes = PeriodicTask.objects.order_by("task").values_list("task", flat=True).distinct()
        return [(code, task_label(code)) for code in codes]

    def queryset(self, request: Any, queryset: Any) -> Any:
        return queryset.filter(task=self.value()) if self.value() else queryset


class PeriodicTaskChineseAdmin(beat_admin.PeriodicTaskAdmin):
    form = PeriodicTaskChineseForm
    list_display = ("task_name", "schedule_key", "enabled", "schedule", "last_run_at", "total_run_count")
    list_filter = ["enabled", "one_off", TaskFilter, "last_run_at"]

    readonly_fields = (*beat_admin.PeriodicTaskAdmin.readonly_fields, "task_name")

    def get_fieldsets(self, request: Any, obj: PeriodicTask | None = None) -> Any:
        """A reader sees the task by its name where an editor picks it from the registered ones."""
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_change_permission(request, obj):
            return fieldsets
        return [(title, {**options, "fields": tuple("task_name" if f == "regtask" else f for f in options["fields"])})
                for title, options in fieldsets]

    @admin.display(description="任务", ordering="task")
    def task_name(self, obj: PeriodicTask) -> str:
        return task_label(obj.task)

    @admin.display(description="调度编号", ordering="name")
    def schedule_key(self, obj: PeriodicTask) -> str:
        return obj.name

    @admin.display(description="执行计划")
    def schedule(self, obj: PeriodicTask) -> str:
        return schedule_words(obj)

    @admin.display(description="定时说明")
    def crontab_translation(self, obj: PeriodicTask) -> str:
        return crontab_words(obj.crontab) if obj.crontab_id else ""


class TaskInline(beat_admin.PeriodicTaskInline):
    fields = ("name", "task_name", "enabled")
    readonly_fields = fields

    @admin.display(description="任务")
    def task_name(self, obj: PeriodicTask) -> str:
        return task_label(obj.task)


class IntervalScheduleChineseAdmin(beat_admin.IntervalScheduleAdmin):
    inlines = [TaskInline]


class SolarScheduleChineseAdmin(beat_admin.SolarScheduleAdmin):
    inlines = [TaskInline]


class ClockedScheduleChineseAdmin(beat_admin.ClockedScheduleAdmin):
    inlines = [TaskInline]


class CrontabScheduleChineseAdmin(beat_admin.CrontabScheduleAdmin):
    list_display = ("__str__", "human_readable")
    inlines = [TaskInline]

    @admin.display(description="说明")
    def human_readable(self, obj: CrontabSchedule) -> str:
        return crontab_words(obj)


for _model, _admin in (
    (PeriodicTask, PeriodicTaskChineseAdmin), (CrontabSchedule, CrontabScheduleChineseAdmin),
    (IntervalSchedule, IntervalScheduleChineseAdmin), (SolarSchedule, SolarScheduleChineseAdmin),
    (ClockedSchedule, ClockedScheduleChineseAdmin),
):
    admin.site.unregister(_model)
    admin.site.register(_model, _admin)
