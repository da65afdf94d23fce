"""The auditor reads the periodic jobs in Chinese: every scheduled task has a name, schedules are in words,
and the admin pages of django-celery-beat carry no English labels."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from fund.audit.schedules import crontab_words, schedule_words, task_known

pytestmark = pytest.mark.django_db

# What may stay Latin on these pages: the time zone, the beat key (a code, shown beside the Chinese name),
# the task code field, JSON.
ALLOWED = re.compile(r"Asia/Shanghai|[a-z_]+(\.[a-z_]+)+|[a-z]+(-[a-z]+)+|JSON|UTC")


def test_every_scheduled_task_has_a_chinese_name():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert sorted(t for t in tasks if not task_known(t)) == []


def test_schedules_read_in_words():
    monthly = CrontabSchedule(minute="30", hour="9", day_of_month="5", month_of_year="*", day_of_week="*")
    assert crontab_words(monthly) == "在 09:30, 每月的 5 号"
    every_minute = PeriodicTask(name="x", task="x", interval=IntervalSchedule.objects.create(every=60, period="seconds"))
    assert schedule_words(every_minute) == "每 60 秒"


def _latin_words(html: str) -> set[str]:
    text = re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", html, flags=re.S)
    text = ALLOWED.sub(" ", text)
    return set(re.findall(r"[A-Za-z]{3,}(?: [A-Za-z]{2,})*", text)) - {"rsaquo", "auditor", "nbsp"}


def test_the_auditors_beat_pages_have_no_english_labels(world):
    every = IntervalSchedule.objects.create(every=60, period="seconds")
    daily = CrontabSchedule.objects.create(minute="0", hour="8")
    poll = PeriodicTask.objects.create(name="payments-poll", task="payments.poll", interval=every)
    PeriodicTask.objects.create(name="withdrawals-standing-run", task="withdrawals.standing_run", crontab=daily)
    client = Client()
    client.force_login(world.auditor)
    base = "/admin/django_celery_beat/"
    pages = [base, f"{base}periodictask/", f"{base}periodictask/{poll.pk}/change/", f"{base}crontabschedule/",
             f"{base}crontabschedule/{daily.pk}/change/", f"{base}intervalschedule/{every.pk}/change/"]
    found = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        found[url] = _latin_words(response.content.decode())
    assert {url: words for url, words in found.items() if words} == {}
    listing = client.get(f"{base}periodictask/").content.decode()
    assert "查询银行处理中的付款" in listing and "逐月提取" in listing and "每 60 秒" in listing
