"""Headless Chromium: a unit operator downloads the yearly base list, fills it, uploads it and sees it
applied; a second file with a bad row shows the per-row report and changes nothing. Screenshots land in
.local/screenshots/."""

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.browser_support import SHOTS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def upload(page: Any, live_server: Any, path: Path) -> None:
    page.goto(f"{live_server.url}/unit/base/")
    page.set_input_files("input[name=file]", str(path))
    with page.expect_navigation():
        page.click("button:has-text('上传并校验')")


def test_a_unit_operator_uploads_the_yearly_base_list(world, live_server, page, tmp_path):
    from deposits.models import BaseAdjustment, BaseAdjustmentBatch, MemberAccount

    SHOTS.mkdir(parents=True, exist_ok=True)
    sign_in(page, live_server, world.unit_a_op.username)
    page.goto(f"{live_server.url}/unit/base/")
    assert page.locator("h1.page-title").inner_text().startswith("缴存基数调整")
    with page.expect_download() as info:
        page.click("button:has-text('下载调基名单')")
    template = tmp_path / "template.xlsx"
    info.value.save_as(template)

    book = load_workbook(template)
    sheet = book["调基名单"]
    assert sheet["B2"].value == world.account_a.number and sheet["D2"].value == world.account_a.person.id_number
    sheet["F2"] = 10500
    good = tmp_path / "good.xlsx"
    book.save(good)
    upload(page, live_server, good)
    assert "调基名单已生效：1 名职工的缴存基数已调整" in page.content()
    assert page.locator("#base-adjustments tbody tr").count() == 1
    page.screenshot(path=str(SHOTS / "base_batch_applied.png"), full_page=True)
    account = MemberAccount.objects.get(pk=world.account_a.pk)
    assert (account.base, account.unit_monthly, account.member_monthly) == (
        Decimal("10500.00"), Decimal("1260.00"), Decimal("1260.00"))

    sheet["F2"] = "一万二"
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    upload(page, live_server, bad)
    content = page.content()
    assert "校验未通过" in content and "所有职工的缴存基数均未改变" in content
    cells = page.locator("#base-errors tbody tr").first.locator("td").all_inner_texts()
    assert cells == ["2", "新缴存基数", "应为数字"]
    page.screenshot(path=str(SHOTS / "base_batch_rejected.png"), full_page=True)
    assert MemberAccount.objects.get(pk=world.account_a.pk).base == Decimal("10500.00")
    assert BaseAdjustment.objects.count() == 1

    with page.expect_download() as info:
        page.click("text=下载带“错误说明”列的 Excel")
    report = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))["调基名单"]
    header = [c.value for c in report[1]]
    assert header[-1] == "错误说明" and report.cell(row=2, column=len(header)).value == "新缴存基数：应为数字"
    assert [b.state for b in BaseAdjustmentBatch.objects.order_by("id")] == ["applied", "rejected"]
    page.goto(f"{live_server.url}/unit/base/")
    page.screenshot(path=str(SHOTS / "base_unit_page.png"), full_page=True)
