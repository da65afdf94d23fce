"""The channel pages of loan applications, on the one intake: each portal's form writes through the service, a bad
field is shown in Chinese on the form with nothing written, and each page is scoped (named users; forbidden and
missing are both 404)."""

import pytest

from fund.people.models import EntrustedBank
from loans.models import ApplicationState, Channel, LoanApplication, Project, ProjectState
from tests.clients import page
from tests.loans.applications_support import bank_operator, materials_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("deposits_to_date")]


def second_hand_post(**overrides):
    values = dict(kind="second_hand", home_address="示范市幸福路8号3单元201室",
                  certificate_number="鲁(2015)示范市不动产权第0001234号", price="900000.00", area="98.00",
                  building_year="2010", seller_name="王卖方", seller_account="6217000000000000001",
                  seller_bank="建设银行示范分行", monthly_income="12000.00", amount_requested="200000.00",
                  term_months="240", method="annuity", product="ordinary", client_token="t-1")
    values.update(overrides)
    return values


def new_home_post(project, **overrides):
    values = dict(kind="new", project=str(project.pk), home_address="示范市北湖新区湖畔路88号2号楼1单元1502室",
                  purchase_contract="WQ2026000123", price="1000000.00", area="110.00", monthly_income="12000.00",
                  amount_requested="200000.00", term_months="240", method="annuity", product="ordinary",
                  client_token="t-2")
    values.update(overrides)
    return values


# ---- 个人网厅 ----

def test_a_member_applies_online_and_it_waits_for_the_window(ln):
    member = ln.world.member_a
    form = page(member).get("/member/loans/applications/new/?kind=second_hand")
    assert form.status_code == 200 and ln.account.number in form.content.decode()
    assert "综合窗口" in form.content.decode()  # materials are brought to the window, and the page says so
    r = page(member).post("/member/loans/applications/new/", second_hand_post())
    assert r.status_code == 302
    app = LoanApplication.objects.get()
    assert app.channel == Channel.ONLINE and app.state == ApplicationState.SUBMITTED and app.account == ln.account
    listing = page(member).get("/member/loans/applications/").content.decode()
    assert app.number in listing and "受理" in listing


def test_it_refuses_a_building_year_in_the_future_on_the_field_and_writes_nothing(ln):
    r = page(ln.world.member_a).post("/member/loans/applications/new/", second_hand_post(building_year="2999"))
    assert r.status_code == 200
    assert "建成年份不能晚于今年" in r.content.decode()
    assert not LoanApplication.objects.exists()


def test_it_refuses_a_co_borrower_with_an_invalid_id_number_and_writes_nothing(ln):
    r = page(ln.world.member_a).post("/member/loans/applications/new/", second_hand_post(
        co1_id_number="110101199001011234", co1_name="张三", co1_relation="parent", co1_income="3000"))
    assert r.status_code == 200
    assert "第1位共同借款人身份证号码" in r.content.decode()
    assert not LoanApplication.objects.exists()


def test_the_buyer_confirms_a_developers_entry_and_another_member_may_not(ln):
    app = ln.application(channel="developer", state="draft", developer=ln.world.developer_a, home_kind="new",
                         project=ln.project, certificate_number="", building_year=None,
                         submitted_by=ln.world.dev_a)
    assert page(ln.world.member_b).post(f"/member/loans/applications/{app.pk}/confirm/").status_code == 404
    assert page(ln.world.outsider).post(f"/member/loans/applications/{app.pk}/confirm/").status_code == 404
    listing = page(ln.world.member_a).get("/member/loans/applications/").content.decode()
    assert "确认申请" in listing and "购房人确认" in listing
    assert page(ln.world.member_a).post(f"/member/loans/applications/{app.pk}/confirm/").status_code == 302
    app.refresh_from_db()
    assert app.state == ApplicationState.SUBMITTED and app.confirmed_at is not None


def test_the_buyer_may_decline_a_developers_entry(ln):
    app = ln.application(channel="developer", state="draft", developer=ln.world.developer_a, home_kind="new",
                         project=ln.project, certificate_number="", building_year=None,
                         submitted_by=ln.world.dev_a)
    assert page(ln.world.member_a).post(f"/member/loans/applications/{app.pk}/decline/").status_code == 302
    app.refresh_from_db()
    assert app.state == ApplicationState.WITHDRAWN


