"""The disbursement API (under /api/loans/): the same services and scopes as the 放款 page. Staff only; a
disbursement, application or loan outside the user's branch is a 404, a post that may not act a 403, bad input
a 400 naming the field in Chinese."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import validated
from fund.people.roles import roles_of

from ..models import DisbursementState, IouDelivery
from ..selectors.applications import application_get_for_user
from ..selectors.loans import loan_get_for_user
from ..services.disbursement import (
    awaiting_notice_for_user,
    disbursement_get_for_user,
    disbursement_notice,
    disbursement_release,
    disbursements_for_user,
    iou_deliver,
    liquidity,
    queue_position,
)


def _staff(request: Any) -> None:
    if not roles_of(request.user).is_staff:
        raise PermissionDenied


class DisbursementOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    contract_number = serializers.CharField(source="loan.contract_number")
    application = serializers.IntegerField(source="loan.application_id")
    borrower = serializers.CharField(source="loan.borrower.name")
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    payee_kind = serializers.CharField()
    payee_name = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    approved_at = serializers.DateTimeField()
    noticed_at = serializers.DateTimeField()
    released_at = serializers.DateTimeField(allow_null=True)
    paid_at = serializers.DateTimeField(allow_null=True)
    queue_position = serializers.SerializerMethodField()

    def get_queue_position(self, obj: Any) -> int | None:
        return queue_position(obj)


class AwaitingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    borrower = serializers.CharField(source="borrower.name")
    approved_amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    decided_at = serializers.DateTimeField(allow_null=True)


class LiquidityOutput(serializers.Serializer):
    bank = serializers.DecimalField(max_digits=18, decimal_places=2)
    deposits = serializers.DecimalField(max_digits=18, decimal_places=2)
    ratio = serializers.DecimalField(max_digits=8, decimal_places=4)
    reserve = serializers.DecimalField(max_digits=18, decimal_places=2)
    committed = serializers.DecimalField(max_digits=18, decimal_places=2)
    available = serializers.DecimalField(max_digits=18, decimal_places=2)


class DisbursementListApi(APIView):
    @extend_schema(parameters=[OpenApiParameter("state", str, enum=list(DisbursementState.values))],
                   responses=DisbursementOutput(many=True), summary="放款列表（按状态；轮候按审批先后）")
    def get(self, request: Any) -> Response:
        _staff(request)
        rows = disbursements_for_user(request.user).order_by("approved_at", "id")
        state = request.query_params.get("state", "")
        if state:
            if state not in DisbursementState.values:
                return Response({"state": ["状态（state）应为 noticed、queued、paying 或 paid"]}, status=400)
            rows = rows.filter(state=state)
        return Response(DisbursementOutput(rows[:500], many=True).data)


class AwaitingNoticeApi(APIView):
    @extend_schema(responses=AwaitingOutput(many=True), summary="待出放款通知的贷款申请（已抵押）")
    def get(self, request: Any) -> Response:
        _staff(request)
        return Response(AwaitingOutput(awaiting_notice_for_user(request.user)[:500], many=True).data)


class LiquidityApi(APIView):
    @extend_schema(responses=LiquidityOutput, summary="可用于放款的资金（存款 − 备付金 − 已放行未付款）")
    def get(self, request: Any) -> Response:
        _staff(request)
        return Response(LiquidityOutput(liquidity()).data)


class DisbursementNoticeApi(APIView):
    @extend_schema(request=None, responses={201: DisbursementOutput}, summary="出具放款通知（委贷管理岗）")
    def post(self, request: Any, pk: int) -> Response:
        _staff(request)
        application = application_get_for_user(user=request.user, pk=pk)
        disbursement = disbursement_notice(actor=request.user, application=application)
        return Response(DisbursementOutput(disbursement).data, status=201)


class DisbursementDetailApi(APIView):
    @extend_schema(responses=DisbursementOutput, summary="放款详情")
    def get(self, request: Any, pk: int) -> Response:
        _staff(request)
        return Response(DisbursementOutput(disbursement_get_for_user(user=request.user, pk=pk)).data)


class DisbursementReleaseApi(APIView):
    @extend_schema(request=None, responses=DisbursementOutput,
                   summary="审核放款（财务岗，不能是出具通知的人）：资金足够即付款，不足进入轮候")
    def post(self, request: Any, pk: int) -> Response:
        _staff(request)
        disbursement = disbursement_get_for_user(user=request.user, pk=pk)
        disbursement = disbursement_release(actor=request.user, disbursement=disbursement)
        disbursement.refresh_from_db()
        return Response(DisbursementOutput(disbursement).data)


class IouDeliveryApi(APIView):
    class InputSerializer(serializers.Serializer):
        how = serializers.ChoiceField(label="借据交付方式", choices=IouDelivery.choices, error_messages={
            "required": "请填写借据交付方式（how）", "invalid_choice": "借据交付方式（how）应为 pickup、agent 或 post"})
        recipient = serializers.CharField(label="领取人/收件人", max_length=60, error_messages={
            "required": "请填写领取人/收件人（recipient）", "blank": "请填写领取人/收件人（recipient）",
            "max_length": "领取人/收件人（recipient）不能超过 60 个字符", "invalid": "领取人/收件人（recipient）必须是文本"})
        tracking = serializers.CharField(label="邮寄单号", max_length=40, required=False, allow_blank=True,
                                         error_messages={"max_length": "邮寄单号（tracking）不能超过 40 个字符",
                                                         "invalid": "邮寄单号（tracking）必须是文本"})

    @extend_schema(request=InputSerializer, responses={200: None}, summary="登记借据交付（本人领取/开发企业代领/邮寄）")
    def post(self, request: Any, pk: int) -> Response:
        _staff(request)
        loan = loan_get_for_user(user=request.user, pk=pk)
        data = validated(self.InputSerializer, request)
        loan = iou_deliver(actor=request.user, loan=loan, how=data["how"], recipient=data["recipient"],
                           tracking=data.get("tracking", ""))
        return Response({"iou_number": loan.iou_number, "iou_delivery": loan.iou_delivery,
                         "iou_recipient": loan.iou_recipient, "iou_delivered_at": loan.iou_delivered_at})


api_patterns = [
    path("disbursements/", DisbursementListApi.as_view(), name="loan-disbursements-api"),
    path("disbursements/awaiting-notice/", AwaitingNoticeApi.as_view(), name="loan-disbursements-awaiting-api"),
    path("disbursements/liquidity/", LiquidityApi.as_view(), name="loan-liquidity-api"),
    path("disbursements/<int:pk>/", DisbursementDetailApi.as_view(), name="loan-disbursement-api"),
    path("disbursements/<int:pk>/release/", DisbursementReleaseApi.as_view(), name="loan-disbursement-release-api"),
    path("applications/<int:pk>/disbursement-notice/", DisbursementNoticeApi.as_view(),
         name="loan-disbursement-notice-api"),
    path("<int:pk>/iou-delivery/", IouDeliveryApi.as_view(), name="loan-iou-delivery-api"),
]
