"""Developers and projects through the pages and the API: each developer sees only its own projects, the public
sees only admitted ones, 委贷管理 approves a registration into a developer with a login, bad input is a 4xx
naming the field and writes nothing."""

from datetime import date

import pytest
from django.utils import timezone

from fund.integrations.models import SandboxBankAccount
from fund.people.roles import roles_of
from loans.models import DeveloperRegistration, Project, ProjectState
from tests.clients import api, page

pytestmark = pytest.mark.django_db

CODE = "91370100MA3C5KPL2U"


@pytest.fixture
def projects(ln):
    """ln.project (admitted, developer A); B's pending project; A's suspended one."""
    theirs = Project.objects.create(developer=ln.world.developer_b, name="乙方新城", address="示范市南湖路1号",
                                    presale_permit="示房预售字（2026）第040号")
    suspended = Project.objects.create(developer=ln.world.developer_a, name="甲方旧苑", address="示范市东路2号",
                                       presale_permit="示房预售字（2025）第002号", state=ProjectState.SUSPENDED,
                                       state_reason="整改中")
    return ln.project, theirs, suspended


def test_it_refuses_a_developer_another_developers_project(ln, projects):
    ours, theirs, _ = projects
    assert page(ln.world.dev_a).get(f"/developer/projects/{ours.pk}/").status_code == 200
    assert page(ln.world.dev_a).get(f"/developer/projects/{theirs.pk}/").status_code == 404
    assert api(ln.world.dev_a).get(f"/api/loans/projects/{theirs.pk}/").status_code == 404
    listed = {r["name"] for r in api(ln.world.dev_a).get("/api/loans/projects/").json()["results"]}
    assert listed == {"湖畔花园", "甲方旧苑"}
    response = api(ln.world.dev_a).post(f"/api/loans/projects/{theirs.pk}/buildings/",
                                        {"number": "9号楼", "floors": 9, "homes": 9}, format="json")
    assert response.status_code == 404 and not theirs.buildings.exists()


@pytest.mark.parametrize("who", ["outsider", "member_a", "unit_a_op"])
def test_it_refuses_outsiders_every_project(ln, projects, who):
    user = getattr(ln.world, who)
    assert page(user).get("/developer/projects/").status_code == 404
    assert page(user).get(f"/staff/loans/projects/{ln.project.pk}/").status_code == 404
    assert api(user).get(f"/api/loans/projects/{ln.project.pk}/").status_code == 404
    assert api(user).get("/api/loans/projects/").json()["results"] == []


def test_a_bank_operator_sees_projects_only_through_its_portal(ln, projects):
    assert page(ln.bank_op).get("/developer/projects/").status_code == 404
    assert page(ln.bank_op).get("/staff/loans/projects/").status_code == 404
    assert api(ln.bank_op).get(f"/api/loans/projects/{ln.project.pk}/").status_code == 404


def test_the_public_list_shows_only_admitted_projects(client, ln, projects):
    text = client.get("/loans/projects/").content.decode()
    assert "湖畔花园" in text and "乙方新城" not in text and "甲方旧苑" not in text
    assert "没有符合条件" in client.get("/loans/projects/?q=乙方").content.decode()
    names = [r["name"] for r in client.get("/api/loans/public/projects/").json()["results"]]
    assert names == ["湖畔花园"]
    assert "/loans/projects/" in client.get("/").content.decode()


def test_staff_list_filters_by_state(ln, projects):
    text = page(ln.loan_admin).get("/staff/loans/projects/?state=suspended").content.decode()
    assert "甲方旧苑" in text and "湖畔花园" not in text
    bad = api(ln.loan_admin).get("/api/loans/projects/?state=nonsense")
    assert bad.status_code == 400 and "准入状态" in bad.json()["state"][0]


def test_loan_admin_admits_through_the_api_only_after_a_passing_inspection(ln, projects):
    _, theirs, _ = projects
    client = api(ln.loan_admin)
    refused = client.post(f"/api/loans/projects/{theirs.pk}/admit/", {}, format="json")
    assert refused.status_code == 400 and "尚无实地查验记录" in refused.json()["state"][0]
    inspected = client.post(f"/api/loans/projects/{theirs.pk}/inspections/", {
        "inspected_on": str(timezone.localdate()), "inspector": "赵明", "findings": "五证齐全", "result": "passed",
    }, format="json")
    assert inspected.status_code == 201
    admitted = client.post(f"/api/loans/projects/{theirs.pk}/admit/", {}, format="json")
    assert admitted.status_code == 200 and admitted.json()["state"] == "admitted" and admitted.json()["lendable"]
    # a reviewer may read, never admit
    assert api(ln.reviewer).post(f"/api/loans/projects/{theirs.pk}/suspend/", {"reason": "x"},
                                 format="json").status_code == 403


def test_a_suspended_project_says_why_it_is_not_lendable(ln, projects):
    _, _, suspended = projects
    body = api(ln.world.dev_a).get(f"/api/loans/projects/{suspended.pk}/").json()
    assert body["lendable"] is False and "已暂停准入：整改中" in body["not_lendable_reason"]


