from datetime import date

import pytest
from django.utils import timezone

from fund.checks import holiday_calendar_is_current
from fund.workdays import calendar_covers


def test_a_known_year_is_covered_and_a_far_one_is_not():
    assert calendar_covers(2026) and not calendar_covers(2031)


def test_the_check_warns_when_next_years_holidays_are_missing(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: date(2030, 3, 1))
    warnings = holiday_calendar_is_current(None)
    assert [w.id for w in warnings] == ["fund.W001"] and "2030、2031" in warnings[0].msg


@pytest.mark.django_db
def test_old_sign_in_records_are_pruned():
    from datetime import timedelta

    from fund.people.models import LoginAttempt
    from fund.people.tasks import prune_sign_in_records

    old = LoginAttempt.objects.create(username="X", succeeded=False)
    LoginAttempt.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=200))
    LoginAttempt.objects.create(username="Y", succeeded=False)
    assert prune_sign_in_records() == 1
    assert list(LoginAttempt.objects.values_list("username", flat=True)) == ["Y"]
