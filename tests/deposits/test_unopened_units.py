"""催建: employers the social insurance bureau knows as paying for people in the city, with no unit account
here (应建未建单位) — the list, the Excel export, recording a notice, and who may see and do it."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from deposits.models import OpeningNotice, UnitAccount, UnitOpeningRequest, UnitState
from deposits.selectors.arrears import unopened_units_list
from deposits.services.arrears import opening_notice_record
from fund.audit.models import AuditEvent
from fund.demo import make_credit_code, make_id_number
from fund.integrations.models import SandboxSocialInsurance
from tests.clients import api, page
from tests.conftest import open_unit

pytestmark = pytest.mark.django_db

LATE = make_credit_code(501)  # 未开户, three people insured (and one retired)
CLOSED = make_credit_code(502)  # its unit account was closed, one person still insured
PENDING = make_credit_code(503)  # applied online, not yet approved


def insure(seq: int, code: str, name: str, *, retired_on: date | None = None) -> None:
    SandboxSocialInsurance.objects.create(
        id_number=make_id_number(birth=date(1988, 1, 1), seq=seq), months_local=24, employer_credit_code=code,
        employer_name=name, retired_on=retired_on,
    )


@pytest.fixture
def insured(world):
    for seq in (1, 2, 3):
        insure(700 + seq, LATE, "迟建商贸有限公司")
    insure(704, LATE, "迟建商贸有限公司", retired_on=timezone.localdate() - timedelta(days=30))
    for seq in (1, 2):  # unit A pays social insurance for its people and has its account: not listed
        insure(710 + seq, world.unit_a.employer.credit_code, world.unit_a.employer.name)
    closed = open_unit(world.clerk, world.branch_a, 502, name="已销户科技有限公司")
    UnitAccount.objects.filter(pk=closed.pk).update(state=UnitState.CLOSED)
    insure(720, CLOSED, "已销户科技有限公司")
    insure(730, PENDING, "申请中物业有限公司")
    UnitOpeningRequest.objects.create(
        branch=world.branch_a, name="申请中物业有限公司", credit_code=PENDING, bank_name="建设银行",
        bank_account="1234567", unit_ratio="0.12", member_ratio="0.12", pay_day=10, username="pending_op",
        operator_name="申请人", operator_phone="13800000001", password="!",
    )
    return world


def test_the_list_has_employers_insured_here_without_an_open_account(insured):
    rows = {r.credit_code: r for r in unopened_units_list(on=timezone.localdate())}
    assert set(rows) == {LATE, CLOSED, PENDING}
    assert insured.unit_a.employer.credit_code not in rows  # opened: not listed
    assert rows[LATE].insured == 3  # the retired person no longer counts
    assert (rows[LATE].status, rows[CLOSED].status, rows[PENDING].status) == ("未开户", "已销户", "网上开户申请待审核")
    assert [r.credit_code for r in unopened_units_list(on=timezone.localdate())][0] == LATE  # most insured first
    assert [r.credit_code for r in unopened_units_list(on=timezone.localdate(), query="迟建")] == [LATE]


def test_an_employer_leaves_the_list_once_it_opens_its_account(insured):
    open_unit(insured.clerk, insured.branch_b, 501, name="迟建商贸有限公司")
    codes = {r.credit_code for r in unopened_units_list(on=timezone.localdate())}
    assert LATE not in codes and codes == {CLOSED, PENDING}


def test_a_notice_is_recorded_with_who_when_how_and_audited(insured):
    notice = opening_notice_record(actor=insured.clerk, credit_code=LATE.lower(), channel="letter",
                                   contact="王经理 0537-1234567", note="限30日内开户")
    assert (notice.credit_code, notice.employer_name, notice.insured_count) == (LATE, "迟建商贸有限公司", 3)
    assert notice.sent_by == insured.clerk and notice.get_channel_display() == "书面催建函" and notice.sent_at
    audit = AuditEvent.objects.get(action="deposits.unopened.notified")
    assert audit.actor == insured.clerk and audit.new["credit_code"] == LATE and audit.new["channel"] == "letter"
    row = next(r for r in unopened_units_list(on=timezone.localdate()) if r.credit_code == LATE)
    assert row.notices == 1 and row.last_notice == notice


def test_bad_notices_are_refused_by_field_and_write_nothing(insured):
    with pytest.raises(ValidationError) as exc:
        opening_notice_record(actor=insured.clerk, credit_code=insured.unit_a.employer.credit_code, channel="fax")
    errors = exc.value.message_dict
    assert "不在应建未建单位名单中" in errors["credit_code"][0] and errors["channel"] == ["请选择通知方式"]
    with pytest.raises(ValidationError) as exc:
        opening_notice_record(actor=insured.clerk, credit_code=LATE, channel="phone", note="长" * 201)
    assert exc.value.message_dict["note"] == ["说明不能超过200字"]
    for who in (insured.auditor, insured.unit_a_op, insured.member_a):
        with pytest.raises(PermissionDenied):
            opening_notice_record(actor=who, credit_code=LATE, channel="phone")
    assert not OpeningNotice.objects.exists() and not AuditEvent.objects.filter(action="deposits.unopened.notified").exists()


def test_staff_page_tab_export_and_notice_form(insured):
    client = page(insured.clerk)
    body = client.get("/staff/arrears/unopened/").content.decode()
    assert "迟建商贸有限公司" in body and insured.unit_a.employer.name not in body and "应建未建单位（催建）" in body
    assert "应建未建单位（催建）" in client.get("/staff/arrears/").content.decode()  # the tab on the 催缴 list
    export = client.get("/staff/arrears/unopened/export/")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(export.content)).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert ("统一社会信用代码", "单位名称", "参保人数", "状态", "催建次数", "最近催建时间", "最近催建方式") in values
    assert any(r[0] == LATE and r[2] == 3 for r in values)
    assert not any(r[0] == insured.unit_a.employer.credit_code for r in values)

    bad = client.post(f"/staff/arrears/unopened/{LATE}/notice/", {"channel": "fax"})
    assert bad.status_code == 400 and not OpeningNotice.objects.exists()
    done = client.post(f"/staff/arrears/unopened/{LATE}/notice/", {"channel": "phone", "contact": "王经理"})
    assert done.status_code == 302 and OpeningNotice.objects.get().channel == "phone"
    assert client.get(f"/staff/arrears/unopened/{insured.unit_a.employer.credit_code}/notice/").status_code == 404


def test_who_may_see_the_list_and_record_notices(insured):
    for who in (insured.unit_a_op, insured.member_a, insured.outsider, insured.dev_a):
        assert page(who).get("/staff/arrears/unopened/").status_code == 404
        assert page(who).get("/staff/arrears/unopened/export/").status_code == 404
        assert api(who).get("/api/deposits/arrears/unopened/").status_code == 404
        assert api(who).post("/api/deposits/arrears/unopened/notices/", {"credit_code": LATE, "channel": "phone"}).status_code == 404
    # Employers without an account belong to no branch: every staff member sees the list; only 受理 records.
    assert "迟建商贸有限公司" in page(insured.clerk_b).get("/staff/arrears/unopened/").content.decode()
    assert page(insured.auditor).get(f"/staff/arrears/unopened/{LATE}/notice/").status_code == 403
    assert api(insured.auditor).post("/api/deposits/arrears/unopened/notices/",
                                     {"credit_code": LATE, "channel": "phone"}).status_code == 403
    assert not OpeningNotice.objects.exists()


def test_the_api_lists_and_records(insured):
    listed = api(insured.clerk_b).get("/api/deposits/arrears/unopened/")
    assert listed.status_code == 200 and {r["credit_code"] for r in listed.json()} == {LATE, CLOSED, PENDING}
    bad = api(insured.clerk).post("/api/deposits/arrears/unopened/notices/", {"credit_code": "91X", "channel": "phone"})
    assert bad.status_code == 400 and "不在应建未建单位名单中" in bad.json()["credit_code"][0]
    bad = api(insured.clerk).post("/api/deposits/arrears/unopened/notices/", {"credit_code": LATE, "channel": "fax"})
    assert bad.status_code == 400 and "channel" in bad.json()
    made = api(insured.clerk).post("/api/deposits/arrears/unopened/notices/",
                                   {"credit_code": LATE, "channel": "visit", "note": "上门督导"}, format="json")
    assert made.status_code == 201 and made.json()["insured_count"] == 3
    again = api(insured.clerk).get("/api/deposits/arrears/unopened/", {"q": LATE}).json()
    assert again[0]["notices"] == 1 and again[0]["last_notice_at"]
