"""Statements with filters and Excel export, the deposit certificate, and the unit's roster and bill exports."""

import subprocess
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from deposits.models import BillKind, BillState, RemittanceBill
from deposits.selectors.statements import deposit_history
from deposits.services import monthly_deposit_post
from fund.dates import add_months, first_of_month
from fund.ledger.selectors import ledger_reconcile
from fund.money import amount_in_capitals
from fund.printing.models import Document, DocumentStatus
from tests.clients import api, page
from tests.conftest import open_member

pytestmark = pytest.mark.django_db


def sheet_rows(content: bytes) -> tuple[dict[str, object], list[tuple]]:
    """(header label → value, data rows) of an exported sheet: header rows until the blank line, then the
    column heads, then the data."""
    sheet = load_workbook(BytesIO(content)).active
    rows = [tuple(c for c in row) for row in sheet.iter_rows(values_only=True)]
    blank = next(i for i, r in enumerate(rows) if not any(v is not None for v in r))
    header = {r[0]: r[1] for r in rows[1:blank]}
    return header, rows[blank + 2:]


@pytest.fixture
def posted(world):
    """account_a: 2025-02 back-paid on 5 March (补缴), 2025-03 and 2025-04 remitted in their months (汇缴)."""
    for month, value_date in ((date(2025, 2, 1), date(2025, 3, 5)), (date(2025, 3, 1), date(2025, 3, 20)),
                              (date(2025, 4, 1), date(2025, 4, 15))):
        monthly_deposit_post(actor=world.clerk, account=world.account_a, month=month, value_date=value_date)
    return world


# 明细 ---------------------------------------------------------------------------------------------------

