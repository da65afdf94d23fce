"""预约服务: each branch's service hours as data, bookings of a slot for a catalogue item, and door-to-door service.

- Hours: a weekly pattern (`ServicePeriod`: a weekday, from–to, slot length, seats per slot, and its label —
  工作日, 周末不打烊, 午间不打烊) and dated exceptions (`HoursException`: a holiday the branch opens, a working day
  it closes). Exceptions of a day replace the pattern for that day; a public holiday has no slots unless an
  exception opens it; a make-up working day (调休) opens with the working-day pattern (fund.appointments.hours).
- Booking: one `Slot` row per branch, day and start time counts the seats taken; a booking locks it
  (SELECT … FOR UPDATE) and takes a seat only while `booked < capacity`, so racing bookers never over-book.
  A person (or unit) holds one active booking per item and day (partial unique indexes).
- Door-to-door (`HomeVisit`): requested for an elderly or ill member, assigned to staff of the branch, scheduled,
  and finished 办结/未办结 with what was done; its statuses move by `HOME_VISIT_MOVES`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from fund.workflow.moves import MoveTable


class PeriodLabel(models.TextChoices):
    WORKDAY = "workday", "工作日"
    WEEKEND = "weekend", "周末不打烊"
    LUNCH = "lunch", "午间不打烊"
    HOLIDAY = "holiday", "节假日不打烊"


WEEKDAYS = ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"]


class ServicePeriod(models.Model):
    """One period of a branch's weekly pattern: on `weekday`, from `start` to `end`, slots of `slot_minutes`, each
    with `capacity` seats."""

    branch = models.ForeignKey("people.Branch", verbose_name="管理部", on_delete=models.PROTECT, related_name="+")
    weekday = models.PositiveSmallIntegerField("星期", choices=list(enumerate(WEEKDAYS)))
    start = models.TimeField("开始时间")
    end = models.TimeField("结束时间")
    slot_minutes = models.PositiveSmallIntegerField("每个时段（分钟）")
    capacity = models.PositiveSmallIntegerField("每时段可预约人数")
    label = models.CharField("类别", max_length=10, choices=PeriodLabel.choices, default=PeriodLabel.WORKDAY)
    created_at = models.DateTimeField("设置时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "服务时间"
        ordering = ["branch", "weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="appointments_period_ends_after_start"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="appointments_period_weekday"),
            models.CheckConstraint(condition=Q(slot_minutes__gte=5) & Q(capacity__gte=1),
                                   name="appointments_period_slot_and_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.branch} {WEEKDAYS[self.weekday]} {self.start:%H:%M}-{self.end:%H:%M}"


class HoursException(models.Model):
    """A dated change of a branch's hours: `closed` (a working day it does not open), or one open period on a
    day (a holiday it opens; several rows give several periods). A day's exceptions replace its pattern."""

    branch = models.ForeignKey("people.Branch", verbose_name="管理部", on_delete=models.PROTECT, related_name="+")
    day = models.DateField("日期")
    closed = models.BooleanField("当日不开放", default=False)
    start = models.TimeField("开始时间", null=True, blank=True)
    end = models.TimeField("结束时间", null=True, blank=True)
    slot_minutes = models.PositiveSmallIntegerField("每个时段（分钟）", null=True, blank=True)
    capacity = models.PositiveSmallIntegerField("每时段可预约人数", null=True, blank=True)
    label = models.CharField("类别", max_length=10, choices=PeriodLabel.choices, default=PeriodLabel.HOLIDAY)
    note = models.CharField("说明", max_length=60, blank=True)
    created_at = models.DateTimeField("设置时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "服务时间例外"
        ordering = ["branch", "day", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed=True, start__isnull=True, end__isnull=True)
                | Q(closed=False, start__isnull=False, end__gt=F("start"), slot_minutes__gte=5, capacity__gte=1),
                name="appointments_exception_closed_or_period"),
        ]
        indexes = [models.Index(fields=["branch", "day"], name="appointments_exception_day")]

    def __str__(self) -> str:
        return f"{self.branch} {self.day:%Y-%m-%d} {'不开放' if self.closed else f'{self.start:%H:%M}-{self.end:%H:%M}'}"


class Slot(models.Model):
    """The seat counter of one slot (branch, day, start): the row a booking locks. Made when first booked."""

    branch = models.ForeignKey("people.Branch", verbose_name="管理部", on_delete=models.PROTECT, related_name="+")
    day = models.DateField("日期")
    start = models.TimeField("开始时间")
    end = models.TimeField("结束时间")
    capacity = models.PositiveSmallIntegerField("可预约人数")
    booked = models.PositiveSmallIntegerField("已预约人数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "预约时段"
        ordering = ["branch", "day", "start"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "day", "start"], name="appointments_one_slot"),
            # The database's last word: a bug elsewhere still cannot over-book.
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="appointments_slot_not_overbooked"),
        ]

    def __str__(self) -> str:
        return f"{self.branch} {self.day:%Y-%m-%d} {self.start:%H:%M}"


class BookingState(models.TextChoices):
    BOOKED = "booked", "已预约"
    ARRIVED = "arrived", "已签到"
    SERVED = "served", "已办理"
    CANCELLED = "cancelled", "已取消"
    MOVED = "moved", "已改约"
    NO_SHOW = "no_show", "爽约"


ACTIVE_STATES = (BookingState.BOOKED, BookingState.ARRIVED)


