"""Developers and their projects (楼盘准入, Liaoyuan): a developer registers online and 委贷管理 approves it; its
operator registers projects with their buildings and the presale supervision account the loans are paid to;
委贷管理 inspects a project on site and admits it only after a passing inspection, and may refuse, suspend and
resume it; the project's construction (未建/在建/已建) moves forward with its history.

Off-plan homes are lent on only in an admitted project: `project_lendable` says whether, and if not, why.
Outside calls (the bank, for the supervision account) come first, then one durable transaction writes.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from fund.audit.services import audit_log
from fund.integrations.bank import bank_account_verify
from fund.people import tasks as people_tasks
from fund.people.models import Developer, User
from fund.people.roles import roles_of
from fund.people.services import operator_create
from fund.validation import (
    clean_address,
    clean_bank_account,
    clean_bank_name,
    clean_credit_code,
    clean_into,
    clean_line,
    clean_mobile,
    clean_org_name,
    clean_person_name,
    clean_phone,
    clean_text,
)
from fund.workflow.moves import StaleStatus, move_status

from ..models import (
    Building,
    ConstructionState,
    DeveloperRegistration,
    InspectionResult,
    Project,
    ProjectInspection,
    ProjectState,
    RegistrationState,
)
from ..selectors.projects import may_admit_projects
from ..states import CONSTRUCTION_MOVES, PROJECT_MOVES, REGISTRATION_MOVES

MAX_FLOORS = 200  # no building in the country is higher; a larger figure is a typing slip
MAX_HOMES = 10000


def require_loan_admin(user: Any) -> None:
    if not may_admit_projects(roles_of(user)):
        raise PermissionDenied("您的岗位不能办理开发企业与楼盘准入")


def _notify(phone: str, text: str) -> None:
    if phone:
        transaction.on_commit(lambda: people_tasks.send_sms.delay(phone=phone, text=text), robust=True)


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


# Developer registration (开发企业注册) --------------------------------------------------------------------

def _username_check(errors: dict[str, list[str]], username: str) -> str:
    username = (username or "").strip()
    try:
        if not username:
            raise ValidationError("请填写登录用户名")
        User._meta.get_field("username").run_validators(username)
    except ValidationError as exc:
        errors["username"] = ["登录用户名只能包含字母、数字和 @/./+/-/_"] if username else exc.messages
        return username
    if User.objects.filter(username__iexact=username).exists() or DeveloperRegistration.objects.filter(
        username__iexact=username, state=RegistrationState.PENDING
    ).exists():
        errors["username"] = ["该登录用户名已被使用"]
    return username


@transaction.atomic(durable=True)
def developer_registration_submit(
    *, name: str, credit_code: str, contact_name: str, contact_phone: str, username: str, operator_name: str,
    operator_phone: str,
) -> DeveloperRegistration:
    """Record a developer's online registration; every field is checked now, so 委贷管理 reviews only
    well-formed ones. No login exists until it is approved."""
    errors: dict[str, list[str]] = {}
    name = clean_into(errors, "name", clean_org_name, name, label="企业名称") or ""
    code = clean_into(errors, "credit_code", clean_credit_code, credit_code) or ""
    if code and Developer.objects.filter(credit_code=code).exists():
        errors["credit_code"] = ["该统一社会信用代码的开发企业已注册"]
    elif code and DeveloperRegistration.objects.filter(credit_code=code, state=RegistrationState.PENDING).exists():
        errors["credit_code"] = ["该统一社会信用代码已有待审核的注册申请"]
    contact_name = clean_into(errors, "contact_name", clean_person_name, contact_name, label="联系人") or ""
    contact_phone = clean_into(errors, "contact_phone", clean_phone, contact_phone, label="联系电话") or ""
    operator_name = clean_into(errors, "operator_name", clean_person_name, operator_name, label="经办人姓名") or ""
    operator_phone = clean_into(errors, "operator_phone", clean_mobile, operator_phone, label="经办人手机号码") or ""
    username = _username_check(errors, username)
    _raise(errors)
    registration = DeveloperRegistration(
        name=name, credit_code=code, contact_name=contact_name, contact_phone=contact_phone, username=username,
        operator_name=operator_name, operator_phone=operator_phone,
    )
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:  # a concurrent application for the same code or user name committed first
        raise ValidationError({"credit_code": ["该统一社会信用代码或登录用户名已有待审核的注册申请"]}) from exc
    audit_log(actor=None, action="loans.developer_registration.submitted", target=registration,
              new={"name": name, "credit_code": code, "username": username})
    return registration


def _registration_claim(*, actor: Any, registration: DeveloperRegistration, to: str, opinion: str, action: str,
                        **fields: Any) -> None:
    try:
        move_status(registration, to, table=REGISTRATION_MOVES, actor=actor, action=action,
                    expect=RegistrationState.PENDING, note={"opinion": opinion}, reviewed_by=actor,
                    reviewed_at=timezone.now(), opinion=opinion, **fields)
    except StaleStatus as exc:
        raise ValidationError({"state": ["该申请已审核，不能重复办理"]}) from exc


@transaction.atomic(durable=True)
def developer_registration_approve(*, actor: Any, registration: DeveloperRegistration,
                                   opinion: str = "") -> DeveloperRegistration:
    """The Developer and its first operator's login, in one transaction; the login has no password until its
    holder sets one by SMS code to the phone given (the SMS after commit tells them how)."""
    require_loan_admin(actor)
    registration = DeveloperRegistration.objects.select_for_update().get(pk=registration.pk)
    if registration.state != RegistrationState.PENDING:
        raise ValidationError({"state": [f"该申请{registration.get_state_display()}，不能重复办理"]})
    if Developer.objects.filter(credit_code=registration.credit_code).exists():
        raise ValidationError({"credit_code": ["该统一社会信用代码的开发企业已注册，请退回申请"]})
    if User.objects.filter(username__iexact=registration.username).exists():
        raise ValidationError({"username": ["该登录用户名已被使用，请退回申请由企业重新提交"]})
    developer = Developer(name=registration.name, credit_code=registration.credit_code,
                          contact_name=registration.contact_name, contact_phone=registration.contact_phone)
    developer.full_clean()
    developer.save()
    audit_log(actor=actor, action="loans.developer.registered", target=developer,
              new={"name": developer.name, "credit_code": developer.credit_code})
    operator = operator_create(actor=actor, username=registration.username, name=registration.operator_name,
                               password=None, phone=registration.operator_phone, developer=developer)
    opinion = (opinion or "").strip() or "同意注册"
    _registration_claim(actor=actor, registration=registration, to=RegistrationState.APPROVED, opinion=opinion,
                        action="loans.developer_registration.approved", developer=developer, operator=operator)
    _notify(registration.operator_phone,
            f"【住房公积金】{registration.name}开发企业注册已通过，登录用户名{operator.username}。请在登录页"
            f"“忘记密码”用本手机号获取验证码设置密码后，登录开发企业服务平台。")
    registration.refresh_from_db()
    return registration


@transaction.atomic(durable=True)
def developer_registration_refuse(*, actor: Any, registration: DeveloperRegistration,
                                  opinion: str) -> DeveloperRegistration:
    require_loan_admin(actor)
    opinion = (opinion or "").strip()
    if not opinion:
        raise ValidationError({"opinion": ["不予通过须填写原因"]})
    opinion = clean_line(opinion, label="审核意见", max_length=200)
    _registration_claim(actor=actor, registration=registration, to=RegistrationState.REFUSED, opinion=opinion,
                        action="loans.developer_registration.refused")
    _notify(registration.operator_phone,
            f"【住房公积金】{registration.name}开发企业注册申请未通过：{opinion}。可修改后重新提交。")
    registration.refresh_from_db()
    return registration


# Projects and buildings -------------------------------------------------------------------------------

@dataclass(frozen=True)
class BuildingInput:
    number: str
    floors: int | None
    homes: int | None
    planned_completion: date | None = None


def _building_problems(b: BuildingInput) -> tuple[str, dict[str, list[str]]]:
    """One building's number, cleaned, and what is wrong with its figures, by field."""
    problems: dict[str, list[str]] = {}
    number = clean_into(problems, "number", clean_line, b.number, label="楼号", max_length=30) or ""
    if b.floors is None or not 1 <= b.floors <= MAX_FLOORS:
        problems["floors"] = [f"层数须为1至{MAX_FLOORS}的整数"]
    if b.homes is None or not 1 <= b.homes <= MAX_HOMES:
        problems["homes"] = [f"套数须为1至{MAX_HOMES}的整数"]
    return number, problems


