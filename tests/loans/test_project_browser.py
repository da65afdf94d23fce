"""The developer and project pages in Chromium, each screenshotted: a developer registers online, 委贷管理
approves it, inspects and admits a project; the developer registers a project; the public list and the bank
portal."""

import pytest
from django.utils import timezone

from fund.integrations.models import SandboxBankAccount
from loans.models import DeveloperRegistration, Project
from tests.browser_support import SHOTS, fill_form, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"loans-{name}.png"), full_page=True)


def test_a_developer_registers_and_loan_admin_approves(page, live_server, ln):  # noqa: F811
    page.goto(f"{live_server.url}/")
    page.click("text=开发企业注册")
    page.fill("input[name=name]", "示范市宏远置业有限公司")
    page.fill("input[name=credit_code]", "91370100MA3C5KPL2X")  # a wrong check digit
    fill_form(
        page, contact_name="钱经理", contact_phone="0537-3999000", operator_name="孙丽", operator_phone="13905371234",
        username="hongyuan",
    )
    page.click(".form-actions button[type=submit]")
    assert page.locator(".has-error").count() == 1
    shot(page, "developer-register-refused")
    page.fill("input[name=credit_code]", "91370100MA3C5KPL2U")
    page.click(".form-actions button[type=submit]")
    assert "注册申请已提交" in page.content()
    shot(page, "developer-register-done")

    sign_in(page, live_server, "loan_admin")
    page.goto(f"{live_server.url}/staff/loans/registrations/")
    shot(page, "staff-registrations")
    page.click("text=示范市宏远置业有限公司")
    shot(page, "staff-registration")
    page.click("button:has-text('审核通过')")
    assert "已通过" in page.content()
    assert DeveloperRegistration.objects.get().developer is not None


def test_loan_admin_inspects_and_admits_a_project(page, live_server, ln):  # noqa: F811
    project = Project.objects.create(developer=ln.world.developer_b, name="乙方新城", address="示范市南湖路1号",
                                     presale_permit="示房预售字（2026）第040号")
    sign_in(page, live_server, "loan_admin")
    page.goto(f"{live_server.url}/staff/loans/projects/?state=pending")
    shot(page, "staff-projects")
    page.click("text=乙方新城")
    page.click("button:has-text('准入')")
    assert "尚无实地查验记录" in page.content()
    fill_form(page, inspected_on=str(timezone.localdate()), inspector="赵明", result="passed")
    page.fill("textarea[name=findings]", "五证齐全，主体施工至12层，监管账户已开立")
    page.click("button:has-text('保存查验记录')")
    page.click("form[action$='/admit/'] button")
    assert "楼盘已准入" in page.content()
    shot(page, "staff-project")
    project.refresh_from_db()
    assert project.state == "admitted"

    page.goto(f"{live_server.url}/loans/projects/")
    assert "乙方新城" in page.content()
    shot(page, "public-projects")


def test_a_developer_registers_a_project_and_a_building(page, live_server, ln):  # noqa: F811
    SandboxBankAccount.objects.create(account_number="37050188000000000999", name=ln.world.developer_a.name,
                                      bank_name="建设银行", holder_id=ln.world.developer_a.credit_code)
    sign_in(page, live_server, "dev_a")
    shot(page, "developer-home")
    page.goto(f"{live_server.url}/developer/projects/new/")
    fill_form(
        page, name="学府里二期", address="示范市高新区学府路16号", payee_account="37050188000000000999", payee_bank="中国建设银行示范市分行",
        number="1号楼", floors="18", homes="72",
    )
    page.click(".form-actions button[type=submit]")
    assert "请填写预售许可证号" in page.content()
    shot(page, "developer-project-new")
    page.fill("input[name=presale_permit]", "示房预售字（2026）第031号")
    page.click(".form-actions button[type=submit]")
    assert "已登记楼盘" in page.content()
    fill_form(page, number="2号楼", floors="-3", homes="40")
    page.click("button:has-text('添加楼栋')")
    assert "层数须为1至200的整数" in page.content()
    page.fill("input[name=floors]", "11")
    page.click("button:has-text('添加楼栋')")
    assert "已登记2号楼" in page.content()
    shot(page, "developer-project")
    page.goto(f"{live_server.url}/developer/projects/")
    shot(page, "developer-projects")


def test_the_bank_operator_lands_on_the_bank_portal(page, live_server, ln):  # noqa: F811
    sign_in(page, live_server, "bank_op")
    assert page.url.endswith("/bank/")
    assert "受托银行服务平台" in page.content()
    shot(page, "bank-home")
