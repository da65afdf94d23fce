"""贷款办理时效 through the API (mounted at /api/loans/): the same medians as the staff page, for staff in their
scope; anyone else is answered 404, as every scoped fetch is."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.dates import months_ago
from fund.people.roles import roles_of

from ..selectors.timing import TimingRow, loan_timing


class TimingRowOutput(serializers.Serializer):
    key = serializers.CharField(label="渠道代码或管理部ID")
    label = serializers.CharField(label="渠道或管理部")
    loans = serializers.IntegerField(label="放款笔数")
    median_minutes = serializers.FloatField(allow_null=True, label="受理到放款时长中位数（分钟）")
    median_visits = serializers.FloatField(allow_null=True, label="到窗口次数中位数")


class TimingOutput(serializers.Serializer):
    start = serializers.DateField(label="放款日期自")
    end = serializers.DateField(label="放款日期至")
    overall = TimingRowOutput(label="全部")
    by_channel = TimingRowOutput(many=True, label="按受理渠道")
    by_branch = TimingRowOutput(many=True, label="按管理部")


class LoanTimingApi(APIView):
    class FilterSerializer(serializers.Serializer):
        start = serializers.DateField(required=False, label="放款日期自",
                                      error_messages={"invalid": "放款日期自（start）格式应为 2026-12-01"})
        end = serializers.DateField(required=False, label="放款日期至",
                                    error_messages={"invalid": "放款日期至（end）格式应为 2026-12-31"})

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            if attrs.get("start") and attrs.get("end") and attrs["start"] > attrs["end"]:
                raise serializers.ValidationError({"end": ["截止日期不能早于起始日期"]})
            return attrs

    @extend_schema(parameters=[FilterSerializer], responses=TimingOutput,
                   summary="贷款办理时效：受理到放款时长与到窗口次数的中位数（默认近12个月）")
    def get(self, request: Request) -> Response:
        if not roles_of(request.user).is_staff:
            raise Http404
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        today = timezone.localdate()
        start: date = query.validated_data.get("start") or months_ago(today, 12)
        end: date = query.validated_data.get("end") or today
        timing = loan_timing(user=request.user, start=start, end=end)

        def row(r: TimingRow) -> dict[str, Any]:
            return {"key": r.key, "label": r.label, "loans": r.loans, "median_minutes": r.median_minutes,
                    "median_visits": r.median_visits}

        return Response(TimingOutput({
            "start": timing.start, "end": timing.end, "overall": row(timing.overall),
            "by_channel": [row(r) for r in timing.by_channel], "by_branch": [row(r) for r in timing.by_branch],
        }).data)


api_patterns = [path("timing/", LoanTimingApi.as_view(), name="loan-timing-api")]