def test_my_applications_shows_the_member_only_their_own(ln):
    app = ln.application()
    assert app.number in page(ln.world.member_a).get("/member/loans/applications/").content.decode()
    assert app.number not in page(ln.world.member_b).get("/member/loans/applications/").content.decode()
    assert page(ln.world.outsider).get("/member/loans/applications/").status_code == 404
    assert page(ln.world.dev_a).get("/member/loans/applications/").status_code == 404


def test_a_signed_application_links_the_members_loan_page(ln):
    loan = ln.loan()
    text = page(ln.world.member_a).get("/member/loans/applications/").content.decode()
    assert loan.contract_number in text and "/member/loans/" in text


# ---- 开发企业 ----

def test_a_developer_enters_a_buyer_in_its_admitted_project(ln):
    r = page(ln.world.dev_a).post("/developer/loans/applications/new/", new_home_post(
        ln.project, id_number=ln.person.id_number, borrower_name=ln.person.name))
    assert r.status_code == 302, r.content.decode()[:2000]
    app = LoanApplication.objects.get()
    assert app.channel == Channel.DEVELOPER and app.state == ApplicationState.DRAFT and app.project == ln.project
    assert app.number in page(ln.world.dev_a).get("/developer/loans/applications/").content.decode()
    assert app.number not in page(ln.world.dev_b).get("/developer/loans/applications/").content.decode()


def test_it_refuses_a_buyer_whose_name_does_not_match_the_id_number(ln):
    r = page(ln.world.dev_a).post("/developer/loans/applications/new/", new_home_post(
        ln.project, id_number=ln.person.id_number, borrower_name="冒名者"))
    assert r.status_code == 200 and "借款人姓名与身份证号码不符" in r.content.decode()
    assert not LoanApplication.objects.exists()


def test_it_refuses_another_developers_project_and_an_unadmitted_one(ln):
    other = Project.objects.create(developer=ln.world.developer_b, name="别家楼盘", address="示范市南路1号",
                                   state=ProjectState.ADMITTED)
    pending = Project.objects.create(developer=ln.world.developer_a, name="未准入楼盘", address="示范市南路2号")
    for project in (other, pending):
        r = page(ln.world.dev_a).post("/developer/loans/applications/new/", new_home_post(
            project, id_number=ln.person.id_number, borrower_name=ln.person.name))
        assert r.status_code == 200 and "楼盘不存在或未准入" in r.content.decode()
    assert not LoanApplication.objects.exists()


def test_the_developer_pages_are_for_developers_only(ln):
    for user in (ln.world.member_a, ln.world.outsider, ln.bank_op, ln.world.clerk):
        assert page(user).get("/developer/loans/applications/").status_code == 404
        assert page(user).get("/developer/loans/applications/new/").status_code == 404


# ---- 受托银行网点 ----

def test_a_bank_outlet_accepts_at_the_counter_with_the_materials_ticked(ln):
    post = second_hand_post(id_number=ln.person.id_number, borrower_name=ln.person.name)
    post["materials"] = materials_for("second_hand")
    r = page(ln.bank_op).post("/bank/loans/applications/new/", post)
    assert r.status_code == 302, r.content.decode()[:2000]
    app = LoanApplication.objects.get()
    assert app.state == ApplicationState.REVIEWING and app.bank_outlet == ln.bank and app.visits == 1
    other = bank_operator(EntrustedBank.objects.create(code="ICBC1", name="工商银行", outlet="城东支行"), "icbc_op")
    assert app.number in page(ln.bank_op).get("/bank/loans/applications/").content.decode()
    assert app.number not in page(other).get("/bank/loans/applications/").content.decode()
    assert page(ln.world.dev_a).get("/bank/loans/applications/").status_code == 404


def test_a_bank_outlet_is_told_which_material_is_missing_and_nothing_is_written(ln):
    post = second_hand_post(id_number=ln.person.id_number, borrower_name=ln.person.name, materials=["income"])
    r = page(ln.bank_op).post("/bank/loans/applications/new/", post)
    assert r.status_code == 200 and "尚缺材料" in r.content.decode()
    assert not LoanApplication.objects.exists()


