"""The nightly close API (/api/close/…): the runs with their steps, and a director's catch-up. Anyone who may
not see the close answers 404; one who may see it but not start it, 403."""

from __future__ import annotations

from datetime import date

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import Pagination, choices_help, paginated, validated

from .models import CloseRun, CloseRunState, CloseStepState
from .selectors import business_date_current, close_may_start, close_may_view, close_run_get, close_runs
from .services import close_catch_up_queue

app_name = "close_api"


class CloseStepOutput(serializers.Serializer):
    position = serializers.IntegerField(label="顺序")
    name = serializers.CharField(label="步骤代码")
    step = serializers.CharField(source="label", label="步骤名称")
    state = serializers.CharField(help_text=choices_help(CloseStepState.choices))
    state_label = serializers.CharField(source="get_state_display")
    attempts = serializers.IntegerField(label="执行次数")
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    seconds = serializers.SerializerMethodField(label="用时（秒）")
    counts = serializers.DictField(child=serializers.IntegerField(), label="处理数量")
    error = serializers.CharField(label="错误")

    def get_seconds(self, step) -> float | None:  # type: ignore[no-untyped-def]
        return None if step.duration is None else round(step.duration.total_seconds(), 3)


class CloseRunOutput(serializers.Serializer):
    business_date = serializers.DateField(label="营业日")
    state = serializers.CharField(help_text=choices_help(CloseRunState.choices))
    state_label = serializers.CharField(source="get_state_display")
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    seconds = serializers.SerializerMethodField(label="用时（秒）")
    error = serializers.CharField(label="错误")
    triggered_by = serializers.CharField(source="triggered_by.username", allow_null=True, default=None,
                                         label="发起人（空：定时任务）")
    steps = CloseStepOutput(many=True)

    def get_seconds(self, run: CloseRun) -> float | None:
        return None if run.duration is None else round(run.duration.total_seconds(), 3)


class CloseCatchUpInput(serializers.Serializer):
    through = serializers.DateField(required=False, label="处理至营业日",
                                    help_text="默认：已到日终时间的最近一个营业日（日终时间前为昨天）")


class CloseCatchUpOutput(serializers.Serializer):
    business_date = serializers.DateField(label="当前营业日")
    dates = serializers.ListField(child=serializers.DateField(), label="将依次执行日终的营业日（空：无需执行）")


def _viewer(request: Request) -> None:
    if not close_may_view(request.user):
        raise NotFound("未找到，或您无权访问")


class CloseRunListApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=CloseRunOutput(many=True), summary="日终记录（营业日由近及远）")
    def get(self, request: Request) -> Response:
        _viewer(request)
        return paginated(self, close_runs(), CloseRunOutput)


class CloseRunDetailApi(APIView):
    @extend_schema(responses=CloseRunOutput, summary="某营业日的日终及其各步骤")
    def get(self, request: Request, business_date: str) -> Response:
        _viewer(request)
        try:
            run = close_run_get(date.fromisoformat(business_date))
        except (ValueError, CloseRun.DoesNotExist):
            raise NotFound("未找到该营业日的日终") from None
        return Response(CloseRunOutput(run).data)


class CloseCatchUpApi(APIView):
    @extend_schema(request=CloseCatchUpInput, responses={202: CloseCatchUpOutput},
                   summary="立即执行日终（补跑截至指定营业日尚未完成的日终，后台依次执行）")
    def post(self, request: Request) -> Response:
        _viewer(request)
        if not close_may_start(request.user):
            raise PermissionDenied("只有全中心范围的主任岗位可以发起日终处理")
        values = validated(CloseCatchUpInput, request)
        dates = close_catch_up_queue(actor=request.user, through=values.get("through"))
        return Response(CloseCatchUpOutput({"business_date": business_date_current(), "dates": dates}).data,
                        status=status.HTTP_202_ACCEPTED)


urlpatterns = [
    path("close/runs/", CloseRunListApi.as_view(), name="runs"),
    path("close/runs/<str:business_date>/", CloseRunDetailApi.as_view(), name="run"),
    path("close/catch-up/", CloseCatchUpApi.as_view(), name="catch_up"),
]
