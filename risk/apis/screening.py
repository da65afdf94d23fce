"""The electronic audit's API: the queue, one hit and its handling, the rules. The same selectors and services
as the staff pages; anyone but staff gets 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import Pagination, choices_help, paginated, validated
from fund.audit.masking import mask_id_number
from fund.filters import api_filtered
from fund.people.roles import roles_of

from ..models import HitState
from ..screening.registry import Category, Level
from ..selectors.hits import (
    HitFilter,
    hit_get_for_user,
    hits_for_user,
    queue_summary,
    rule_get_for_user,
    rules_for_user,
)
from ..services import screening as services


def _require_staff(user: Any) -> None:
    if not roles_of(user).is_staff:
        raise Http404


class HitOutput(serializers.Serializer):
    id = serializers.IntegerField()
    rule = serializers.CharField(source="rule.code", label="规则编号")
    rule_label = serializers.CharField(source="rule.label", label="规则名称")
    category = serializers.CharField(help_text=choices_help(Category.choices))
    level = serializers.CharField(help_text=choices_help(Level.choices))
    level_label = serializers.CharField(source="get_level_display")
    subject_type = serializers.CharField(source="subject_type.model", label="业务类型")
    subject_id = serializers.IntegerField(label="业务编号")
    subject = serializers.CharField(source="subject_label", label="业务")
    branch = serializers.CharField(source="branch.name", allow_null=True, default=None, label="管理部")
    id_number = serializers.SerializerMethodField(label="身份证号码（脱敏）")
    summary = serializers.CharField(label="问题摘要")
    evidence = serializers.JSONField(label="证据")
    found_by = serializers.CharField(label="发现方式")
    found_at = serializers.DateTimeField(label="发现时间")
    state = serializers.CharField(help_text=choices_help(HitState.choices))
    state_label = serializers.CharField(source="get_state_display")
    opinion = serializers.CharField(label="稽核意见")
    rectify_request = serializers.CharField(label="整改要求")
    rectify_due = serializers.DateField(allow_null=True, label="整改期限")
    rectification = serializers.CharField(label="整改情况")

    def get_id_number(self, obj: Any) -> str:
        return mask_id_number(obj.id_number) if obj.id_number else ""


class QueueSummaryOutput(serializers.Serializer):
    open = serializers.IntegerField(label="未办结疑点")
    fraud_open = serializers.IntegerField(label="骗提骗贷疑点")
    by_level = serializers.ListField(child=serializers.DictField(), label="按风险等级")
    by_age = serializers.ListField(child=serializers.DictField(), label="按发现时长")


class HitListApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=HitOutput(many=True), summary="稽核疑点列表（工作人员：本管理部；全中心人员：全部）",
                   parameters=[
                       OpenApiParameter("state", OpenApiTypes.STR, description="standing 未办结 / " + choices_help(HitState.choices)),
                       OpenApiParameter("level", OpenApiTypes.STR, description=choices_help(Level.choices)),
                       OpenApiParameter("category", OpenApiTypes.STR, description=choices_help(Category.choices)),
                       OpenApiParameter("age", OpenApiTypes.STR, description="0 三日内 / 1 4–10日 / 2 超过10日"),
                       OpenApiParameter("q", OpenApiTypes.STR, description="业务、规则或身份证号码"),
                   ])
    def get(self, request: Any) -> Response:
        _require_staff(request.user)
        hits = api_filtered(HitFilter, request, hits_for_user(request.user))
        return paginated(self, hits.order_by("-level", "found_at", "id"), HitOutput)


class HitSummaryApi(APIView):
    @extend_schema(responses=QueueSummaryOutput, summary="稽核工作台统计（按等级与时长）")
    def get(self, request: Any) -> Response:
        _require_staff(request.user)
        return Response(QueueSummaryOutput(queue_summary(request.user, on=timezone.localdate())).data)


class HitDetailApi(APIView):
    @extend_schema(responses=HitOutput, summary="稽核疑点详情")
    def get(self, request: Any, pk: int) -> Response:
        return Response(HitOutput(hit_get_for_user(request.user, pk)).data)


class HitActionApi(APIView):
    class InputSerializer(serializers.Serializer):
        action = serializers.ChoiceField(label="操作", choices=[("confirm", "确认违规"), ("dismiss", "排除"),
                                                              ("rectify_request", "下发整改"), ("rectified", "整改完成")])
        opinion = serializers.CharField(label="稽核意见/整改要求/整改情况", max_length=500)
        due = serializers.DateField(label="整改期限", required=False, allow_null=True, help_text="下发整改时必填")

    @extend_schema(request=InputSerializer, responses=HitOutput,
                   summary="处理稽核疑点（确认、排除、下发整改：稽核岗；整改完成：本管理部或稽核岗）")
    def post(self, request: Any, pk: int) -> Response:
        hit = hit_get_for_user(request.user, pk)
        values = validated(self.InputSerializer, request)
        action, text = values["action"], values["opinion"]
        if action == "confirm":
            hit = services.hit_confirm(actor=request.user, hit=hit, opinion=text)
        elif action == "dismiss":
            hit = services.hit_dismiss(actor=request.user, hit=hit, opinion=text)
        elif action == "rectify_request":
            hit = services.hit_request_rectification(actor=request.user, hit=hit, request=text, due=values.get("due"))
        else:
            hit = services.hit_rectify(actor=request.user, hit=hit, rectification=text)
        return Response(HitOutput(hit_get_for_user(request.user, hit.pk)).data)


class RuleOutput(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField(label="规则编号")
    check_code = serializers.CharField(label="检查项")
    label = serializers.CharField(label="规则名称")
    category = serializers.CharField(help_text=choices_help(Category.choices))
    level = serializers.CharField(help_text=choices_help(Level.choices))
    params = serializers.JSONField(label="参数")
    enabled = serializers.BooleanField(label="启用")
    effective_from = serializers.DateField(label="生效日期")
    effective_until = serializers.DateField(allow_null=True, label="停用日期")
    in_force = serializers.SerializerMethodField(label="今日生效")
    description = serializers.CharField(label="规则说明")

    def get_in_force(self, obj: Any) -> bool:
        return obj.in_force(timezone.localdate())


class RuleListApi(APIView):
    pagination_class = Pagination

    class InputSerializer(serializers.Serializer):
        check = serializers.CharField(label="检查项", max_length=60)
        code = serializers.CharField(label="规则编号", max_length=60)
        label = serializers.CharField(label="规则名称", max_length=80)
        level = serializers.CharField(label="风险等级", max_length=1, help_text=choices_help(Level.choices))
        params = serializers.JSONField(label="参数", required=False)
        effective_from = serializers.DateField(label="生效日期")
        description = serializers.CharField(label="规则说明", max_length=500, required=False, allow_blank=True)

    @extend_schema(responses=RuleOutput(many=True), summary="稽核规则列表")
    def get(self, request: Any) -> Response:
        _require_staff(request.user)
        return paginated(self, rules_for_user(request.user).order_by("category", "code"), RuleOutput)

    @extend_schema(request=InputSerializer, responses={201: RuleOutput}, summary="新增稽核规则（稽核岗）")
    def post(self, request: Any) -> Response:
        _require_staff(request.user)
        values = validated(self.InputSerializer, request)
        rule = services.rule_add(actor=request.user, **values)
        return Response(RuleOutput(rule).data, status=status.HTTP_201_CREATED)


class RuleSwitchApi(APIView):
    class InputSerializer(serializers.Serializer):
        on = serializers.BooleanField(label="启用（true）或停用（false）")
        from_date = serializers.DateField(label="自该日起")

    @extend_schema(request=InputSerializer, responses=RuleOutput, summary="启用或停用稽核规则（稽核岗）")
    def post(self, request: Any, pk: int) -> Response:
        rule = rule_get_for_user(request.user, pk)
        values = validated(self.InputSerializer, request)
        return Response(RuleOutput(services.rule_switch(actor=request.user, rule=rule, **values)).data)