class Booking(models.Model):
    number = models.CharField("预约号", max_length=20, unique=True)
    slot = models.ForeignKey(Slot, verbose_name="时段", on_delete=models.PROTECT, related_name="bookings")
    branch = models.ForeignKey("people.Branch", verbose_name="管理部", on_delete=models.PROTECT, related_name="+")
    day = models.DateField("日期")
    start = models.TimeField("开始时间")
    end = models.TimeField("结束时间")
    item_code = models.CharField("事项编码", max_length=20)
    item_name = models.CharField("事项", max_length=100)
    person = models.ForeignKey("people.Person", verbose_name="预约人", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+")
    employer = models.ForeignKey("people.Employer", verbose_name="预约单位", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+")
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="预约账号", on_delete=models.PROTECT,
                                  related_name="+")
    phone = models.CharField("短信号码", max_length=20, blank=True)
    state = models.CharField("状态", max_length=10, choices=BookingState.choices, default=BookingState.BOOKED)
    moved_from = models.OneToOneField("self", verbose_name="原预约", on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="moved_to")
    created_at = models.DateTimeField("预约时间", auto_now_add=True)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    arrived_at = models.DateTimeField("签到时间", null=True, blank=True)
    served_at = models.DateTimeField("办理时间", null=True, blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="窗口经办", on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "预约"
        ordering = ["day", "start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(person__isnull=False) | Q(employer__isnull=False),
                                   name="appointments_booking_has_applicant"),
            models.UniqueConstraint(fields=["person", "item_code", "day"], name="appointments_one_per_person_item_day",
                                    condition=Q(state__in=ACTIVE_STATES, person__isnull=False)),
            models.UniqueConstraint(fields=["employer", "item_code", "day"],
                                    name="appointments_one_per_unit_item_day",
                                    condition=Q(state__in=ACTIVE_STATES, person__isnull=True)),
        ]
        indexes = [
            models.Index(fields=["branch", "day", "start"], name="appointments_booking_day"),
            models.Index(fields=["person", "state", "day"], name="appointments_booking_person"),
            models.Index(fields=["employer", "state", "day"], name="appointments_booking_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.item_name}"

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES


BOOKING_MOVES = MoveTable(Booking, noun="预约", moves={
    BookingState.BOOKED: {BookingState.ARRIVED, BookingState.SERVED, BookingState.CANCELLED, BookingState.MOVED,
                          BookingState.NO_SHOW},
    BookingState.ARRIVED: {BookingState.SERVED},
})


class VisitReason(models.TextChoices):
    ELDERLY = "elderly", "高龄"
    ILL = "ill", "重病或住院"
    DISABLED = "disabled", "残疾或行动不便"


class Requester(models.TextChoices):
    SELF = "self", "本人"
    RELATIVE = "relative", "亲属"
    STAFF = "staff", "工作人员代登记"


class VisitState(models.TextChoices):
    REQUESTED = "requested", "待分派"
    ASSIGNED = "assigned", "已分派"
    SCHEDULED = "scheduled", "已约定上门"
    DONE = "done", "已办结"
    NOT_DONE = "not_done", "未办结"
    CANCELLED = "cancelled", "已取消"


class HomeVisit(models.Model):
    """上门服务: a request for an elderly or ill member, and what came of it."""

    number = models.CharField("申请编号", max_length=20, unique=True)
    branch = models.ForeignKey("people.Branch", verbose_name="管理部", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", verbose_name="服务对象", on_delete=models.PROTECT, related_name="+")
    requester = models.CharField("申请人", max_length=10, choices=Requester.choices)
    relation = models.CharField("与服务对象关系", max_length=20, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记账号", on_delete=models.PROTECT,
                                     related_name="+")
    reason = models.CharField("原因", max_length=10, choices=VisitReason.choices)
    item_code = models.CharField("事项编码", max_length=20, blank=True)
    item_name = models.CharField("事项", max_length=100, blank=True)
    description = models.CharField("需求说明", max_length=300)
    contact_name = models.CharField("联系人", max_length=60)
    contact_phone = models.CharField("联系电话", max_length=20)
    address = models.CharField("上门地址", max_length=200)
    state = models.CharField("状态", max_length=10, choices=VisitState.choices, default=VisitState.REQUESTED)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上门人员", on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    scheduled_on = models.DateField("上门日期", null=True, blank=True)
    scheduled_time = models.CharField("上门时间", max_length=20, blank=True)
    outcome_note = models.CharField("办理情况", max_length=300, blank=True)
    done_what = models.CharField("办理事项", max_length=200, blank=True)
    finished_at = models.DateTimeField("办结时间", null=True, blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "上门服务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["branch", "state"], name="appointments_visit_branch")]

    def __str__(self) -> str:
        return f"{self.number} {self.person}"


HOME_VISIT_MOVES = MoveTable(HomeVisit, noun="上门服务申请", moves={
    VisitState.REQUESTED: {VisitState.ASSIGNED, VisitState.CANCELLED},
    VisitState.ASSIGNED: {VisitState.ASSIGNED, VisitState.SCHEDULED, VisitState.CANCELLED},
    VisitState.SCHEDULED: {VisitState.ASSIGNED, VisitState.SCHEDULED, VisitState.DONE, VisitState.NOT_DONE,
                           VisitState.CANCELLED},
    VisitState.NOT_DONE: {VisitState.SCHEDULED},
})