def project_body(**fields):
    body = {"name": "学府里二期", "address": "示范市高新区学府路16号", "presale_permit": "示房预售字（2026）第031号",
            "payee_account": "37050188000000000999", "payee_name": "", "payee_bank": "中国建设银行示范市分行",
            "buildings": [{"number": "1号楼", "floors": 18, "homes": 72, "planned_completion": "2028-06-30"}]}
    body.update(fields)
    return body


def test_a_developer_registers_a_project_through_the_api(ln):
    SandboxBankAccount.objects.create(account_number="37050188000000000999", name=ln.world.developer_a.name,
                                      bank_name="建设银行", holder_id=ln.world.developer_a.credit_code)
    response = api(ln.world.dev_a).post("/api/loans/projects/", project_body(payee_name=ln.world.developer_a.name),
                                        format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "pending" and body["buildings"][0]["floors"] == 18
    assert not body["lendable"] and "尚未准入" in body["not_lendable_reason"]


@pytest.mark.parametrize("fields, field, words", [
    ({"presale_permit": ""}, "presale_permit", "请填写预售许可证号"),
    ({"buildings": [{"number": "1号楼", "floors": -2, "homes": 10}]}, "buildings", "层数"),
    ({"payee_account": "12ab"}, "payee_account", "预售资金监管账号"),
])
def test_it_refuses_bad_project_input_with_a_4xx_naming_the_field(ln, fields, field, words):
    response = api(ln.world.dev_a).post("/api/loans/projects/", project_body(payee_name=ln.world.developer_a.name,
                                                                             **fields), format="json")
    assert response.status_code == 400
    assert any(words in m for m in response.json()[field])
    assert not Project.objects.filter(name="学府里二期").exists()


def test_the_developer_page_refuses_a_negative_floor_count_on_the_form(ln):
    response = page(ln.world.dev_a).post(f"/developer/projects/{ln.project.pk}/",
                                         {"number": "5号楼", "floors": "-1", "homes": "20"})
    assert response.status_code == 200 and "层数须为1至200的整数" in response.content.decode()
    assert not ln.project.buildings.exists()


def registration(**fields):
    body = {"name": "示范市宏远置业有限公司", "credit_code": CODE, "contact_name": "钱经理",
            "contact_phone": "0537-3999000", "operator_name": "孙丽", "operator_phone": "13905371234",
            "username": "hongyuan"}
    body.update(fields)
    return body


@pytest.mark.parametrize("fields, field", [
    ({"credit_code": "91370100MA3C5KPL2X"}, "credit_code"),
    ({"operator_phone": "12345"}, "operator_phone"),
    ({"username": "dev_a"}, "username"),
])
def test_it_refuses_a_bad_registration_naming_the_field(client, ln, fields, field):
    response = client.post("/api/loans/developer-registrations/", registration(**fields), content_type="application/json")
    assert response.status_code == 400 and field in response.json()
    assert not DeveloperRegistration.objects.exists()


def test_loan_admin_approves_a_registration_into_a_developer_and_its_login(client, ln, django_capture_on_commit_callbacks):
    page_answer = client.post("/loans/developers/register/", registration())
    assert page_answer.status_code == 302
    applied = DeveloperRegistration.objects.get()
    assert page(ln.reviewer).get(f"/staff/loans/registrations/{applied.pk}/").status_code == 404
    assert api(ln.reviewer).post(f"/api/loans/developer-registrations/{applied.pk}/approve/", {},
                                 format="json").status_code == 404
    with django_capture_on_commit_callbacks() as callbacks:
        response = page(ln.loan_admin).post(f"/staff/loans/registrations/{applied.pk}/approve/", {"opinion": ""})
    assert response.status_code == 302
    applied.refresh_from_db()
    assert applied.state == "approved" and applied.developer.credit_code == CODE
    operator = applied.operator
    assert operator.username == "hongyuan" and not operator.has_usable_password()
    assert roles_of(operator).developer == applied.developer
    assert callbacks  # the SMS telling the operator how to set a password goes out after commit


def test_a_refusal_needs_a_reason(ln):
    applied = api(ln.world.outsider).post("/api/loans/developer-registrations/", registration(), format="json").json()
    response = api(ln.loan_admin).post(f"/api/loans/developer-registrations/{applied['id']}/refuse/", {"opinion": ""},
                                       format="json")
    assert response.status_code == 400 and response.json()["opinion"] == ["不予通过须填写原因"]
    response = api(ln.loan_admin).post(f"/api/loans/developer-registrations/{applied['id']}/refuse/",
                                       {"opinion": "营业执照经营范围不含房地产开发"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "refused"


def test_pages_render_for_their_users(ln, projects):
    assert date  # the pages below each answer 200 for the user they are for
    for user, url in [(ln.loan_admin, "/staff/loans/projects/"), (ln.loan_admin, f"/staff/loans/projects/{ln.project.pk}/"),
                      (ln.loan_admin, "/staff/loans/registrations/"), (ln.world.dev_a, "/developer/projects/new/"),
                      (ln.world.dev_a, "/developer/"), (ln.bank_op, "/bank/")]:
        assert page(user).get(url).status_code == 200, url