def _project_text(errors: dict[str, list[str]], *, name: str, address: str, presale_permit: str,
                  payee_account: str, payee_name: str, payee_bank: str) -> dict[str, str]:
    rules: dict[str, tuple[Any, Any, dict[str, Any]]] = {
        "name": (clean_line, name, {"label": "楼盘名称", "max_length": 120}),
        "address": (clean_address, address, {"label": "楼盘地址"}),
        "presale_permit": (clean_line, presale_permit, {"label": "预售许可证号", "max_length": 60}),
        "payee_account": (clean_bank_account, payee_account, {"label": "预售资金监管账号"}),
        "payee_name": (clean_org_name, payee_name, {"label": "监管账户户名"}),
        "payee_bank": (clean_bank_name, payee_bank, {"label": "监管账户开户银行"}),
    }
    return {field: clean_into(errors, field, cleaner, raw, **options) or ""
            for field, (cleaner, raw, options) in rules.items()}


def project_register(
    *, actor: Any, developer: Developer, name: str, address: str, presale_permit: str, payee_account: str,
    payee_name: str, payee_bank: str, construction: str = ConstructionState.BUILDING,
    buildings: list[BuildingInput] | None = None,
) -> Project:
    """A developer's new project, 待准入, with its buildings. The supervision account the loans will be paid to
    is checked with the bank first (outside the transaction): a project whose account the bank does not know
    under the developer's name and credit code is refused now, not at the first disbursement."""
    errors: dict[str, list[str]] = {}
    text = _project_text(errors, name=name, address=address, presale_permit=presale_permit,
                         payee_account=payee_account, payee_name=payee_name, payee_bank=payee_bank)
    if construction not in ConstructionState.values:
        errors["construction"] = ["建设状态无效"]
    if "name" not in errors and Project.objects.filter(developer=developer, name=text["name"]).exists():
        errors["name"] = ["本企业已登记同名楼盘"]
    cleaned = []
    for i, b in enumerate(buildings or [], 1):
        number, problems = _building_problems(b)
        errors.setdefault("buildings", []).extend(f"第{i}栋：{m}" for ms in problems.values() for m in ms)
        cleaned.append(BuildingInput(number=number, floors=b.floors, homes=b.homes,
                                     planned_completion=b.planned_completion))
    if not errors.get("buildings"):
        errors.pop("buildings", None)
    numbers = [b.number for b in cleaned if b.number]
    if len(numbers) != len(set(numbers)):
        errors.setdefault("buildings", []).append("楼号不能重复")
    _raise(errors)
    bank_account_verify(field="payee_account", label="预售资金监管账号", account_number=text["payee_account"],
                        name=text["payee_name"], holder_id=developer.credit_code)
    return _project_save(actor=actor, developer=developer, text=text, construction=construction, buildings=cleaned)


