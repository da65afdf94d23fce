"""The holiday calendar staff enter (节假日安排): it drives add_working_days for a year chinesecalendar lacks,
silences fund.W001, keeps every version, and stays fresh across processes without a query per day counted."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fund.audit.models import AuditEvent
from fund.checks import holiday_calendar_is_current
from fund.holidays.calendar import holidays_changed, holidays_recheck
from fund.holidays.models import DayKind, HolidayDay, HolidaySchedule
from fund.holidays.services import HolidayPeriod, holiday_lines_parse, holiday_schedule_enter
from fund.people.models import Post
from fund.workdays import add_working_days, calendar_covers, is_working_day
from tests.clients import api, page
from tests.clock import travel_to
from tests.conftest import PASSWORD, BranchFactory

# Years chinesecalendar will not know for a long while; the clock is set inside them.
TODAY = date(2030, 11, 20)
NEW_YEAR_2031 = [HolidayPeriod(name="元旦", start=date(2031, 1, 1), end=date(2031, 1, 3), workdays=[date(2031, 1, 4)])]


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """Entries are rolled back after each test: nothing this test loaded may reach the next one."""
    holidays_changed()
    with travel_to(TODAY):
        yield
    holidays_changed()


@pytest.fixture
def people(db):
    from fund.people.services import staff_create

    a, b = BranchFactory(code="01", name="市直管理部"), BranchFactory(code="02", name="高新区管理部")

    def staff(username, branch, posts, centre_wide=False):
        return staff_create(actor=None, username=username, name=username, branch=branch, posts=posts,
                            employee_number=username, password=PASSWORD, centre_wide=centre_wide)

    return {"director": staff("director", a, [Post.DIRECTOR], centre_wide=True),
            "clerk_b": staff("clerk_b", b, [Post.ACCEPT])}


def test_an_entered_year_changes_add_working_days_and_silences_w001(people):
    assert add_working_days(date(2030, 12, 31), 1) == date(2031, 1, 1)  # Monday to Friday: a Wednesday
    assert [w.id for w in holiday_calendar_is_current(None)] == ["fund.W001"]
    holiday_schedule_enter(actor=people["director"], year=2031, periods=NEW_YEAR_2031, notice="国办发明电〔2030〕7号")
    assert not is_working_day(date(2031, 1, 2))
    assert add_working_days(date(2030, 12, 31), 1) == date(2031, 1, 4)  # the make-up Saturday counts
    assert add_working_days(date(2030, 12, 31), 2) == date(2031, 1, 6)
    assert calendar_covers(2031)
    # 2030 is still missing; entering it silences the check.
    warnings = holiday_calendar_is_current(None)
    assert "2030" in warnings[0].msg and "2031" not in warnings[0].msg
    holiday_schedule_enter(actor=people["director"], year=2030, periods=[
        HolidayPeriod(name="国庆节", start=date(2030, 10, 1), end=date(2030, 10, 7))])
    assert holiday_calendar_is_current(None) == []


def test_a_second_entry_keeps_the_first_and_takes_over_from_its_effective_date(people):
    first = holiday_schedule_enter(actor=people["director"], year=2031, periods=NEW_YEAR_2031)
    fixed = [HolidayPeriod(name="元旦", start=date(2031, 1, 1), end=date(2031, 1, 1))]
    second = holiday_schedule_enter(actor=people["director"], year=2031, periods=fixed,
                                    effective_from=date(2030, 11, 21), note="更正：只放元旦当天")
    assert (first.version, second.version) == (1, 2)
    assert HolidayDay.objects.filter(schedule=first).count() == 4  # the first version is kept as entered
    assert not is_working_day(date(2031, 1, 2))  # today the first version is still in force
    with travel_to(date(2030, 11, 21)):
        holidays_recheck()  # a new request or task on the next day
        assert is_working_day(date(2031, 1, 2)) and not is_working_day(date(2031, 1, 4))
    events = AuditEvent.objects.filter(action="holidays.schedule.entered").order_by("id")
    assert [e.new["version"] for e in events] == [1, 2]
    assert events[1].old["version"] == 1 and "01-01至01-03" in events[1].old["holidays"]


def test_another_process_entry_is_seen_at_the_next_request_not_before(people):
    assert is_working_day(date(2031, 1, 2))
    schedule = HolidaySchedule.objects.create(year=2031, version=1, effective_from=TODAY)  # as another process would
    HolidayDay.objects.create(schedule=schedule, day=date(2031, 1, 2), kind=DayKind.OFF, name="元旦")
    assert is_working_day(date(2031, 1, 2))  # no query per lookup: the loaded calendar stands until rechecked
    holidays_recheck()
    with CaptureQueriesContext(connection) as queries:
        assert not is_working_day(date(2031, 1, 2))
        assert add_working_days(date(2030, 12, 31), 200) > date(2031, 1, 2)
    # The token, the versions in force and their days (in a savepoint): once, not per day counted.
    assert len([q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]) == 3


def test_the_check_survives_a_missing_table_and_leaves_the_transaction_usable(db):
    # Checks run before migrate: no holidays table yet.
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE holidays_holidayday RENAME TO holidays_gone_day")
        cursor.execute("ALTER TABLE holidays_holidayschedule RENAME TO holidays_gone")
    holidays_changed()
    assert [w.id for w in holiday_calendar_is_current(None)] == ["fund.W001"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_it_refuses_a_schedule_that_is_not_one_naming_each_fault(people):
    with pytest.raises(ValidationError) as refused:
        holiday_lines_parse("元旦 2031-01-01 至 2031-01-03\n春节 2031-02-30", year=2031)
    assert refused.value.message_dict["lines"] == ["第2行：“2031-02-30”不是有效日期（如 2031-10-01、10-01 或 10月1日）"]
    periods = holiday_lines_parse("元旦 1月1日 至 1月3日 调休上班 1月6日\n春节 2031-01-02 至 2031-01-05", year=2031)
    with pytest.raises(ValidationError) as refused:
        holiday_schedule_enter(actor=people["director"], year=2031, periods=periods, effective_from=date(2030, 1, 1))
    errors = refused.value.message_dict
    assert "effective_from" in errors
    assert "元旦：调休上班日期 2031-01-06 不是周六或周日" in errors["lines"]
    assert "春节：2031-01-02 已是元旦的放假日期" in errors["lines"]
    assert not HolidaySchedule.objects.exists()


def test_it_refuses_branch_staff_and_answers_404_to_others(people):
    with pytest.raises(PermissionDenied):
        holiday_schedule_enter(actor=people["clerk_b"], year=2031, periods=NEW_YEAR_2031)
    body = {"year": 2031, "periods": [{"name": "元旦", "start": "2031-01-01", "end": "2031-01-03",
                                        "workdays": ["2031-01-04"]}]}
    assert api(people["clerk_b"]).post("/api/service/holidays/", body, format="json").status_code == 403
    from fund.people.models import User

    outsider = User.objects.create_user(username="outsider", password=PASSWORD)
    assert api(outsider).get("/api/service/holidays/").status_code == 404
    created = api(people["director"]).post("/api/service/holidays/", body, format="json")
    assert created.status_code == 201 and created.json()["periods"][0]["workdays"] == ["2031-01-04"]
    shown = page(people["clerk_b"]).get(f"/staff/holidays/{created.json()['id']}/")
    assert shown.status_code == 200 and "元旦" in shown.content.decode()
    bad = api(people["director"]).post("/api/service/holidays/", {**body, "year": 2040}, format="json")
    assert bad.status_code == 400 and "year" in bad.json()


def test_the_director_enters_a_year_on_the_page_and_a_branch_clerk_may_only_read_it(people):
    lines = "元旦 2031-01-01 至 2031-01-03 调休上班 2031-01-04\n春节 2月1日 至 2月7日"
    assert page(people["clerk_b"]).post("/staff/holidays/", {"year": 2031, "lines": lines}).status_code == 403
    director = page(people["director"])
    refused = director.post("/staff/holidays/", {"year": 2031, "lines": "春节 2031-02-31"})
    assert refused.status_code == 400 and "第1行" in refused.content.decode()
    entered = director.post("/staff/holidays/", {"year": 2031, "lines": lines, "notice": "国办发明电〔2030〕7号"})
    assert entered.status_code == 302
    schedule = HolidaySchedule.objects.get()
    assert schedule.days.filter(kind=DayKind.OFF).count() == 10 and not is_working_day(date(2031, 2, 3))
    listed = page(people["clerk_b"]).get("/staff/holidays/").content.decode()
    assert "已录入（第 1 版）" in listed and "录入放假安排" not in listed
    again = director.get(f"/staff/holidays/?from={schedule.pk}").content.decode()
    assert "春节 2031-02-01 至 2031-02-07" in again  # the next version starts from this one's lines