def test_the_export_holds_the_filtered_rows_with_the_members_header(posted):
    world = posted
    response = api(world.member_a).get(f"/api/deposits/members/{world.account_a.pk}/statement.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    header, rows = sheet_rows(response.content)
    assert header["个人账号"] == world.account_a.number
    assert header["姓名"] == world.account_a.person.name
    assert "*" in header["身份证号码"] and header["身份证号码"] != world.account_a.person.id_number
    assert [(r[0], r[2], r[4], r[5]) for r in rows] == [
        ("2025-03-05", "补缴", 1920, 1920),
        ("2025-03-20", "汇缴", 1920, 3840),
        ("2025-04-15", "汇缴", 1920, 5760),
    ]
    assert all(r[1] for r in rows)  # 业务流水号

    after = api(world.member_a).get(f"/api/deposits/members/{world.account_a.pk}/statement.xlsx?from=2025-03-10")
    header, rows = sheet_rows(after.content)
    assert [r[0] for r in rows] == ["2025-03-20", "2025-04-15"]
    assert header["查询区间"] == "2025-03-10 至 今"

    window = api(world.member_a).get(
        f"/api/deposits/members/{world.account_a.pk}/statement.xlsx?from=2025-03-01&to=2025-03-31&type=GJ01"
    )
    assert [r[0] for r in sheet_rows(window.content)[1]] == ["2025-03-20"]
    # The standard's two-digit code is accepted too: 02 补缴.
    backpay = api(world.member_a).get(f"/api/deposits/members/{world.account_a.pk}/statement.xlsx?type=02")
    header, rows = sheet_rows(backpay.content)
    assert [r[2] for r in rows] == ["补缴"] and header["业务类型"] == "补缴"


def test_the_page_filters_the_statement(posted):
    world = posted
    response = page(world.member_a).get("/member/statement/search/?type=GJ02")
    assert response.status_code == 200
    rows = list(response.context["statement"])
    assert [r.value_date for r in rows] == [date(2025, 3, 5)]
    assert b"/member/statement/export/?type=GJ02" in response.content  # the export keeps the filter
    export = page(world.member_a).get("/member/statement/export/?from=2025-04-01")
    assert [r[0] for r in sheet_rows(export.content)[1]] == ["2025-04-15"]


@pytest.mark.parametrize(
    "query, field, message",
    [
        ("from=abc", "from", "起始日期格式"),
        ("to=2025-13-40", "to", "截止日期格式"),
        ("from=2025-05-01&to=2025-01-01", "to", "截止日期不能早于起始日期"),
        ("type=ZZ", "type", "业务类型不存在"),
        ("type=%00%27", "type", "控制字符"),  # refused before the view (fund/middleware.py)
    ],
)
def test_bad_filters_answer_400_naming_the_field_never_500(posted, query, field, message):
    world = posted
    response = api(world.member_a).get(f"/api/deposits/members/{world.account_a.pk}/statement.xlsx?{query}")
    assert response.status_code == 400
    assert message in response.json()[field][0]
    for url in ("/member/statement/search/", "/member/statement/export/"):
        shown = page(world.member_a).get(f"{url}?{query}")
        assert shown.status_code == 400 and message in shown.content.decode()
    staff = page(world.clerk).get(f"/staff/members/{world.account_a.pk}/statement/export/?{query}")
    assert staff.status_code == 400 and message in staff.content.decode()
    unit = page(world.unit_a_op).get(f"/unit/members/{world.account_a.pk}/statement/?{query}")
    assert unit.status_code == 400


def test_statement_exports_follow_scope(posted):
    world = posted
    url = f"/api/deposits/members/{world.account_a.pk}/statement.xlsx"
    allowed = [world.member_a, world.unit_a_op, world.clerk, world.director]
    refused = [world.member_b, world.unit_b_op, world.clerk_b, world.dev_a, world.outsider]
    assert [api(u).get(url).status_code for u in allowed] == [200] * len(allowed)
    assert [api(u).get(url).status_code for u in refused] == [404] * len(refused)
    # Pages: the staff page for a member in scope, the unit page for its own members only.
    assert page(world.clerk).get(f"/staff/members/{world.account_a.pk}/statement/export/").status_code == 200
    assert page(world.clerk_b).get(f"/staff/members/{world.account_a.pk}/statement/export/").status_code == 404
    assert page(world.unit_a_op).get(f"/unit/members/{world.account_a.pk}/statement/export/").status_code == 200
    assert page(world.unit_a_op).get(f"/unit/members/{world.account_b.pk}/statement/").status_code == 404
    assert page(world.member_b).get(f"/unit/members/{world.account_a.pk}/statement/").status_code == 404
    # A member's own export is their own account, whatever else they can see.
    header, _ = sheet_rows(page(world.member_b).get("/member/statement/export/").content)
    assert header["个人账号"] == world.account_b.number


# 缴存证明 -------------------------------------------------------------------------------------------------

def test_deposit_history_counts_the_12_months_before_the_date(world):
    for offset in range(12):  # 2025-02 … 2026-01
        monthly_deposit_post(actor=world.clerk, account=world.account_a, month=add_months(date(2025, 2, 1), offset))
    full = deposit_history(account=world.account_a, on=date(2026, 2, 15))
    assert (full.window_from, full.window_to, full.months_paid, full.continuous) == (
        date(2025, 2, 1), date(2026, 1, 1), 12, True)
    later = deposit_history(account=world.account_a, on=date(2026, 3, 1))
    assert later.months_paid == 11 and not later.continuous and later.missing_months == [date(2026, 2, 1)]
    assert "未缴月份：2026年02月" in later.describe()

    newcomer = open_member(world.clerk, world.unit_a, 50, opened_on=date(2025, 6, 10))  # starts 2025-07
    for offset in range(7):
        monthly_deposit_post(actor=world.clerk, account=newcomer, month=add_months(date(2025, 7, 1), offset))
    young = deposit_history(account=newcomer, on=date(2026, 2, 15))
    assert young.months_paid == 7 and not young.continuous and young.missing_months == []
    assert "自2025年07月起缴" in young.describe() and "无欠缴" in young.describe()


def pdf_text(document: Document) -> str:
    with document.file.open("rb") as handle:
        data = handle.read()
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode()


def test_the_certificate_states_the_figures_and_verifies(world, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    last = add_months(first_of_month(today), -1)
    months = 0
    month = date(2025, 2, 1)
    while month <= last:
        monthly_deposit_post(actor=world.clerk, account=world.account_a, month=month)
        month, months = add_months(month, 1), months + 1
    with django_capture_on_commit_callbacks(execute=True):
        response = api(world.member_a).post(
            f"/api/deposits/members/{world.account_a.pk}/deposit-certificate/", {"purpose": "办理住房贷款"}, format="json"
        )
    assert response.status_code == 202
    detail = api(world.member_a).get(f"/api/documents/{response.json()['id']}/").json()
    assert detail["status"] == "ready" and detail["download_url"]
    document = Document.objects.get(pk=response.json()["id"])
    text = pdf_text(document)
    compact = "".join(text.split())
    person = world.account_a.person
    for expected in (
        "住房公积金个人缴存证明", person.name, person.id_number, world.unit_a.employer.name, world.account_a.number,
        "8,000.00元", "单位12%", "个人12%", "1,920.00元", f"{last:%Y年%m月}",
        f"{Decimal(1920 * months):,.2f}元", "近12个月缴存12个月", "是否连续缴存是", "本证明用于：办理住房贷款",
        document.code_display,
    ):
        assert expected in compact, expected
    assert "2025年01月10日" in compact  # opened on
    assert f"人民币{amount_in_capitals(Decimal(1920 * months))}" in compact  # the balance in capitals
    verify = Client().get(f"/verify/{document.verification_code}/")
    assert verify.status_code == 200 and "住房公积金个人缴存证明" in verify.content.decode()
    assert person.id_number not in verify.content.decode()  # the public page shows it masked
    assert APIClient().get(f"/api/verify/{document.verification_code}/").json()["genuine"] is True
    assert ledger_reconcile() == []


def test_a_gap_shows_as_not_continuous(world, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    monthly_deposit_post(actor=world.clerk, account=world.account_a, month=add_months(first_of_month(today), -3))
    with django_capture_on_commit_callbacks(execute=True):
        response = api(world.clerk).post(f"/api/deposits/members/{world.account_a.pk}/deposit-certificate/")
    compact = "".join(pdf_text(Document.objects.get(pk=response.json()["id"])).split())
    assert "近12个月缴存1个月" in compact and "是否连续缴存否" in compact and "未连续缴存" in compact
    assert "证明该职工住房公积金缴存情况" in compact  # the default purpose


def test_who_may_print_a_certificate(world, django_capture_on_commit_callbacks):
    url = f"/api/deposits/members/{world.account_a.pk}/deposit-certificate/"
    allowed = [world.member_a, world.unit_a_op, world.clerk, world.director]
    refused = [world.member_b, world.unit_b_op, world.clerk_b, world.dev_a, world.outsider]
    answers = [api(u).post(url) for u in allowed]
    assert [a.status_code for a in answers] == [202] * len(allowed)
    assert [api(u).post(url).status_code for u in refused] == [404] * len(refused)
    # The same certificate the same day is one already printed, for whoever may open it: the clerk and the
    # director get one of those; the unit's operator, who may not open the member's, got its own.
    ids = [a.json()["id"] for a in answers]
    assert ids[0] != ids[1] and set(ids) == {ids[0], ids[1]}
    assert [api(u).get(f"/api/documents/{i}/").status_code for u, i in zip(allowed, ids, strict=True)] == [200] * 4
    assert Document.objects.filter(kind="deposits.deposit_certificate").count() == 2
    # The pages: the member for themself, the unit for its member, staff in scope.
    assert page(world.member_a).post("/member/certificates/deposit/", {"purpose": ""}).status_code == 302
    assert page(world.unit_a_op).post(f"/unit/members/{world.account_a.pk}/certificate/").status_code == 302
    assert page(world.unit_b_op).post(f"/unit/members/{world.account_a.pk}/certificate/").status_code == 404
    assert page(world.clerk).post(f"/staff/members/{world.account_a.pk}/certificate/").status_code == 302
    assert page(world.clerk_b).post(f"/staff/members/{world.account_a.pk}/certificate/").status_code == 404
    issued = Document.objects.filter(kind="deposits.deposit_certificate", subject=world.account_a.person)
    assert issued.count() == 2  # each page reprinted the same certificate
    assert set(issued.values_list("status", flat=True)) <= {DocumentStatus.PENDING, DocumentStatus.READY}


def test_a_too_long_purpose_is_refused_and_issues_nothing(world):
    response = api(world.member_a).post(
        f"/api/deposits/members/{world.account_a.pk}/deposit-certificate/", {"purpose": "买房" * 30}, format="json"
    )
    assert response.status_code == 400 and "purpose" in response.json()
    shown = page(world.member_a).post("/member/certificates/deposit/", {"purpose": "买房" * 30})
    assert shown.status_code == 400
    assert not Document.objects.filter(kind="deposits.deposit_certificate").exists()


# 职工名册与汇补缴记录 ----------------------------------------------------------------------------------------

def test_roster_export_lists_the_units_members_masked(world):
    second = open_member(world.clerk, world.unit_a, 60, base=Decimal("5000.00"))
    response = page(world.unit_a_op).get("/unit/exports/roster/")
    assert response.status_code == 200
    header, rows = sheet_rows(response.content)
    assert header["单位账号"] == world.unit_a.number
    assert [r[0] for r in rows] == sorted([world.account_a.number, second.number])
    row = next(r for r in rows if r[0] == second.number)
    assert row[1] == second.person.name
    assert row[2] == second.person.id_number[:6] + "********" + second.person.id_number[-4:]
    assert (row[3], row[4], row[5], row[6]) == (5000, 1200, None, "正常")
    assert world.account_b.number not in {r[0] for r in rows}


def test_bill_history_export_has_the_units_bills_only(world):
    RemittanceBill.objects.create(
        number="HJ202503000001", unit=world.unit_a, month=date(2025, 3, 1), kind=BillKind.REMIT,
        state=BillState.PAID, member_count=1, unit_amount=Decimal("960"), member_amount=Decimal("960"),
        total=Decimal("1920.00"), created_by=world.clerk, paid_at=timezone.now(),
    )
    RemittanceBill.objects.create(
        number="HJ202503000002", unit=world.unit_b, month=date(2025, 3, 1), kind=BillKind.REMIT,
        state=BillState.DRAFT, member_count=1, total=Decimal("1920.00"), created_by=world.clerk_b,
    )
    response = api(world.unit_a_op).get(f"/api/deposits/units/{world.unit_a.pk}/bills.xlsx")
    assert response.status_code == 200
    _, rows = sheet_rows(response.content)
    assert [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows] == [
        ("HJ202503000001", "2025-03", "汇缴", 1, 1920, "已入账")
    ]
    assert rows[0][6]  # 入账时间
    unit_page = page(world.unit_a_op).get("/unit/exports/")
    assert unit_page.status_code == 200 and "HJ202503000001" in unit_page.content.decode()
    assert "HJ202503000002" not in unit_page.content.decode()


@pytest.mark.parametrize("kind", ["roster", "bills"])
def test_unit_exports_are_restricted_to_the_unit_and_staff_in_scope(world, kind):
    url = f"/api/deposits/units/{world.unit_a.pk}/{kind}.xlsx"
    assert [api(u).get(url).status_code for u in (world.unit_a_op, world.clerk, world.director)] == [200] * 3
    refused = [world.unit_b_op, world.clerk_b, world.member_a, world.dev_a, world.outsider]
    assert [api(u).get(url).status_code for u in refused] == [404] * len(refused)
    assert page(world.clerk).get(f"/staff/units/{world.unit_a.pk}/{kind}/export/").status_code == 200
    assert page(world.clerk_b).get(f"/staff/units/{world.unit_a.pk}/{kind}/export/").status_code == 404
    assert page(world.member_a).get(f"/unit/exports/{kind}/").status_code == 404

