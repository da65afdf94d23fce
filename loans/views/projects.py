"""Pages of developers and projects: the public registration and list of admitted projects, 委贷管理's review of
registrations and admission of projects (staff), and the developer's own projects (developer portal)."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from fund.filters import page_filtered
from fund.portals.decorators import portal_required
from fund.views import apply_errors, attempt, form_submit
from fund.workflow.moves import status_history

from ..filters import ProjectFilter
from ..models import ConstructionState, DeveloperRegistration, InspectionResult, RegistrationState
from ..selectors.projects import (
    may_admit_projects,
    project_get_for_user,
    projects_for_user,
    projects_public,
    registration_get_for_user,
    registrations_for_user,
)
from ..services import projects as services
from ..services.projects import BuildingInput
from ..states import CONSTRUCTION_MOVES, PROJECT_MOVES

SUBMITTED_KEY = "developer_registration_submitted"
TABLES = {"state": PROJECT_MOVES, "construction": CONSTRUCTION_MOVES}
DATE = forms.DateInput(attrs={"type": "date"})


class RegistrationForm(forms.Form):
    name = forms.CharField(label="企业名称", max_length=120)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=30, help_text="18位，按 GB 32100 校验")
    contact_name = forms.CharField(label="联系人", max_length=60)
    contact_phone = forms.CharField(label="联系电话", max_length=30)
    operator_name = forms.CharField(label="经办人姓名", max_length=60)
    operator_phone = forms.CharField(label="经办人手机号码", max_length=20,
                                     help_text="审核通过后以此手机号接收短信并设置登录密码")
    username = forms.CharField(label="登录用户名", max_length=150)


class OpinionForm(forms.Form):
    opinion = forms.CharField(label="审核意见", max_length=200, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ProjectForm(forms.Form):
    name = forms.CharField(label="楼盘名称", max_length=120)
    address = forms.CharField(label="楼盘地址", max_length=200)
    presale_permit = forms.CharField(label="预售许可证号", max_length=60, required=False)
    construction = forms.ChoiceField(label="建设状态", choices=ConstructionState.choices,
                                     initial=ConstructionState.BUILDING)
    payee_account = forms.CharField(label="预售资金监管账号", max_length=40, required=False)
    payee_name = forms.CharField(label="监管账户户名", max_length=120, required=False)
    payee_bank = forms.CharField(label="监管账户开户银行", max_length=60, required=False)
    number = forms.CharField(label="楼号（首栋）", max_length=30, required=False, help_text="其余楼栋可在楼盘详情中添加")
    floors = forms.IntegerField(label="层数", required=False)
    homes = forms.IntegerField(label="套数", required=False)
    planned_completion = forms.DateField(label="计划竣工日期", required=False, widget=DATE)


class BuildingForm(forms.Form):
    number = forms.CharField(label="楼号", max_length=30, required=False)
    floors = forms.IntegerField(label="层数", required=False)
    homes = forms.IntegerField(label="套数", required=False)
    planned_completion = forms.DateField(label="计划竣工日期", required=False, widget=DATE)


class InspectionForm(forms.Form):
    inspected_on = forms.DateField(label="查验日期", required=False, widget=DATE)
    inspector = forms.CharField(label="查验人", max_length=60, required=False)
    result = forms.ChoiceField(label="查验结论", choices=InspectionResult.choices)
    findings = forms.CharField(label="查验情况", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=200, required=False)


# 公开：开发企业注册、已准入楼盘 ------------------------------------------------------------------------------

def developer_register(request: HttpRequest) -> HttpResponse:
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.developer_registration_submit(**form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            request.session[SUBMITTED_KEY] = registration.pk
            return redirect("loans:developer-register-done")
    return render(request, "loans/public/register.html", {"form": form})


def developer_register_done(request: HttpRequest) -> HttpResponse:
    registration = DeveloperRegistration.objects.filter(pk=request.session.get(SUBMITTED_KEY)).first()
    if registration is None:
        raise Http404("未找到，或您无权访问")
    return render(request, "loans/public/register_done.html", {"registration": registration})


def public_projects(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "")[:60]
    page = Paginator(projects_public(search), 20).get_page(request.GET.get("page"))
    return render(request, "loans/public/projects.html", {"page_obj": page, "q": search})


# 综合窗口（委贷管理）：注册审核、楼盘准入 ---------------------------------------------------------------------

def _require_admin(request: HttpRequest) -> None:
    if not may_admit_projects(request.roles):
        raise Http404("未找到，或您无权访问")


@portal_required("staff")
def staff_registrations(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    state = request.GET.get("state", RegistrationState.PENDING)
    rows = registrations_for_user(request.user).order_by("-id")
    if state in RegistrationState.values:
        rows = rows.filter(state=state)
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(request, "loans/staff/registrations.html",
                  {"page_obj": page, "state": state, "states": RegistrationState.choices})


@portal_required("staff")
def staff_registration(request: HttpRequest, pk: int) -> HttpResponse:
    registration = registration_get_for_user(request.user, pk)
    return render(request, "loans/staff/registration.html", {"registration": registration, "form": OpinionForm()})


def _registration_review(request: HttpRequest, pk: int, approve: bool) -> HttpResponse:
    registration = registration_get_for_user(request.user, pk)
    form = OpinionForm(request.POST)
    opinion = form.cleaned_data["opinion"] if form.is_valid() else ""
    if approve:
        attempt(request, lambda: services.developer_registration_approve(
            actor=request.user, registration=registration, opinion=opinion),
            f"已通过：开发企业“{registration.name}”已登记，经办人登录名 {registration.username}（短信通知其设置密码）")
    else:
        attempt(request, lambda: services.developer_registration_refuse(
            actor=request.user, registration=registration, opinion=opinion), "已不予通过，并短信告知原因")
    return redirect("staff:loan-registration", pk=pk)


@require_POST
@portal_required("staff")
def staff_registration_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _registration_review(request, pk, approve=True)


@require_POST
@portal_required("staff")
def staff_registration_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    return _registration_review(request, pk, approve=False)


@portal_required("staff")
def staff_projects(request: HttpRequest) -> HttpResponse:
    filterset, rows = page_filtered(request, ProjectFilter, projects_for_user(request.user).order_by("-id"))
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(request, "loans/staff/projects.html", {"page_obj": page, "filter_form": filterset.form})


def _project_context(request: HttpRequest, project: Any) -> dict[str, Any]:
    return {
        "project": project, "buildings": project.buildings.all(),
        "inspections": project.inspections.select_related("recorded_by"),
        "history": [
            {"change": c, "what": "建设状态" if c.field == "construction" else "准入状态",
             "old": TABLES[c.field].label(c.old), "new": TABLES[c.field].label(c.new)}
            for c in status_history(project)],
        "lendable": services.project_lendable(project),
    }


@portal_required("staff")
def staff_project(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_get_for_user(request.user, pk)
    context = _project_context(request, project)
    context.update(can_admit=may_admit_projects(request.roles),
                   inspection_form=InspectionForm(), reason_form=ReasonForm(),
                   constructions=[c for c in ConstructionState if c != project.construction])
    return render(request, "loans/staff/project.html", context)


@require_POST
@portal_required("staff")
def staff_project_inspect(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_get_for_user(request.user, pk)
    form = InspectionForm(request.POST)
    if response := form_submit(request, form, lambda data: services.project_inspect(actor=request.user, project=project,
                                                                                    **data),
                               done="已记录实地查验", then=lambda _: redirect("staff:loan-project", pk=pk)):
        return response
    for field, errors in form.errors.items():
        for error in errors:
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{error}" if label else error)
    return redirect("staff:loan-project", pk=pk)


def _project_action(request: HttpRequest, pk: int, run: Any, done: str) -> HttpResponse:
    project = project_get_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    attempt(request, lambda: run(project, reason, request.POST.get("construction", "")), done)
    return redirect("staff:loan-project", pk=pk)


@require_POST
@portal_required("staff")
def staff_project_admit(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_action(request, pk, lambda p, r, c: services.project_admit(actor=request.user, project=p),
                           "楼盘已准入，可办理期房贷款")


@require_POST
@portal_required("staff")
def staff_project_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_action(request, pk, lambda p, r, c: services.project_refuse(actor=request.user, project=p, reason=r),
                           "已不予准入")


@require_POST
@portal_required("staff")
def staff_project_suspend(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_action(request, pk, lambda p, r, c: services.project_suspend(actor=request.user, project=p, reason=r),
                           "已暂停准入，暂停期间不办理该楼盘的期房贷款")


@require_POST
@portal_required("staff")
def staff_project_resume(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_action(request, pk, lambda p, r, c: services.project_resume(actor=request.user, project=p),
                           "已恢复准入")


@require_POST
@portal_required("staff")
def staff_project_construction(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_action(request, pk, lambda p, r, c: services.project_construction_move(
        actor=request.user, project=p, to=c), "已变更建设状态")


# 开发企业：本企业楼盘 -----------------------------------------------------------------------------------

@portal_required("developer")
def developer_projects(request: HttpRequest) -> HttpResponse:
    projects = projects_for_user(request.user).order_by("name")
    return render(request, "loans/developer/projects.html", {"projects": projects})


@portal_required("developer")
def developer_project_new(request: HttpRequest) -> HttpResponse:
    developer = request.roles.developer
    form = ProjectForm(request.POST or None, initial={"payee_name": developer.name})

    def run(data: dict[str, Any]) -> Any:
        building = [data.pop(k) for k in ("number", "floors", "homes", "planned_completion")]
        buildings = [BuildingInput(*building)] if any(v not in (None, "") for v in building) else []
        return services.project_register(actor=request.user, developer=developer, buildings=buildings, **data)

    if response := form_submit(request, form, run, done=lambda p: f"已登记楼盘“{p.name}”，待委贷管理科实地查验后准入",
                               then=lambda p: redirect("developer:project", pk=p.pk)):
        return response
    return render(request, "loans/developer/project_new.html", {"form": form})


@portal_required("developer")
def developer_project(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_get_for_user(request.user, pk)
    form = BuildingForm(request.POST or None)
    if request.method == "POST" and (response := form_submit(
        request, form, lambda data: services.building_add(actor=request.user, project=project, **data),
        done=lambda b: f"已登记{b.number}", then=lambda _: redirect("developer:project", pk=pk),
    )):
        return response
    context = _project_context(request, project)
    context["building_form"] = form
    return render(request, "loans/developer/project.html", context)


public_patterns = [
    path("projects/", public_projects, name="projects"),
    path("developers/register/", developer_register, name="developer-register"),
    path("developers/register/submitted/", developer_register_done, name="developer-register-done"),
]
staff_patterns = [
    path("loans/registrations/", staff_registrations, name="loan-registrations"),
    path("loans/registrations/<int:pk>/", staff_registration, name="loan-registration"),
    path("loans/registrations/<int:pk>/approve/", staff_registration_approve, name="loan-registration-approve"),
    path("loans/registrations/<int:pk>/refuse/", staff_registration_refuse, name="loan-registration-refuse"),
    path("loans/projects/", staff_projects, name="loan-projects"),
    path("loans/projects/<int:pk>/", staff_project, name="loan-project"),
    path("loans/projects/<int:pk>/inspect/", staff_project_inspect, name="loan-project-inspect"),
    path("loans/projects/<int:pk>/admit/", staff_project_admit, name="loan-project-admit"),
    path("loans/projects/<int:pk>/refuse/", staff_project_refuse, name="loan-project-refuse"),
    path("loans/projects/<int:pk>/suspend/", staff_project_suspend, name="loan-project-suspend"),
    path("loans/projects/<int:pk>/resume/", staff_project_resume, name="loan-project-resume"),
    path("loans/projects/<int:pk>/construction/", staff_project_construction, name="loan-project-construction"),
]
developer_patterns = [
    path("projects/", developer_projects, name="projects"),
    path("projects/new/", developer_project_new, name="project-new"),
    path("projects/<int:pk>/", developer_project, name="project"),
]
