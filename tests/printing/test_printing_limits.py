"""Printing is bounded (issue 10, item 7): the same document asked for again the same day is the one already
printed, and new documents are limited per user and per person, per hour and per day.

Requests are made as in the other printing tests (people.clerk asks for a notice about people.subject); the
clock is set where the day matters."""

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from fund.audit.models import AuditEvent
from fund.printing.limits import PrintLimitReached
from fund.printing.models import Document
from fund.printing.registry import register_document_kind
from tests.printing.conftest import NOTICE_CONTEXT

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def fast_render(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("fund.printing.services.render_pdf", lambda document: b"%PDF-1.7 limits")


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Set the time everything reads (timezone.now, so created_at and localdate too): clock.set(datetime)."""

    class Clock:
        now = datetime(2026, 3, 9, 10, 0, tzinfo=SHANGHAI)

        def set(self, value: datetime) -> None:
            self.now = value

        def advance(self, **delta: float) -> None:
            self.now += timedelta(**delta)

    fixed = Clock()
    monkeypatch.setattr("django.utils.timezone.now", lambda: fixed.now)
    return fixed


@pytest.fixture
def limits(settings: Any) -> Any:
    """All limits off unless a test sets one."""
    settings.FUND_PRINT_PER_USER_HOUR = settings.FUND_PRINT_PER_USER_DAY = 0
    settings.FUND_PRINT_PER_SUBJECT_HOUR = settings.FUND_PRINT_PER_SUBJECT_DAY = 0
    return settings


def notice(n: int) -> dict[str, Any]:
    return {**NOTICE_CONTEXT, "paragraphs": [f"第 {n} 份通知。"]}


# ---- reuse --------------------------------------------------------------------------------------------

def test_the_same_document_the_same_day_is_the_one_already_printed(people, issue, request_notice, clock,
                                                                    monkeypatch) -> None:
    first = issue()
    monkeypatch.setattr("fund.printing.services._queue_render", lambda pk: pytest.fail("rendered again"))
    clock.advance(hours=5)

    again = request_notice()

    assert again.pk == first.pk and again.is_ready
    assert Document.objects.count() == 1
    reused = AuditEvent.objects.get(action="printing.document.reused", target_id=str(first.pk))
    assert reused.actor == people.clerk


def test_changed_data_is_a_new_document(request_notice, clock) -> None:
    first = request_notice()
    other = request_notice(context=notice(2))
    about_someone_else = request_notice(subject=None, subject_label="王*（示例）")
    assert len({first.pk, other.pk, about_someone_else.pk}) == 3


def test_the_next_day_is_a_new_document(request_notice, clock) -> None:
    clock.set(datetime(2026, 3, 9, 23, 50, tzinfo=SHANGHAI))
    first = request_notice()
    clock.advance(minutes=20)  # 00:10 the next day, local time
    assert request_notice().pk != first.pk


def test_a_stamp_of_when_the_data_was_read_does_not_make_a_new_document(request_notice, clock) -> None:
    register_document_kind("tests.sheet", title="测试信息表", template="printing/kinds/notice.html", stamps=("as_of",))
    first = request_notice(kind="tests.sheet", context={**NOTICE_CONTEXT, "as_of": "2026-03-09 10:00"})
    clock.advance(hours=3)
    again = request_notice(kind="tests.sheet", context={**NOTICE_CONTEXT, "as_of": "2026-03-09 13:00"})
    changed = request_notice(kind="tests.sheet", context={**notice(3), "as_of": "2026-03-09 13:00"})
    assert again.pk == first.pk != changed.pk


def test_a_failed_document_is_not_reused(request_notice, clock) -> None:
    first = request_notice()
    Document.objects.filter(pk=first.pk).update(status="failed")
    assert request_notice().pk != first.pk


def test_someone_who_may_not_open_the_earlier_copy_gets_a_new_one(people, request_notice, clock) -> None:
    mine = request_notice()
    theirs = request_notice(requested_by=people.operator)  # an operator sees only what it requested
    colleagues = request_notice(requested_by=people.colleague)  # branch staff see the subject's documents
    assert theirs.pk != mine.pk and colleagues.pk in (mine.pk, theirs.pk)


# ---- limits -------------------------------------------------------------------------------------------

def test_it_refuses_a_user_past_the_hourly_limit_until_the_hour_has_passed(people, request_notice, limits,
                                                                           clock) -> None:
    limits.FUND_PRINT_PER_USER_HOUR = 3
    for n in range(3):
        request_notice(context=notice(n))
        clock.advance(minutes=10)
    with pytest.raises(PrintLimitReached) as refused:
        request_notice(context=notice(9))
    assert refused.value.messages == ["打印过于频繁：您一小时内已开具 3 份文件，已达上限 3 份，请 30 分钟后再试"]
    assert refused.value.retry_after == 30 * 60
    assert Document.objects.count() == 3
    request_notice(requested_by=people.colleague, context=notice(9))  # another user is not held up
    clock.advance(minutes=31)  # the first one has left the hour
    request_notice(context=notice(9))


def test_it_refuses_a_user_past_the_daily_limit_until_tomorrow(request_notice, limits, clock) -> None:
    limits.FUND_PRINT_PER_USER_DAY = 2
    request_notice(context=notice(1))
    clock.advance(hours=3)
    request_notice(context=notice(2))
    clock.advance(hours=3)  # 16:00
    with pytest.raises(PrintLimitReached, match="您今天已开具 2 份文件，已达上限 2 份，请明天再试") as refused:
        request_notice(context=notice(3))
    assert refused.value.retry_after == 8 * 3600
    clock.set(datetime(2026, 3, 10, 8, 0, tzinfo=SHANGHAI))
    request_notice(context=notice(3))


def test_it_refuses_more_documents_about_one_person_whoever_asks(people, request_notice, limits, clock) -> None:
    limits.FUND_PRINT_PER_SUBJECT_HOUR = 2
    request_notice(context=notice(1))
    request_notice(context=notice(2), requested_by=people.colleague)
    with pytest.raises(PrintLimitReached, match="该人员一小时内已开具 2 份文件"):
        request_notice(context=notice(3), requested_by=people.clerk_b)
    request_notice(context=notice(3), subject=people.member_b.person)  # another person is not held up


def test_a_reprint_is_neither_refused_nor_counted(request_notice, limits, clock) -> None:
    limits.FUND_PRINT_PER_USER_HOUR = 1
    first = request_notice()
    assert request_notice().pk == first.pk
    assert request_notice().pk == first.pk
    with pytest.raises(PrintLimitReached):
        request_notice(context=notice(2))
