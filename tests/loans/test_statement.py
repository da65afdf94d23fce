"""每笔还款明细 for member and staff: every repayment with its allocation and sources, totals, the Excel export."""

from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook

from loans.models import Instalment, InstalmentState
from loans.services.repayment import repay_now
from tests.clients import page

pytestmark = pytest.mark.django_db


def _paid_twice(ln: Any) -> tuple[Any, Any, Any]:
    loan = ln.active_loan(principal="300000.00", rate="2.600", months=240, day=20, disbursed_on=date(2026, 3, 20))
    Instalment.objects.filter(loan=loan, number=1).update(state=InstalmentState.OVERDUE)
    one = repay_now(actor=ln.world.clerk, loan=loan, amount="1700.00", source="card", client_token="s1",
                    on=date(2026, 4, 30))
    two = repay_now(actor=ln.world.member_a, loan=loan, amount="1000.00", source="fund", client_token="s2",
                    on=date(2026, 5, 20))
    return loan, one, two


def test_the_statement_lists_each_repayment_with_its_allocation_sources_and_totals(ln: Any) -> None:
    loan, one, two = _paid_twice(ln)
    for client, url in ((page(ln.world.member_a), f"/member/loans/{loan.pk}/statement/"),
                        (page(ln.world.clerk), f"/staff/loans/{loan.pk}/statement/")):
        html = client.get(url).content.decode()
        assert one.number in html and two.number in html
        assert "合计 2 笔" in html and "2,700.00" in html
        assert "柜台还款" in html and "网上还款" in html and ln.account.number in html
    assert page(ln.world.member_b).get(f"/member/loans/{loan.pk}/statement/").status_code == 404
    assert page(ln.world.clerk_b).get(f"/staff/loans/{loan.pk}/statement.xlsx").status_code == 404


def test_the_statement_exports_to_excel_with_one_row_per_repayment_and_money_as_numbers(ln: Any) -> None:
    loan, one, two = _paid_twice(ln)
    answer = page(ln.world.member_a).get(f"/member/loans/{loan.pk}/statement.xlsx")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(answer.content)).active
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    heads = next(i for i, r in enumerate(rows) if r and r[0] == "还款日期")
    first = dict(zip(rows[heads], rows[heads + 1], strict=False))
    assert first["还款流水号"] == one.number and first["还款日期"] == "2026-04-30"
    assert Decimal(str(first["还款金额"])) == Decimal("1700.00")
    assert Decimal(str(first["罚息"])) == Decimal("1.03") and Decimal(str(first["逾期本金"])) == Decimal("954.36")
    assert Decimal(str(first["当期利息"])) == Decimal("94.61")
    second = dict(zip(rows[heads], rows[heads + 2], strict=False))
    assert Decimal(str(second["公积金账户支付"])) == Decimal("1000.00") and ln.account.number in second["扣划账户/扣款账号"]
    total = dict(zip(rows[heads], rows[heads + 3], strict=False))
    assert total["还款日期"] == "合计" and Decimal(str(total["还款金额"])) == Decimal("2700.00")
