"""节假日安排: the State Council's holiday schedule for a year, entered by staff when chinesecalendar does not
know the year yet (it stops at the last year published when the package was released).

Each entry is a version of one year's schedule: a new entry for the same year supersedes the old one from its
`effective_from` date, and nothing is ever deleted or changed, so the page shows every version and who entered
it. `fund.workdays` reads the version in force (fund.holidays.calendar).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class HolidaySchedule(models.Model):
    """One version of one year's schedule."""

    year = models.PositiveSmallIntegerField("年度")
    version = models.PositiveSmallIntegerField("版本", help_text="同一年度第几次录入，从 1 起")
    effective_from = models.DateField("启用日期", help_text="自此日起计算工作日按本版本；此前按上一版本或 chinesecalendar")
    notice = models.CharField("通知文号", max_length=60, blank=True, help_text="如：国办发明电〔2026〕7号")
    note = models.CharField("说明", max_length=200, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "节假日安排"
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="holiday_schedule_version_once"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="holiday_schedule_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.year} 年节假日安排（第 {self.version} 版）"


class DayKind(models.TextChoices):
    OFF = "off", "放假"
    WORK = "work", "调休上班"


class HolidayDay(models.Model):
    """A day the schedule names: a day off (放假, weekends inside a holiday included) or a make-up working day
    (调休上班, a Saturday or Sunday). Days it does not name follow the week: Monday to Friday work."""

    schedule = models.ForeignKey(HolidaySchedule, verbose_name="节假日安排", on_delete=models.PROTECT,
                                 related_name="days")
    day = models.DateField("日期")
    kind = models.CharField("类别", max_length=4, choices=DayKind.choices)
    name = models.CharField("节日", max_length=20, help_text="如：元旦、春节；调休上班日为所调休的节日")

    class Meta:
        verbose_name = verbose_name_plural = "节假日安排日期"
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["schedule", "day"], name="holiday_day_once_per_schedule")]

    def __str__(self) -> str:
        return f"{self.day} {self.name}{self.get_kind_display()}"
