"""What the auditor reads about the periodic jobs (django-celery-beat's tables): each job by its Chinese name,
and its schedule in words. Each app names the tasks it schedules (in its AppConfig.ready), as it names its
audit codes; a scheduled task without a name is caught by a test."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cron_descriptor import (
    ExpressionDescriptor,
    FormatException,
    MissingFieldException,
    Options,
    WrongArgumentException,
)

_TASKS: dict[str, str] = {}

_PERIODS = {"days": "天", "hours": "小时", "minutes": "分钟", "seconds": "秒", "microseconds": "微秒"}


def register_task_names(names: Mapping[str, str]) -> None:
    """Name Celery task codes: {"withdrawals.standing_run": "逐月提取"}."""
    _TASKS.update(names)


def task_known(code: str) -> bool:
    return code in _TASKS


def task_label(code: str) -> str:
    return _TASKS.get(code, code)


def crontab_words(crontab: Any) -> str:
    """A crontab row in Chinese ("在 09:30, 每月的 5 号"), or its expression when the describer cannot read it."""
    expression = " ".join(
        str(getattr(crontab, f)) for f in ("minute", "hour", "day_of_month", "month_of_year", "day_of_week")
    )
    options = Options()
    options.locale_code = "zh_CN"
    options.use_24hour_time_format = True
    try:
        return ExpressionDescriptor(expression, options).get_description()
    except (MissingFieldException, FormatException, WrongArgumentException):
        return expression


def schedule_words(task: Any) -> str:
    """When a periodic task runs, in words."""
    if task.interval_id:
        interval = task.interval
        return f"每 {interval.every} {_PERIODS.get(interval.period, interval.period)}"
    if task.crontab_id:
        return crontab_words(task.crontab)
    if task.clocked_id:
        return f"于 {task.clocked.clocked_time:%Y-%m-%d %H:%M} 运行一次"
    if task.solar_id:
        return "按日出日落时刻"
    return "未设置"
