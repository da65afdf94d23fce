"""System checks (`manage.py check`, and every start of the web and worker processes)."""

from typing import Any

from django.core.checks import Error, Warning, register
from django.utils import timezone

from fund.workdays import calendar_covers


@register()
def holiday_calendar_is_current(app_configs: Any, **kwargs: Any) -> list[Warning]:
    """Deadlines count working days; without next year's holidays they would fall on a public holiday. A year
    staff entered on the 节假日安排 page counts as known (before migrations there is no table: not entered)."""
    year = timezone.localdate().year
    missing = [y for y in (year, year + 1) if not calendar_covers(y)]
    if not missing:
        return []
    return [
        Warning(
            f"chinesecalendar 不含 {'、'.join(map(str, missing))} 年的法定节假日安排，也未录入；这些年份按周一至周五计算工作日。",
            hint="国务院公布次年放假安排后，在综合窗口“节假日安排”（/staff/holidays/）录入，"
                 "或升级 chinesecalendar（pip install -U chinesecalendar）。",
            id="fund.W001",
        )
    ]


@register()
def integrations_configured(app_configs: Any, **kwargs: Any) -> list[Error]:
    """An outside system on "http" with no gateway address would start fine and then fail every call."""
    from django.conf import settings

    from fund.integrations import configuration_problems

    problems = configuration_problems(
        backend=getattr(settings, "FUND_INTEGRATIONS", "sandbox"),
        overrides=getattr(settings, "FUND_INTEGRATIONS_OVERRIDES", {}) or {},
        http_base=getattr(settings, "FUND_INTEGRATIONS_HTTP_BASE", ""),
    )
    return [
        Error(problem, hint="设置 FUND_INTEGRATIONS_HTTP_BASE 为数据共享前置机的地址（如 https://gateway.example/api），"
                            "或使用 FUND_INTEGRATIONS=sandbox。", id="fund.E001")
        for problem in problems
    ]
