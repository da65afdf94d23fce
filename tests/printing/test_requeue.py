from datetime import timedelta

import pytest
from django.utils import timezone

from fund.printing.models import Document
from fund.printing.tasks import requeue_stale

pytestmark = pytest.mark.django_db


def test_a_document_left_pending_by_a_stopped_worker_is_rendered_by_the_sweep(world):
    from deposits.pdf import account_sheet_request

    document = account_sheet_request(account=world.account_a, requested_by=world.clerk)  # on_commit: not yet run
    Document.objects.filter(pk=document.pk).update(created_at=timezone.now() - timedelta(minutes=10))
    assert requeue_stale() == 1  # eager in tests: renders now
    document.refresh_from_db()
    assert document.status == "ready" and document.file.read(4) == b"%PDF"
    assert requeue_stale() == 0
