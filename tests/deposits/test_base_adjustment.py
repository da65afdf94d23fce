"""Base adjustment (调基): one member, and the yearly Excel list applied all-or-nothing with a per-row report.

The world's unit A has member account_a (base 8000, ratios 12 %, opened 2025-01, nothing paid). Policy
defaults: minimum wage 2100.00, average wage 7500.00 × 3 → cap 22500.00, ratios 5 %–12 %, rounding to the
yuan half up.
"""

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from openpyxl import Workbook, load_workbook
from rest_framework.test import APIClient

from deposits.models import BaseAdjustment, BaseAdjustmentBatch, BatchState, MemberAccount, MemberState
from deposits.services import monthly_amounts, monthly_deposit_post
from deposits.services.base_adjustment import (
    MAX_ROWS,
    base_adjust,
    base_batch_report,
    base_template,
    base_upload,
)
from fund.audit.models import AuditEvent
from fund.demo import make_id_number
from fund.ledger.selectors import ledger_reconcile
from tests.conftest import open_member

pytestmark = pytest.mark.django_db

YEAR = 2026
JULY = date(YEAR, 7, 1)


def as_user(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def unit_a(world):
    """Unit A with three members: account_a (职工一) and two more."""
    second = open_member(world.clerk, world.unit_a, 11, name="职工一一")
    third = open_member(world.clerk, world.unit_a, 12, name="职工一二", base=Decimal("5000.00"))
    return world.unit_a, [world.account_a, second, third]


def template_rows(unit) -> tuple[Workbook, Any]:
    book = load_workbook(io.BytesIO(base_template(unit=unit, year=YEAR)))
    return book, book["调基名单"]


def xlsx(book: Workbook, name: str = "调基名单.xlsx") -> SimpleUploadedFile:
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def filled(unit, bases: dict[str, Any] | None = None, default: Any = "9000") -> Workbook:
    """The template with every member's new base filled (by account number, else `default`)."""
    book, sheet = template_rows(unit)
    for row in sheet.iter_rows(min_row=2):
        row[5].value = (bases or {}).get(row[1].value, default)
    return book


def snapshot(unit) -> tuple[list[tuple], int]:
    accounts = MemberAccount.objects.filter(unit=unit).order_by("pk")
    return [(a.pk, a.base, a.unit_monthly, a.member_monthly) for a in accounts], BaseAdjustment.objects.count()


def row_of(sheet, account_number: str) -> int:
    for row in sheet.iter_rows(min_row=2):
        if row[1].value == account_number:
            return row[0].row
    raise AssertionError(account_number)


def upload(world, book_or_file, actor=None, **kwargs) -> BaseAdjustmentBatch:
    """Upload as the unit's operator and run what the commit queues (the worker's check, eager in tests)."""
    file = book_or_file if isinstance(book_or_file, SimpleUploadedFile) else xlsx(book_or_file)
    with TestCase.captureOnCommitCallbacks(execute=True):
        batch = base_upload(actor=actor or world.unit_a_op, unit=world.unit_a, year=YEAR, file=file, **kwargs)
    batch.refresh_from_db()
    return batch


def only_error(batch: BaseAdjustmentBatch) -> dict[str, Any]:
    assert batch.state == BatchState.REJECTED
    assert len(batch.errors) == 1, batch.errors
    return batch.errors[0]


# ---- one member ----------------------------------------------------------------------------------------

def test_a_clerk_adjusts_one_members_base_and_the_monthly_amounts_follow(world):
    adjustment = base_adjust(actor=world.clerk, account=world.account_a, new_base=Decimal("10000.50"), effective_month=JULY)
    account = MemberAccount.objects.get(pk=world.account_a.pk)
    assert (account.base, account.unit_monthly, account.member_monthly) == (Decimal("10000.50"), Decimal("1200.00"), Decimal("1200.00"))
    assert (adjustment.old_base, adjustment.new_base, adjustment.effective_month) == (Decimal("8000.00"), Decimal("10000.50"), JULY)
    assert adjustment.batch is None and adjustment.actor == world.clerk
    event = AuditEvent.objects.get(action="deposits.member.base_adjusted", target_id=str(account.pk))
    assert event.old["base"] == "8000.00" and event.new["base"] == "10000.50"


@pytest.mark.parametrize(("base", "words"), [
    (Decimal("2099.99"), "不得低于最低月工资标准 2,100.00 元"),
    (Decimal("22500.01"), "不得高于 22,500.00 元"),
    (Decimal("9000.001"), "最多保留两位小数"),
])
def test_one_members_base_outside_policy_is_refused(world, base, words):
    with pytest.raises(ValidationError) as caught:
        base_adjust(actor=world.clerk, account=world.account_a, new_base=base, effective_month=JULY)
    assert any(words in m for m in caught.value.message_dict["new_base"])
    assert MemberAccount.objects.get(pk=world.account_a.pk).base == Decimal("8000.00")
    assert not BaseAdjustment.objects.exists()


def test_the_bounds_are_read_on_the_effective_month(world):
    from fund.policy.services import policy_value_set

    policy_value_set(actor=world.director, name="minimum_monthly_wage", value=Decimal("2500.00"),
                     effective_from=date(2027, 7, 1), note="2027 年起")
    base_adjust(actor=world.clerk, account=world.account_a, new_base=Decimal("2300"), effective_month=date(2027, 6, 1))
    with pytest.raises(ValidationError, match="2,500.00"):
        base_adjust(actor=world.clerk, account=world.account_a, new_base=Decimal("2300"), effective_month=date(2027, 7, 1))


def test_a_sealed_account_is_refused(world):
    MemberAccount.objects.filter(pk=world.account_a.pk).update(state=MemberState.SEALED)
    with pytest.raises(ValidationError) as caught:
        base_adjust(actor=world.clerk, account=world.account_a, new_base=Decimal("9000"), effective_month=JULY)
    assert "封存" in caught.value.message_dict["account"][0]
    assert not BaseAdjustment.objects.exists()


def test_months_already_paid_cannot_be_adjusted(world):
    monthly_deposit_post(actor=world.clerk, account=world.account_a, month=date(2025, 2, 1), value_date=date(2025, 2, 15))
    with pytest.raises(ValidationError) as caught:
        base_adjust(actor=world.clerk, account=world.account_a, new_base=Decimal("9000"), effective_month=date(2025, 2, 1))
    assert "已缴至 2025年02月" in caught.value.message_dict["effective_month"][0]
    base_adjust(actor=world.clerk, account=world.account_a, new_base=Decimal("9000"), effective_month=date(2025, 3, 1))
    assert ledger_reconcile() == []


# ---- the template ----------------------------------------------------------------------------------------

def test_the_template_lists_the_units_working_members_with_ids_as_text(world, unit_a):
    unit, accounts = unit_a
    MemberAccount.objects.filter(pk=accounts[2].pk).update(state=MemberState.SEALED)
    book, sheet = template_rows(unit)
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["序号", "个人账号", "姓名", "身份证号码", "现缴存基数（元）", "新缴存基数（元）"]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert [r[1] for r in rows] == [accounts[0].number, accounts[1].number]  # the sealed member is not listed
    assert rows[0][3] == accounts[0].person.id_number and isinstance(rows[0][3], str)
    assert rows[0][5] is None and rows[0][4] == 8000
    assert sheet["D2"].number_format == "@"
    assert "22,500.00" in " ".join(str(c.value) for c in book["填写说明"]["A"])
    assert account_b_not_in(sheet, world)


def account_b_not_in(sheet, world) -> bool:
    return all(r[1].value != world.account_b.number for r in sheet.iter_rows(min_row=2))


# ---- a good file --------------------------------------------------------------------------------------

def test_a_good_file_applies_every_row_in_one_batch(world, unit_a):
    unit, accounts = unit_a
    book = filled(unit, {accounts[0].number: 10000, accounts[1].number: "6,500.50", accounts[2].number: 22500})
    book["调基名单"].cell(row=row_of(book["调基名单"], accounts[2].number), column=8, value=8)  # 个人比例 8%
    batch = upload(world, book)
    assert batch.state == BatchState.APPLIED, batch.errors
    assert batch.row_count == 3 and batch.errors == []
    fresh = {a.pk: a for a in MemberAccount.objects.filter(pk__in=[a.pk for a in accounts])}
    assert (fresh[accounts[0].pk].base, fresh[accounts[0].pk].unit_monthly) == (Decimal("10000.00"), Decimal("1200.00"))
    assert fresh[accounts[1].pk].base == Decimal("6500.50")
    # The batch rounds exactly as the single-member rule does.
    assert (fresh[accounts[1].pk].unit_monthly, fresh[accounts[1].pk].member_monthly) == monthly_amounts(
        base=Decimal("6500.50"), unit_ratio=Decimal("0.12"), member_ratio=Decimal("0.12"), on=JULY)
    assert (fresh[accounts[2].pk].unit_monthly, fresh[accounts[2].pk].member_monthly) == (Decimal("2700.00"), Decimal("1800.00"))
    adjustments = BaseAdjustment.objects.filter(batch=batch)
    assert adjustments.count() == 3 and {a.effective_month for a in adjustments} == {JULY}
    third = adjustments.get(account=accounts[2])
    assert (third.old_base, third.member_ratio) == (Decimal("5000.00"), Decimal("0.0800"))
    assert AuditEvent.objects.filter(action="deposits.base_batch.applied", target_id=str(batch.pk)).exists()
    assert world.account_b.base == MemberAccount.objects.get(pk=world.account_b.pk).base  # another unit untouched


def test_a_chosen_effective_month_is_used(world, unit_a):
    batch = upload(world, filled(unit_a[0]), effective_month=date(YEAR, 9, 1))
    assert batch.state == BatchState.APPLIED
    assert set(BaseAdjustment.objects.values_list("effective_month", flat=True)) == {date(YEAR, 9, 1)}


# ---- bad files: each gives its row, field and message, and nothing changes -------------------------------

def bad_id(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


def test_a_wrong_id_checksum_is_reported_by_row_and_nothing_changes(world, unit_a):
    unit, accounts = unit_a
    before = snapshot(unit)
    book = filled(unit)
    sheet = book["调基名单"]
    row = row_of(sheet, accounts[1].number)
    sheet.cell(row=row, column=4).value = bad_id(accounts[1].person.id_number)
    batch = upload(world, book)
    error = only_error(batch)
    assert (error["row"], error["field"]) == (row, "id_number")
    assert error["message"] == f"第{row}行 身份证号码：身份证号码校验位不正确"
    assert snapshot(unit) == before


@pytest.mark.parametrize(("value", "words"), [
    (22500.01, "新缴存基数：不得高于 22,500.00 元（上年度职工月平均工资的 3 倍）"),
    (2000, "新缴存基数：不得低于最低月工资标准 2,100.00 元"),
    ("八千元", "新缴存基数：应为数字"),
    (None, "新缴存基数：请填写"),
    ("9000.123", "新缴存基数：最多保留两位小数"),
])
def test_a_bad_new_base_is_reported_by_row_and_nothing_changes(world, unit_a, value, words):
    unit, accounts = unit_a
    before = snapshot(unit)
    book = filled(unit)
    row = row_of(book["调基名单"], accounts[2].number)
    book["调基名单"].cell(row=row, column=6).value = value
    error = only_error(upload(world, book))
    assert (error["row"], error["field"]) == (row, "new_base")
    assert error["message"] == f"第{row}行 {words}"
    assert snapshot(unit) == before


def test_text_in_a_number_column_reads_as_the_brief_says(world, unit_a):
    unit, accounts = unit_a
    book = filled(unit, {accounts[0].number: "abc"})
    assert only_error(upload(world, book))["message"] == "第2行 新缴存基数：应为数字"


def test_an_unknown_person_and_another_units_member_get_the_same_answer(world, unit_a):
    unit, _ = unit_a
    before = snapshot(unit)
    book = filled(unit)
    sheet = book["调基名单"]
    sheet.append([9, "", "陌生人", make_id_number(birth=date(1985, 5, 5), seq=77), None, 9000])
    sheet.append([10, world.account_b.number, world.account_b.person.name, world.account_b.person.id_number, None, 9000])
    batch = upload(world, book)
    assert [(e["row"], e["field"]) for e in batch.errors] == [(5, "id_number"), (6, "id_number")]
    assert {e["message"][4:] for e in batch.errors} == {"身份证号码：本单位无此职工的个人账户，请核对身份证号码"}
    assert snapshot(unit) == before
    assert MemberAccount.objects.get(pk=world.account_b.pk).base == Decimal("8000.00")


def test_a_name_that_does_not_match_the_id_is_reported(world, unit_a):
    unit, accounts = unit_a
    book = filled(unit)
    book["调基名单"].cell(row=3, column=3).value = "张冠李戴"
    error = only_error(upload(world, book))
    assert (error["row"], error["field"], error["message"]) == (3, "name", "第3行 姓名：姓名与身份证号码不一致")


def test_a_duplicate_row_for_one_person_is_reported(world, unit_a):
    unit, accounts = unit_a
    before = snapshot(unit)
    book = filled(unit)
    sheet = book["调基名单"]
    sheet.append([[c.value for c in sheet[2]][i] for i in range(6)])
    error = only_error(upload(world, book))
    assert (error["row"], error["field"]) == (5, "id_number")
    assert error["message"] == "第5行 身份证号码：与第2行重复，每位职工只能填写一行"
    assert snapshot(unit) == before


def test_a_ratio_outside_policy_is_reported(world, unit_a):
    unit, _ = unit_a
    book = filled(unit)
    book["调基名单"].cell(row=2, column=7).value = 15
    book["调基名单"].cell(row=3, column=8).value = "4%"
    batch = upload(world, book)
    assert [(e["row"], e["field"], e["message"]) for e in batch.errors] == [
        (2, "unit_ratio", "第2行 单位缴存比例：须在 5% 至 12% 之间"),
        (3, "member_ratio", "第3行 个人缴存比例：须在 5% 至 12% 之间"),
    ]


def test_a_sealed_member_in_the_file_is_reported(world, unit_a):
    unit, accounts = unit_a
    book = filled(unit)
    MemberAccount.objects.filter(pk=accounts[0].pk).update(state=MemberState.SEALED)
    error = only_error(upload(world, book))
    assert (error["row"], error["field"]) == (2, "account") and "封存" in error["message"]


def test_every_bad_row_is_reported_not_just_the_first(world, unit_a):
    unit, accounts = unit_a
    book = filled(unit, {accounts[0].number: "x", accounts[1].number: 1, accounts[2].number: 99999})
    batch = upload(world, book)
    assert [(e["row"], e["field"]) for e in batch.errors] == [(2, "new_base"), (3, "new_base"), (4, "new_base")]
    assert batch.row_count == 3


def test_an_id_typed_as_a_number_is_explained(world, unit_a):
    unit, _ = unit_a
    book = filled(unit)
    book["调基名单"].cell(row=2, column=4).value = 3.70102199003070011e17
    error = only_error(upload(world, book))
    assert error["field"] == "id_number" and "文本格式" in error["message"]


@pytest.mark.parametrize(("content", "name", "field", "row", "message"), [
    (b"", "empty.xlsx", "file", None, "文件：文件为空"),
    (b"id,name,base\n370102199003070011,A,9000\n", "list.csv", "file", None,
     "文件：不是有效的 Excel 文件（.xlsx），请使用本系统下载的模板填写后上传"),
    ("这不是表格".encode(), "renamed.xlsx", "file", None,
     "文件：不是有效的 Excel 文件（.xlsx），请使用本系统下载的模板填写后上传"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.xls", "file", None,
     "文件：不支持 Excel 97-2003（.xls）格式，请另存为 .xlsx 后上传"),
])
def test_files_that_are_not_excel_are_reported_and_nothing_changes(world, unit_a, content, name, field, row, message):
    unit, _ = unit_a
    before = snapshot(unit)
    error = only_error(upload(world, SimpleUploadedFile(name, content)))
    assert (error["row"], error["field"], error["message"]) == (row, field, message)
    assert snapshot(unit) == before


def test_a_zip_that_is_not_a_workbook_is_not_excel(world, unit_a):
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    error = only_error(upload(world, SimpleUploadedFile("fake.xlsx", out.getvalue())))
    assert error["field"] == "file" and "不是有效的 Excel" in error["message"]


def test_a_header_only_file_is_reported(world, unit_a):
    unit, _ = unit_a
    before = snapshot(unit)
    book, sheet = template_rows(unit)
    sheet.delete_rows(2, sheet.max_row)
    error = only_error(upload(world, book))
    assert (error["row"], error["field"]) == (None, "file")
    assert error["message"] == "文件：没有数据行，请在表头下方填写职工的新缴存基数"
    assert snapshot(unit) == before


def test_a_wrong_header_is_reported(world, unit_a):
    unit, _ = unit_a
    before = snapshot(unit)
    book = filled(unit)
    book["调基名单"]["F1"] = "工资"
    error = only_error(upload(world, book))
    assert (error["row"], error["field"]) == (1, "header")
    assert error["message"] == "第1行 表头：缺少“新缴存基数”列，请使用本系统下载的模板"
    other = Workbook()
    other.active.append(["a", "b", "c"])
    other.active.append([1, 2, 3])
    error = only_error(upload(world, other))
    assert (error["row"], error["field"]) == (1, "header") and "未找到表头" in error["message"]
    assert snapshot(unit) == before


def test_too_many_rows_are_refused(world, unit_a):
    unit, _ = unit_a
    before = snapshot(unit)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("调基名单")
    sheet.append(["个人账号", "姓名", "身份证号码", "新缴存基数"])
    for seq in range(20_000):
        sheet.append(["", f"人{seq}", "370102199003070011", 9000])
    out = io.BytesIO()
    book.save(out)
    error = only_error(upload(world, SimpleUploadedFile("big.xlsx", out.getvalue())))
    assert (error["field"], error["message"]) == ("file", f"文件：数据超过 {MAX_ROWS} 行，请分批上传")
    assert snapshot(unit) == before


def test_a_title_row_above_the_header_and_blank_rows_are_tolerated(world, unit_a):
    unit, accounts = unit_a
    book = Workbook()
    sheet = book.active
    sheet.append(["2026年度缴存基数调整表"])
    sheet.append(["姓名", "身份证号码", "新缴存基数(元)"])
    sheet.append([])
    sheet.append([accounts[0].person.name, accounts[0].person.id_number, "9500"])
    batch = upload(world, book)
    assert batch.state == BatchState.APPLIED, batch.errors
    assert MemberAccount.objects.get(pk=accounts[0].pk).base == Decimal("9500.00")


# ---- the report and a second try -------------------------------------------------------------------------

def test_the_report_adds_an_explanation_column_and_a_corrected_copy_applies(world, unit_a):
    unit, accounts = unit_a
    book = filled(unit, {accounts[1].number: "九千"})
    batch = upload(world, book)
    assert batch.state == BatchState.REJECTED
    report = load_workbook(io.BytesIO(base_batch_report(batch)))
    sheet = report["调基名单"]
    header = [c.value for c in sheet[1]]
    assert header[-1] == "错误说明"
    column = len(header)
    assert sheet.cell(row=3, column=column).value == "新缴存基数：应为数字"
    assert sheet.cell(row=2, column=column).value is None
    assert [c.value for c in report["错误报告"][2]] == [3, "新缴存基数", "应为数字"]
    # The operator fixes the cell in the report itself and uploads it again.
    sheet.cell(row=3, column=6).value = 9100
    again = upload(world, report)
    assert again.state == BatchState.APPLIED, again.errors
    assert MemberAccount.objects.get(pk=accounts[1].pk).base == Decimal("9100.00")


def test_the_report_of_a_file_that_is_not_excel_lists_the_error(world, unit_a):
    batch = upload(world, SimpleUploadedFile("x.xlsx", b"garbage"))
    report = load_workbook(io.BytesIO(base_batch_report(batch)))
    rows = [[c.value for c in r] for r in report.active.iter_rows()]
    assert rows[0] == ["行号", "列", "错误说明"] and rows[1][1] == "文件"


# ---- access -------------------------------------------------------------------------------------------

def post_list(client: APIClient, unit, file) -> Any:
    """POST a list through the API and run the check the commit queues; the answer is the POST's."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(f"/api/deposits/units/{unit.pk}/base-batches/", {"year": YEAR, "file": file},
                           format="multipart")


def test_the_api_answers_202_with_the_status_url_and_the_rows_when_checked(world, unit_a):
    unit, accounts = unit_a
    client = as_user(world.unit_a_op)
    bad = post_list(client, unit, xlsx(filled(unit, {accounts[0].number: "abc"})))
    assert bad.status_code == 202 and bad.json()["state"] == "queued"
    assert bad["Location"] == bad.json()["status_url"] == f"/api/deposits/units/{unit.pk}/base-batches/{bad.json()['id']}/"
    checked = client.get(bad.json()["status_url"]).json()
    assert checked["state"] == "rejected" and checked["percent"] == 100
    assert checked["rows"] == [{"row": 2, "field": "new_base", "message": "第2行 新缴存基数：应为数字"}]
    assert MemberAccount.objects.get(pk=accounts[0].pk).base == Decimal("8000.00")
    good = post_list(client, unit, xlsx(filled(unit)))
    assert good.status_code == 202
    applied = client.get(good.json()["status_url"]).json()
    assert applied["state"] == "applied" and applied["rows"] == [] and applied["report_url"] is None
    listed = client.get(f"/api/deposits/units/{unit.pk}/base-batches/").json()["results"]
    assert [b["state"] for b in listed] == ["applied", "rejected"]
    report = client.get(checked["report_url"])
    assert report.status_code == 200 and report["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(f"/api/deposits/units/{unit.pk}/base-batches/{good.json()['id']}/report/").status_code == 404


def test_the_api_refuses_missing_or_bad_input_in_chinese(world, unit_a):
    unit, _ = unit_a
    client = as_user(world.unit_a_op)
    url = f"/api/deposits/units/{unit.pk}/base-batches/"
    assert client.post(url, {"year": YEAR}, format="multipart").json()["file"] == ["请上传调基名单文件"]
    assert client.post(url, {"year": 1999, "file": xlsx(filled(unit))}, format="multipart").status_code == 400
    assert client.post(url, {"year": YEAR}, format="json").status_code in (400, 415)
    bad_month = client.post(url, {"year": YEAR, "effective_month": "2030-01", "file": xlsx(filled(unit))},
                            format="multipart")
    assert bad_month.status_code == 400 and "生效年月" in bad_month.json()["effective_month"][0]
    assert not BaseAdjustment.objects.exists()


def test_the_template_api_gives_an_xlsx_to_those_who_may_see_the_unit(world, unit_a):
    unit, _ = unit_a
    response = as_user(world.unit_a_op).get(f"/api/deposits/units/{unit.pk}/base-template/?year={YEAR}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["调基名单"]
    assert sheet.max_row == 4
    assert as_user(world.unit_b_op).get(f"/api/deposits/units/{unit.pk}/base-template/").status_code == 404
    assert as_user(world.member_a).get(f"/api/deposits/units/{unit.pk}/base-template/").status_code == 404
    assert as_user(world.clerk_b).get(f"/api/deposits/units/{unit.pk}/base-template/").status_code == 404
    assert as_user(world.unit_a_op).get(f"/api/deposits/units/{unit.pk}/base-template/?year=abc").status_code == 400


@pytest.mark.parametrize(("who", "code"), [
    ("unit_b_op", 404), ("member_a", 404), ("outsider", 404), ("clerk_b", 404), ("auditor", 403),
])
def test_who_may_not_upload(world, unit_a, who, code):
    unit, _ = unit_a
    response = as_user(getattr(world, who)).post(
        f"/api/deposits/units/{unit.pk}/base-batches/", {"year": YEAR, "file": xlsx(filled(unit))}, format="multipart"
    )
    assert response.status_code == code
    assert not BaseAdjustmentBatch.objects.exists() and not BaseAdjustment.objects.exists()


@pytest.mark.parametrize("who", ["clerk", "director", "unit_a_op"])
def test_who_may_upload(world, unit_a, who):
    unit, _ = unit_a
    response = post_list(as_user(getattr(world, who)), unit, xlsx(filled(unit)))
    assert response.status_code == 202, response.content
    assert BaseAdjustment.objects.count() == 3


@pytest.mark.parametrize(("who", "code"), [
    ("unit_b_op", 404), ("member_a", 404), ("outsider", 404), ("clerk_b", 404), ("auditor", 403),
])
def test_who_may_not_adjust_one_member(world, who, code):
    response = as_user(getattr(world, who)).post(
        f"/api/deposits/members/{world.account_a.pk}/base/", {"new_base": "9000", "effective_month": "2026-07"},
        format="json",
    )
    assert response.status_code == code
    assert MemberAccount.objects.get(pk=world.account_a.pk).base == Decimal("8000.00")


def test_the_member_api_adjusts_and_answers_bad_input_in_chinese(world):
    client = as_user(world.unit_a_op)
    url = f"/api/deposits/members/{world.account_a.pk}/base/"
    over = client.post(url, {"new_base": "30000", "effective_month": "2026-07"}, format="json")
    assert over.status_code == 400 and "不得高于 22,500.00 元" in over.json()["new_base"][0]
    text = client.post(url, {"new_base": "abc", "effective_month": "2026-07"}, format="json")
    assert text.status_code == 400 and text.json()["new_base"] == ["新缴存基数应为数字"]
    ok = client.post(url, {"new_base": "9000", "effective_month": "2026-07"}, format="json")
    assert ok.status_code == 201 and ok.json()["unit_monthly"] == "1080.00"
    assert client.get(url).json()[0]["new_base"] == "9000.00"


# ---- pages ----------------------------------------------------------------------------------------------

def test_the_unit_hall_page_uploads_and_shows_the_report(world, unit_a, client):
    unit, accounts = unit_a
    client.force_login(world.unit_a_op)
    page = client.get("/unit/base/")
    assert page.status_code == 200 and "下载调基名单" in page.content.decode()
    template = client.get("/unit/base/template/?year=2026")
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/unit/base/", {"year": YEAR, "file": xlsx(filled(unit, {accounts[0].number: "abc"}))})
    body = client.get(response["Location"]).content.decode()
    assert "校验未通过" in body and "应为数字" in body and "所有职工的缴存基数均未改变" in body
    batch = BaseAdjustmentBatch.objects.get()
    assert client.get(f"/unit/base/batches/{batch.pk}/report/").status_code == 200
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/unit/base/", {"year": YEAR, "file": xlsx(filled(unit))})
    assert "调基名单已生效：3 名职工的缴存基数已调整" in client.get(response["Location"]).content.decode()
    assert MemberAccount.objects.get(pk=accounts[0].pk).base == Decimal("9000.00")


def test_pages_are_scoped(world, unit_a, client):
    unit, _ = unit_a
    batch = upload(world, filled(unit))
    client.force_login(world.unit_b_op)
    assert client.get(f"/unit/base/batches/{batch.pk}/").status_code == 404
    assert client.get(f"/unit/base/members/{world.account_a.pk}/").status_code == 404
    client.force_login(world.clerk_b)
    assert client.get(f"/staff/units/{unit.pk}/base/").status_code == 404
    assert client.get(f"/staff/members/{world.account_a.pk}/base/").status_code == 404
    client.force_login(world.member_a)
    assert client.get("/unit/base/").status_code == 404
    client.force_login(world.auditor)
    assert client.get(f"/staff/units/{unit.pk}/base/").status_code == 200
    assert client.post(f"/staff/units/{unit.pk}/base/", {"year": YEAR, "file": xlsx(filled(unit))}).status_code == 403
    assert client.post(f"/staff/members/{world.account_a.pk}/base/",
                       {"new_base": "9000", "effective_month": "2026-08"}).status_code == 403
    assert BaseAdjustmentBatch.objects.count() == 1


def test_a_clerk_adjusts_one_member_on_the_staff_page(world, client):
    client.force_login(world.clerk)
    assert client.get(f"/staff/members/{world.account_a.pk}/base/").status_code == 200
    bad = client.post(f"/staff/members/{world.account_a.pk}/base/", {"new_base": "1000", "effective_month": "2026-08"})
    assert "不得低于最低月工资标准" in bad.content.decode()
    response = client.post(f"/staff/members/{world.account_a.pk}/base/", {"new_base": "12000", "effective_month": "2026-08"},
                           follow=True)
    assert "起调整为 12,000.00 元" in response.content.decode()
    assert MemberAccount.objects.get(pk=world.account_a.pk).monthly_total == Decimal("2880.00")


def test_a_sheet_that_claims_to_be_enormous_is_read_without_padding_every_row(world, unit_a):
    import re
    import time
    import zipfile

    unit, _ = unit_a
    source = io.BytesIO(xlsx(filled(unit)).read())
    out = io.BytesIO()
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(out, "w") as target:
        for info in archive.infolist():
            body = archive.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', body)
            target.writestr(info, body)
    started = time.perf_counter()
    batch = upload(world, SimpleUploadedFile("huge.xlsx", out.getvalue()))
    assert batch.state == BatchState.APPLIED, batch.errors
    assert time.perf_counter() - started < 10
