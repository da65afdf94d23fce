"""The what-if API: the same selectors and services as the pages. Centre-wide directors only; anyone else gets
404, as for a run that does not exist."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import MonthField, Pagination, paginated, validated
from fund.policy.models import PolicyValue

from .registry import replayers
from .selectors import (
    draft_values,
    whatif_changes,
    whatif_run_get_for_user,
    whatif_runs_for_user,
    whatif_summary,
)
from .services import whatif_can_run, whatif_run_create


class WhatIfRunInput(serializers.Serializer):
    title = serializers.CharField(label="说明", max_length=100, required=False, allow_blank=True, default="")
    values = serializers.DictField(
        child=serializers.CharField(max_length=40), label="模拟政策值",
        help_text="政策项名称 → 存储单位的值（百分比为小数，如 0.0210 表示 2.10%），如 {\"withdrawal_rent_cap_per_year\": \"24000\"}",
    )
    replayers = serializers.ListField(
        child=serializers.CharField(max_length=40), label="重放的业务", required=False,
        help_text="withdrawals 提取审批 / loans 贷款额度测算；不填为全部",
    )
    period_start = serializers.DateField(label="重放起始日", required=False, allow_null=True, default=None,
                                         help_text="与截止日都不填时为上一个完整月份")
    period_end = serializers.DateField(label="重放截止日", required=False, allow_null=True, default=None)
    source = serializers.IntegerField(  # type: ignore[assignment]
        label="来自待生效的政策值ID", required=False, allow_null=True, default=None)


class WhatIfDraftValueOutput(serializers.Serializer):
    name = serializers.CharField(label="政策项")
    label = serializers.CharField(label="名称")  # type: ignore[assignment]
    draft = serializers.CharField(label="模拟值")
    current = serializers.CharField(label="现行值")


class WhatIfRunOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(label="模拟编号")
    title = serializers.CharField(label="说明")
    values = serializers.DictField(child=serializers.CharField(), label="模拟政策值（存储单位）")
    replayers = serializers.ListField(child=serializers.CharField(), label="重放的业务")
    period_start = serializers.DateField(label="重放起始日")
    period_end = serializers.DateField(label="重放截止日")
    state = serializers.CharField(label="状态", help_text="queued 排队中 / running 模拟中 / done 已完成 / failed 失败")
    stage = serializers.CharField(label="当前阶段")
    percent = serializers.IntegerField(label="进度（%）")
    total = serializers.IntegerField(label="待重放笔数")
    replayed = serializers.IntegerField(label="已重放笔数")
    error = serializers.CharField(label="错误")
    created_at = serializers.DateTimeField(label="发起时间")
    finished_at = serializers.DateTimeField(label="完成时间", allow_null=True)


class WhatIfLineOutput(serializers.Serializer):
    code = serializers.CharField(label="业务")
    label = serializers.CharField(label="业务名称")  # type: ignore[assignment]
    replayed = serializers.IntegerField(label="重放笔数")
    changed = serializers.IntegerField(label="结果变化笔数")
    to_refused = serializers.IntegerField(label="批准→不予办理")
    to_approved = serializers.IntegerField(label="不予办理→批准")
    amount_changed = serializers.IntegerField(label="金额变化")
    old_moved = serializers.DecimalField(max_digits=20, decimal_places=2, label="原资金")
    new_moved = serializers.DecimalField(max_digits=20, decimal_places=2, label="模拟资金")


class WhatIfMonthOutput(serializers.Serializer):
    month = MonthField(label="月份")
    old_moved = serializers.DecimalField(max_digits=20, decimal_places=2, label="原资金")
    new_moved = serializers.DecimalField(max_digits=20, decimal_places=2, label="模拟资金")


class WhatIfRunDetailOutput(WhatIfRunOutput):
    draft = WhatIfDraftValueOutput(many=True, label="模拟值与现行值")
    lines = WhatIfLineOutput(many=True, label="各业务结果对比（完成后）")
    months = WhatIfMonthOutput(many=True, label="每月资金（完成后）")


class WhatIfChangeOutput(serializers.Serializer):
    replayer = serializers.CharField(label="业务")
    number = serializers.CharField(label="业务编号")
    applicant = serializers.CharField(label="申请人（脱敏）")
    month = MonthField(label="审批月份")
    old_decision = serializers.CharField(label="原结果", help_text="approved 批准 / refused 不予办理")
    old_amount = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True, label="原金额")
    new_decision = serializers.CharField(label="模拟结果", help_text="approved 批准 / refused 不予办理")
    new_amount = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True, label="模拟金额")
    note = serializers.CharField(label="变化原因")


class WhatIfRunListApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=WhatIfRunOutput(many=True), summary="政策调整模拟记录（全中心分管副主任/主任）")
    def get(self, request: Request) -> Response:
        if not whatif_can_run(request.user):
            raise Http404
        return paginated(self, whatif_runs_for_user(request.user), WhatIfRunOutput)

    @extend_schema(request=WhatIfRunInput, responses={202: WhatIfRunOutput},
                   summary="发起政策调整模拟：按模拟政策值重放期间内的审批（后台执行，查询进度）")
    def post(self, request: Request) -> Response:
        if not whatif_can_run(request.user):
            raise Http404
        data = validated(WhatIfRunInput, request)
        source = PolicyValue.objects.filter(pk=data["source"]).first() if data.get("source") else None
        if data.get("source") and source is None:
            raise serializers.ValidationError({"source": ["未找到该政策值"]})
        run = whatif_run_create(
            actor=request.user, values=data["values"], replayers=data.get("replayers") or [r.code for r in replayers()],
            start=data["period_start"], end=data["period_end"], source=source, title=data["title"],
        )
        return Response(WhatIfRunOutput(run).data, status=status.HTTP_202_ACCEPTED)


class WhatIfRunDetailApi(APIView):
    @extend_schema(responses=WhatIfRunDetailOutput, summary="一次政策调整模拟的进度与结果对比")
    def get(self, request: Request, pk: int) -> Response:
        run = whatif_run_get_for_user(request.user, pk)
        data = WhatIfRunOutput(run).data
        summary = whatif_summary(run) if run.state == "done" else None
        data.update({
            "draft": WhatIfDraftValueOutput(draft_values(run), many=True).data,
            "lines": WhatIfLineOutput(summary.lines if summary else [], many=True).data,
            "months": WhatIfMonthOutput(summary.months if summary else [], many=True).data,
        })
        return Response(data)


class WhatIfChangesApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=WhatIfChangeOutput(many=True), summary="结果会改变的申请（按审批时间）")
    def get(self, request: Request, pk: int) -> Response:
        run = whatif_run_get_for_user(request.user, pk)
        return paginated(self, whatif_changes(run), WhatIfChangeOutput)
