"""The online unit opening API: anyone may apply (throttled); 受理 staff in scope approve or reject."""

from django.core.exceptions import PermissionDenied
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from fund.api import Pagination, choices_help, paginated, validated
from fund.filters import api_filtered
from fund.people.models import Branch
from fund.people.roles import roles_of

from ..filters import OpeningRequestFilter
from ..models import OpeningRequestState
from ..selectors import unit_opening_request_get_for_user, unit_opening_requests_for_user
from ..services.opening import (
    unit_opening_request_approve,
    unit_opening_request_reject,
    unit_opening_request_submit,
)
from .accounts import UnitOpenFields, require_accept_post


class UnitOpeningThrottle(AnonRateThrottle):
    """Ten applications an hour from one address; the rate lives here, so no settings entry is needed."""

    scope = "unit_opening"
    rate = "10/hour"


class UnitRequestOutput(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField(label="状态代码")
    state_label = serializers.CharField(source="get_state_display", label="状态")
    name = serializers.CharField(label="单位名称")
    credit_code = serializers.CharField(label="统一社会信用代码")
    branch = serializers.CharField(source="branch.name", label="所属管理部")
    unit_ratio = serializers.DecimalField(max_digits=5, decimal_places=4)
    member_ratio = serializers.DecimalField(max_digits=5, decimal_places=4)
    pay_day = serializers.IntegerField()
    username = serializers.CharField(label="登录用户名")
    operator_name = serializers.CharField(label="经办人姓名")
    submitted_at = serializers.DateTimeField()
    reviewed_by = serializers.CharField(source="reviewed_by.first_name", default="", label="审核人")
    opinion = serializers.CharField(label="审核意见")
    unit_number = serializers.CharField(source="unit.number", default="", label="单位账号")


class SubmittedOutput(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")


def _require_staff(user) -> None:
    if not roles_of(user).is_staff:
        raise PermissionDenied


class UnitRequestListApi(APIView):
    pagination_class = Pagination

    class InputSerializer(UnitOpenFields):
        branch = serializers.PrimaryKeyRelatedField(label="所属管理部", queryset=Branch.objects.all())
        username = serializers.CharField(label="登录用户名", max_length=150)
        operator_name = serializers.CharField(label="经办人姓名", max_length=60)
        operator_phone = serializers.CharField(label="经办人手机号码", max_length=20)
        password = serializers.CharField(label="登录密码", trim_whitespace=False, write_only=True)
        password_again = serializers.CharField(label="确认登录密码", trim_whitespace=False, write_only=True)

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def get_throttles(self):
        return [UnitOpeningThrottle()] if self.request.method == "POST" else super().get_throttles()

    @extend_schema(responses=UnitRequestOutput(many=True), summary="单位网上开户申请列表（综合窗口，按权限范围）",
                   parameters=[OpenApiParameter("state", str, description=choices_help(OpeningRequestState.choices))])
    def get(self, request):
        _require_staff(request.user)
        requests = api_filtered(OpeningRequestFilter, request, unit_opening_requests_for_user(request.user).order_by("-id"))
        return paginated(self, requests, UnitRequestOutput)

    @extend_schema(request=InputSerializer, responses={201: SubmittedOutput}, summary="单位网上开户申请（无需登录）")
    def post(self, request):
        values = validated(self.InputSerializer, request)
        applied = unit_opening_request_submit(**values)
        return Response(SubmittedOutput(applied).data, status=status.HTTP_201_CREATED)


class ReviewInput(serializers.Serializer):
    opinion = serializers.CharField(label="审核意见", max_length=200, required=False, allow_blank=True, default="")


def _review(service, summary: str, name: str):
    """A 受理 decision on one application in scope, with an opinion; the answer is the application as it now is."""

    class UnitRequestReviewApi(APIView):
        @extend_schema(request=ReviewInput, responses=UnitRequestOutput, summary=summary)
        def post(self, request, pk: int):
            require_accept_post(request.user)
            applied = unit_opening_request_get_for_user(user=request.user, pk=pk)
            values = validated(ReviewInput, request)
            applied = service(actor=request.user, request=applied, opinion=values["opinion"])
            return Response(UnitRequestOutput(applied).data)

    UnitRequestReviewApi.__name__ = UnitRequestReviewApi.__qualname__ = name
    return UnitRequestReviewApi


UnitRequestApproveApi = _review(unit_opening_request_approve, "审核通过单位开户申请（受理岗）", "UnitRequestApproveApi")
UnitRequestRejectApi = _review(unit_opening_request_reject, "退回单位开户申请（受理岗）", "UnitRequestRejectApi")


api_patterns = [
    path("unit-requests/", UnitRequestListApi.as_view(), name="deposits-unit-requests"),
    path("unit-requests/<int:pk>/approve/", UnitRequestApproveApi.as_view(), name="deposits-unit-request-approve"),
    path("unit-requests/<int:pk>/reject/", UnitRequestRejectApi.as_view(), name="deposits-unit-request-reject"),
]
