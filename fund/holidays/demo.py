"""Demo data of 节假日安排: this year's schedule entered as chinesecalendar has it (so the page shows a version, its
history and that it agrees with the package), by the director. Changes no working day."""

from typing import Any

from django.utils import timezone

from .selectors import package_periods
from .services import HolidayPeriod, holiday_schedule_enter


def seed(ctx: Any) -> None:
    # Entered today (the service refuses an earlier start), whatever date the demo's context stands on.
    year = timezone.localdate().year
    periods = [HolidayPeriod(**p) for p in package_periods(year)]
    if not periods:
        return
    holiday_schedule_enter(actor=ctx.staff["director"], year=year, periods=periods, effective_from=None,
                           note="演示：按 chinesecalendar 录入，与其一致")
