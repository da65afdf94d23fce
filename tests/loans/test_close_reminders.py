"""Step 70 loans.reminders: one text per instalment the policy's days before it falls due, queued after the
commit in chunks; a second run for the date sends nothing."""

from datetime import date
from typing import Any

import pytest

from fund.integrations.models import SandboxSms
from fund.integrations.sms import sandbox_last_message
from loans.close import reminders_step
from loans.models import Instalment

pytestmark = pytest.mark.django_db


def test_a_borrower_is_reminded_once_three_days_before_the_due_date(ln: Any, django_capture_on_commit_callbacks: Any) -> None:
    loan = ln.active_loan()
    phone = loan.borrower.phone
    assert phone
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_step(date(2026, 4, 16)) == {"reminded": 0, "no_phone": 0}
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_step(date(2026, 4, 17)) == {"reminded": 1, "no_phone": 0}
    text = sandbox_last_message(phone)
    assert text and loan.contract_number in text and "第1期" in text and "2026年04月20日" in text
    assert Instalment.objects.get(loan=loan, number=1).reminded_on == date(2026, 4, 17)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert reminders_step(date(2026, 4, 17)) == {"reminded": 0, "no_phone": 0}
    assert callbacks == [] and SandboxSms.objects.filter(phone=phone).count() == 1
