"""`tracking_backfill` registers applications the register never heard of (made before it, or by a write no
hook saw), dated by what their line knows, texting nobody; run again, it adds nothing."""

from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from fund.integrations.models import SandboxSms
from fund.tracking.models import Application, ApplicationStep

pytestmark = pytest.mark.django_db


def test_the_backfill_registers_what_the_register_missed_once(world: Any, django_capture_on_commit_callbacks: Any,
                                                                capsys: Any) -> None:
    from deposits.services.transfer import transfer_in_apply
    from deposits.services.unit_applications import unit_application_submit

    transfer = transfer_in_apply(actor=world.clerk, account=world.account_a, from_centre="成都住房公积金管理中心")
    today = timezone.localdate()
    deferral = unit_application_submit(actor=world.unit_a_op, unit=world.unit_a, kind="deferral",
                                       start_month=today, end_month=today, reason="经营困难")
    kept = Application.objects.get(subject_id=deferral.pk, kind="deposits.unit_application")
    missed = Application.objects.get(subject_id=transfer.pk, kind="deposits.transfer")
    ApplicationStep.objects.filter(application=missed).delete()
    missed.delete()  # as if made before the register existed
    texts = SandboxSms.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("tracking_backfill")
    back = Application.objects.get(subject_id=transfer.pk, kind="deposits.transfer")
    assert back.source_number == transfer.reference and back.person_id == world.account_a.person_id
    step = back.steps.get()
    assert step.entered_at == transfer.created_at and step.code == "letter"
    assert SandboxSms.objects.count() == texts  # nobody is texted about an old application
    assert Application.objects.get(pk=kept.pk).number == kept.number
    call_command("tracking_backfill")
    assert Application.objects.count() == 2
    assert "共补登 0 件" in capsys.readouterr().out
