"""The developers and projects API: anyone may list admitted projects and apply to register a developer
(throttled); a developer's operator registers and reads its own projects; 委贷管理 reviews registrations,
records inspections, admits, refuses, suspends and resumes projects and moves their construction state."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from fund.api import Pagination, choices_help, paginated, validated
from fund.filters import api_filtered
from fund.people.roles import roles_of

from ..filters import ProjectFilter
from ..models import ConstructionState, InspectionResult, ProjectState, RegistrationState
from ..selectors.projects import (
    project_get_for_user,
    projects_for_user,
    projects_public,
    registration_get_for_user,
    registrations_for_user,
)
from ..services import projects as services
from ..services.projects import BuildingInput


class RegistrationThrottle(AnonRateThrottle):
    """Ten registrations an hour from one address; the rate lives here, so no settings entry is needed."""

    scope = "developer_registration"
    rate = "10/hour"


class ProjectBuildingOutput(serializers.Serializer):
    number = serializers.CharField(label="楼号")
    floors = serializers.IntegerField(label="层数")
    homes = serializers.IntegerField(label="套数")
    planned_completion = serializers.DateField(label="计划竣工日期", allow_null=True)


class PublicProjectOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(label="楼盘名称")
    address = serializers.CharField(label="地址")
    developer = serializers.CharField(source="developer.name", label="开发企业")
    presale_permit = serializers.CharField(label="预售许可证号")
    construction = serializers.CharField(label="建设状态代码")
    construction_label = serializers.CharField(source="get_construction_display", label="建设状态")
    admitted_at = serializers.DateTimeField(label="准入时间", allow_null=True)


class ProjectInspectionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    inspected_on = serializers.DateField(label="查验日期")
    inspector = serializers.CharField(label="查验人")
    findings = serializers.CharField(label="查验情况")
    result = serializers.CharField(label="查验结论代码")
    result_label = serializers.CharField(source="get_result_display", label="查验结论")


class ProjectOutput(PublicProjectOutput):
    state = serializers.CharField(label="准入状态代码")
    state_label = serializers.CharField(source="get_state_display", label="准入状态")
    state_reason = serializers.CharField(label="暂停/未准入原因")
    lendable = serializers.SerializerMethodField(label="可办理期房贷款")
    not_lendable_reason = serializers.SerializerMethodField(label="不能办理期房贷款的原因")
    payee_account = serializers.CharField(label="预售资金监管账号")
    payee_name = serializers.CharField(label="监管账户户名")
    payee_bank = serializers.CharField(label="监管账户开户银行")
    buildings = ProjectBuildingOutput(many=True, source="buildings.all")
    inspections = ProjectInspectionOutput(many=True, source="inspections.all")

    def get_lendable(self, project: Any) -> bool:
        return services.project_lendable(project) is None

    def get_not_lendable_reason(self, project: Any) -> str:
        return services.project_lendable(project) or ""


class ProjectBuildingInput(serializers.Serializer):
    number = serializers.CharField(label="楼号", max_length=30, allow_blank=True)
    floors = serializers.IntegerField(label="层数", min_value=-(10**6), max_value=10**6)
    homes = serializers.IntegerField(label="套数", min_value=-(10**6), max_value=10**6)
    planned_completion = serializers.DateField(label="计划竣工日期", required=False, allow_null=True, default=None)


def _require_admin(user: Any) -> None:
    services.require_loan_admin(user)


class PublicProjectListApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    pagination_class = Pagination

    @extend_schema(responses=PublicProjectOutput(many=True), summary="已准入楼盘（公开）",
                   parameters=[OpenApiParameter("q", str, description="楼盘名称、地址或开发企业")])
    def get(self, request):
        search = str(request.query_params.get("q", ""))[:60]
        return paginated(self, projects_public(search), PublicProjectOutput)


class ProjectListApi(APIView):
    """委贷管理 and other staff see every project; a developer's operator only its own."""

    permission_classes = [IsAuthenticated]
    pagination_class = Pagination

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(label="楼盘名称", max_length=120, allow_blank=True)
        address = serializers.CharField(label="楼盘地址", max_length=200, allow_blank=True)
        presale_permit = serializers.CharField(label="预售许可证号", max_length=60, allow_blank=True)
        construction = serializers.ChoiceField(label="建设状态", choices=ConstructionState.choices,
                                               default=ConstructionState.BUILDING)
        payee_account = serializers.CharField(label="预售资金监管账号", max_length=40, allow_blank=True)
        payee_name = serializers.CharField(label="监管账户户名", max_length=120, allow_blank=True)
        payee_bank = serializers.CharField(label="监管账户开户银行", max_length=60, allow_blank=True)
        buildings = ProjectBuildingInput(many=True, label="楼栋", required=False, default=list)

    @extend_schema(responses=ProjectOutput(many=True), summary="楼盘列表（员工全部，开发企业本企业）", parameters=[
        OpenApiParameter("state", str, description=choices_help(ProjectState.choices)),
        OpenApiParameter("construction", str, description=choices_help(ConstructionState.choices)),
        OpenApiParameter("q", str, description="楼盘名称、开发企业、地址或预售许可证号"),
    ])
    def get(self, request):
        rows = api_filtered(ProjectFilter, request, projects_for_user(request.user).order_by("-id"))
        return paginated(self, rows.prefetch_related("buildings", "inspections"), ProjectOutput)

    @extend_schema(request=InputSerializer, responses={201: ProjectOutput}, summary="登记楼盘（开发企业）")
    def post(self, request):
        developer = roles_of(request.user).developer
        if developer is None:
            raise PermissionDenied
        values = validated(self.InputSerializer, request)
        buildings = [BuildingInput(**b) for b in values.pop("buildings")]
        project = services.project_register(actor=request.user, developer=developer, buildings=buildings, **values)
        return Response(ProjectOutput(project).data, status=status.HTTP_201_CREATED)


class ProjectDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ProjectOutput, summary="楼盘详情（含楼栋、查验记录）")
    def get(self, request, pk: int):
        return Response(ProjectOutput(project_get_for_user(request.user, pk)).data)


class ProjectBuildingApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ProjectBuildingInput, responses={201: ProjectOutput}, summary="登记楼栋")
    def post(self, request, pk: int):
        project = project_get_for_user(request.user, pk)
        if roles_of(request.user).developer is None:
            _require_admin(request.user)
        values = validated(ProjectBuildingInput, request)
        services.building_add(actor=request.user, project=project, **values)
        return Response(ProjectOutput(project_get_for_user(request.user, pk)).data, status=status.HTTP_201_CREATED)


class ProjectInspectionInput(serializers.Serializer):
    inspected_on = serializers.DateField(label="查验日期")
    inspector = serializers.CharField(label="查验人", max_length=60, allow_blank=True)
    findings = serializers.CharField(label="查验情况", max_length=1000, allow_blank=True)
    result = serializers.ChoiceField(label="查验结论", choices=InspectionResult.choices)


class ProjectInspectApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ProjectInspectionInput, responses={201: ProjectOutput}, summary="记录实地查验（委贷管理）")
    def post(self, request, pk: int):
        project = project_get_for_user(request.user, pk)
        _require_admin(request.user)
        services.project_inspect(actor=request.user, project=project, **validated(ProjectInspectionInput, request))
        return Response(ProjectOutput(project_get_for_user(request.user, pk)).data, status=status.HTTP_201_CREATED)


class ProjectReasonInput(serializers.Serializer):
    reason = serializers.CharField(label="原因", max_length=200, required=False, allow_blank=True, default="")


class ProjectConstructionInput(serializers.Serializer):
    construction = serializers.ChoiceField(label="建设状态", choices=ConstructionState.choices)


def _action(run: Any, summary: str, name: str, body: type[serializers.Serializer] = ProjectReasonInput) -> type[APIView]:
    """One 委贷管理 action on a project in scope; the answer is the project as it now is."""

    class ProjectActionApi(APIView):
        permission_classes = [IsAuthenticated]

        @extend_schema(request=body, responses=ProjectOutput, summary=summary)
        def post(self, request, pk: int):
            project = project_get_for_user(request.user, pk)
            _require_admin(request.user)
            run(request.user, project, validated(body, request))
            return Response(ProjectOutput(project_get_for_user(request.user, pk)).data)

    ProjectActionApi.__name__ = ProjectActionApi.__qualname__ = name
    return ProjectActionApi


ProjectAdmitApi = _action(lambda u, p, v: services.project_admit(actor=u, project=p), "准入楼盘（须有合格的实地查验）",
                          "ProjectAdmitApi")
ProjectRefuseApi = _action(lambda u, p, v: services.project_refuse(actor=u, project=p, reason=v["reason"]),
                           "不予准入", "ProjectRefuseApi")
ProjectSuspendApi = _action(lambda u, p, v: services.project_suspend(actor=u, project=p, reason=v["reason"]),
                            "暂停准入（须填写原因）", "ProjectSuspendApi")
ProjectResumeApi = _action(lambda u, p, v: services.project_resume(actor=u, project=p), "恢复准入", "ProjectResumeApi")
ProjectConstructionApi = _action(
    lambda u, p, v: services.project_construction_move(actor=u, project=p, to=v["construction"]),
    "变更建设状态（未建→在建→已建）", "ProjectConstructionApi", ProjectConstructionInput)


class RegistrationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField(label="状态代码")
    state_label = serializers.CharField(source="get_state_display", label="状态")
    name = serializers.CharField(label="企业名称")
    credit_code = serializers.CharField(label="统一社会信用代码")
    contact_name = serializers.CharField(label="联系人")
    contact_phone = serializers.CharField(label="联系电话")
    username = serializers.CharField(label="登录用户名")
    operator_name = serializers.CharField(label="经办人姓名")
    submitted_at = serializers.DateTimeField()
    opinion = serializers.CharField(label="审核意见")
    developer = serializers.IntegerField(source="developer_id", allow_null=True, label="开发企业")


class RegistrationSubmittedOutput(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")


class RegistrationListApi(APIView):
    pagination_class = Pagination

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(label="企业名称", max_length=120, allow_blank=True)
        credit_code = serializers.CharField(label="统一社会信用代码", max_length=30, allow_blank=True)
        contact_name = serializers.CharField(label="联系人", max_length=60, allow_blank=True)
        contact_phone = serializers.CharField(label="联系电话", max_length=30, allow_blank=True)
        operator_name = serializers.CharField(label="经办人姓名", max_length=60, allow_blank=True)
        operator_phone = serializers.CharField(label="经办人手机号码", max_length=20, allow_blank=True)
        username = serializers.CharField(label="登录用户名", max_length=150, allow_blank=True)

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def get_throttles(self):
        return [RegistrationThrottle()] if self.request.method == "POST" else super().get_throttles()

    @extend_schema(responses=RegistrationOutput(many=True), summary="开发企业注册申请列表（委贷管理）",
                   parameters=[OpenApiParameter("state", str, description=choices_help(RegistrationState.choices))])
    def get(self, request):
        _require_admin(request.user)
        rows = registrations_for_user(request.user).order_by("-id")
        state = request.query_params.get("state", "")
        if state:
            if state not in RegistrationState.values:
                raise serializers.ValidationError({"state": [f"状态：“{state[:20]}”不是有效的选项"]})
            rows = rows.filter(state=state)
        return paginated(self, rows, RegistrationOutput)

    @extend_schema(request=InputSerializer, responses={201: RegistrationSubmittedOutput},
                   summary="开发企业注册申请（无需登录）")
    def post(self, request):
        registration = services.developer_registration_submit(**validated(self.InputSerializer, request))
        return Response(RegistrationSubmittedOutput(registration).data, status=status.HTTP_201_CREATED)


class RegistrationOpinionInput(serializers.Serializer):
    opinion = serializers.CharField(label="审核意见", max_length=200, required=False, allow_blank=True, default="")


def _review(service: Any, summary: str, name: str) -> type[APIView]:
    class RegistrationReviewApi(APIView):
        permission_classes = [IsAuthenticated]

        @extend_schema(request=RegistrationOpinionInput, responses=RegistrationOutput, summary=summary)
        def post(self, request, pk: int):
            registration = registration_get_for_user(request.user, pk)
            registration = service(actor=request.user, registration=registration,
                                   opinion=validated(RegistrationOpinionInput, request)["opinion"])
            return Response(RegistrationOutput(registration).data)

    RegistrationReviewApi.__name__ = RegistrationReviewApi.__qualname__ = name
    return RegistrationReviewApi


RegistrationApproveApi = _review(services.developer_registration_approve, "通过开发企业注册（委贷管理）",
                                 "RegistrationApproveApi")
RegistrationRefuseApi = _review(services.developer_registration_refuse, "不予通过开发企业注册（须填写原因）",
                                "RegistrationRefuseApi")


api_patterns = [
    path("public/projects/", PublicProjectListApi.as_view(), name="loans-public-projects"),
    path("projects/", ProjectListApi.as_view(), name="loans-projects"),
    path("projects/<int:pk>/", ProjectDetailApi.as_view(), name="loans-project"),
    path("projects/<int:pk>/buildings/", ProjectBuildingApi.as_view(), name="loans-project-buildings"),
    path("projects/<int:pk>/inspections/", ProjectInspectApi.as_view(), name="loans-project-inspect"),
    path("projects/<int:pk>/admit/", ProjectAdmitApi.as_view(), name="loans-project-admit"),
    path("projects/<int:pk>/refuse/", ProjectRefuseApi.as_view(), name="loans-project-refuse"),
    path("projects/<int:pk>/suspend/", ProjectSuspendApi.as_view(), name="loans-project-suspend"),
    path("projects/<int:pk>/resume/", ProjectResumeApi.as_view(), name="loans-project-resume"),
    path("projects/<int:pk>/construction/", ProjectConstructionApi.as_view(), name="loans-project-construction"),
    path("developer-registrations/", RegistrationListApi.as_view(), name="loans-registrations"),
    path("developer-registrations/<int:pk>/approve/", RegistrationApproveApi.as_view(),
         name="loans-registration-approve"),
    path("developer-registrations/<int:pk>/refuse/", RegistrationRefuseApi.as_view(), name="loans-registration-refuse"),
]
