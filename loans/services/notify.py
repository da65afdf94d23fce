"""What every loans service tells the borrower: a text sent after commit (nothing for a rolled-back one)."""

from __future__ import annotations

from django.db import transaction

from ..models import LoanApplication


def application_notify(application: LoanApplication, text: str) -> None:
    phone = application.borrower.phone
    if not phone:
        return
    from fund.people.tasks import send_sms

    transaction.on_commit(lambda: send_sms.delay(phone, text), robust=True)
