"""The schedule leaves the system as Excel and as a printed, verifiable PDF: the same rows the page shows (paid
parts, overdue, the projection marked 预计), totals that add up to the loan, for the member and for staff."""

import subprocess
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook

from fund.printing.models import Document
from loans.models import Instalment
from loans.schedule_pdf import SCHEDULE
from tests.clients import page
from tests.clock import travel_to
from tests.loans.schedule_support import TODAY, loan_with_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def loan(ln: Any) -> Any:
    with travel_to(TODAY):
        yield loan_with_history(ln)


def _rows(content: bytes) -> list[tuple[Any, ...]]:
    sheet = load_workbook(BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r and r[0] == "期次")
    return rows[head + 1:]


def test_the_excel_has_every_instalment_and_totals_that_repay_the_principal(ln: Any, loan: Any) -> None:
    response = page(ln.world.member_a).get(f"/member/loans/{loan.pk}/schedule.xlsx")
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    *instalments, total = _rows(response.content)
    assert [r[0] for r in instalments] == list(range(1, 241)) and total[0] == "合计"
    # principal over all 240 instalments (stored and projected) repays the loan to the fen
    assert Decimal(str(total[2])) == Decimal("300000.00")
    assert sum(Decimal(str(r[3])) for r in instalments) == Decimal(str(total[3]))
    paid = sum((i.principal for i in Instalment.objects.filter(loan=loan, number__in=[1, 2])), Decimal(0))
    assert Decimal(str(total[6])) == paid == Decimal("1910.79")  # 954.36 + 956.43
    states = [r[10] for r in instalments]
    assert states[:3] == ["已还清", "已还清", "逾期"] and states[8] == "未到期" and set(states[9:]) == {"预计"}


def test_staff_of_the_branch_export_the_same_schedule(ln: Any, loan: Any) -> None:
    response = page(ln.world.clerk).get(f"/staff/loans/{loan.pk}/schedule.xlsx")
    assert response.status_code == 200 and len(_rows(response.content)) == 241
    assert loan.contract_number in response["Content-Disposition"]


def test_the_printed_schedule_renders_with_the_projection_noted(
        ln: Any, loan: Any, django_capture_on_commit_callbacks: Any) -> None:
    with travel_to(TODAY), django_capture_on_commit_callbacks(execute=True):
        response = page(ln.world.member_a).post(f"/member/loans/{loan.pk}/schedule/print/")
    assert response.status_code == 302
    document = Document.objects.get(kind=SCHEDULE, subject=ln.person)
    assert document.status == "ready"
    with document.file.open("rb") as handle:
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=handle.read(), capture_output=True,
                              check=True).stdout.decode()
    flat = "".join(text.split())
    assert loan.contract_number in flat and "预计" in flat and "1,604.36" in flat and "已还清" in flat
    with travel_to(TODAY):
        body = page(ln.world.member_a).get(f"/member/loans/{loan.pk}/").content.decode()
    assert f"/documents/{document.pk}/file" in body
    # the window asks for the same schedule the same day: the same document, listed on the staff page too
    with travel_to(TODAY), django_capture_on_commit_callbacks(execute=True):
        assert page(ln.world.clerk).post(f"/staff/loans/{loan.pk}/schedule/print/").status_code == 302
        staff_body = page(ln.world.clerk).get(f"/staff/loans/{loan.pk}/").content.decode()
    assert Document.objects.filter(kind=SCHEDULE, subject=ln.person).count() == 1
    assert f"/documents/{document.pk}/file" in staff_body


def test_a_co_borrower_is_offered_only_the_prints_they_may_download(
        ln: Any, loan: Any, django_capture_on_commit_callbacks: Any) -> None:
    borrower, co = page(ln.world.member_a), page(ln.world.member_b)
    with travel_to(TODAY), django_capture_on_commit_callbacks(execute=True):
        borrower.post(f"/member/loans/{loan.pk}/schedule/print/")
    theirs = Document.objects.get(kind=SCHEDULE)
    with travel_to(TODAY):
        assert f"/documents/{theirs.pk}/file" not in co.get(f"/member/loans/{loan.pk}/").content.decode()
    with travel_to(TODAY), django_capture_on_commit_callbacks(execute=True):
        co.post(f"/member/loans/{loan.pk}/schedule/print/")
    own = Document.objects.filter(kind=SCHEDULE, requested_by=ln.world.member_b).get()
    with travel_to(TODAY):
        assert f"/documents/{own.pk}/file" in co.get(f"/member/loans/{loan.pk}/").content.decode()
    assert co.get(f"/documents/{own.pk}/file").status_code == 200
