"""节假日安排 API: the years' sources, the versions, entering a version (the same services as the page)."""

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import Pagination, paginated, validated
from fund.people.roles import roles_of

from .selectors import holiday_schedule_get, holiday_schedules, holiday_years, schedule_periods
from .services import HolidayPeriod, holiday_schedule_enter


class HolidayPeriodInput(serializers.Serializer):
    name = serializers.CharField(label="节日", max_length=20)
    start = serializers.DateField(label="放假开始日期")
    end = serializers.DateField(label="放假结束日期（含）")
    workdays = serializers.ListField(child=serializers.DateField(), label="调休上班日期", required=False, default=list,
                                     max_length=10)


class HolidayPeriodOutput(HolidayPeriodInput):
    days = serializers.IntegerField(label="放假天数")


class HolidayScheduleOutput(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField(label="年度")
    version = serializers.IntegerField(label="版本")
    effective_from = serializers.DateField(label="启用日期")
    notice = serializers.CharField(label="通知文号")
    note = serializers.CharField(label="说明")
    entered_by = serializers.CharField(label="录入人", allow_null=True)
    entered_at = serializers.DateTimeField(label="录入时间")
    periods = serializers.SerializerMethodField(label="放假安排")

    @extend_schema_field(HolidayPeriodOutput(many=True))
    def get_periods(self, obj: Any) -> Any:
        return HolidayPeriodOutput(schedule_periods(obj.days.all()), many=True).data


class HolidayYearOutput(serializers.Serializer):
    year = serializers.IntegerField(label="年度")
    basis = serializers.CharField(source="source", label="工作日依据")
    versions = serializers.IntegerField(label="已录入版本数")
    package = serializers.BooleanField(label="chinesecalendar 已含该年")
    missing = serializers.BooleanField(label="缺少该年安排（按周一至周五计算）")
    current = serializers.IntegerField(source="current.pk", allow_null=True, label="生效版本编号", default=None)


def _require_staff(user: Any) -> None:
    from django.http import Http404

    if roles_of(user).staff is None:
        raise Http404


class HolidayYearsApi(APIView):

    @extend_schema(responses=HolidayYearOutput(many=True), summary="今年及以后两年的工作日依据（已录入、chinesecalendar 或缺少）")
    def get(self, request: Request) -> Response:
        _require_staff(request.user)
        return Response(HolidayYearOutput(holiday_years(timezone.localdate()), many=True).data)


class HolidayScheduleListApi(APIView):
    pagination_class = Pagination

    class InputSerializer(serializers.Serializer):
        year = serializers.IntegerField(label="年度", min_value=2000, max_value=2100)
        effective_from = serializers.DateField(label="启用日期", required=False, allow_null=True, help_text="默认今天")
        notice = serializers.CharField(label="通知文号", max_length=60, required=False, allow_blank=True, default="")
        note = serializers.CharField(label="说明", max_length=200, required=False, allow_blank=True, default="")
        periods = HolidayPeriodInput(many=True, label="放假安排", max_length=20)  # type: ignore[call-arg]

    @extend_schema(responses=HolidayScheduleOutput(many=True), summary="节假日安排的各版本（新录入的在前）")
    def get(self, request: Request) -> Response:
        _require_staff(request.user)
        return paginated(self, holiday_schedules(), HolidayScheduleOutput)

    @extend_schema(request=InputSerializer, responses={201: HolidayScheduleOutput},
                   summary="录入某年度的节假日安排（分管领导、全中心范围的受理岗）：新版本自启用日期起取代旧版本")
    def post(self, request: Request) -> Response:
        _require_staff(request.user)
        values = validated(self.InputSerializer, request)
        periods = [HolidayPeriod(name=p["name"], start=p["start"], end=p["end"], workdays=list(p["workdays"]))
                   for p in values.pop("periods")]
        schedule = holiday_schedule_enter(actor=request.user, periods=periods, **values)
        return Response(HolidayScheduleOutput(holiday_schedule_get(schedule.pk)).data, status=status.HTTP_201_CREATED)


class HolidayScheduleDetailApi(APIView):

    @extend_schema(responses=HolidayScheduleOutput, summary="节假日安排的一个版本")
    def get(self, request: Request, pk: int) -> Response:
        _require_staff(request.user)
        return Response(HolidayScheduleOutput(holiday_schedule_get(pk)).data)
