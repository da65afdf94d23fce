"""The Excel of the efficiency figures opens with openpyxl and holds the crafted month's figures, from the page
and from the API alike."""

from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.clients import api, page
from tests.service.measures.conftest import X

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def rows_of(content: bytes, sheet: str) -> dict[str, list[Any]]:
    book = load_workbook(BytesIO(content), read_only=True)
    return {str(r[0]): list(r) for r in book[sheet].iter_rows(values_only=True) if r and r[0] is not None}


def test_the_export_opens_and_holds_the_figures(march: Any) -> None:
    answer = page(march.director).get("/staff/measures/export/", {"start": "2026-03", "end": "2026-04"})
    assert answer.status_code == 200 and answer["Content-Type"] == XLSX
    months = rows_of(answer.content, "服务效能（按月）")
    # 年月, 申请, 办结, 不予办理, 网办率, 秒批率, 窗口申请, 当场办结率, 跑动次数, 办结时长, 纸质材料, 页/件, 个贷逾期率
    assert months["2026-03"][:12] == [
        "2026-03", 9, 7, 1, pytest.approx(0.4444), pytest.approx(0.2222), 5, pytest.approx(0.6), pytest.approx(0.89),
        pytest.approx(10.0), 50, pytest.approx(5.56)]
    assert months["合计"][1] == 10
    items = rows_of(answer.content, "按事项")
    assert items[X][2:4] == [6, 5] and items[X][10] == pytest.approx(20.0)
    branches = rows_of(answer.content, "按管理部")
    assert branches["高新区管理部"][1] == 4  # March's 3 and April's 1
    detail = load_workbook(BytesIO(answer.content), read_only=True)["明细"]
    assert len([r for r in detail.iter_rows(min_row=2, values_only=True) if r[0]]) == 5

    sheet = api(march.director).get("/api/service/measures/export.xlsx", {"start": "2026-03", "end": "2026-03"},
                                    HTTP_ACCEPT=XLSX)
    assert sheet.status_code == 200 and sheet["Content-Type"] == XLSX
    assert rows_of(sheet.content, "服务效能（按月）")["2026-03"][1] == 9
