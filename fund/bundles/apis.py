"""The API of 一件事 and 跨省通办: the same selectors and services as the pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from fund.api import Pagination, TooManyRequests, choices_help, paginated, validated
from fund.audit.masking import mask_id_number
from fund.people.auth import client_ip
from fund.people.roles import roles_of

from .models import BundleRun, CrossProvinceRequest, CrossState
from .registry import bundle_get, bundle_materials, bundle_missing_parts, bundles
from .selectors import (
    bundle_run_get_for_user,
    bundle_run_parts,
    bundle_runs_for_user,
    cross_may_work,
    cross_request_get_for_user,
    cross_requests_for_user,
    cross_sign_in_url,
)
from .services import (
    TooManyChecks,
    bundle_run,
    cross_identity_verify,
    cross_item_online,
    cross_province_items,
    cross_request_finish,
    cross_request_submit,
    cross_request_take,
)

STATE_HELP = choices_help(CrossState.choices)


class MaterialOutput(serializers.Serializer):
    code = serializers.CharField(label="材料编码")
    name = serializers.CharField(label="材料名称")
    shared_by = serializers.CharField(label="数据共享核验的系统", help_text="空为需提供纸质材料")


class BundleOutput(serializers.Serializer):
    code = serializers.CharField(label="一件事编码")
    name = serializers.CharField(label="名称")
    summary = serializers.CharField(label="说明")
    portals = serializers.ListField(child=serializers.CharField(), label="可办理的门户", help_text="staff / unit / member")
    parts = serializers.ListField(child=serializers.CharField(), label="分项编码")
    open = serializers.BooleanField(label="已开通", help_text="各分项的业务均已接入")
    materials = MaterialOutput(many=True, label="一次性告知材料（合并去重）")


class PartOutput(serializers.Serializer):
    position = serializers.IntegerField(label="顺序")
    code = serializers.CharField(label="分项编码")
    name = serializers.CharField(label="分项名称")
    summary = serializers.CharField(label="办理结果")
    application = serializers.CharField(label="分项办件编号", allow_null=True, help_text="我的办件中的编号；无单独办件为空")
    step = serializers.CharField(label="分项当前环节", allow_null=True)


class RunOutput(serializers.Serializer):
    number = serializers.CharField(label="一件事编号")
    bundle = serializers.CharField(label="一件事编码")
    title = serializers.CharField(label="事项")
    channel = serializers.CharField(label="渠道")
    branch = serializers.CharField(source="branch.name", label="管理部")
    created_at = serializers.DateTimeField(label="办理时间")
    parts = serializers.SerializerMethodField(label="分项")

    @extend_schema_field(PartOutput(many=True))
    def get_parts(self, run: BundleRun) -> list[dict[str, Any]]:
        return [{"position": row.part.position, "code": row.part.code, "name": row.part.label,
                 "summary": row.part.summary, "application": row.application.number if row.application else None,
                 "step": row.application.step_label if row.application else None} for row in bundle_run_parts(run)]


class RunListOutput(serializers.Serializer):
    number = serializers.CharField(label="一件事编号")
    bundle = serializers.CharField(label="一件事编码")
    title = serializers.CharField(label="事项")
    channel = serializers.CharField(label="渠道")
    created_at = serializers.DateTimeField(label="办理时间")


class BundleListApi(APIView):
    @extend_schema(responses=BundleOutput(many=True), summary="一件事清单（本人所在门户可办理的）")
    def get(self, request: Request) -> Response:
        roles = roles_of(request.user)
        portals = [p for p, ok in (("staff", roles.is_staff), ("unit", roles.is_unit_operator),
                                   ("member", roles.is_member)) if ok]
        rows = [{"code": b.code, "name": b.name, "summary": b.summary, "portals": list(b.portals),
                 "parts": list(b.parts), "open": not bundle_missing_parts(b),
                 "materials": [{"code": m.code, "name": m.name, "shared_by": m.shared_by} for m in bundle_materials(b)]}
                for b in bundles() if any(p in b.portals for p in portals)]
        return Response(BundleOutput(rows, many=True).data)


class BundleRunCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        unit_number = serializers.CharField(label="单位账号（窗口代办新职工入职时）", required=False, allow_blank=True, max_length=40)
        id_number = serializers.CharField(label="职工身份证号码", required=False, allow_blank=True, max_length=40)
        name = serializers.CharField(label="职工姓名", required=False, allow_blank=True, max_length=40)
        base = serializers.CharField(label="缴存基数（元）", required=False, allow_blank=True, max_length=40)
        phone = serializers.CharField(label="职工手机号码", required=False, allow_blank=True, max_length=40)
        bank_card = serializers.CharField(label="职工银行卡号", required=False, allow_blank=True, max_length=40)
        account_number = serializers.CharField(label="个人账号（窗口办理退休、贷款一件事时）", required=False, allow_blank=True,
                                               max_length=40)
        payee_card = serializers.CharField(label="收款银行卡号", required=False, allow_blank=True, max_length=40)
        # 贷款+不动产抵押登记一件事 (YJS-03)
        project = serializers.CharField(label="楼盘名称（期房）", required=False, allow_blank=True, max_length=120)
        home_address = serializers.CharField(label="房屋坐落", required=False, allow_blank=True, max_length=200)
        purchase_contract = serializers.CharField(label="购房合同/网签备案号（期房）", required=False, allow_blank=True,
                                                  max_length=60)
        certificate_number = serializers.CharField(label="不动产权证号（现房）", required=False, allow_blank=True,
                                                   max_length=60)
        price = serializers.CharField(label="房屋总价（元）", required=False, allow_blank=True, max_length=40)
        area = serializers.CharField(label="建筑面积（㎡）", required=False, allow_blank=True, max_length=40)
        monthly_income = serializers.CharField(label="家庭月收入（元）", required=False, allow_blank=True, max_length=40)
        amount_requested = serializers.CharField(label="申请金额（元）", required=False, allow_blank=True, max_length=40)
        term_months = serializers.CharField(label="贷款期限（月）", required=False, allow_blank=True, max_length=40)
        materials = serializers.ListField(child=serializers.CharField(max_length=40), required=False, max_length=20,
                                          label="已收材料编码（窗口）")
        client_token = serializers.CharField(label="提交令牌", required=False, allow_blank=True, max_length=64,
                                             help_text="重复提交同一令牌返回第一次的结果（也可用 Idempotency-Key 请求头）")

    @extend_schema(request=InputSerializer, responses={201: RunOutput, 200: RunOutput},
                   summary="办理一件事：各分项一次提交、一并办结；任一分项不通过则全部不办理")
    def post(self, request: Request, code: str) -> Response:
        bundle = bundle_get(code)
        if bundle is None:
            raise Http404
        values = validated(self.InputSerializer, request)
        token = values.pop("client_token", "") or request.headers.get("Idempotency-Key", "")
        run = bundle_run(actor=request.user, code=bundle.code, inputs=values, client_token=token)
        replayed = getattr(run, "replayed", False)
        return Response(RunOutput(bundle_run_get_for_user(request.user, run.number)).data,
                        status=status.HTTP_200_OK if replayed else status.HTTP_201_CREATED)


class BundleRunListApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=RunListOutput(many=True), summary="一件事办件（本人、本单位或本管理部的）")
    def get(self, request: Request) -> Response:
        return paginated(self, bundle_runs_for_user(request.user), RunListOutput)


class BundleRunDetailApi(APIView):
    @extend_schema(responses=RunOutput, summary="一件事办件及各分项的办理情况")
    def get(self, request: Request, number: str) -> Response:
        return Response(RunOutput(bundle_run_get_for_user(request.user, number)).data)


# 跨省通办 ---------------------------------------------------------------------------------------------------

class CrossThrottle(AnonRateThrottle):
    """Beside the per-ID-number and per-address limit on failed checks: any caller, a few a minute."""

    rate: str | None = "20/min"


class CrossResultOutput(serializers.Serializer):
    way = serializers.CharField(label="办理方式", help_text="online 登录个人网厅办理 / window 通办窗口代办")
    item = serializers.CharField(label="事项编码")
    login_url = serializers.CharField(label="登录后办理的地址", allow_blank=True)
    number = serializers.CharField(label="通办编号", allow_blank=True, help_text="窗口代办时的申请编号")


class CrossProvinceApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [CrossThrottle]

    class InputSerializer(serializers.Serializer):
        item = serializers.CharField(label="事项编码", max_length=20)
        name = serializers.CharField(label="姓名", max_length=30)
        id_number = serializers.CharField(label="身份证号码", max_length=18)
        way = serializers.ChoiceField(label="办理方式", choices=["online", "window"], default="online")
        phone = serializers.CharField(label="手机号码（窗口代办必填）", required=False, allow_blank=True, max_length=20)
        province = serializers.CharField(label="现居省份", required=False, allow_blank=True, max_length=20)
        note = serializers.CharField(label="诉求说明", required=False, allow_blank=True, max_length=300)

    @extend_schema(request=InputSerializer, responses={200: CrossResultOutput, 201: CrossResultOutput},
                   summary="跨省通办：公安身份核验后，登录个人网厅办理，或提交通办窗口代办（无需到现场）")
    def post(self, request: Request) -> Response:
        values = validated(self.InputSerializer, request)
        item = next((i for i in cross_province_items() if i.code == values["item"]), None)
        try:
            if item is not None and values["way"] == "online" and cross_item_online(item):
                verified = cross_identity_verify(item_code=item.code, name=values["name"],
                                                 id_number=values["id_number"], ip=client_ip(request))
                data = {"way": "online", "item": item.code, "login_url": cross_sign_in_url(verified.item.code), "number": ""}
                return Response(CrossResultOutput(data).data)
            made = cross_request_submit(item_code=values["item"], name=values["name"], id_number=values["id_number"],
                                        phone=values.get("phone", ""), province=values.get("province", ""),
                                        note=values.get("note", ""), ip=client_ip(request))
        except TooManyChecks as exc:
            raise TooManyRequests(exc.messages[0], exc.retry_after) from exc
        data = {"way": "window", "item": made.item_code, "login_url": "", "number": made.number}
        return Response(CrossResultOutput(data).data, status=status.HTTP_201_CREATED)


class CrossRequestOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(label="通办编号")
    item_code = serializers.CharField(label="事项编码")
    item_name = serializers.CharField(label="事项")
    name = serializers.CharField(source="person.name", label="申请人")
    id_number = serializers.SerializerMethodField(label="身份证号码（脱敏）")
    phone = serializers.CharField(label="联系电话")
    province = serializers.CharField(label="现居省份")
    note = serializers.CharField(label="诉求说明")
    branch = serializers.CharField(source="branch.name", label="管理部")
    state = serializers.CharField(label="状态代码", help_text=STATE_HELP)
    state_label = serializers.CharField(source="get_state_display", label="状态")
    taken_by = serializers.CharField(source="taken_by.get_full_name", label="受理人", allow_null=True, default=None)
    taken_at = serializers.DateTimeField(label="受理时间", allow_null=True)
    finished_at = serializers.DateTimeField(label="办结时间", allow_null=True)
    result = serializers.CharField(label="办理结果")
    created_at = serializers.DateTimeField(label="申请时间")

    def get_id_number(self, obj: CrossProvinceRequest) -> str:
        return mask_id_number(obj.person.id_number)


def _require_worker(user: Any) -> None:
    if not cross_may_work(user):
        raise Http404


class CrossRequestListApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=CrossRequestOutput(many=True), summary="通办窗口队列（本管理部；全中心范围的看全部）",
                   parameters=[OpenApiParameter("state", OpenApiTypes.STR, description=STATE_HELP)])
    def get(self, request: Request) -> Response:
        _require_worker(request.user)
        items = cross_requests_for_user(request.user)
        state = request.query_params.get("state", "")
        if state:
            if state not in CrossState.values:
                raise serializers.ValidationError({"state": [f"状态只能是：{STATE_HELP}"]})
            items = items.filter(state=state)
        return paginated(self, items.order_by("state", "-created_at", "-id"), CrossRequestOutput)


class CrossRequestDetailApi(APIView):
    @extend_schema(responses=CrossRequestOutput, summary="一笔跨省通办申请")
    def get(self, request: Request, pk: int) -> Response:
        return Response(CrossRequestOutput(cross_request_get_for_user(request.user, pk)).data)


class CrossRequestTakeApi(APIView):
    @extend_schema(request=None, responses=CrossRequestOutput, summary="受理跨省通办申请（受理岗）")
    def post(self, request: Request, pk: int) -> Response:
        item = cross_request_take(actor=request.user, request=cross_request_get_for_user(request.user, pk))
        return Response(CrossRequestOutput(item).data)


class CrossRequestFinishApi(APIView):
    class InputSerializer(serializers.Serializer):
        outcome = serializers.ChoiceField(label="办理结果", choices=["done", "refused"], help_text="done 办结 / refused 不予办理")
        result = serializers.CharField(label="结果说明", max_length=300)

    @extend_schema(request=InputSerializer, responses=CrossRequestOutput,
                   summary="记录跨省通办申请的办理结果（受理人），并短信告知申请人")
    def post(self, request: Request, pk: int) -> Response:
        item = cross_request_get_for_user(request.user, pk)
        values = validated(self.InputSerializer, request)
        item = cross_request_finish(actor=request.user, request=item, done=values["outcome"] == "done",
                                    result=values["result"])
        return Response(CrossRequestOutput(item).data)
