"""The auditor reads the loans line in the admin — applications, loans, schedules, repayments, the nightly
debit and its items, mortgage registrations — with card and ID numbers masked, and changes nothing."""

from datetime import date
from typing import Any

import pytest
from django.contrib import admin as django_admin
from django.test import Client
from django.urls import reverse

from loans.close import overdue_step
from loans.models import (
    CollectionBatch,
    CollectionItem,
    Instalment,
    Loan,
    LoanApplication,
    Repayment,
    ScheduleSegment,
)
from loans.services.collection import debit_results_step, debit_step

pytestmark = pytest.mark.django_db

DUE = date(2026, 4, 20)


def test_the_auditor_reads_a_loan_its_schedule_and_its_debit_masked_and_changes_nothing(ln: Any) -> None:
    loan = ln.active_loan(card_balance="5000.00")
    overdue_step(DUE)
    debit_step(DUE)
    debit_results_step(DUE)
    client = Client()
    client.force_login(ln.world.auditor)
    records = [LoanApplication.objects.get(pk=loan.application_id), loan, ScheduleSegment.objects.filter(loan=loan)
               .first(), Instalment.objects.filter(loan=loan).first(), Repayment.objects.get(loan=loan),
               CollectionBatch.objects.get(business_date=DUE), CollectionItem.objects.get(loan=loan)]
    for record in records:
        assert type(record) in django_admin.site._registry
        meta = record._meta
        listed = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        page = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk]))
        for response in (listed, page):
            html = response.content.decode()
            assert response.status_code == 200, meta.model_name
            assert loan.repayment_card not in html and loan.borrower.id_number not in html, meta.model_name
            assert "object (" not in html
        refused = client.post(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk]), {})
        assert refused.status_code == 403
    assert loan.contract_number in client.get(reverse("admin:loans_loan_changelist")).content.decode()
    assert client.get(reverse("admin:loans_loan_add")).status_code == 403
    Loan.objects.get(pk=loan.pk)  # still there, as it was
