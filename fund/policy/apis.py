"""Policy API: the table in force (anyone signed in — members read the rates), one policy's history, and
scheduling or withdrawing a value (centre-wide directors only).

Values travel in stored units: percentages as fractions ("0.021" is 2.10 %); each value also comes with
`display`, the text a person reads. Send `value` as a string so no float ever touches it.
"""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import validated

from .definitions import PolicyDefinition
from .models import PolicyValue
from .selectors import (
    PolicyHistoryEntry,
    PolicyTableRow,
    policy_can_manage,
    policy_definition_get_or_404,
    policy_history,
    policy_row_in_force,
    policy_table,
)
from .services import policy_value_set, policy_value_withdraw

app_name = "policy_api"


class PolicyValueSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    value = serializers.CharField(help_text="存储单位的值；百分比以小数表示，如 0.021 即 2.10%")
    display = serializers.CharField()
    effective_from = serializers.DateField()
    note = serializers.CharField()


def _value(row: PolicyValue | None) -> dict[str, Any] | None:
    if row is None:
        return None
    stored = row.typed_value
    return {
        "id": row.pk, "value": str(stored), "display": row.display, "effective_from": row.effective_from,
        "note": row.note,
    }


def _definition(definition: PolicyDefinition) -> dict[str, Any]:
    return {
        "name": definition.name,
        "code": definition.code,
        "label": definition.label,
        "group": str(definition.group),
        "unit": definition.unit,
        "kind": str(definition.kind),
        "description": definition.description,
        "minimum": None if definition.minimum is None else str(definition.minimum),
        "maximum": None if definition.maximum is None else str(definition.maximum),
        "choices": [{"value": key, "label": label} for key, label in definition.choices],
    }


class PolicyDefinitionSerializer(serializers.Serializer):
    name = serializers.CharField()
    code = serializers.CharField(help_text="住房公积金基础数据标准中的政策信息代码，无则为空")
    # A field named like Field.label: DRF's metaclass takes it off the class, which the stubs cannot see.
    label = serializers.CharField()  # type: ignore[assignment]
    group = serializers.CharField()
    unit = serializers.CharField()
    kind = serializers.ChoiceField(choices=["decimal", "integer", "choice"])
    description = serializers.CharField()
    minimum = serializers.CharField(allow_null=True)
    maximum = serializers.CharField(allow_null=True)
    choices = inline_serializer(
        "PolicyChoice", fields={"value": serializers.CharField(), "label": serializers.CharField()}, many=True
    )


class PolicyHistorySerializer(PolicyValueSerializer):
    status = serializers.CharField(help_text="生效中、已失效、待生效或已撤回")
    created_by = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    withdraw_reason = serializers.CharField(allow_blank=True)


def _require_manager(request: Request) -> None:
    # Checked before the input, so an outsider learns nothing from validation messages.
    if not policy_can_manage(request.user):
        raise PermissionDenied("只有全中心范围的分管副主任/主任可以调整政策参数")


class PolicyTableApi(APIView):
    class FilterSerializer(serializers.Serializer):
        on = serializers.DateField(required=False, help_text="查询日期，默认今天")

    @extend_schema_serializer(component_name="PolicyTableRow")
    class OutputSerializer(PolicyDefinitionSerializer):
        current = PolicyValueSerializer(allow_null=True)
        next_change = PolicyValueSerializer(allow_null=True)

    @extend_schema(
        operation_id="policy_table",
        summary="政策参数表（某日生效的值及下一次调整）",
        parameters=[OpenApiParameter("on", date, description="查询日期，默认今天")],
        responses=OutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        rows: list[PolicyTableRow] = policy_table(filters.validated_data.get("on"))
        data = [
            {**_definition(r.definition), "current": _value(r.current), "next_change": _value(r.next_change)}
            for r in rows
        ]
        return Response(self.OutputSerializer(data, many=True).data)


class PolicyDetailApi(APIView):
    @extend_schema_serializer(component_name="PolicySchedule")
    class InputSerializer(serializers.Serializer):
        value = serializers.CharField(max_length=40, help_text="存储单位的值；百分比以小数表示，如 0.021 即 2.10%")
        effective_from = serializers.DateField(help_text="生效日期，最早为明天")
        note = serializers.CharField(max_length=200, help_text="调整依据（政策文件文号）")

    @extend_schema_serializer(component_name="PolicyDetail")
    class OutputSerializer(PolicyDefinitionSerializer):
        current = PolicyValueSerializer(allow_null=True)
        history = PolicyHistorySerializer(many=True)

    @staticmethod
    def _history(entry: PolicyHistoryEntry) -> dict[str, Any]:
        row = entry.row
        return {
            **(_value(row) or {}),
            "status": entry.status,
            "created_by": str(row.created_by) if row.created_by_id else None,
            "created_at": row.created_at,
            "withdrawn_at": row.withdrawn_at,
            "withdraw_reason": row.withdraw_reason,
        }

    def _output(self, definition: PolicyDefinition) -> dict[str, Any]:
        return {
            **_definition(definition),
            "current": _value(policy_row_in_force(definition.name)),
            "history": [self._history(e) for e in policy_history(definition.name)],
        }

    @extend_schema(
        operation_id="policy_detail",
        summary="政策参数的现行值与调整历史",
        responses=OutputSerializer,
    )
    def get(self, request: Request, name: str) -> Response:
        definition = policy_definition_get_or_404(name)
        return Response(self.OutputSerializer(self._output(definition)).data)

    @extend_schema(
        operation_id="policy_schedule",
        summary="安排政策参数的新值（仅限全中心范围的分管副主任/主任）",
        request=InputSerializer,
        responses={201: PolicyValueSerializer},
    )
    def post(self, request: Request, name: str) -> Response:
        definition = policy_definition_get_or_404(name)
        _require_manager(request)
        values = validated(self.InputSerializer, request)
        row = policy_value_set(name=definition.name, actor=request.user, **values)
        return Response(PolicyValueSerializer(_value(row)).data, status=status.HTTP_201_CREATED)


class PolicyWithdrawApi(APIView):
    @extend_schema_serializer(component_name="PolicyWithdraw")
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=200, help_text="撤回原因")

    @extend_schema(
        operation_id="policy_withdraw",
        summary="撤回尚未生效的政策参数值（仅限全中心范围的分管副主任/主任）",
        request=InputSerializer,
        responses={200: PolicyValueSerializer},
    )
    def post(self, request: Request, name: str, pk: int) -> Response:
        definition = policy_definition_get_or_404(name)
        _require_manager(request)
        values = validated(self.InputSerializer, request)
        try:
            row = policy_value_withdraw(
                value_id=pk, name=definition.name, actor=request.user, reason=values["reason"]
            )
        except PolicyValue.DoesNotExist as exc:
            raise Http404("未找到该政策值") from exc
        return Response(PolicyValueSerializer(_value(row)).data)


urlpatterns = [
    path("policy/", PolicyTableApi.as_view(), name="table"),
    path("policy/<slug:name>/", PolicyDetailApi.as_view(), name="detail"),
    path("policy/<slug:name>/<int:pk>/withdraw/", PolicyWithdrawApi.as_view(), name="withdraw"),
]