@transaction.atomic(durable=True)
def _project_save(*, actor: Any, developer: Developer, text: dict[str, str], construction: str,
                  buildings: list[BuildingInput]) -> Project:
    project = Project.objects.create(developer=developer, construction=construction, registered_by=actor, **text)
    Building.objects.bulk_create(
        Building(project=project, number=b.number, floors=b.floors or 0, homes=b.homes or 0,
                 planned_completion=b.planned_completion) for b in buildings)
    audit_log(actor=actor, action="loans.project.registered", target=project,
              new={"name": project.name, "developer": developer.pk, "buildings": len(buildings)})
    return project


@transaction.atomic(durable=True)
def building_add(*, actor: Any, project: Project, number: str, floors: int | None, homes: int | None,
                 planned_completion: date | None = None) -> Building:
    """A further building of a project (a later phase's permit)."""
    number, errors = _building_problems(BuildingInput(number=number, floors=floors, homes=homes))
    if number and Building.objects.filter(project=project, number=number).exists():
        errors["number"] = ["该楼号已登记"]
    _raise(errors)
    building = Building.objects.create(project=project, number=number, floors=floors or 0, homes=homes or 0,
                                       planned_completion=planned_completion)
    audit_log(actor=actor, action="loans.project.building_added", target=project,
              new={"number": building.number, "floors": building.floors, "homes": building.homes})
    return building


# Inspection and admission (委贷管理) ----------------------------------------------------------------------

