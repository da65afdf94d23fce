"""楼盘准入: admission only after a passing on-site inspection, suspension with a reason, construction moving
forward with its history, and `project_lendable` answering why an off-plan loan may not be made."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fund.integrations.models import SandboxBankAccount
from fund.workflow.moves import status_history
from loans.models import Building, ConstructionState, Project, ProjectState
from loans.services.projects import (
    BuildingInput,
    project_admit,
    project_construction_move,
    project_inspect,
    project_lendable,
    project_refuse,
    project_register,
    project_resume,
    project_suspend,
)

pytestmark = pytest.mark.django_db


def register(ln, **fields):
    values = dict(
        actor=ln.world.dev_a, developer=ln.world.developer_a, name="学府里二期", address="示范市高新区学府路16号",
        presale_permit="示房预售字（2026）第031号", payee_account="37050188000000000999",
        payee_name=ln.world.developer_a.name, payee_bank="中国建设银行示范市分行",
        buildings=[BuildingInput(number="1号楼", floors=18, homes=72, planned_completion=date(2028, 6, 30))],
    )
    values.update(fields)
    return project_register(**values)


@pytest.fixture
def supervision(ln):
    return SandboxBankAccount.objects.create(account_number="37050188000000000999", name=ln.world.developer_a.name,
                                             bank_name="建设银行", holder_id=ln.world.developer_a.credit_code)


def inspect(ln, project, result="passed", on=None):
    return project_inspect(actor=ln.loan_admin, project=project, inspected_on=on or timezone.localdate(),
                           inspector="赵明", findings="主体结构已封顶，监管账户已开立", result=result)


def test_a_registered_project_waits_for_admission_with_its_buildings(ln, supervision):
    project = register(ln)
    assert project.state == ProjectState.PENDING and project.registered_by == ln.world.dev_a
    assert list(project.buildings.values_list("number", "floors", "homes")) == [("1号楼", 18, 72)]
    assert project_lendable(project) == "楼盘“学府里二期”尚未准入（待准入），不能办理期房贷款"


def test_it_refuses_a_supervision_account_the_bank_does_not_know_under_the_developer(ln, supervision):
    supervision.holder_id = ln.world.developer_b.credit_code
    supervision.save()
    with pytest.raises(ValidationError) as caught:
        register(ln)
    assert "payee_account" in caught.value.message_dict
    assert not Project.objects.filter(name="学府里二期").exists()


@pytest.mark.parametrize("fields, field, words", [
    ({"presale_permit": "  "}, "presale_permit", "请填写预售许可证号"),
    ({"buildings": [BuildingInput(number="1号楼", floors=-3, homes=10)]}, "buildings", "第1栋：层数须为1至200的整数"),
    ({"buildings": [BuildingInput(number="", floors=3, homes=0)]}, "buildings", "第1栋：请填写楼号"),
    ({"payee_account": "abc"}, "payee_account", "预售资金监管账号应为8至32位数字"),
    ({"name": ""}, "name", "请填写楼盘名称"),
])
def test_it_refuses_bad_project_input_naming_the_field(ln, supervision, fields, field, words):
    with pytest.raises(ValidationError) as caught:
        register(ln, **fields)
    assert any(words in m for m in caught.value.message_dict[field])
    assert not Project.objects.filter(name="学府里二期").exists()
    assert not Building.objects.exists()


def test_admission_needs_a_passing_inspection(ln, supervision):
    project = register(ln)
    with pytest.raises(ValidationError, match="尚无实地查验记录"):
        project_admit(actor=ln.loan_admin, project=project)
    inspect(ln, project, result="failed")
    with pytest.raises(ValidationError, match="不合格"):
        project_admit(actor=ln.loan_admin, project=project)
    project.refresh_from_db()
    assert project.state == ProjectState.PENDING
    inspect(ln, project, result="passed")
    project = project_admit(actor=ln.loan_admin, project=project)
    assert project.state == ProjectState.ADMITTED and project.admitted_at is not None
    assert project_lendable(project) is None
    assert [(c.old, c.new) for c in status_history(project)] == [("pending", "admitted")]


def test_a_later_failed_inspection_blocks_admission_after_a_pass(ln, supervision):
    project = register(ln)
    inspect(ln, project, result="passed", on=timezone.localdate() - timedelta(days=10))
    inspect(ln, project, result="failed")
    with pytest.raises(ValidationError, match="不合格"):
        project_admit(actor=ln.loan_admin, project=project)


def test_it_refuses_an_inspection_dated_in_the_future(ln, supervision):
    project = register(ln)
    with pytest.raises(ValidationError) as caught:
        inspect(ln, project, on=timezone.localdate() + timedelta(days=1))
    assert caught.value.message_dict["inspected_on"] == ["查验日期不能晚于今天"]


@pytest.mark.parametrize("who", ["reviewer", "approver", "finance"])
def test_only_loan_admin_admits(ln, supervision, who):
    project = register(ln)
    with pytest.raises(PermissionDenied):
        project_inspect(actor=getattr(ln, who), project=project, inspected_on=timezone.localdate(), inspector="赵明",
                        findings="看过", result="passed")
    inspect(ln, project)
    with pytest.raises(PermissionDenied):
        project_admit(actor=getattr(ln, who), project=project)


def test_a_suspended_project_is_not_lendable_until_resumed(ln):
    with pytest.raises(ValidationError) as caught:
        project_suspend(actor=ln.loan_admin, project=ln.project, reason=" ")
    assert caught.value.message_dict["reason"] == ["暂停准入须填写原因"]
    project = project_suspend(actor=ln.loan_admin, project=ln.project, reason="监管账户资金被挪用")
    assert project.state == ProjectState.SUSPENDED
    assert project_lendable(project) == "楼盘“湖畔花园”已暂停准入：监管账户资金被挪用，暂不办理期房贷款"
    project = project_resume(actor=ln.loan_admin, project=project)
    assert project.state == ProjectState.ADMITTED and project.state_reason == ""
    assert project_lendable(project) is None
    assert [(c.old, c.new) for c in status_history(project)] == [("admitted", "suspended"), ("suspended", "admitted")]


def test_a_refused_project_says_why(ln, supervision):
    project = project_refuse(actor=ln.loan_admin, project=register(ln), reason="预售许可证与楼栋不符")
    assert project_lendable(project) == "楼盘“学府里二期”未准入：预售许可证与楼栋不符，不能办理期房贷款"


def test_construction_moves_forward_only_and_keeps_its_history(ln):
    project = project_construction_move(actor=ln.loan_admin, project=ln.project, to=ConstructionState.BUILT)
    assert project.construction == ConstructionState.BUILT
    with pytest.raises(ValidationError, match="楼盘建设状态为“已建”，不能改为“在建”"):
        project_construction_move(actor=ln.loan_admin, project=project, to=ConstructionState.BUILDING)
    history = [(c.field, c.old, c.new, c.actor_id) for c in status_history(project)]
    assert history == [("construction", "building", "built", ln.loan_admin.pk)]
