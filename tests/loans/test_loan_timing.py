"""贷款办理时效: medians of acceptance → disbursement and of visits, by channel and branch, in the viewer's scope."""

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from loans.selectors.timing import duration_text, loan_timing
from tests.clients import page

TZ = ZoneInfo("Asia/Shanghai")


def disbursed(ln: Any, *, channel: str, minutes: int, visits: int, branch: Any = None, day: int = 10) -> Any:
    accepted = datetime(2026, 11, day, 9, 0, tzinfo=TZ)
    app = ln.application(channel=channel, state="disbursed", accepted_at=accepted,
                         disbursed_at=accepted + timedelta(minutes=minutes), visits=visits,
                         branch=branch or ln.world.branch_a, household_key=f"H{ln.next_seq()}")
    return app


@pytest.fixture
def loans(ln: Any) -> Any:
    disbursed(ln, channel="window", minutes=19, visits=1)
    disbursed(ln, channel="window", minutes=31, visits=1)
    disbursed(ln, channel="window", minutes=50, visits=2)
    disbursed(ln, channel="online", minutes=3 * 24 * 60, visits=1)
    disbursed(ln, channel="developer", minutes=2 * 24 * 60, visits=1, branch=ln.world.branch_b)
    # accepted but not yet disbursed, and disbursed outside the period: neither counts
    ln.application(channel="window", state="mortgaged", accepted_at=datetime(2026, 11, 10, 9, tzinfo=TZ),
                   household_key="H-open")
    disbursed(ln, channel="window", minutes=500, visits=5, day=1).__class__.objects.filter(
        household_key__startswith="H").order_by("-id").first()
    return ln


def test_the_median_per_channel_is_the_middle_loan(loans: Any) -> None:
    from datetime import date

    timing = loan_timing(user=loans.world.director, start=date(2026, 11, 5), end=date(2026, 11, 30))
    window = next(r for r in timing.by_channel if r.key == "window")
    assert (window.loans, window.median_minutes, window.median_visits) == (3, 31.0, 1.0)
    assert timing.overall.loans == 5 and timing.overall.median_minutes == 50.0
    assert {r.label: r.loans for r in timing.by_branch} == {"市直管理部": 4, "高新区管理部": 1}


def test_a_branch_clerk_sees_only_the_branch(loans: Any) -> None:
    from datetime import date

    timing = loan_timing(user=loans.world.clerk_b, start=date(2026, 11, 1), end=date(2026, 11, 30))
    assert timing.overall.loans == 1 and [r.label for r in timing.by_branch] == ["高新区管理部"]


def test_anyone_but_staff_gets_nothing(loans: Any) -> None:
    from datetime import date

    for user in (loans.world.member_a, loans.world.dev_a, loans.world.outsider):
        assert loan_timing(user=user, start=date(2026, 11, 1), end=date(2026, 11, 30)).overall.loans == 0


def test_the_page_shows_the_medians_and_refuses_a_reversed_period(loans: Any) -> None:
    client = page(loans.world.director)
    body = client.get("/staff/loans/timing/?start=2026-11-05&end=2026-11-30").content.decode()
    assert "受理到放款（中位数）" in body and "50分钟" in body and "31分钟" in body and "综合窗口（3笔）" in body
    bad = client.get("/staff/loans/timing/?start=2026-11-30&end=2026-11-01")
    assert bad.status_code == 200 and "截止日期不能早于起始日期" in bad.content.decode()
    assert page(loans.world.member_a).get("/staff/loans/timing/").status_code == 404


def test_durations_read_as_people_say_them() -> None:
    assert [duration_text(m) for m in (None, 19.4, 130, 3000)] == ["—", "19分钟", "2小时10分", "2.1天"]


def test_the_api_gives_the_same_medians_to_staff_and_nothing_to_others(loans: Any) -> None:
    from tests.clients import api

    answer = api(loans.world.director).get("/api/loans/timing/?start=2026-11-05&end=2026-11-30")
    assert answer.status_code == 200
    body = answer.json()
    assert body["overall"]["loans"] == 5 and body["overall"]["median_minutes"] == 50.0
    assert {r["key"]: r["median_minutes"] for r in body["by_channel"]}["window"] == 31.0
    bad = api(loans.world.director).get("/api/loans/timing/?start=2026-11-30&end=2026-11-01")
    assert bad.status_code == 400 and "截止日期不能早于起始日期" in bad.json()["end"][0]
    assert api(loans.world.director).get("/api/loans/timing/?start=十一月").status_code == 400
    for user in (loans.world.member_a, loans.world.dev_a, loans.world.outsider):
        assert api(user).get("/api/loans/timing/").status_code == 404
