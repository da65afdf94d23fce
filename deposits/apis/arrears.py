"""API: 应建未建单位 (催建) — the list, and recording a notice sent. Staff only; recording needs 受理."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import validated
from fund.people.roles import roles_of

from ..models import OpeningNoticeChannel
from ..selectors.arrears import unopened_units_list
from ..services.arrears import opening_notice_record


class UnopenedUnitOutput(serializers.Serializer):
    credit_code = serializers.CharField(label="统一社会信用代码")
    name = serializers.CharField(label="单位名称")
    insured = serializers.IntegerField(label="参保人数")
    status = serializers.CharField(label="状态")
    notices = serializers.IntegerField(label="催建次数")
    last_notice_at = serializers.DateTimeField(source="last_notice.sent_at", allow_null=True, default=None)


class OpeningNoticeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    credit_code = serializers.CharField()
    employer_name = serializers.CharField()
    insured_count = serializers.IntegerField()
    channel = serializers.CharField()
    channel_label = serializers.CharField(source="get_channel_display")
    contact = serializers.CharField()
    note = serializers.CharField()
    sent_at = serializers.DateTimeField()


class UnopenedUnitListApi(APIView):
    @extend_schema(parameters=[OpenApiParameter("q", str, required=False, description="单位名称或统一社会信用代码")],
                   responses=UnopenedUnitOutput(many=True), summary="应建未建单位（社保参保但未开立公积金单位账户）")
    def get(self, request):
        if not roles_of(request.user).is_staff:
            raise Http404
        rows = unopened_units_list(on=timezone.localdate(), query=request.query_params.get("q", ""))
        return Response(UnopenedUnitOutput(rows, many=True).data)


class OpeningNoticeApi(APIView):
    class InputSerializer(serializers.Serializer):
        credit_code = serializers.CharField(label="统一社会信用代码", max_length=18)
        channel = serializers.ChoiceField(label="通知方式", choices=OpeningNoticeChannel.choices)
        contact = serializers.CharField(label="联系人/电话", max_length=60, required=False, allow_blank=True)
        note = serializers.CharField(label="说明", max_length=200, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses={201: OpeningNoticeOutput}, summary="记录催建通知（受理岗）")
    def post(self, request):
        roles = roles_of(request.user)
        if not roles.is_staff:
            raise Http404
        if not roles.can_accept:
            raise PermissionDenied
        values = validated(self.InputSerializer, request)
        notice = opening_notice_record(actor=request.user, **values)
        return Response(OpeningNoticeOutput(notice).data, status=status.HTTP_201_CREATED)


api_patterns = [
    path("arrears/unopened/", UnopenedUnitListApi.as_view(), name="api-arrears-unopened"),
    path("arrears/unopened/notices/", OpeningNoticeApi.as_view(), name="api-arrears-unopened-notice"),
]
