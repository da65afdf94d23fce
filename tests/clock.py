"""The whole suite at another date: `FUND_TEST_TODAY=2027-02-10 scripts/test`.

tests/conftest.py travels the clock when it is imported, before any test module is, so code that reads the
date at import sees the travelled one too. A bare date means 10:00 that day in the centre's time zone (a
working morning, well away from midnight); a full ISO time (`2026-12-31T23:59:30`) is taken as given, naive
meaning the centre's time zone. The clock keeps ticking from there.

What does not travel with it: PostgreSQL's now() (only the sandbox integration tables use it, as a column
default), Redis, and Chromium (pages read no date in the browser). The Celery worker that `worker` tests start
is a subprocess, which time-machine cannot reach: tests/worker_support.py hands it the offset of this
process's clock through FUND_TEST_CLOCK_OFFSET and starts it through `worker_main()`, which travels by the
same offset first.
"""

import os
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from zoneinfo import ZoneInfo

import time_machine

TODAY_VARIABLE = "FUND_TEST_TODAY"
OFFSET_VARIABLE = "FUND_TEST_CLOCK_OFFSET"
ZONE = ZoneInfo("Asia/Shanghai")  # settings.TIME_ZONE; read before Django is set up in the worker
MORNING = clock_time(10, 0)

_travel: time_machine.travel | None = None


def destination(value: str) -> datetime:
    """`2027-02-10` → 10:00 that day in Shanghai; `2027-02-10T23:59` → that time in Shanghai."""
    value = value.strip()
    try:
        moment = datetime.combine(date.fromisoformat(value), MORNING) if len(value) == 10 else datetime.fromisoformat(value)
    except ValueError:
        raise SystemExit(f"{TODAY_VARIABLE}={value!r}: expected a date like 2027-02-10 or 2027-02-10T09:30") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=ZONE)


def travel_from_environment() -> datetime | None:
    """Start the session's travel if FUND_TEST_TODAY asks for one; the destination, or None."""
    global _travel
    value = os.environ.get(TODAY_VARIABLE, "").strip()
    if not value or _travel is not None:
        return None
    moment = destination(value)
    _travel = time_machine.travel(moment, tick=True)
    _travel.start()
    return moment


def stop() -> None:
    global _travel
    if _travel is not None:
        _travel.stop()
        _travel = None


def travelling() -> bool:
    """Whether this process's clock is moved: by FUND_TEST_TODAY or by a test's own travel_to."""
    return time_machine.escape_hatch.is_travelling()


def offset_seconds() -> float:
    """How far this process's clock is from the real one, for a subprocess to travel the same way."""
    return time.time() - time_machine.escape_hatch.time.time()


def worker_environment() -> dict[str, str]:
    return {OFFSET_VARIABLE: repr(offset_seconds())} if travelling() else {}


def travel_by_offset() -> None:
    """In a subprocess: move the clock by the offset the test process passed, if it passed one."""
    offset = float(os.environ.get(OFFSET_VARIABLE) or 0)
    if offset:
        time_machine.travel(time.time() + offset, tick=True).start()


def worker_main() -> None:
    """`python -c "from tests.clock import worker_main; worker_main()" -A fund worker ...`: Celery, with the
    clock moved by the offset the test process passed (so both processes read the same time)."""
    travel_by_offset()
    from celery.__main__ import main

    sys.argv[0] = "celery"
    main()


def travel_to(day: date) -> time_machine.travel:
    """For a test whose rule needs a particular kind of day: the clock at 10:00 that day, ticking on.
    `with clock.travel_to(day): ...`, or yield inside it from a fixture."""
    return time_machine.travel(datetime.combine(day, MORNING, tzinfo=ZONE), tick=True)


def today() -> date:
    """Today in the centre's time zone, read when the test runs: a module-level TODAY is read at import, which
    may be before midnight (or before the clock moved) and then wrong for every test after."""
    from django.utils import timezone

    return timezone.localdate()


def this_month() -> date:
    return today().replace(day=1)


def last_month() -> date:
    first = this_month()
    return (first - timedelta(days=1)).replace(day=1)