def test_the_checklist_marks_shared_data_materials_and_offers_no_box_for_them(ln):
    text = page(ln.bank_op).get("/bank/loans/applications/new/?kind=second_hand").content.decode()
    assert "共享核验" in text and 'value="id_card"' not in text and 'value="sale_contract"' in text


# ---- 综合窗口 ----

def test_the_window_finds_the_borrower_and_accepts_on_one_screen(ln):
    clerk = ln.world.clerk
    found = page(clerk).get(f"/staff/loans/applications/new/?id_number={ln.person.id_number}")
    assert found.status_code == 200 and ln.account.number in found.content.decode()
    post = second_hand_post(id_number=ln.person.id_number, borrower_name=ln.person.name)
    post["materials"] = materials_for("second_hand")
    r = page(clerk).post("/staff/loans/applications/new/", post)
    app = LoanApplication.objects.get()
    assert r.status_code == 302 and r["Location"] == app.get_staff_url()
    assert app.channel == Channel.WINDOW and app.state == ApplicationState.REVIEWING and app.accepted_by == clerk
    detail = page(clerk).get(app.get_staff_url()).content.decode()
    assert "决定额度" in detail and "贷款条件核验" in detail


def test_another_branchs_clerk_may_not_take_the_borrower(ln):
    post = second_hand_post(id_number=ln.person.id_number, borrower_name=ln.person.name)
    post["materials"] = materials_for("second_hand")
    r = page(ln.world.clerk_b).post("/staff/loans/applications/new/", post)
    assert r.status_code == 200 and "不是您可以办理的账户" in r.content.decode()
    assert not LoanApplication.objects.exists()


def test_a_post_that_does_not_accept_is_refused_the_window_form(ln):
    assert page(ln.reviewer).get("/staff/loans/applications/new/").status_code == 403
    assert page(ln.world.member_a).get("/staff/loans/applications/new/").status_code == 404
    assert "窗口受理新申请" not in page(ln.reviewer).get("/staff/loans/applications/").content.decode()
    assert "窗口受理新申请" in page(ln.world.clerk).get("/staff/loans/applications/").content.decode()


def test_an_absurd_price_is_named_on_the_field(ln):
    post = second_hand_post(id_number=ln.person.id_number, borrower_name=ln.person.name, price="-5")
    post["materials"] = materials_for("second_hand")
    r = page(ln.world.clerk).post("/staff/loans/applications/new/", post)
    text = r.content.decode()
    assert r.status_code == 200 and "房屋总价必须大于 0" in text
    assert not LoanApplication.objects.exists()


# ---- the staff flow as one path ----

def next_step_labels(user, app):
    import re

    text = page(user).get(app.get_staff_url()).content.decode()
    return re.findall(r'data-next-step>([^<]+)<', text)


def test_the_detail_page_offers_signing_to_the_window_only_and_the_link_answers(ln):
    app = ln.approved()
    assert next_step_labels(ln.world.clerk, app) == ["合同面签"]
    assert next_step_labels(ln.reviewer, app) == []
    assert page(ln.world.clerk).get(f"/staff/loans/applications/{app.pk}/sign/").status_code == 200


def test_the_detail_page_offers_the_mortgage_then_the_notice_then_the_loan(ln):
    from tests.loans.conftest import mortgaged_loan

    loan = ln.loan()
    app = loan.application
    assert next_step_labels(ln.world.clerk, app) == ["抵押登记", "贷款账户"]
    assert next_step_labels(ln.loan_admin, app) == ["贷款账户"]
    assert page(ln.world.clerk).get(f"/staff/loans/{loan.pk}/mortgage/").status_code == 200
    mortgaged = mortgaged_loan(ln)
    assert next_step_labels(ln.loan_admin, mortgaged.application) == ["出具放款通知", "贷款账户"]
    assert next_step_labels(ln.world.clerk, mortgaged.application) == ["贷款账户"]
    r = page(ln.loan_admin).post(f"/staff/loans/applications/{mortgaged.application.pk}/disbursement-notice/")
    assert r.status_code == 302
    assert next_step_labels(ln.finance, mortgaged.application) == ["财务放款", "贷款账户"]
    assert page(ln.finance).get("/staff/loans/disbursements/?tab=noticed").status_code == 200
    loan_page = page(ln.finance).get(f"/staff/loans/{mortgaged.pk}/").content.decode()
    assert mortgaged.application.get_staff_url() in loan_page
