"""The auditor's list of periodic jobs, as a person sees it (screenshot in .local/screenshots/)."""

import pytest

from tests.browser_support import SHOTS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_auditor_reads_the_periodic_jobs_by_name_and_schedule(page, live_server, world):
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    every = IntervalSchedule.objects.create(every=60, period="seconds")
    daily = CrontabSchedule.objects.create(minute="0", hour="7", timezone="Asia/Shanghai")
    PeriodicTask.objects.create(name="payments-poll", task="payments.poll", interval=every)
    PeriodicTask.objects.create(name="withdrawals-standing-run", task="withdrawals.standing_run", crontab=daily)
    sign_in(page, live_server, world.auditor.username)
    page.goto(f"{live_server.url}/admin/django_celery_beat/periodictask/")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "auditor-periodic-tasks.png"), full_page=True)
    table = page.locator("#result_list").inner_text()
    assert "查询银行处理中的付款" in table and "逐月提取" in table
    assert "每 60 秒" in table and "在 07:00" in table
