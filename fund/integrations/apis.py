"""Integrations API: the recent outside-system calls, for staff tracing a decision's evidence.

Identifiers inside requests and responses (ID, card and account numbers, phones) come back masked.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.audit.masking import mask_bank_card, mask_id_number, mask_phone
from fund.people.roles import roles_of

from .models import IntegrationCall, System
from .selectors import MAX_CALLS, integration_calls_recent

app_name = "integrations_api"


def _masker(key: str) -> Any:
    if "id_number" in key or key == "holder_id":  # a holder's ID number (or credit code) in an account check
        return mask_id_number
    if "card_number" in key or "account" in key:
        return mask_bank_card
    if "phone" in key:
        return mask_phone
    return None


def _mask(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _mask(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v, key) for v in value]
    masker = _masker(key)
    if masker is not None and isinstance(value, str):
        return masker(value)
    return value


def _masked_reference(call: IntegrationCall) -> str:
    # The reference repeats one of the request's arguments; mask it the way that argument is masked.
    for key, value in (call.request or {}).items():
        masker = _masker(key)
        if masker is not None and value == call.reference:
            return masker(call.reference)
    return call.reference


class IntegrationCallListApi(APIView):
    class FilterSerializer(serializers.Serializer):
        system = serializers.ChoiceField(choices=System.choices, required=False)
        operation = serializers.CharField(required=False, max_length=40)
        reference = serializers.CharField(required=False, max_length=100, help_text="业务标识，需完整匹配")
        ok = serializers.BooleanField(required=False, allow_null=True, default=None)
        limit = serializers.IntegerField(required=False, min_value=1, max_value=MAX_CALLS, default=100)

    @extend_schema_serializer(component_name="IntegrationCall")
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        at = serializers.DateTimeField()
        system = serializers.CharField()
        system_display = serializers.CharField(source="get_system_display")
        operation = serializers.CharField()
        backend = serializers.CharField()
        reference = serializers.SerializerMethodField()
        request = serializers.SerializerMethodField()
        response = serializers.SerializerMethodField()
        ok = serializers.BooleanField()
        error = serializers.CharField()
        latency_ms = serializers.FloatField()

        def get_reference(self, call: IntegrationCall) -> str:
            return _masked_reference(call)

        def get_request(self, call: IntegrationCall) -> dict[str, Any]:
            return _mask(call.request)

        def get_response(self, call: IntegrationCall) -> dict[str, Any] | None:
            return _mask(call.response)

    @extend_schema(
        operation_id="integration_calls_list",
        summary="外部系统调用记录（最近的调用，仅限工作人员）",
        parameters=[FilterSerializer],
        responses=OutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        if not roles_of(request.user).is_staff:
            raise PermissionDenied("只有中心工作人员可以查看外部系统调用记录")
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        calls = integration_calls_recent(**filters.validated_data)
        return Response(self.OutputSerializer(calls, many=True).data)


urlpatterns = [
    path("integrations/calls/", IntegrationCallListApi.as_view(), name="calls"),
]
