"""System checks (`manage.py check`, and every start of the web and worker processes)."""

from typing import Any

from django.core.checks import Warning, register
from django.utils import timezone

from fund.workdays import calendar_covers


@register()
def holiday_calendar_is_current(app_configs: Any, **kwargs: Any) -> list[Warning]:
    """Deadlines count working days; without next year's holidays they would fall on a public holiday."""
    year = timezone.localdate().year
    missing = [y for y in (year, year + 1) if not calendar_covers(y)]
    if not missing:
        return []
    return [
        Warning(
            f"chinesecalendar 不含 {'、'.join(map(str, missing))} 年的法定节假日安排；这些年份按周一至周五计算工作日。",
            hint="国务院公布次年放假安排后，升级 chinesecalendar（pip install -U chinesecalendar）。",
            id="fund.W001",
        )
    ]
