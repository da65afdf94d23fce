"""The risk dashboard's figures as JSON (/api/risk/dashboard/): the same read as the page. 风控 and the director;
other staff 403, anyone else 404."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.people.roles import roles_of

from ..selectors.dashboard import TREND_DAYS, dashboard_figures, dashboard_may_view

MONEY = {"max_digits": 18, "decimal_places": 2}


class RatePointOutput(serializers.Serializer):
    date = serializers.DateField(label="日期")
    rate = serializers.DecimalField(max_digits=12, decimal_places=8, label="个贷逾期率", help_text="小数：0.0003 即 0.03%")
    overdue_balance = serializers.DecimalField(**MONEY, label="逾期贷款余额（元）")
    loan_balance = serializers.DecimalField(**MONEY, label="贷款余额（元）")
    borrowers = serializers.IntegerField(label="逾期借款人数")


class TierOutput(serializers.Serializer):
    tier = serializers.CharField(label="五级分类代码")
    label = serializers.CharField(label="五级分类")
    count = serializers.IntegerField(label="笔数")
    balance = serializers.DecimalField(**MONEY, label="贷款余额（元）")


class StageOutput(serializers.Serializer):
    stage = serializers.CharField(label="催收阶段代码")
    label = serializers.CharField(label="催收阶段")
    count = serializers.IntegerField(label="笔数")
    amount = serializers.DecimalField(**MONEY, label="逾期本息罚息合计（元）")


class CollectorOutput(serializers.Serializer):
    collector = serializers.CharField(label="清收岗")
    count = serializers.IntegerField(label="笔数")
    amount = serializers.DecimalField(**MONEY, label="逾期本息罚息合计（元）")


class LedgerOutput(serializers.Serializer):
    open = serializers.IntegerField(label="逾期台账在册笔数")
    cleared = serializers.IntegerField(label="当日销号笔数")
    by_stage = StageOutput(many=True, label="按催收阶段")
    by_collector = CollectorOutput(many=True, label="按清收岗")


class LevelOutput(serializers.Serializer):
    level = serializers.CharField(label="风险等级代码", help_text="1 办理要件存疑 / 2 受理初审违规 / 3 业务提交违规 / 4 底线红线")
    label = serializers.CharField(label="风险等级")
    count = serializers.IntegerField(label="条数")


class AgeOutput(serializers.Serializer):
    label = serializers.CharField(label="等待时间")
    count = serializers.IntegerField(label="条数")


class QueueOutput(serializers.Serializer):
    open = serializers.IntegerField(label="稽核待处理条数")
    fraud_open = serializers.IntegerField(label="其中骗提骗贷规则命中条数")
    by_level = LevelOutput(many=True, label="按风险等级")
    by_age = AgeOutput(many=True, label="按等待时间")


class RingsOutput(serializers.Serializer):
    rings = serializers.IntegerField(label="疑似团伙数")
    applications = serializers.IntegerField(label="涉及申请笔数")
    computed_at = serializers.DateTimeField(label="关联图谱计算时间", allow_null=True)


class DormantOutput(serializers.Serializer):
    campaign = serializers.IntegerField(source="campaign.pk", label="清理行动编号")
    name = serializers.CharField(source="campaign.name", label="行动名称")
    started_on = serializers.DateField(source="campaign.started_on", label="开始日期")
    ends_on = serializers.DateField(source="campaign.ends_on", label="结束日期")
    running = serializers.BooleanField(label="进行中")
    total = serializers.IntegerField(label="列入户数")
    contacted = serializers.IntegerField(label="已联系或已办结户数")
    settled = serializers.IntegerField(label="已办结户数（已提取、已转移）")
    no_phone = serializers.IntegerField(label="无联系方式户数")
    balance = serializers.DecimalField(**MONEY, label="列入余额（元）")
    settled_balance = serializers.DecimalField(**MONEY, label="已办结余额（元）")


class DashboardOutput(serializers.Serializer):
    on = serializers.DateField(label="日期")
    centre_wide = serializers.BooleanField(label="全中心范围", help_text="否：仅本管理部")
    rate = RatePointOutput(label="最新个贷逾期率", allow_null=True)
    series = RatePointOutput(many=True, label="逾期率日序列（由远及近）")
    tiers = TierOutput(many=True, label="五级分类")
    ledger = LedgerOutput(label="逾期台账")
    queue = QueueOutput(label="稽核队列")
    rings = RingsOutput(label="疑似骗提骗贷团伙")
    dormant = DormantOutput(label="最近的呆滞账户清理行动", allow_null=True)


class RiskDashboardApi(APIView):
    @extend_schema(
        responses=DashboardOutput, summary="风险驾驶舱数据（风控岗、中心领导；分部风控岗为本管理部）",
        parameters=[OpenApiParameter("days", OpenApiTypes.INT, description=f"逾期率走势天数，1–366，默认 {TREND_DAYS}")],
    )
    def get(self, request):
        if not roles_of(request.user).is_staff:
            raise Http404
        if not dashboard_may_view(request.user):
            raise PermissionDenied("风险驾驶舱仅供风控岗和中心领导查看")
        raw = request.query_params.get("days", str(TREND_DAYS))
        if not raw.isdigit() or not 1 <= int(raw) <= 366:
            raise serializers.ValidationError({"days": ["逾期率走势天数须为 1 至 366 的整数"]})
        figures = dashboard_figures(request.user, on=timezone.localdate(), days=int(raw))
        return Response(DashboardOutput(figures).data)
