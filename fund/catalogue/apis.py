"""API for the mobile app: the service catalogue, read-only and public (no login, no session)."""

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .pdf import system_label
from .registry import Material, ServiceItem, catalogue_item, catalogue_search


class CatalogueChannelOutput(serializers.Serializer):
    code = serializers.CharField(source="value", label="渠道代码")
    # A field named like Field.label: DRF's metaclass takes it off the class, which the stubs cannot see.
    label = serializers.CharField(label="渠道")  # type: ignore[assignment]


class CatalogueMaterialOutput(serializers.Serializer):
    code = serializers.CharField(label="材料编码")
    name = serializers.CharField(label="材料名称")
    copies = serializers.IntegerField(label="份数")
    original = serializers.BooleanField(label="是否原件")
    form = serializers.CharField(source="form_label", label="原件/复印件")
    provider = serializers.CharField(label="提供方")
    step = serializers.CharField(label="提供环节")
    keeper = serializers.CharField(label="留存")
    condition = serializers.CharField(label="适用情形（空为必需）")
    note = serializers.CharField(label="备注")
    shared_by = serializers.CharField(label="替代的数据共享系统代码（空为须提交纸质材料）")
    shared_by_label = serializers.SerializerMethodField(label="替代的数据共享系统")

    def get_shared_by_label(self, material: Material) -> str:
        return system_label(material.shared_by) if material.shared_by else ""


class _ItemSummary(serializers.Serializer):
    code = serializers.CharField(label="事项编码")
    name = serializers.CharField(label="事项名称")
    category = serializers.CharField(label="业务类别")
    summary = serializers.CharField(label="简介")
    time_limit = serializers.CharField(label="办理时限")
    visits = serializers.CharField(label="跑动次数")
    channels = CatalogueChannelOutput(source="channel_list", many=True, label="办理渠道")


class CatalogueListApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    class OutputSerializer(_ItemSummary):
        paper_material_count = serializers.SerializerMethodField(label="须提交纸质材料数")

        def get_paper_material_count(self, item: ServiceItem) -> int:
            return len(item.paper_materials)

    @extend_schema(
        parameters=[
            OpenApiParameter("category", str, description="业务类别：归集、提取、贷款、综合"),
            OpenApiParameter("q", str, description="按事项名称搜索"),
        ],
        responses=OutputSerializer(many=True),
        summary="事项清单",
    )
    def get(self, request: Request) -> Response:
        query = str(request.query_params.get("q", "")).strip()[:40]
        category = str(request.query_params.get("category", "")).strip() or None
        return Response(self.OutputSerializer(catalogue_search(query, category), many=True).data)


class CatalogueDetailApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    class OutputSerializer(_ItemSummary):
        applicants = serializers.CharField(label="办理对象")
        conditions = serializers.ListField(child=serializers.CharField(), label="办理条件")
        materials = CatalogueMaterialOutput(many=True, label="申请材料")
        legal_basis = serializers.ListField(child=serializers.CharField(), label="设定依据")
        fee = serializers.CharField(label="收费标准")
        extra = serializers.DictField(child=serializers.CharField(), label="其他事项")

    @extend_schema(responses=OutputSerializer, summary="事项详情（一次性告知内容）")
    def get(self, request: Request, code: str) -> Response:
        try:
            item: Any = catalogue_item(code)
        except KeyError:
            raise Http404("未找到该事项") from None
        return Response(self.OutputSerializer(item).data)
