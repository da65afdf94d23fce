"""我的办件 as JSON: the caller's own applications (a member's, a unit's, a branch's for staff), one by its
number with its steps, and the public lookup by number and the last four characters of the ID (throttled)."""

from __future__ import annotations

from typing import NoReturn

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import Pagination, TooManyRequests, paginated, validated
from fund.audit.services import person_viewed
from fund.filters import api_filtered

from .filters import ApplicationFilter
from .models import Application
from .selectors import (
    application_get_for_user,
    application_steps,
    applications_for_user,
    masked_name,
    public_lookup,
)
from .throttle import THROTTLED_MESSAGE, LookupThrottle


class TrackingStepOutput(serializers.Serializer):
    code = serializers.CharField(label="环节编码")
    name = serializers.CharField(source="label", label="环节")
    entered_at = serializers.DateTimeField(label="开始时间")
    left_at = serializers.DateTimeField(label="结束时间", allow_null=True)
    deadline = serializers.DateField(label="时限", allow_null=True)
    returned = serializers.BooleanField(label="补正退回")


class TrackedApplicationOutput(serializers.Serializer):
    number = serializers.CharField(label="办件编号")
    kind = serializers.CharField(label="业务类别")
    item_code = serializers.CharField(label="事项编码")
    title = serializers.CharField(label="事项")
    source_number = serializers.CharField(label="业务编号")
    branch = serializers.CharField(source="branch.name", label="管理部")
    channel = serializers.CharField(label="渠道", help_text="window 窗口 / online 网上 / cross_province 跨省通办")
    instant = serializers.BooleanField(label="秒批")
    submitted_at = serializers.DateTimeField(label="申请时间")
    accepted_at = serializers.DateTimeField(label="受理时间", allow_null=True)
    finished_at = serializers.DateTimeField(label="办结时间", allow_null=True)
    outcome = serializers.CharField(label="结果", help_text="open 办理中 / done 已办结 / refused 不予办理 / withdrawn 已撤回")
    step_code = serializers.CharField(label="当前环节编码")
    step_label = serializers.CharField(label="当前环节")
    step_deadline = serializers.DateField(label="环节时限", allow_null=True)
    step_since = serializers.DateTimeField(label="环节开始时间")


class TrackedApplicationDetailOutput(TrackedApplicationOutput):
    steps = TrackingStepOutput(many=True, source="ordered_steps", label="办理记录（由早到晚）")


class ApplicationListApi(APIView):
    pagination_class = Pagination

    @extend_schema(
        parameters=[OpenApiParameter("outcome", str, required=False, description="open / done / refused / withdrawn"),
                    OpenApiParameter("kind", str, required=False, description="业务类别，如 withdrawals.withdrawal")],
        responses=TrackedApplicationOutput(many=True), summary="我的办件（职工本人、本单位；工作人员为本管理部）",
    )
    def get(self, request: Request) -> Response:
        rows = api_filtered(ApplicationFilter, request, applications_for_user(request.user).order_by("-submitted_at", "-id"))
        return paginated(self, rows, TrackedApplicationOutput)


def _with_steps(application: Application) -> Application:
    application.ordered_steps = list(application_steps(application))  # type: ignore[attr-defined]
    return application


class ApplicationDetailApi(APIView):
    @extend_schema(responses=TrackedApplicationDetailOutput, summary="办件进度与办理记录")
    def get(self, request: Request, number: str) -> Response:
        application = application_get_for_user(user=request.user, number=number)
        if application.person is not None and application.person_id != getattr(request.user, "person_id", None):
            person_viewed(actor=request.user, person=application.person, context=f"API 查看办件 {application.number}")
        return Response(TrackedApplicationDetailOutput(_with_steps(application)).data)


class TrackingLookupOutput(serializers.Serializer):
    number = serializers.CharField(label="办件编号")
    title = serializers.CharField(label="事项")
    applicant = serializers.CharField(label="申请人（隐去部分）")
    submitted_at = serializers.DateTimeField(label="申请时间")
    finished_at = serializers.DateTimeField(label="办结时间", allow_null=True)
    outcome = serializers.CharField(label="结果")
    step_label = serializers.CharField(label="当前环节")
    step_deadline = serializers.DateField(label="环节时限", allow_null=True)
    steps = TrackingStepOutput(many=True, label="办理记录（由早到晚）")


class ApplicationLookupApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [LookupThrottle]

    class InputSerializer(serializers.Serializer):
        number = serializers.CharField(label="办件编号", max_length=20)
        suffix = serializers.CharField(label="证件号码后四位", min_length=4, max_length=4, error_messages={
            "min_length": "请填写证件号码的最后四位", "max_length": "请填写证件号码的最后四位"})

    def throttled(self, request: Request, wait: float | None) -> NoReturn:
        raise TooManyRequests(THROTTLED_MESSAGE, int(wait or 1))

    @extend_schema(request=InputSerializer, responses=TrackingLookupOutput,
                   summary="办件进度公开查询（办件编号 + 证件号码后四位；按来源地址限制频率）")
    def post(self, request: Request) -> Response:
        values = validated(self.InputSerializer, request)
        application = public_lookup(number=values["number"], suffix=values["suffix"])
        if application is None:
            raise NotFound("未查到该办件：请核对办件编号和证件号码后四位")
        return Response(TrackingLookupOutput({
            "number": application.number, "title": application.title, "applicant": masked_name(application),
            "submitted_at": application.submitted_at, "finished_at": application.finished_at,
            "outcome": application.outcome, "step_label": application.step_label,
            "step_deadline": application.step_deadline, "steps": application_steps(application),
        }).data)


api_patterns = [
    path("applications/", ApplicationListApi.as_view(), name="tracking-applications"),
    path("applications/lookup/", ApplicationLookupApi.as_view(), name="tracking-lookup"),
    path("applications/<str:number>/", ApplicationDetailApi.as_view(), name="tracking-application"),
]
