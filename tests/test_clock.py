"""FUND_TEST_TODAY (tests/clock.py): where it moves the clock, and that a subprocess moves with it."""

import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from tests import clock

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_bare_date_means_ten_in_the_morning_in_the_centres_time_zone():
    assert clock.ZONE.key == settings.TIME_ZONE
    assert clock.destination("2027-02-10") == datetime(2027, 2, 10, 10, 0, tzinfo=SHANGHAI)
    assert clock.destination("2026-12-31T23:59:30") == datetime(2026, 12, 31, 23, 59, 30, tzinfo=SHANGHAI)


def test_it_refuses_a_date_it_cannot_read():
    with pytest.raises(SystemExit, match="FUND_TEST_TODAY"):
        clock.destination("10/02/2027")


def test_a_subprocess_started_with_the_offset_reads_the_same_day():
    """The Celery worker is a subprocess, which time-machine cannot reach; it is handed the offset."""
    with time_machine.travel(datetime(2027, 2, 10, 10, 0, tzinfo=SHANGHAI), tick=True):
        offset = clock.offset_seconds()
        env = {**os.environ, clock.OFFSET_VARIABLE: repr(offset)}
        code = ("from tests.clock import travel_by_offset; travel_by_offset(); import datetime, zoneinfo; "
                "print(datetime.datetime.now(zoneinfo.ZoneInfo('Asia/Shanghai')).isoformat())")
        seen = subprocess.run([sys.executable, "-c", code], env=env, cwd=settings.BASE_DIR, capture_output=True,
                              text=True, check=True).stdout.strip()
    moment = datetime.fromisoformat(seen)
    assert moment.date() == date(2027, 2, 10)
    assert timedelta(0) <= moment - datetime(2027, 2, 10, 10, 0, tzinfo=SHANGHAI) < timedelta(minutes=10)


def test_today_is_read_when_asked():
    with time_machine.travel(datetime(2026, 12, 31, 23, 59, tzinfo=SHANGHAI), tick=False):
        assert (clock.today(), clock.this_month(), clock.last_month()) == (
            date(2026, 12, 31), date(2026, 12, 1), date(2026, 11, 1))
    with time_machine.travel(datetime(2027, 1, 1, 0, 1, tzinfo=SHANGHAI), tick=False):
        assert (clock.today(), clock.this_month(), clock.last_month()) == (
            date(2027, 1, 1), date(2027, 1, 1), date(2026, 12, 1))
