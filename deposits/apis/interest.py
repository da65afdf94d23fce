"""The interest settlement API: start (or resume) a year's run, and its status."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import validated
from fund.people.roles import roles_of

from ..models import InterestRun, InterestRunState
from ..services.interest import interest_can_start, interest_run_start, interest_run_totals


def _require_staff(user) -> None:
    if not roles_of(user).is_staff:
        raise Http404


class InterestRunOutput(serializers.Serializer):
    year = serializers.IntegerField(label="结息年度")
    period_start = serializers.DateField(label="计息起日")
    period_end = serializers.DateField(label="计息止日")
    state = serializers.CharField(label="状态代码")
    state_label = serializers.CharField(source="get_state_display", label="状态")
    total_accounts = serializers.IntegerField(label="账户数")
    processed_accounts = serializers.IntegerField(label="已处理账户数")
    percent = serializers.IntegerField(label="进度（%）")
    total_interest = serializers.DecimalField(max_digits=18, decimal_places=2, label="利息合计")
    interest_current = serializers.SerializerMethodField(label="当年归集利息")
    interest_prior = serializers.SerializerMethodField(label="上年结转利息")
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    error = serializers.CharField(label="错误")

    def _totals(self, run: InterestRun):
        if run.state != InterestRunState.DONE:
            return None
        if not hasattr(run, "_totals"):
            run._totals = interest_run_totals(run)
        return run._totals

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_interest_current(self, run: InterestRun) -> str | None:
        totals = self._totals(run)
        return None if totals is None else f"{totals.current:.2f}"

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_interest_prior(self, run: InterestRun) -> str | None:
        totals = self._totals(run)
        return None if totals is None else f"{totals.prior:.2f}"


class InterestRunListApi(APIView):
    class InputSerializer(serializers.Serializer):
        year = serializers.IntegerField(label="结息年度（截至该年6月30日）", min_value=2000, max_value=2100)

    @extend_schema(responses=InterestRunOutput(many=True), summary="年终结息记录")
    def get(self, request):
        _require_staff(request.user)
        return Response(InterestRunOutput(InterestRun.objects.order_by("-year"), many=True).data)

    @extend_schema(request=InputSerializer, responses={201: InterestRunOutput, 200: InterestRunOutput},
                   summary="开始（或从断点继续）年度结息")
    def post(self, request):
        _require_staff(request.user)
        if not interest_can_start(request.user):
            raise PermissionDenied
        values = validated(self.InputSerializer, request)
        existed = InterestRun.objects.filter(year=values["year"]).exists()
        run = interest_run_start(year=values["year"], actor=request.user)
        run.refresh_from_db()
        return Response(InterestRunOutput(run).data, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


class InterestRunDetailApi(APIView):
    @extend_schema(responses=InterestRunOutput, summary="年度结息进度")
    def get(self, request, year: int):
        _require_staff(request.user)
        run = InterestRun.objects.filter(year=year).first()
        if run is None:
            raise Http404
        return Response(InterestRunOutput(run).data)


api_patterns = [
    path("interest/runs/", InterestRunListApi.as_view(), name="api-interest-runs"),
    path("interest/runs/<int:year>/", InterestRunDetailApi.as_view(), name="api-interest-run"),
]
