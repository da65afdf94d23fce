"""预约服务's API: the same selectors and services as the pages. Hours and free seats are public; bookings are the
member's or unit's own (staff see their branch's); the day view, marking and the hours editor are staff's;
上门服务 as on the pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import MonthField, Pagination, choices_help, paginated, validated
from fund.people.models import Branch
from fund.people.roles import roles_of
from fund.people.selectors import get_or_404, scoped

from . import selectors as sel
from .models import BookingState, HoursException, PeriodLabel, ServicePeriod, VisitReason, VisitState
from .services.booking import booking_cancel, booking_create, booking_mark, booking_move
from .services.hours import (
    hours_exception_add,
    hours_exception_remove,
    service_period_add,
    service_period_remove,
)
from .services.visits import (
    home_visit_assign,
    home_visit_cancel,
    home_visit_finish,
    home_visit_request,
    home_visit_schedule,
)

STATE_HELP = choices_help(BookingState.choices)
LABEL_HELP = choices_help(PeriodLabel.choices)
VISIT_HELP = choices_help(VisitState.choices)


class PeriodOutput(serializers.Serializer):
    id = serializers.IntegerField()
    weekday = serializers.IntegerField(label="星期", help_text="0 星期一 … 6 星期日")
    start = serializers.TimeField(label="开始时间", format="%H:%M")
    end = serializers.TimeField(label="结束时间", format="%H:%M")
    slot_minutes = serializers.IntegerField(label="每个时段（分钟）")
    capacity = serializers.IntegerField(label="每时段可预约人数")
    period_kind = serializers.CharField(source="label", label="类别代码", help_text=LABEL_HELP)


class ExceptionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    day = serializers.DateField(label="日期")
    closed = serializers.BooleanField(label="当日不开放")
    start = serializers.TimeField(label="开始时间", format="%H:%M", allow_null=True)
    end = serializers.TimeField(label="结束时间", format="%H:%M", allow_null=True)
    slot_minutes = serializers.IntegerField(label="每个时段（分钟）", allow_null=True)
    capacity = serializers.IntegerField(label="每时段可预约人数", allow_null=True)
    period_kind = serializers.CharField(source="label", label="类别代码", help_text=LABEL_HELP)
    note = serializers.CharField(label="说明")


class BranchHoursOutput(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField(label="管理部编号")
    name = serializers.CharField(label="管理部")
    address = serializers.CharField(label="地址")
    phone = serializers.CharField(label="电话")
    periods = PeriodOutput(many=True, label="每周服务时间")
    exceptions = ExceptionOutput(many=True, label="今天起的例外")


class SlotOutput(serializers.Serializer):
    start = serializers.TimeField(label="开始时间", format="%H:%M")
    end = serializers.TimeField(label="结束时间", format="%H:%M")
    capacity = serializers.IntegerField(label="名额")
    remaining = serializers.IntegerField(label="剩余名额")
    period_kind = serializers.CharField(source="label", label="类别代码", help_text=LABEL_HELP)
    bookable = serializers.BooleanField(label="可预约", help_text="有剩余名额且尚未开始")


class DaySlotsOutput(serializers.Serializer):
    day = serializers.DateField(label="日期")
    note = serializers.CharField(label="说明", help_text="工作日、周末、法定节假日、例外的说明等")
    slots = SlotOutput(many=True, label="时段")


class BookingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(label="预约号")
    branch = serializers.CharField(source="branch.name", label="管理部")
    branch_id = serializers.IntegerField(label="管理部编号")
    address = serializers.CharField(source="branch.address", label="地址")
    day = serializers.DateField(label="日期")
    start = serializers.TimeField(label="开始时间", format="%H:%M")
    end = serializers.TimeField(label="结束时间", format="%H:%M")
    item_code = serializers.CharField(label="事项编码")
    item_name = serializers.CharField(label="事项")
    applicant = serializers.SerializerMethodField(label="预约人或单位")
    state = serializers.CharField(label="状态代码", help_text=STATE_HELP)
    state_label = serializers.CharField(source="get_state_display", label="状态")
    moved_from = serializers.CharField(source="moved_from.number", allow_null=True, default=None, label="原预约号")
    created_at = serializers.DateTimeField(label="预约时间")

    def get_applicant(self, obj: Any) -> str:
        return obj.person.name if obj.person_id else obj.employer.name


def _query(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _require_staff(request: Request) -> None:
    if not roles_of(request.user).is_staff:
        raise Http404


class HoursApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=BranchHoursOutput(many=True), summary="各管理部服务时间（公开）")
    def get(self, request: Request) -> Response:
        rows = [{"id": b.pk, "code": b.code, "name": b.name, "address": b.address, "phone": b.phone,
                 **sel.hours_of(b.pk)} for b in sel.branches_public()]
        return Response(BranchHoursOutput(rows, many=True).data)


class SlotsApi(APIView):
    permission_classes = [AllowAny]

    class QuerySerializer(serializers.Serializer):
        branch = serializers.IntegerField(label="管理部编号")
        day = serializers.DateField(label="日期")

    @extend_schema(parameters=[QuerySerializer], responses=DaySlotsOutput, summary="某管理部某日的预约时段与剩余名额（公开）")
    def get(self, request: Request) -> Response:
        query = _query(self.QuerySerializer, request)
        branch = get_or_404(Branch.objects.all(), pk=query["branch"])
        return Response(DaySlotsOutput(sel.day_slots(branch.pk, query["day"])).data)


class BookingListApi(APIView):
    pagination_class = Pagination

    class InputSerializer(serializers.Serializer):
        branch = serializers.IntegerField(label="管理部编号")
        item_code = serializers.CharField(label="事项编码", max_length=20)
        day = serializers.DateField(label="日期")
        start = serializers.TimeField(label="时段开始时间", help_text="如 09:00")
        employer = serializers.IntegerField(label="单位编号", required=False, allow_null=True,
                                            help_text="单位经办人为本单位预约时填写")

    @extend_schema(responses=BookingOutput(many=True), summary="我的预约（本人及本人经办单位的）")
    def get(self, request: Request) -> Response:
        return paginated(self, sel.own_bookings(request.user), BookingOutput)

    @extend_schema(request=InputSerializer, responses={201: BookingOutput},
                   summary="预约办事：占用一个时段名额，成功后短信告知时间、地址和材料清单")
    def post(self, request: Request) -> Response:
        values = validated(self.InputSerializer, request)
        branch = get_or_404(Branch.objects.all(), pk=values["branch"])
        booking = booking_create(actor=request.user, branch=branch, item_code=values["item_code"], day=values["day"],
                                 start=values["start"], employer_id=values.get("employer"))
        return Response(BookingOutput(booking).data, status=status.HTTP_201_CREATED)


class BookingDetailApi(APIView):
    @extend_schema(responses=BookingOutput, summary="一个预约（本人、本单位，或本管理部的工作人员）")
    def get(self, request: Request, pk: int) -> Response:
        return Response(BookingOutput(sel.booking_get_for_user(request.user, pk)).data)


class BookingCancelApi(APIView):
    @extend_schema(request=None, responses=BookingOutput, summary="取消预约（时段开始前），释放名额并短信告知")
    def post(self, request: Request, pk: int) -> Response:
        booking = booking_cancel(actor=request.user, booking=sel.booking_get_for_user(request.user, pk))
        return Response(BookingOutput(booking).data)


class BookingMoveApi(APIView):
    class InputSerializer(serializers.Serializer):
        day = serializers.DateField(label="新日期")
        start = serializers.TimeField(label="新时段开始时间")
        branch = serializers.IntegerField(label="管理部编号", required=False, allow_null=True, help_text="不填为原管理部")

    @extend_schema(request=InputSerializer, responses=BookingOutput,
                   summary="改约：在一个事务中取消原预约并预约新时段，返回新预约")
    def post(self, request: Request, pk: int) -> Response:
        booking = sel.booking_get_for_user(request.user, pk)
        values = validated(self.InputSerializer, request)
        branch = get_or_404(Branch.objects.all(), pk=values["branch"]) if values.get("branch") else None
        new = booking_move(actor=request.user, booking=booking, day=values["day"], start=values["start"], branch=branch)
        return Response(BookingOutput(new).data)


class BookingMarkApi(APIView):
    class InputSerializer(serializers.Serializer):
        state = serializers.ChoiceField(label="登记", choices=[(BookingState.ARRIVED, "签到"), (BookingState.SERVED, "已办理")])

    @extend_schema(request=InputSerializer, responses=BookingOutput, summary="窗口登记预约签到或已办理（受理岗）")
    def post(self, request: Request, pk: int) -> Response:
        _require_staff(request)
        booking = sel.booking_get_for_user(request.user, pk)
        values = validated(self.InputSerializer, request)
        return Response(BookingOutput(booking_mark(actor=request.user, booking=booking, state=values["state"])).data)


class SlotBookingsOutput(serializers.Serializer):
    start = serializers.TimeField(label="开始时间", format="%H:%M")
    end = serializers.TimeField(label="结束时间", format="%H:%M")
    capacity = serializers.IntegerField(label="名额")
    bookings = BookingOutput(many=True, label="预约")


class BranchDayOutput(serializers.Serializer):
    branch = serializers.CharField(label="管理部")
    day = serializers.DateField(label="日期")
    note = serializers.CharField(label="说明")
    total = serializers.IntegerField(label="预约数（不含已取消、已改约）")
    counts = serializers.DictField(child=serializers.IntegerField(), label="各状态数", help_text=STATE_HELP)
    rows = SlotBookingsOutput(many=True, label="按时段")


class BranchDayApi(APIView):
    class QuerySerializer(serializers.Serializer):
        branch = serializers.IntegerField(label="管理部编号", required=False, help_text="不填为本人所在管理部")
        day = serializers.DateField(label="日期")

    @extend_schema(parameters=[QuerySerializer], responses=BranchDayOutput, summary="管理部某日的预约（按时段）")
    def get(self, request: Request) -> Response:
        _require_staff(request)
        query = _query(self.QuerySerializer, request)
        branch = sel.staff_branch_get(request.user, query["branch"]) if query.get("branch") else sel.staff_default_branch(request.user)
        data = sel.branch_day(branch, query["day"])  # type: ignore[arg-type]
        return Response(BranchDayOutput({**data, "branch": str(branch), "day": query["day"]}).data)


class NoShowBranchOutput(serializers.Serializer):
    branch = serializers.CharField(source="branch__name", label="管理部")
    total = serializers.IntegerField(label="有效预约")
    no_shows = serializers.IntegerField(label="爽约")
    percent = serializers.IntegerField(label="爽约率（%）")


class NoShowPersonOutput(serializers.Serializer):
    person = serializers.CharField(source="person__name", allow_null=True, label="预约人")
    employer = serializers.CharField(source="employer__name", allow_null=True, label="预约单位")
    no_shows = serializers.IntegerField(label="爽约次数")


class NoShowsOutput(serializers.Serializer):
    month = MonthField(label="年月")
    by_branch = NoShowBranchOutput(many=True, label="按管理部")
    by_person = NoShowPersonOutput(many=True, label="爽约最多的预约人（20）")


class NoShowsApi(APIView):
    class QuerySerializer(serializers.Serializer):
        month = MonthField(label="年月")

    @extend_schema(parameters=[QuerySerializer], responses=NoShowsOutput, summary="爽约统计（按管理部、预约人，本人可见范围）")
    def get(self, request: Request) -> Response:
        _require_staff(request)
        query = _query(self.QuerySerializer, request)
        return Response(NoShowsOutput(sel.no_show_summary(request.user, query["month"])).data)


class PeriodCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        branch = serializers.IntegerField(label="管理部编号")
        weekday = serializers.IntegerField(label="星期", min_value=0, max_value=6, help_text="0 星期一 … 6 星期日")
        start = serializers.TimeField(label="开始时间")
        end = serializers.TimeField(label="结束时间")
        slot_minutes = serializers.IntegerField(label="每个时段（分钟）")
        capacity = serializers.IntegerField(label="每时段可预约人数")
        period_kind = serializers.ChoiceField(label="类别", choices=PeriodLabel.choices, help_text=LABEL_HELP)

    @extend_schema(request=InputSerializer, responses={201: PeriodOutput},
                   summary="新增每周服务时间（本管理部负责人或全中心范围的工作人员）")
    def post(self, request: Request) -> Response:
        _require_staff(request)
        values = validated(self.InputSerializer, request)
        branch = sel.staff_branch_get(request.user, values.pop("branch"))
        values["label"] = values.pop("period_kind")
        return Response(PeriodOutput(service_period_add(actor=request.user, branch=branch, **values)).data,
                        status=status.HTTP_201_CREATED)


class PeriodDeleteApi(APIView):
    @extend_schema(request=None, responses={204: None}, summary="删除每周服务时间（已有预约不受影响）")
    def delete(self, request: Request, pk: int) -> Response:
        period = get_or_404(scoped(ServicePeriod.objects.select_related("branch"), request.user, branch="branch"), pk=pk)
        service_period_remove(actor=request.user, period=period)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ExceptionCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        branch = serializers.IntegerField(label="管理部编号")
        day = serializers.DateField(label="日期")
        closed = serializers.BooleanField(label="当日不开放", default=False)
        start = serializers.TimeField(label="开始时间", required=False, allow_null=True)
        end = serializers.TimeField(label="结束时间", required=False, allow_null=True)
        slot_minutes = serializers.IntegerField(label="每个时段（分钟）", required=False, allow_null=True)
        capacity = serializers.IntegerField(label="每时段可预约人数", required=False, allow_null=True)
        period_kind = serializers.ChoiceField(label="类别", choices=PeriodLabel.choices, default=PeriodLabel.HOLIDAY,
                                       help_text=LABEL_HELP)
        note = serializers.CharField(label="说明", max_length=60, required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses={201: ExceptionOutput},
                   summary="新增服务时间例外：节假日开放的时段，或工作日不开放")
    def post(self, request: Request) -> Response:
        _require_staff(request)
        values = validated(self.InputSerializer, request)
        branch = sel.staff_branch_get(request.user, values.pop("branch"))
        values["label"] = values.pop("period_kind")
        return Response(ExceptionOutput(hours_exception_add(actor=request.user, branch=branch, **values)).data,
                        status=status.HTTP_201_CREATED)


class ExceptionDeleteApi(APIView):
    @extend_schema(request=None, responses={204: None}, summary="删除服务时间例外")
    def delete(self, request: Request, pk: int) -> Response:
        row = get_or_404(scoped(HoursException.objects.select_related("branch"), request.user, branch="branch"), pk=pk)
        hours_exception_remove(actor=request.user, exception=row)
        return Response(status=status.HTTP_204_NO_CONTENT)


class VisitOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(label="申请编号")
    branch = serializers.CharField(source="branch.name", label="管理部")
    person = serializers.CharField(source="person.name", label="服务对象")
    requester = serializers.CharField(label="申请人类别", help_text="self 本人 / relative 亲属 / staff 工作人员代登记")
    relation = serializers.CharField(label="与服务对象关系")
    reason = serializers.CharField(label="原因代码", help_text=choices_help(VisitReason.choices))
    item_name = serializers.CharField(label="事项")
    description = serializers.CharField(label="需求说明")
    contact_name = serializers.CharField(label="联系人")
    contact_phone = serializers.CharField(label="联系电话")
    address = serializers.CharField(label="上门地址")
    state = serializers.CharField(label="状态代码", help_text=VISIT_HELP)
    state_label = serializers.CharField(source="get_state_display", label="状态")
    assigned_to = serializers.CharField(allow_null=True, label="上门人员")
    scheduled_on = serializers.DateField(allow_null=True, label="上门日期")
    scheduled_time = serializers.CharField(label="上门时间")
    done_what = serializers.CharField(label="办理事项")
    outcome_note = serializers.CharField(label="办理情况")
    finished_at = serializers.DateTimeField(allow_null=True, label="办结时间")


class VisitListApi(APIView):
    pagination_class = Pagination

    class InputSerializer(serializers.Serializer):
        branch = serializers.IntegerField(label="管理部编号")
        reason = serializers.ChoiceField(label="上门原因", choices=VisitReason.choices)
        description = serializers.CharField(label="需求说明", max_length=300)
        contact_name = serializers.CharField(label="联系人", max_length=60)
        contact_phone = serializers.CharField(label="联系电话", max_length=20)
        address = serializers.CharField(label="上门地址", max_length=200)
        item_code = serializers.CharField(label="事项编码", max_length=20, required=False, allow_blank=True, default="")
        for_other = serializers.BooleanField(label="为亲属申请", default=False)
        id_number = serializers.CharField(label="服务对象身份证号码", max_length=18, required=False, allow_blank=True, default="")
        name = serializers.CharField(label="服务对象姓名", max_length=60, required=False, allow_blank=True, default="")
        relation = serializers.CharField(label="与服务对象关系", max_length=20, required=False, allow_blank=True, default="")

    @extend_schema(responses=VisitOutput(many=True), summary="上门服务申请（工作人员：本管理部；职工：本人及本人代亲属申请的）")
    def get(self, request: Request) -> Response:
        return paginated(self, sel.home_visits_for_user(request.user), VisitOutput)

    @extend_schema(request=InputSerializer, responses={201: VisitOutput}, summary="申请（或代登记）上门服务")
    def post(self, request: Request) -> Response:
        values = validated(self.InputSerializer, request)
        branch = get_or_404(Branch.objects.all(), pk=values.pop("branch"))
        visit = home_visit_request(actor=request.user, branch=branch, **values)
        return Response(VisitOutput(visit).data, status=status.HTTP_201_CREATED)


class VisitDetailApi(APIView):
    @extend_schema(responses=VisitOutput, summary="一个上门服务申请")
    def get(self, request: Request, pk: int) -> Response:
        return Response(VisitOutput(sel.home_visit_get_for_user(request.user, pk)).data)


class VisitActionApi(APIView):
    class InputSerializer(serializers.Serializer):
        action = serializers.ChoiceField(label="操作", choices=[("assign", "分派"), ("schedule", "约定上门"),
                                                               ("finish", "登记结果"), ("cancel", "取消")])
        assignee = serializers.IntegerField(label="上门人员（用户编号）", required=False)
        on = serializers.DateField(label="上门日期", required=False)
        time_text = serializers.CharField(label="上门时间", max_length=20, required=False)
        done = serializers.BooleanField(label="办结", required=False, help_text="true 办结 / false 未办结")
        done_what = serializers.CharField(label="办理事项", max_length=200, required=False, allow_blank=True, default="")
        note = serializers.CharField(label="办理情况或取消原因", max_length=300, required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses=VisitOutput,
                   summary="处理上门服务：分派、约定上门时间（短信告知联系人）、登记办结/未办结、取消")
    def post(self, request: Request, pk: int) -> Response:
        visit = sel.home_visit_get_for_user(request.user, pk)
        values = validated(self.InputSerializer, request)
        action = values["action"]
        if action == "assign":
            home_visit_assign(actor=request.user, visit=visit, assignee=values.get("assignee"))
        elif action == "schedule":
            home_visit_schedule(actor=request.user, visit=visit, on=values.get("on"), time_text=values.get("time_text"))
        elif action == "finish":
            if "done" not in values:
                raise serializers.ValidationError({"done": ["请选择办结或未办结"]})
            home_visit_finish(actor=request.user, visit=visit, done=values["done"], note=values["note"],
                              done_what=values["done_what"])
        else:
            home_visit_cancel(actor=request.user, visit=visit, reason=values["note"])
        return Response(VisitOutput(sel.home_visit_get_for_user(request.user, pk)).data)
