"""The suspected rings API: the same selectors and services as the staff pages. Who sees what: see
risk.selectors.rings (others get 404)."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import Pagination, paginated
from fund.filters import api_filtered
from fund.people.roles import roles_of

from ..rings_filters import RingFilter
from ..selectors.rings import (
    link_graph_run_get_for_user,
    link_graph_runs_for_user,
    ring_evidence,
    ring_get_for_user,
    rings_for_user,
)
from ..services import rings as services


class RingReasonOutput(serializers.Serializer):
    rule = serializers.CharField(label="疑点代码", help_text="size 人数超过阈值 / card 共用银行卡 / phone 共用手机号码")
    summary = serializers.CharField(label="说明")


class RingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(label="团伙编号")
    state = serializers.CharField(label="状态代码", help_text="open 疑似 / closed 已消失")
    state_label = serializers.CharField(source="get_state_display", label="状态")
    reasons = RingReasonOutput(many=True, label="疑点")
    applications = serializers.IntegerField(label="申请笔数")
    people = serializers.IntegerField(label="涉及人数")
    first_found_on = serializers.DateField(source="first_run.business_date", label="首次发现（业务日期）")
    last_found_on = serializers.DateField(source="last_run.business_date", label="最近发现（业务日期）")
    closed_at = serializers.DateTimeField(label="消失时间", allow_null=True)
    note = serializers.CharField(label="核查备注")


class RingMemberOutput(serializers.Serializer):
    kind = serializers.CharField(source="app_kind", label="业务", help_text="withdrawal 提取 / loan 贷款申请")
    id = serializers.IntegerField(source="app_id", label="申请ID")
    number = serializers.CharField(label="业务编号")
    applicant = serializers.CharField(source="person.name", label="申请人")
    branch = serializers.CharField(source="branch.name", label="管理部")
    submitted_at = serializers.DateTimeField(label="提交时间", allow_null=True)
    state = serializers.CharField(label="申请状态")


class RingLinkOutput(serializers.Serializer):
    kind = serializers.CharField(label="标识类型代码")
    kind_label = serializers.CharField(label="标识类型")
    value = serializers.CharField(label="标识", help_text="身份证号、银行卡号、手机号码已脱敏")
    applications = serializers.SerializerMethodField(label="共用的申请编号")
    links = serializers.BooleanField(label="参与连通", help_text="否：单位等背景信息")
    flagged = serializers.BooleanField(label="构成疑点")

    def get_applications(self, obj) -> list[str]:
        return [m.number for m in obj["applications"]]


class RingNodeOutput(serializers.Serializer):
    id = serializers.CharField()
    kind = serializers.CharField(label="节点类型", help_text="person 申请人 / application 申请 / key 标识")
    label = serializers.CharField(label="标签")
    sub = serializers.CharField(label="副标签")
    x = serializers.FloatField()
    y = serializers.FloatField()
    flagged = serializers.BooleanField(label="构成疑点")


class RingEdgeOutput(serializers.Serializer):
    a = serializers.CharField(source="a.id", label="起点")
    b = serializers.CharField(source="b.id", label="终点")


class RingDetailOutput(RingOutput):
    members = RingMemberOutput(many=True, label="团伙中的申请")
    links = RingLinkOutput(many=True, label="关联证据")
    nodes = RingNodeOutput(many=True, label="关联图节点（坐标按 760×520 画布）")
    edges = RingEdgeOutput(many=True, label="关联图连线")


class RingRunOutput(serializers.Serializer):
    id = serializers.IntegerField()
    trigger = serializers.CharField(label="触发方式", help_text="close 日终处理 / manual 手工运行")
    business_date = serializers.DateField(label="业务日期")
    state = serializers.CharField(label="状态", help_text="queued 排队中 / running 计算中 / done 已完成 / failed 失败")
    stage = serializers.CharField(label="当前阶段")
    percent = serializers.IntegerField(label="进度（%）")
    started_at = serializers.DateTimeField(label="开始时间", allow_null=True)
    finished_at = serializers.DateTimeField(label="完成时间", allow_null=True)
    applications = serializers.IntegerField(label="申请笔数")
    shared_keys = serializers.IntegerField(label="共享标识数")
    hub_keys = serializers.IntegerField(label="高频标识数（不参与连通）")
    components = serializers.IntegerField(label="关联群组数")
    rings = serializers.IntegerField(label="疑似团伙数")
    rings_new = serializers.IntegerField(label="新发现")
    rings_closed = serializers.IntegerField(label="已消失")
    error = serializers.CharField(label="错误")


class RingListApi(APIView):
    pagination_class = Pagination

    @extend_schema(
        responses=RingOutput(many=True), summary="疑似团伙列表（全中心风控、稽核；管理部人员看到涉及本部的）",
        parameters=[
            OpenApiParameter("state", OpenApiTypes.STR, description="open 疑似 / closed 已消失"),
            OpenApiParameter("rule", OpenApiTypes.STR, description="size 人数超过阈值 / card 共用银行卡 / phone 共用手机号码"),
            OpenApiParameter("number", OpenApiTypes.STR, description="包含此提取或贷款申请编号的团伙"),
        ],
    )
    def get(self, request):
        if not roles_of(request.user).is_staff:
            raise Http404  # the rings do not exist for anyone but staff, as a missing ring
        rings = api_filtered(RingFilter, request, rings_for_user(request.user))
        return paginated(self, rings, RingOutput)


class RingDetailApi(APIView):
    @extend_schema(responses=RingDetailOutput, summary="疑似团伙详情：成员申请、关联证据和关联图")
    def get(self, request, pk: int):
        ring = ring_get_for_user(request.user, pk)
        evidence = ring_evidence(ring)
        data = RingOutput(ring).data
        data.update({
            "members": RingMemberOutput(evidence["members"], many=True).data,
            "links": RingLinkOutput(evidence["links"], many=True).data,
            "nodes": RingNodeOutput(evidence["nodes"], many=True).data,
            "edges": RingEdgeOutput(evidence["edges"], many=True).data,
        })
        return Response(data)


class RingRunApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=RingRunOutput(many=True), summary="关联图谱计算记录（全中心工作人员、稽核）")
    def get(self, request):
        if not roles_of(request.user).is_staff:
            raise Http404
        return paginated(self, link_graph_runs_for_user(request.user), RingRunOutput)

    @extend_schema(request=None, responses={202: RingRunOutput},
                   summary="立即计算关联图谱（全中心风控岗；已有计算在进行时返回该次计算）")
    def post(self, request):
        run = services.link_graph_run_request(actor=request.user)
        return Response(RingRunOutput(run).data, status=status.HTTP_202_ACCEPTED)


class RingRunDetailApi(APIView):
    @extend_schema(responses=RingRunOutput, summary="一次关联图谱计算的进度和结果")
    def get(self, request, pk: int):
        return Response(RingRunOutput(link_graph_run_get_for_user(request.user, pk)).data)