@transaction.atomic(durable=True)
def project_inspect(*, actor: Any, project: Project, inspected_on: date | None, inspector: str, findings: str,
                    result: str) -> ProjectInspection:
    """Record an on-site inspection (实地查验); admission reads the latest one."""
    require_loan_admin(actor)
    errors: dict[str, list[str]] = {}
    if inspected_on is None:
        errors["inspected_on"] = ["请填写查验日期"]
    elif inspected_on > timezone.localdate():
        errors["inspected_on"] = ["查验日期不能晚于今天"]
    inspector = clean_into(errors, "inspector", clean_person_name, inspector, label="查验人") or ""
    findings = clean_into(errors, "findings", clean_text, findings, label="查验情况", max_length=1000) or ""
    if result not in InspectionResult.values:
        errors["result"] = ["查验结论须为“合格”或“不合格”"]
    _raise(errors)
    assert inspected_on is not None  # refused above when missing
    inspection = ProjectInspection.objects.create(project=project, inspected_on=inspected_on, inspector=inspector,
                                                  findings=findings, result=result, recorded_by=actor)
    audit_log(actor=actor, action="loans.project.inspected", target=project,
              new={"inspected_on": str(inspected_on), "inspector": inspector, "result": result})
    return inspection


def project_latest_inspection(project: Project) -> ProjectInspection | None:
    return project.inspections.order_by("-inspected_on", "-id").first()


def _move(*, actor: Any, project: Project, to: str, action: str, verb: str, reason: str = "",
          **fields: Any) -> Project:
    require_loan_admin(actor)
    locked = Project.objects.select_for_update().get(pk=project.pk)
    move_status(locked, to, table=PROJECT_MOVES, actor=actor, action=action, verb=verb, reason=reason,
                was={"state_reason": locked.state_reason}, note={"state_reason": reason}, state_reason=reason,
                **fields)
    return locked


def _reason(reason: str, *, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [f"{what}须填写原因"]})
    return clean_line(reason, label="原因", max_length=200)


@transaction.atomic(durable=True)
def project_admit(*, actor: Any, project: Project) -> Project:
    """准入: only after the latest on-site inspection passed (a failed one since a pass blocks it)."""
    require_loan_admin(actor)
    latest = project_latest_inspection(project)
    if latest is None:
        raise ValidationError({"state": ["尚无实地查验记录，不能准入"]})
    if not latest.passed:
        raise ValidationError({"state": [f"最近一次实地查验（{latest.inspected_on:%Y-%m-%d}）结论为不合格，不能准入"]})
    return _move(actor=actor, project=project, to=ProjectState.ADMITTED, action="loans.project.admitted",
                 verb="准入", admitted_at=timezone.now())


@transaction.atomic(durable=True)
def project_refuse(*, actor: Any, project: Project, reason: str) -> Project:
    return _move(actor=actor, project=project, to=ProjectState.REFUSED, action="loans.project.refused",
                 verb="不予准入", reason=_reason(reason, what="不予准入"))


@transaction.atomic(durable=True)
def project_suspend(*, actor: Any, project: Project, reason: str) -> Project:
    return _move(actor=actor, project=project, to=ProjectState.SUSPENDED, action="loans.project.suspended",
                 verb="暂停", reason=_reason(reason, what="暂停准入"))


@transaction.atomic(durable=True)
def project_resume(*, actor: Any, project: Project) -> Project:
    if project.state != ProjectState.SUSPENDED:
        raise PROJECT_MOVES.refusal(project.state, ProjectState.ADMITTED, "恢复")
    return _move(actor=actor, project=project, to=ProjectState.ADMITTED, action="loans.project.resumed",
                 verb="恢复")


@transaction.atomic(durable=True)
def project_construction_move(*, actor: Any, project: Project, to: str) -> Project:
    """建设状态 forward (未建 → 在建 → 已建), each step a history row: a pre-mortgage converts once it is built."""
    require_loan_admin(actor)
    if to not in ConstructionState.values:
        raise ValidationError({"construction": ["建设状态无效"]})
    locked = Project.objects.select_for_update().get(pk=project.pk)
    move_status(locked, to, table=CONSTRUCTION_MOVES, actor=actor, action="loans.project.construction_changed",
                verb=f"改为“{ConstructionState(to).label}”")
    return locked


def project_lendable(project: Project) -> str | None:
    """None when an off-plan home in `project` may be lent on; else the reason, in Chinese, for the refusal."""
    if project.state == ProjectState.ADMITTED:
        return None
    why = f"：{project.state_reason}" if project.state_reason else ""
    if project.state == ProjectState.SUSPENDED:
        return f"楼盘“{project.name}”已暂停准入{why}，暂不办理期房贷款"
    if project.state == ProjectState.REFUSED:
        return f"楼盘“{project.name}”未准入{why}，不能办理期房贷款"
    return f"楼盘“{project.name}”尚未准入（待准入），不能办理期房贷款"
