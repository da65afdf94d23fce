"""Payments API (/api/payments/…): the staff list's rows and its retry and hand-off actions, for 财务 and the
director; anyone else, and a payment outside their scope, answers 404."""

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import Pagination, choices_help, paginated, validation_error_from_django
from fund.audit.masking import mask_bank_card

from .models import AttemptStatus, Payment, PaymentState
from .purposes import purpose_label
from .selectors import PaymentFilter, payment_get_for_user, payments_for_user, payments_may_handle
from .services import payment_hand_off, payment_retry

app_name = "payments_api"


class AttemptOutput(serializers.Serializer):
    attempt = serializers.IntegerField()
    reference = serializers.CharField()
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    status = serializers.CharField(help_text=choices_help(AttemptStatus.choices))
    bank_serial = serializers.CharField()
    reason = serializers.CharField()
    sent_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)


class PaymentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    purpose = serializers.CharField()
    purpose_label = serializers.SerializerMethodField()
    subject = serializers.CharField(source="subject_label")
    payee_name = serializers.CharField()
    payee_account = serializers.SerializerMethodField(help_text="已遮蔽")
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    state = serializers.CharField(help_text=choices_help(PaymentState.choices))
    state_label = serializers.CharField(source="get_state_display")
    failure = serializers.CharField(help_text="最近一次失败的原因")
    hold_reason = serializers.CharField(help_text="暂停付款（稽核）的原因；未暂停为空")
    retry_after = serializers.DateTimeField(allow_null=True)
    paid_at = serializers.DateTimeField(allow_null=True)
    attempts = AttemptOutput(many=True)

    def get_purpose_label(self, obj: Payment) -> str:
        return purpose_label(obj.purpose)

    def get_payee_account(self, obj: Payment) -> str:
        return mask_bank_card(obj.payee_account)


class HandOffInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, label="说明")


class PaymentListApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=PaymentOutput(many=True), parameters=[
        OpenApiParameter("state", str, description=choices_help(PaymentState.choices)),
        OpenApiParameter("purpose", str), OpenApiParameter("q", str, description="收款人或业务，部分匹配"),
    ])
    def get(self, request: Request) -> Response:
        if not payments_may_handle(request.user):
            raise NotFound
        filtered = PaymentFilter(request.query_params or None, queryset=payments_for_user(request.user))
        if filtered.is_bound and not filtered.is_valid():
            raise serializers.ValidationError(filtered.errors)
        return paginated(self, filtered.qs.prefetch_related("attempts").order_by("-id"), PaymentOutput)


def _payment(request: Request, pk: int) -> Payment:
    try:
        return payment_get_for_user(request.user, pk)
    except Payment.DoesNotExist:
        raise NotFound from None


class PaymentRetryApi(APIView):
    @extend_schema(request=None, responses=PaymentOutput)
    def post(self, request: Request, pk: int) -> Response:
        payment = _payment(request, pk)
        try:
            payment = payment_retry(payment_id=payment.pk, actor=request.user, force=True)
        except ValidationError as exc:
            raise validation_error_from_django(exc) from exc
        return Response(PaymentOutput(Payment.objects.prefetch_related("attempts").get(pk=payment.pk)).data)


class PaymentHandOffApi(APIView):
    @extend_schema(request=HandOffInput, responses=PaymentOutput)
    def post(self, request: Request, pk: int) -> Response:
        payment = _payment(request, pk)
        data: Any = HandOffInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            payment_hand_off(payment_id=payment.pk, actor=request.user, note=data.validated_data.get("note", ""))
        except ValidationError as exc:
            raise validation_error_from_django(exc) from exc
        return Response(PaymentOutput(Payment.objects.prefetch_related("attempts").get(pk=payment.pk)).data)


urlpatterns = [
    path("payments/", PaymentListApi.as_view(), name="payments"),
    path("payments/<int:pk>/retry/", PaymentRetryApi.as_view(), name="payment_retry"),
    path("payments/<int:pk>/hand-off/", PaymentHandOffApi.as_view(), name="payment_hand_off"),
]
